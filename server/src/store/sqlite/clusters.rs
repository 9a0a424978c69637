//! The SQLite store's sums for `/api/clusters`: the table `event_cells` (migration
//! `clusters.sql`) holds, per grid level 2 to 8, cell, event type and day, how many events
//! there are and the sums of their coordinates, kept by triggers on `events`. A world view
//! over ten million events then reads some ten thousand sums instead of the events.
//!
//! The sums answer the filters they are keyed by (types, days) and nothing else: a filter on
//! the country, the text, the actors, the confidence, the precision, the document, the source
//! or deleted events is answered by reading the events ([`super::super::bin_events`]).

use super::super::cells::{SummedRow, UNDATED_DAY, add_sum, sums_answer};
use super::super::{Cell, CellRange, EventFilter, Grid, Result, day_number};
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
        params.push(Value::Integer(
            filter.from.map_or(UNDATED_DAY + 1, day_number),
        ));
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
        let sum = SummedRow {
            x: r.get(0)?,
            y: r.get(1)?,
            event_type: r.get(2)?,
            count: r.get(3)?,
            sum_lon: r.get(4)?,
            sum_lat: r.get(5)?,
            first: r.get(6)?,
            last: r.get(7)?,
        };
        add_sum(cells, sum);
    }
    Ok(())
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
