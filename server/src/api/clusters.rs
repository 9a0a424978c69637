//! `GET /api/clusters`: the events of `/api/events` (the same parameters, filters, dates and
//! `bbox`, across the antimeridian too) binned on a Web Mercator grid fitted to `zoom`, cells
//! of 64 to 90 pixels a side: each cell's count, mean point, type mix and first and last day,
//! and its events when it holds few. The map asks for it when a view holds too many events
//! to send one by one.
//!
//! With a `bbox` (or none) and filters on types and days only, the cells wholly inside the box
//! come from the sums the store keeps ([`Store::summed_cells`]), then along the edges the
//! finest summed cells wholly inside, and only the events in the thin strips left are read,
//! found by the R-tree; otherwise every event of the query is read and binned
//! ([`Store::event_cells`]).

use super::error::ApiQuery;
use super::events::reader_query;
use super::query::{DEFAULT_PAGE, EventParams, EventQuery, Spatial};
use super::{ApiError, AppState, blocking};
use crate::export::event_feature;
use crate::ingest::Pipeline;
use crate::rtree::{Bbox, split_at_antimeridian};
use crate::store::{Area, Cell, CellRange, FEW, Grid, MAX_LEVEL, Place, TABLE_LEVEL, merge_cell};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use std::collections::HashMap;
use vocab::{Cluster, Clusters};

/// The cluster routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/clusters", get(clusters_index))
}

/// The parameter of `/api/clusters` beside those of `/api/events`.
#[derive(Debug, Default, serde::Deserialize)]
struct ZoomParam {
    /// The map's zoom (`zoom`), 0 for the world on one 256-pixel tile.
    zoom: Option<String>,
}

impl ZoomParam {
    /// The zoom, a number from 0 to [`MAX_LEVEL`] less 2.
    fn check(&self) -> Result<f64, ApiError> {
        let most = f64::from(MAX_LEVEL - 2);
        let text = self
            .zoom
            .as_deref()
            .ok_or_else(|| ApiError::parameter("zoom", "is needed: the map's zoom, 0 to 22"))?;
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|z| (0.0..=most).contains(z))
            .ok_or_else(|| ApiError::parameter("zoom", format!("{text:?} is not a zoom 0 to 22")))
    }
}

/// `GET /api/clusters`: the query's events as clusters on the grid of `zoom`.
async fn clusters_index(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<EventParams>,
    ApiQuery(zoom): ApiQuery<ZoomParam>,
    headers: HeaderMap,
) -> Result<Json<Clusters>, ApiError> {
    let query = reader_query(&params, &headers, &state).await?;
    let zoom = zoom.check()?;
    let pipeline = state.pipeline.clone();
    let points_max = state.map_points;
    blocking(move || {
        let grid = Grid::for_zoom(zoom);
        let cells = cells_of(&pipeline, &query, grid)?;
        Ok(Json(clusters(zoom, grid, cells, points_max)?))
    })
    .await
}

/// The cells of a query's events: summed where the store can, read elsewhere, and with their
/// events when they hold few.
fn cells_of(pipeline: &Pipeline, query: &EventQuery, grid: Grid) -> Result<Vec<Cell>, ApiError> {
    let store = pipeline.store();
    let parts = match (query.spatial, &query.ids) {
        (Spatial::Anywhere, None) => vec![None],
        (Spatial::Within(Area::Bbox(b)), None) => {
            split_at_antimeridian(&b).into_iter().map(Some).collect()
        }
        _ => Vec::new(),
    };
    let inner = inner_ranges(grid, &parts);
    let summed = if parts.is_empty() {
        None
    } else {
        store.summed_cells(&query.filter, grid, &inner)?
    };
    let Some(summed) = summed else {
        let k = query.limit.unwrap_or(DEFAULT_PAGE);
        let (filter, ids) = query.scope(pipeline, k)?;
        return Ok(store.event_cells(&filter, ids.as_deref(), grid)?);
    };
    // Along the edges, the finest summed cells wholly inside the box are summed too, so that
    // only a thin strip is read event by event.
    let fine = Grid {
        level: grid.level.max(TABLE_LEVEL),
    };
    let shift = fine.level - grid.level;
    let inner_fine = inner_ranges(fine, &parts);
    let ring: Vec<CellRange> = inner_fine
        .iter()
        .flat_map(|outer| ring(outer, &inner, shift))
        .collect();
    let ring_cells = if ring.is_empty() {
        Vec::new()
    } else {
        store
            .summed_cells(&query.filter, fine, &ring)?
            .unwrap_or_default()
    };
    let read = read_strips(pipeline, query, fine, &parts)?
        .into_iter()
        .filter(|c| !inner_fine.iter().any(|r| r.holds(c.x, c.y)));
    let coarse = ring_cells.into_iter().chain(read).map(|c| Cell {
        x: c.x >> shift,
        y: c.y >> shift,
        ..c
    });
    let cells = merge(summed.into_iter().chain(coarse));
    with_few_events(pipeline, query, grid, cells)
}

/// The cells of `grid` wholly inside each part (the whole grid for `None`: no box).
fn inner_ranges(grid: Grid, parts: &[Option<Bbox>]) -> Vec<CellRange> {
    parts
        .iter()
        .filter_map(|part| part.map_or(Some(grid.everything()), |b| inner_cells(grid, &b)))
        .collect()
}

/// The cells of `outer` (a finer grid, `shift` levels below) outside every range of `inner`,
/// as rectangles; `inner`'s ranges, refined, lie within `outer` or apart from it.
fn ring(outer: &CellRange, inner: &[CellRange], shift: u8) -> Vec<CellRange> {
    let refined = inner.iter().map(|r| CellRange {
        x_min: r.x_min << shift,
        x_max: ((r.x_max + 1) << shift) - 1,
        y_min: r.y_min << shift,
        y_max: ((r.y_max + 1) << shift) - 1,
    });
    let Some(b) = refined.into_iter().find(|b| outer.holds(b.x_min, b.y_min)) else {
        return vec![*outer];
    };
    let a = *outer;
    let mut out = Vec::new();
    if b.y_min > a.y_min {
        out.push(CellRange {
            y_max: b.y_min - 1,
            ..a
        });
    }
    if b.y_max < a.y_max {
        out.push(CellRange {
            y_min: b.y_max + 1,
            ..a
        });
    }
    let middle = CellRange {
        y_min: b.y_min,
        y_max: b.y_max,
        ..a
    };
    if b.x_min > a.x_min {
        out.push(CellRange {
            x_max: b.x_min - 1,
            ..middle
        });
    }
    if b.x_max < a.x_max {
        out.push(CellRange {
            x_min: b.x_max + 1,
            ..middle
        });
    }
    out
}

/// The events of the strips of each part outside its inner cells of `grid`, binned on `grid`
/// by the database when it finds places itself, else found by the R-tree and then binned.
fn read_strips(
    pipeline: &Pipeline,
    query: &EventQuery,
    grid: Grid,
    parts: &[Option<Bbox>],
) -> Result<Vec<Cell>, ApiError> {
    let boxes: Vec<Bbox> = parts
        .iter()
        .flatten()
        .flat_map(|b| strips(grid, b))
        .collect();
    if let Some(cells) = pipeline
        .store()
        .cells_in_boxes(&query.filter, &boxes, grid)?
    {
        return Ok(cells);
    }
    let mut border = Vec::new();
    for strip in boxes {
        border.extend(pipeline.locate(Place::Within(Area::Bbox(strip)))?);
    }
    border.sort_unstable();
    border.dedup();
    if border.is_empty() {
        return Ok(Vec::new());
    }
    Ok(pipeline
        .store()
        .event_cells(&query.filter, Some(&border), grid)?)
}

/// The cells wholly inside a box (which does not cross the antimeridian), if any. The first
/// and last rows also hold the points beyond Web Mercator's ±85.05°, so they are inside only
/// when the box reaches the pole.
fn inner_cells(grid: Grid, b: &Bbox) -> Option<CellRange> {
    let last = grid.side() - 1;
    let (mut x_min, mut y_min) = grid.cell_of(b.min_lon, b.max_lat);
    let (mut x_max, mut y_max) = grid.cell_of(b.max_lon, b.min_lat);
    let [west, _, _, north] = grid.cell_box(x_min, y_min);
    if west < b.min_lon {
        x_min += 1;
    }
    if north > b.max_lat || (y_min == 0 && b.max_lat < 90.0) {
        y_min += 1;
    }
    let [_, south, east, _] = grid.cell_box(x_max, y_max);
    if east > b.max_lon {
        x_max = x_max.checked_sub(1)?;
    }
    if south < b.min_lat || (y_max == last && b.min_lat > -90.0) {
        y_max = y_max.checked_sub(1)?;
    }
    (x_min <= x_max && y_min <= y_max).then_some(CellRange {
        x_min,
        x_max,
        y_min,
        y_max,
    })
}

/// The parts of a box outside its inner cells, each closed, so that every event that meets
/// the box but lies in no inner cell meets one of them.
fn strips(grid: Grid, b: &Bbox) -> Vec<Bbox> {
    let Some(inner) = inner_cells(grid, b) else {
        return vec![*b];
    };
    let [w, _, _, n] = grid.cell_box(inner.x_min, inner.y_min);
    let [_, s, e, _] = grid.cell_box(inner.x_max, inner.y_max);
    let (n, s) = (n.min(b.max_lat), s.max(b.min_lat));
    vec![
        Bbox::from([b.min_lon, b.min_lat, w, b.max_lat]),
        Bbox::from([e, b.min_lat, b.max_lon, b.max_lat]),
        Bbox::from([w, b.min_lat, e, s]),
        Bbox::from([w, n, e, b.max_lat]),
    ]
}

/// Cells merged by position.
fn merge(cells: impl Iterator<Item = Cell>) -> Vec<Cell> {
    let mut by_place: HashMap<(u32, u32), Cell> = HashMap::new();
    for cell in cells {
        merge_cell(&mut by_place, cell);
    }
    by_place.into_values().collect()
}

/// Gives the cells that hold few events but not all of them (summed) their events, read by
/// the ids the spatial index finds in their boxes.
fn with_few_events(
    pipeline: &Pipeline,
    query: &EventQuery,
    grid: Grid,
    mut cells: Vec<Cell>,
) -> Result<Vec<Cell>, ApiError> {
    let wanting: Vec<usize> = (0..cells.len())
        .filter(|&i| cells[i].count <= FEW && cells[i].events.len() as u64 != cells[i].count)
        .collect();
    let mut ids = Vec::new();
    for &i in &wanting {
        let cell = Bbox::from(grid.cell_box(cells[i].x, cells[i].y));
        ids.extend(pipeline.locate(Place::Within(Area::Bbox(cell)))?);
    }
    if ids.is_empty() {
        return Ok(cells);
    }
    ids.sort_unstable();
    ids.dedup();
    let mut read: HashMap<(u32, u32), Cell> = pipeline
        .store()
        .event_cells(&query.filter, Some(&ids), grid)?
        .into_iter()
        .map(|c| ((c.x, c.y), c))
        .collect();
    for i in wanting {
        // A cell along the box's edge may hold events outside the box too: its events are
        // given only when they are exactly the ones counted.
        match read.remove(&(cells[i].x, cells[i].y)) {
            Some(found) if found.count == cells[i].count => cells[i].events = found.events,
            _ => cells[i].events.clear(),
        }
    }
    Ok(cells)
}

/// The answer: cells as clusters, the largest first.
fn clusters(
    zoom: f64,
    grid: Grid,
    cells: Vec<Cell>,
    points_max: u64,
) -> Result<Clusters, ApiError> {
    let mut clusters = cells
        .into_iter()
        .filter(|c| c.count > 0)
        .map(|c| cluster(grid, c))
        .collect::<Result<Vec<_>, _>>()?;
    clusters.sort_by(|a, b| b.count.cmp(&a.count).then(a.lon.total_cmp(&b.lon)));
    Ok(Clusters {
        zoom,
        level: grid.level,
        cell_px: 256.0 * zoom.exp2() / f64::from(grid.side()),
        total: clusters.iter().map(|c| c.count).sum(),
        points_max,
        clusters,
    })
}

/// One cell as a cluster.
fn cluster(grid: Grid, cell: Cell) -> Result<Cluster, ApiError> {
    let count = cell.count as f64;
    let events = cell
        .events
        .into_iter()
        .map(|row| {
            event_feature(row)
                .map_err(ApiError::internal)?
                .to_feature()
                .map_err(ApiError::internal)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Cluster {
        lon: cell.sum_lon / count,
        lat: cell.sum_lat / count,
        count: cell.count,
        types: cell.types,
        first: cell.first.map(|d| d.to_string()),
        last: cell.last.map(|d| d.to_string()),
        cell: grid.cell_box(cell.x, cell.y),
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_cells_lie_inside_and_strips_cover_the_rest() {
        let grid = Grid { level: 4 };
        let world = Bbox::from([-180.0, -90.0, 180.0, 90.0]);
        assert_eq!(inner_cells(grid, &world), Some(grid.everything()));
        let caucasus = Bbox::from([40.0, 35.0, 60.0, 45.0]);
        let inner = inner_cells(grid, &caucasus);
        // 22.5 degrees a column: only the column 45..67.5 would fit a box 40..60 wide, and it
        // does not: nothing is wholly inside.
        assert_eq!(inner, None);
        assert_eq!(strips(grid, &caucasus), vec![caucasus]);
        let europe = Bbox::from([-30.0, 20.0, 70.0, 75.0]);
        let inner = inner_cells(grid, &europe).expect("cells inside");
        let [w, _, _, n] = grid.cell_box(inner.x_min, inner.y_min);
        let [_, s, e, _] = grid.cell_box(inner.x_max, inner.y_max);
        assert!(w >= -30.0 && e <= 70.0 && s >= 20.0 && n <= 75.0);
        assert_eq!((w, e), (-22.5, 67.5));
        let north = Bbox::from([-180.0, 0.0, 180.0, 89.0]);
        assert_eq!(inner_cells(grid, &north).map(|r| r.y_min), Some(1));
    }
}
