//! The SQLite store's sums for `/api/clusters`: the table `event_cells` (migration
//! `clusters.sql`) holds, per grid level 2 to 8, cell, event type and day, how many events
//! there are and the sums of their coordinates, kept by triggers on `events`. A world view
//! over ten million events then reads some ten thousand sums instead of the events.
//!
//! The sums answer the filters they are keyed by (types, days) and nothing else: a filter on
//! the country, the text, the actors, the confidence, the precision, the document, the source
//! or deleted events is answered by reading the events ([`super::super::bin_events`]).

use super::super::day_of_number;
use super::super::{Cell, CellRange, EventFilter, Grid, Result, TABLE_LEVEL, day_number};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::collections::HashMap;

/// The coarsest level the table sums.
const FIRST_LEVEL: u8 = 2;

/// The `day` that stands for an undated event.
const UNDATED: i64 = -2_147_483_648;

/// Whether the sums can answer `filter`: it filters on types and days only.
fn summable(filter: &EventFilter) -> bool {
    let EventFilter {
        from: _,
        to: _,
        types: _,
        country,
        actor,
        q,
        q_places: _,
        min_confidence,
        max_geo_precision,
        document,
        source,
        include_deleted,
        within,
    } = filter;
    country.is_none()
        && actor.is_none()
        && q.is_none()
        && min_confidence.is_none()
        && max_geo_precision.is_none_or(|p| p >= 3)
        && document.is_none()
        && source.is_none()
        && !include_deleted
        && within.is_none()
}

/// The cells of `grid` within `ranges` for `filter`, from the sums; `None` when the sums do
/// not answer this grid or this filter.
pub(super) fn summed_cells(
    conn: &Connection,
    filter: &EventFilter,
    grid: Grid,
    ranges: &[CellRange],
) -> Result<Option<Vec<Cell>>> {
    if !(FIRST_LEVEL..=TABLE_LEVEL).contains(&grid.level) || !summable(filter) {
        return Ok(None);
    }
    let mut cells: HashMap<(u32, u32), Cell> = HashMap::new();
    for range in ranges {
        sum_range(conn, filter, grid, range, &mut cells)?;
    }
    Ok(Some(cells.into_values().collect()))
}

/// The query of one range, with its parameters.
fn range_sql(filter: &EventFilter, grid: Grid, range: &CellRange) -> (String, Vec<Value>) {
    let mut params = vec![
        Value::Integer(grid.level.into()),
        Value::Integer(range.x_min.into()),
        Value::Integer(range.x_max.into()),
        Value::Integer(range.y_min.into()),
        Value::Integer(range.y_max.into()),
    ];
    let mut sql = String::from(
        "SELECT x, y, event_type, sum(n), sum(sum_lon), sum(sum_lat), \
         min(nullif(day, -2147483648)), max(nullif(day, -2147483648)) \
         FROM event_cells WHERE level = ?1 AND x BETWEEN ?2 AND ?3 AND y BETWEEN ?4 AND ?5 \
         AND n > 0",
    );
    if filter.from.is_some() || filter.to.is_some() {
        params.push(Value::Integer(filter.from.map_or(UNDATED + 1, day_number)));
        params.push(Value::Integer(filter.to.map_or(i64::MAX, day_number)));
        sql.push_str(" AND day BETWEEN ?6 AND ?7");
    }
    if !filter.types.is_empty() {
        let marks: Vec<String> = filter
            .types
            .iter()
            .map(|t| {
                params.push(Value::Text(t.clone()));
                format!("?{}", params.len())
            })
            .collect();
        sql.push_str(&format!(" AND event_type IN ({})", marks.join(", ")));
    }
    sql.push_str(" GROUP BY x, y, event_type");
    (sql, params)
}

/// Adds the sums of one range to `cells`.
fn sum_range(
    conn: &Connection,
    filter: &EventFilter,
    grid: Grid,
    range: &CellRange,
    cells: &mut HashMap<(u32, u32), Cell>,
) -> Result<()> {
    let (sql, params) = range_sql(filter, grid, range);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(params))?;
    while let Some(r) = rows.next()? {
        let (x, y): (u32, u32) = (r.get(0)?, r.get(1)?);
        let first: Option<i64> = r.get(6)?;
        let last: Option<i64> = r.get(7)?;
        let count: i64 = r.get(3)?;
        let part = Cell {
            x,
            y,
            count: u64::try_from(count).unwrap_or(0),
            sum_lon: r.get(4)?,
            sum_lat: r.get(5)?,
            types: [(r.get(2)?, u64::try_from(count).unwrap_or(0))].into(),
            first: first.and_then(day_of_number),
            last: last.and_then(day_of_number),
            events: Vec::new(),
        };
        match cells.entry((x, y)) {
            std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().merge(part),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(part);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::super::{CellRange, EventId, Store, bin_events, mercator_souths};
    use super::super::SqliteStore;
    use super::*;
    use chrono::NaiveDate;
    use extract::{
        DatePrecision, Event, EventDate, EventGeometry, EventPlace, EventType, LocationPrecision,
    };

    /// An event of `kind` at a point on a day.
    fn event(kind: EventType, lon: f64, lat: f64, day: Option<(i32, u32, u32)>) -> Event {
        let date = day.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        serde_json::from_value(serde_json::json!({
            "event_type": kind, "sub_type": "Armed clash", "action": "armed_clash",
            "date": date.map(|d| EventDate { date: d, precision: DatePrecision::Day, span: None }),
            "geometry": EventGeometry::Point { lon, lat },
            "places": [EventPlace { place_id: 1, name: "p".into(), lat, lon,
                                    country: "AZ".into(), mention: None }],
            "location_precision": LocationPrecision::Exact, "geo_precision": 1,
            "actors": [], "claim": null,
            "sentence": {"start": 0, "end": 1, "char_start": 0, "char_end": 1, "text": "x"},
            "evidence": [], "confidence": 0.8, "mentions": [],
        }))
        .expect("an event")
    }

    /// Cells by position, without their events, sorted, for comparing.
    fn sorted(mut cells: Vec<Cell>) -> Vec<(u32, u32, u64, String, Option<NaiveDate>)> {
        cells.sort_by_key(|c| (c.x, c.y));
        cells
            .into_iter()
            .map(|c| (c.x, c.y, c.count, format!("{:?}", c.types), c.first))
            .collect()
    }

    #[test]
    fn sums_match_the_events_and_follow_changes() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = SqliteStore::open(dir.path().join("karta.db")).expect("the database opens");
        let conn = store.reader().expect("a reader");
        let souths: Vec<f64> = conn
            .prepare("SELECT south FROM mercator_rows ORDER BY y")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("the rows");
        assert_eq!(
            souths,
            mercator_souths(),
            "the migration's rows are the grid's"
        );
        drop(conn);
        let events: Vec<(String, Event)> = [
            (EventType::Battles, 46.75, 39.82, Some((2020, 9, 27))),
            (EventType::Battles, 46.76, 39.81, Some((2020, 10, 2))),
            (EventType::Protests, 49.87, 40.41, None),
            (EventType::Protests, -179.5, -16.5, Some((2021, 1, 1))),
            (EventType::Battles, 179.9, 85.5, Some((2019, 5, 1))),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (t, lon, lat, day))| (format!("k{i}"), event(t, lon, lat, day)))
        .collect();
        store.import_events("test", &events).expect("imported");
        let check = |filter: &EventFilter| {
            for level in 2..=8 {
                let grid = Grid { level };
                let summed = summed_cells(
                    &store.reader().expect("reader"),
                    filter,
                    grid,
                    &[grid.everything()],
                )
                .expect("summed")
                .expect("summable");
                let read = bin_events(&store, filter, None, grid).expect("binned");
                assert_eq!(sorted(summed), sorted(read), "level {level}, {filter:?}");
            }
        };
        let by_day = EventFilter {
            from: NaiveDate::from_ymd_opt(2020, 9, 28),
            to: NaiveDate::from_ymd_opt(2021, 1, 1),
            ..EventFilter::default()
        };
        let battles = EventFilter {
            types: vec!["battles".into()],
            ..EventFilter::default()
        };
        for filter in [EventFilter::default(), by_day.clone(), battles.clone()] {
            check(&filter);
        }
        let first: EventId = 1;
        store.set_deleted(first, true, "test").expect("deleted");
        store
            .correct_event(
                2,
                &event(EventType::Protests, 2.35, 48.85, Some((2020, 10, 3))),
                "t",
            )
            .expect("corrected");
        for filter in [EventFilter::default(), by_day, battles] {
            check(&filter);
        }
        let part = CellRange {
            x_min: 0,
            x_max: 1,
            y_min: 0,
            y_max: 3,
        };
        let west = summed_cells(
            &store.reader().expect("reader"),
            &EventFilter::default(),
            Grid { level: 2 },
            &[part],
        )
        .expect("summed")
        .expect("summable");
        assert_eq!(west.iter().map(|c| c.count).sum::<u64>(), 1, "Fiji only");
        let country = EventFilter {
            country: Some("AZ".into()),
            ..EventFilter::default()
        };
        assert!(
            summed_cells(
                &store.reader().expect("reader"),
                &country,
                Grid { level: 2 },
                &[part]
            )
            .expect("asked")
            .is_none()
        );
    }
}
