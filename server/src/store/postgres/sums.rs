//! The PostgreSQL store's sums for `/api/clusters`, as SQLite's (`sqlite/clusters.rs`): the
//! table `event_cells` (migration 6, `clusters.sql`) holds, per grid level 2 to 8, cell, event
//! type and day, how many events there are and the sums of their coordinates, kept by a
//! trigger on `events`, and `event_cell_spans` (`spans.sql`) the same per span of 32 days. A
//! world view then reads sums, not events. Other filters, and the strips
//! along a view's edges, are binned by one grouping query on the same cells
//! ([`binned_cells`]), so that only the events of the cells holding a few travel.

use super::super::cells::{SumPart, SummedRow, add_sum, sum_parts, sums_answer};
use super::super::{
    Cell, CellRange, EventFilter, EventId, FEW, Grid, Result, TABLE_LEVEL, mercator_souths,
};
use super::events::Params;
use crate::rtree::Bbox;
use postgres::types::ToSql;
use postgres::{Client, Row};
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
    let parts = sum_parts(filter.from, filter.to);
    for range in ranges {
        for &part in &parts {
            let (sql, params) = part_sql(filter, grid, range, part);
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
            for r in client.query(&sql, &refs)? {
                add_sum(&mut cells, summed_row(&r)?);
            }
        }
    }
    Ok(Some(cells.into_values().collect()))
}

/// A row of a query of the sums or of [`binned_cells`]: column, row, type, count, coordinate
/// sums, first and last day, in that order.
fn summed_row(r: &Row) -> Result<SummedRow> {
    Ok(SummedRow {
        x: u32::try_from(r.try_get::<_, i32>(0)?).unwrap_or(0),
        y: u32::try_from(r.try_get::<_, i32>(1)?).unwrap_or(0),
        event_type: r.try_get(2)?,
        count: r.try_get(3)?,
        sum_lon: r.try_get(4)?,
        sum_lat: r.try_get(5)?,
        first: r.try_get(6)?,
        last: r.try_get(7)?,
    })
}

/// The query of one part of one range, with its parameters.
fn part_sql(
    filter: &EventFilter,
    grid: Grid,
    range: &CellRange,
    part: SumPart,
) -> (String, Vec<Box<dyn ToSql + Sync>>) {
    let int = |v: u32| Box::new(i32::try_from(v).unwrap_or(i32::MAX)) as Box<dyn ToSql + Sync>;
    let mut params: Vec<Box<dyn ToSql + Sync>> = vec![
        Box::new(i16::from(grid.level)),
        int(range.x_min),
        int(range.x_max),
        int(range.y_min),
        int(range.y_max),
    ];
    let (head, span): (&str, &str) = match part {
        SumPart::Spans(first, last) => {
            params.push(Box::new(first));
            params.push(Box::new(last));
            (
                "SELECT x, y, event_type, sum(n)::BIGINT, sum(sum_lon), sum(sum_lat), \
                 min(first_day), max(last_day) FROM event_cell_spans",
                "span BETWEEN $6 AND $7",
            )
        }
        // Each day named (at most a span's), so that the index seeks each day's rows.
        SumPart::Days(first, last) => {
            params.push(Box::new((first..=last).collect::<Vec<i64>>()));
            (
                "SELECT x, y, event_type, sum(n)::BIGINT, sum(sum_lon), sum(sum_lat), min(day), \
                 max(day) FROM event_cells",
                "day = ANY($6)",
            )
        }
    };
    let mut sql = format!(
        "{head} WHERE level = $1 AND x BETWEEN $2 AND $3 AND y BETWEEN $4 AND $5 AND {span} \
         AND n > 0"
    );
    if !filter.types.is_empty() {
        params.push(Box::new(filter.types.clone()));
        sql.push_str(&format!(" AND event_type = ANY(${})", params.len()));
    }
    sql.push_str(" GROUP BY x, y, event_type");
    (sql, params)
}

/// The rows' south edges as ascending thresholds of `width_bucket(-lat, …)`, which then counts
/// the edges south of which the latitude lies, as the sums' trigger counts them (each edge
/// nudged up so that a latitude on an edge counts as the trigger's `south > lat` does).
fn row_edges() -> Vec<f64> {
    mercator_souths().iter().map(|s| (-s).next_up()).collect()
}

/// The events that meet `cond` (a filter's SQL) with their centres, as [`binned_cells`] reads
/// them: id, type, day, longitude and latitude.
pub(super) fn centred(cond: &str) -> String {
    format!(
        "SELECT e.id, e.event_type, e.day, c.lon, c.lat FROM events AS e, \
         LATERAL event_centre(e.min_lon, e.min_lat, e.max_lon, e.max_lat) AS c WHERE {cond}"
    )
}

/// The events that meet `cond` and one of `boxes` (closed, none crossing the antimeridian),
/// each once, as [`centred`] gives them. An event on a point (most) is found by the partial
/// index of points (`events_points`, migration 12), which holds all that this query reads, so
/// that the table is not visited, in the first box that holds it; an event on an area by the
/// index of areas' geometries.
pub(super) fn centred_in_boxes(cond: &str, boxes: &[Bbox], params: &mut Params) -> String {
    let mut points = Vec::new();
    let mut earlier = String::new();
    let mut areas = Vec::new();
    for b in boxes {
        params.extend(
            [b.min_lon, b.min_lat, b.max_lon, b.max_lat]
                .map(|v| Box::new(v) as Box<dyn ToSql + Sync>),
        );
        let [w, s, e, n] = [4, 3, 2, 1].map(|back| format!("${}", params.len() + 1 - back));
        let within = format!("point(min_lon, min_lat) <@ box(point({w}, {s}), point({e}, {n}))");
        points.push(format!(
            "SELECT id, event_type, day, min_lon, min_lat FROM events \
             WHERE {cond} AND {POINT} AND {within}{earlier}"
        ));
        earlier.push_str(&format!(" AND NOT {within}"));
        areas.push(format!(
            "ST_Intersects(geom, ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326))"
        ));
    }
    points.push(format!(
        "{} AND NOT ({POINT}) AND ({})",
        centred(cond),
        areas.join(" OR ")
    ));
    points.join(" UNION ALL ")
}

/// The events whose place is a point, as the partial indexes of migration 12 name them.
const POINT: &str = "min_lon = max_lon AND min_lat = max_lat";

/// The cells of `grid` (a level the sums know, at most [`TABLE_LEVEL`]) for the events of
/// `source` (a query such as [`centred`]'s, with its `params`), binned in the database as the
/// sums bin them and as [`super::super::bin_events`] does, without sending the events; with the
/// ids of the events of each cell that holds at most [`FEW`], in order, for the caller to read.
pub(super) fn binned_cells(
    client: &mut Client,
    source: &str,
    mut params: Params,
    grid: Grid,
) -> Result<(Vec<Cell>, Vec<EventId>)> {
    params.push(Box::new(i32::from(TABLE_LEVEL - grid.level)));
    let shift = params.len();
    params.push(Box::new(row_edges()));
    let edges = params.len();
    // A group's first ids in no order: a cell of at most FEW events has all of its ids in
    // its groups' slices (each group holds at most FEW), and they are sorted below.
    let sql = format!(
        "SELECT x, y, event_type, count(*), sum(lon), sum(lat), min(day), max(day), \
         (array_agg(id))[1:{few}] \
         FROM (SELECT id, event_type, day, lon, lat, \
               least(255, greatest(0, trunc((lon + 180.0) / 360.0 * 256)))::INTEGER \
                 >> ${shift} AS x, \
               least(255, width_bucket(-lat, ${edges}))::INTEGER >> ${shift} AS y \
               FROM ({source}) AS s (id, event_type, day, lon, lat)) AS p \
         GROUP BY x, y, event_type",
        few = FEW + 1
    );
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
    let mut cells: HashMap<(u32, u32), Cell> = HashMap::new();
    let mut ids: HashMap<(u32, u32), Vec<EventId>> = HashMap::new();
    for r in client.query(&sql, &refs)? {
        let sum = summed_row(&r)?;
        let first_ids: Vec<EventId> = r.try_get(8)?;
        ids.entry((sum.x, sum.y)).or_default().extend(first_ids);
        add_sum(&mut cells, sum);
    }
    let mut few: Vec<EventId> = cells
        .values()
        .filter(|c| c.count <= FEW)
        .flat_map(|c| ids.remove(&(c.x, c.y)).unwrap_or_default())
        .collect();
    few.sort_unstable();
    Ok((cells.into_values().collect(), few))
}
