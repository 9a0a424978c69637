//! The SQLite store's sums for `/api/clusters`: the table `event_cells` (migration
//! `clusters.sql`) holds, per grid level 2 to 8, cell, event type and day, how many events
//! there are and the sums of their coordinates, kept by triggers on `events`; the table
//! `event_cell_spans` (`spans.sql`) the same per span of 32 days, kept by triggers on
//! `event_cells`. A world view over ten million events then reads some ten thousand sums
//! instead of the events: the spans a filter's days hold whole, and the days of the spans it
//! cuts ([`sum_parts`]).
//!
//! The sums answer the filters they are keyed by (types, days) and nothing else: a filter on
//! the country, the text, the actors, the confidence, the precision, the document, the source
//! or deleted events is answered by reading the events ([`super::super::bin_events`]).

use super::super::cells::{SumPart, SummedRow, add_sum, sum_parts, sums_answer};
use super::super::{Cell, CellRange, EventFilter, Grid, Result};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::collections::HashMap;

/// The cells of `grid` within `ranges` for `filter`, from the sums; `None` when the sums do
/// not answer this grid or this filter.
pub(super) fn summed_cells(
    conn: &Connection,
    filter: &EventFilter,
    grid: Grid,
    ranges: &[CellRange],
) -> Result<Option<Vec<Cell>>> {
    if !sums_answer(filter, grid) {
        return Ok(None);
    }
    let mut cells: HashMap<(u32, u32), Cell> = HashMap::new();
    for range in ranges {
        sum_range(conn, filter, grid, range, &mut cells)?;
    }
    Ok(Some(cells.into_values().collect()))
}

/// The query of one part of one range, with its parameters.
fn part_sql(
    filter: &EventFilter,
    grid: Grid,
    range: &CellRange,
    part: SumPart,
) -> (String, Vec<Value>) {
    let mut params = vec![
        Value::Integer(grid.level.into()),
        Value::Integer(range.x_min.into()),
        Value::Integer(range.x_max.into()),
        Value::Integer(range.y_min.into()),
        Value::Integer(range.y_max.into()),
    ];
    let (head, span) = match part {
        SumPart::Spans(first, last) => {
            params.push(Value::Integer(first));
            params.push(Value::Integer(last));
            (
                "SELECT x, y, event_type, sum(n), sum(sum_lon), sum(sum_lat), min(first_day), \
                 max(last_day) FROM event_cell_spans",
                "span BETWEEN ?6 AND ?7".to_owned(),
            )
        }
        // Each day named (at most a span's), so that the index seeks each day's rows.
        SumPart::Days(first, last) => (
            "SELECT x, y, event_type, sum(n), sum(sum_lon), sum(sum_lat), min(day), max(day) \
             FROM event_cells INDEXED BY event_cells_by_day",
            format!(
                "day IN ({})",
                (first..=last)
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    };
    let mut sql = format!(
        "{head} WHERE level = ?1 AND x BETWEEN ?2 AND ?3 AND y BETWEEN ?4 AND ?5 AND {span} \
         AND n > 0"
    );
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

/// Adds the sums of one range to `cells`: the spans the filter's days hold whole, then the
/// days of the spans they cut.
fn sum_range(
    conn: &Connection,
    filter: &EventFilter,
    grid: Grid,
    range: &CellRange,
    cells: &mut HashMap<(u32, u32), Cell>,
) -> Result<()> {
    for part in sum_parts(filter.from, filter.to) {
        let (sql, params) = part_sql(filter, grid, range, part);
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            add_sum(cells, summed_row(r)?);
        }
    }
    Ok(())
}

/// A row of [`part_sql`]'s query.
fn summed_row(r: &rusqlite::Row) -> rusqlite::Result<SummedRow> {
    Ok(SummedRow {
        x: r.get(0)?,
        y: r.get(1)?,
        event_type: r.get(2)?,
        count: r.get(3)?,
        sum_lon: r.get(4)?,
        sum_lat: r.get(5)?,
        first: r.get(6)?,
        last: r.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::super::mercator_souths;
    use super::super::SqliteStore;

    /// The rows the migration writes are the grid's, to the last bit (that the sums match the
    /// events is checked on both stores in `tests/store.rs`).
    #[test]
    fn the_migrations_rows_are_the_grids() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = SqliteStore::open(dir.path().join("karta.db")).expect("the database opens");
        let conn = store.reader().expect("a reader");
        let souths: Vec<f64> = conn
            .prepare("SELECT south FROM mercator_rows ORDER BY y")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .expect("the rows");
        assert_eq!(souths, mercator_souths());
    }
}
