//! The PostgreSQL store's sums for `/api/clusters`, as SQLite's (`sqlite/clusters.rs`): the
//! table `event_cells` (migration 6, `clusters.sql`) holds, per grid level 2 to 8, cell, event
//! type and day, how many events there are and the sums of their coordinates, kept by a
//! trigger on `events`. A world view then reads sums, not events; filters the sums are not
//! keyed by are answered by reading the events.

use super::super::cells::{SummedRow, UNDATED_DAY, add_sum, sums_answer};
use super::super::{Cell, CellRange, EventFilter, Grid, Result, day_number};
use postgres::Client;
use postgres::types::ToSql;
use std::collections::HashMap;

/// The cells of `grid` within `ranges` for `filter`, from the sums; `None` when the sums do
/// not answer this grid or this filter.
pub(super) fn summed_cells(
    client: &mut Client,
    filter: &EventFilter,
    grid: Grid,
    ranges: &[CellRange],
) -> Result<Option<Vec<Cell>>> {
    if !sums_answer(filter, grid) {
        return Ok(None);
    }
    let mut cells: HashMap<(u32, u32), Cell> = HashMap::new();
    for range in ranges {
        let (sql, params) = range_sql(filter, grid, range);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        for r in client.query(&sql, &refs)? {
            let count: i64 = r.try_get(3)?;
            let sum = SummedRow {
                x: u32::try_from(r.try_get::<_, i32>(0)?).unwrap_or(0),
                y: u32::try_from(r.try_get::<_, i32>(1)?).unwrap_or(0),
                event_type: r.try_get(2)?,
                count,
                sum_lon: r.try_get(4)?,
                sum_lat: r.try_get(5)?,
                first: r.try_get(6)?,
                last: r.try_get(7)?,
            };
            add_sum(&mut cells, sum);
        }
    }
    Ok(Some(cells.into_values().collect()))
}

/// The query of one range, with its parameters.
fn range_sql(
    filter: &EventFilter,
    grid: Grid,
    range: &CellRange,
) -> (String, Vec<Box<dyn ToSql + Sync>>) {
    let int = |v: u32| Box::new(i32::try_from(v).unwrap_or(i32::MAX)) as Box<dyn ToSql + Sync>;
    let mut params: Vec<Box<dyn ToSql + Sync>> = vec![
        Box::new(i16::from(grid.level)),
        int(range.x_min),
        int(range.x_max),
        int(range.y_min),
        int(range.y_max),
    ];
    let mut sql = String::from(
        "SELECT x, y, event_type, sum(n)::BIGINT, sum(sum_lon), sum(sum_lat), \
         min(nullif(day, -2147483648)), max(nullif(day, -2147483648)) \
         FROM event_cells WHERE level = $1 AND x BETWEEN $2 AND $3 AND y BETWEEN $4 AND $5 \
         AND n > 0",
    );
    if filter.from.is_some() || filter.to.is_some() {
        params.push(Box::new(filter.from.map_or(UNDATED_DAY + 1, day_number)));
        params.push(Box::new(filter.to.map_or(i64::MAX, day_number)));
        sql.push_str(" AND day BETWEEN $6 AND $7");
    }
    if !filter.types.is_empty() {
        params.push(Box::new(filter.types.clone()));
        sql.push_str(&format!(" AND event_type = ANY(${})", params.len()));
    }
    sql.push_str(" GROUP BY x, y, event_type");
    (sql, params)
}
