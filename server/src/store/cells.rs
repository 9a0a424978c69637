//! Events binned on a Web Mercator grid, the store's side of `/api/clusters`: the grid
//! ([`Grid`]), a rectangle of its cells ([`CellRange`]), one cell's sums ([`Cell`]), and the
//! binning of scanned rows that every store can do ([`bin_events`], the default of
//! [`super::Store::event_cells`]).
//!
//! A grid of level `g` has `2^g` cells a side over the world as Web Mercator draws it (latitudes
//! beyond ±85.0511° fall in the first or last row). Levels nest: the cell of level `g - 1`
//! holding a point is the cell of level `g` shifted right by one bit. Up to
//! [`TABLE_LEVEL`], rows are found in a table of their south edges ([`mercator_souths`]), the
//! same numbers the SQLite store keeps, so that both bin a point alike to the last bit.

use super::{EventFilter, EventId, EventRow, Result, Store};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::f64::consts::PI;
use std::ops::ControlFlow;
use std::sync::LazyLock;

/// The finest level whose rows come from the table of south edges.
pub const TABLE_LEVEL: u8 = 8;

/// The finest level a grid may have (zoom 20 and a bit).
pub const MAX_LEVEL: u8 = 24;

/// A cell holding at most this many events carries them, so that the map can draw them.
pub const FEW: u64 = 3;

/// Web Mercator's northernmost latitude: the world is a square.
pub const MAX_MERCATOR_LAT: f64 = 85.051_128_779_806_59;

/// The coarsest level whose sums a store keeps (the finest is [`TABLE_LEVEL`]).
pub const FIRST_SUMMED_LEVEL: u8 = 2;

/// The `day` of the sums that stands for an undated event.
pub const UNDATED_DAY: i64 = -2_147_483_648;

/// The sums are also kept per span of `2^SPAN_BITS` days (`span = day >> SPAN_BITS`), so that a
/// view over years reads a few rows a cell and type rather than one a day.
pub const SPAN_BITS: u32 = 5;

/// One query of the sums for a filter's days: spans read whole, or days one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumPart {
    /// The spans `first..=last` (`i64::MIN..=i64::MAX`: every span, the undated events' too).
    Spans(i64, i64),
    /// The days `first..=last`.
    Days(i64, i64),
}

/// The parts of the sums that answer the days from `from` to `to` (either open): the spans
/// they hold whole and the days of the spans they cut. With neither, every span, undated
/// events included; with either, the dated events only.
pub fn sum_parts(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<SumPart> {
    if from.is_none() && to.is_none() {
        return vec![SumPart::Spans(i64::MIN, i64::MAX)];
    }
    let span_of = |day: i64| day >> SPAN_BITS;
    let start_of = |span: i64| span << SPAN_BITS;
    // Open ends reach past every dated span, and never the undated one.
    let first_day = from.map_or(start_of(span_of(UNDATED_DAY) + 1), day_number);
    let last_day = to.map_or(i64::from(i32::MAX), day_number);
    let first_span = span_of(first_day + (1 << SPAN_BITS) - 1);
    let last_span = span_of(last_day + 1) - 1;
    if first_span > last_span {
        return vec![SumPart::Days(first_day, last_day)];
    }
    let mut parts = vec![SumPart::Spans(first_span, last_span)];
    if first_day < start_of(first_span) {
        parts.push(SumPart::Days(first_day, start_of(first_span) - 1));
    }
    if last_day >= start_of(last_span + 1) {
        parts.push(SumPart::Days(start_of(last_span + 1), last_day));
    }
    parts
}

/// Whether the sums the stores keep answer `filter` on `grid`: a level they sum, and a filter on
/// types and days only.
pub fn sums_answer(filter: &EventFilter, grid: Grid) -> bool {
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
        statuses,
        include_deleted,
        within,
    } = filter;
    (FIRST_SUMMED_LEVEL..=TABLE_LEVEL).contains(&grid.level)
        && country.is_none()
        && actor.is_none()
        && q.is_none()
        && min_confidence.is_none()
        && max_geo_precision.is_none_or(|p| p >= 3)
        && document.is_none()
        && source.is_none()
        && statuses.is_empty()
        && !include_deleted
        && within.is_none()
}

/// One row of a query of the sums: a cell's count and sums for one event type, and its first
/// and last `day` (undated left out).
#[derive(Debug, Clone, PartialEq)]
pub struct SummedRow {
    /// The cell's column.
    pub x: u32,
    /// The cell's row.
    pub y: u32,
    /// The event type.
    pub event_type: String,
    /// How many events.
    pub count: i64,
    /// The sum of their longitudes.
    pub sum_lon: f64,
    /// The sum of their latitudes.
    pub sum_lat: f64,
    /// The first dated day, as the `day` column counts.
    pub first: Option<i64>,
    /// The last dated day.
    pub last: Option<i64>,
}

/// Adds a row of sums to the cells it belongs to.
pub fn add_sum(cells: &mut HashMap<(u32, u32), Cell>, sum: SummedRow) {
    let count = u64::try_from(sum.count).unwrap_or(0);
    let part = Cell {
        x: sum.x,
        y: sum.y,
        count,
        sum_lon: sum.sum_lon,
        sum_lat: sum.sum_lat,
        types: [(sum.event_type, count)].into(),
        first: sum.first.and_then(day_of_number),
        last: sum.last.and_then(day_of_number),
        events: Vec::new(),
    };
    merge_cell(cells, part);
}

/// Adds a part of a cell to the cells by position: merged into the cell there, or the first.
pub fn merge_cell(cells: &mut HashMap<(u32, u32), Cell>, part: Cell) {
    match cells.entry((part.x, part.y)) {
        std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().merge(part),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(part);
        }
    }
}

/// The grid of a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// `2^level` cells a side.
    pub level: u8,
}

/// The cells `x_min..=x_max` by `y_min..=y_max` of a grid (x from the antimeridian eastwards,
/// y from the north southwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRange {
    /// Westernmost column.
    pub x_min: u32,
    /// Easternmost column.
    pub x_max: u32,
    /// Northernmost row.
    pub y_min: u32,
    /// Southernmost row.
    pub y_max: u32,
}

impl CellRange {
    /// Whether the cell `(x, y)` is in the range.
    pub fn holds(&self, x: u32, y: u32) -> bool {
        (self.x_min..=self.x_max).contains(&x) && (self.y_min..=self.y_max).contains(&y)
    }
}

/// The sums of one cell's events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Its column.
    pub x: u32,
    /// Its row.
    pub y: u32,
    /// How many events.
    pub count: u64,
    /// The sum of their longitudes (the centre of each one's box, as [`vocab::EventRow::lon`]).
    pub sum_lon: f64,
    /// The sum of their latitudes.
    pub sum_lat: f64,
    /// How many of each type.
    pub types: BTreeMap<String, u64>,
    /// The first day of a dated event.
    pub first: Option<NaiveDate>,
    /// The last day of a dated event.
    pub last: Option<NaiveDate>,
    /// Its events when it holds at most [`FEW`] and they were read; empty otherwise.
    pub events: Vec<EventRow>,
}

impl Cell {
    /// Adds another part of the same cell (same column and row).
    pub fn merge(&mut self, other: Cell) {
        self.count += other.count;
        self.sum_lon += other.sum_lon;
        self.sum_lat += other.sum_lat;
        for (t, n) in other.types {
            *self.types.entry(t).or_default() += n;
        }
        self.first = min_day(self.first, other.first);
        self.last = self.last.max(other.last);
        self.events.extend(other.events);
        if self.count > FEW {
            self.events.clear();
        }
    }

    /// Adds one event.
    fn add(&mut self, row: EventRow) {
        let fields = &row.fields;
        let day = fields.date.as_deref().and_then(row_day);
        let one = Cell {
            x: self.x,
            y: self.y,
            count: 1,
            sum_lon: fields.lon,
            sum_lat: fields.lat,
            types: BTreeMap::from([(fields.event_type.clone(), 1)]),
            first: day,
            last: day,
            events: vec![row],
        };
        self.merge(one);
    }
}

/// The earlier of two days, either of which may be missing.
fn min_day(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The day of a row's date (`YYYY-MM-DD`, maybe followed by more).
fn row_day(date: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()
}

/// A day as the store's `day` column counts it (days from 0001-12-31).
pub fn day_number(day: NaiveDate) -> i64 {
    i64::from(day.num_days_from_ce())
}

/// The day of a `day` column's number.
pub fn day_of_number(n: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(n).ok()?)
}

/// The Web Mercator y of a latitude, from 0 at the north edge to 1 at the south edge.
fn mercator_y(lat: f64) -> f64 {
    let phi = lat.clamp(-MAX_MERCATOR_LAT, MAX_MERCATOR_LAT).to_radians();
    (1.0 - (phi.tan() + 1.0 / phi.cos()).ln() / PI) / 2.0
}

/// The latitude of a Web Mercator y (0 north, 1 south).
fn mercator_lat(y: f64) -> f64 {
    (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees()
}

/// The south edges of the rows of level [`TABLE_LEVEL`], north to south: the numbers the
/// SQLite store's table `mercator_rows` holds (its migration lists them; a test compares).
pub fn mercator_souths() -> &'static [f64] {
    static SOUTHS: LazyLock<Vec<f64>> = LazyLock::new(|| {
        let n = 1u32 << TABLE_LEVEL;
        (1..=n)
            .map(|y| mercator_lat(f64::from(y) / f64::from(n)))
            .collect()
    });
    &SOUTHS
}

impl Grid {
    /// The grid whose cells measure about 64 to 90 pixels a side at a zoom (256-pixel tiles):
    /// `2^(zoom + 2)` cells a side, 64 pixels at a whole zoom.
    pub fn for_zoom(zoom: f64) -> Self {
        let level = (zoom.round() + 2.0).clamp(0.0, f64::from(MAX_LEVEL));
        Self { level: level as u8 }
    }

    /// Cells a side.
    pub fn side(&self) -> u32 {
        1 << self.level
    }

    /// The cell holding a point.
    pub fn cell_of(&self, lon: f64, lat: f64) -> (u32, u32) {
        if self.level <= TABLE_LEVEL {
            let shift = TABLE_LEVEL - self.level;
            let (x, y) = table_cell(lon, lat);
            return (x >> shift, y >> shift);
        }
        let side = f64::from(self.side());
        let last = self.side() - 1;
        let x = ((lon + 180.0) / 360.0 * side).floor().max(0.0) as u32;
        let y = (mercator_y(lat) * side).floor().max(0.0) as u32;
        (x.min(last), y.min(last))
    }

    /// A cell's box, `[west, south, east, north]`.
    pub fn cell_box(&self, x: u32, y: u32) -> [f64; 4] {
        let side = f64::from(self.side());
        let lon = |x: u32| f64::from(x) / side * 360.0 - 180.0;
        let lat = |y: u32| mercator_lat(f64::from(y) / side);
        [lon(x), lat(y + 1), lon(x + 1), lat(y)]
    }

    /// The whole grid.
    pub fn everything(&self) -> CellRange {
        CellRange {
            x_min: 0,
            x_max: self.side() - 1,
            y_min: 0,
            y_max: self.side() - 1,
        }
    }
}

/// The cell of level [`TABLE_LEVEL`] holding a point, as the SQLite store computes it: the
/// column from the longitude, the row by counting the south edges north of the latitude.
fn table_cell(lon: f64, lat: f64) -> (u32, u32) {
    let side = 1u32 << TABLE_LEVEL;
    let x = ((lon + 180.0) / 360.0 * f64::from(side)) as i64;
    let x = x.clamp(0, i64::from(side) - 1) as u32;
    let y = mercator_souths().partition_point(|&south| south > lat) as u32;
    (x, y.min(side - 1))
}

/// Bins the events that pass `filter` (among `ids` when given) on `grid`, reading each one:
/// what every store can do, and what [`Store::event_cells`] does unless a store knows better.
pub fn bin_events<S: Store + ?Sized>(
    store: &S,
    filter: &EventFilter,
    ids: Option<&[EventId]>,
    grid: Grid,
) -> Result<Vec<Cell>> {
    let mut cells: HashMap<(u32, u32), Cell> = HashMap::new();
    store.scan_events(filter, ids, None, None, &mut |row| {
        let (x, y) = grid.cell_of(row.fields.lon, row.fields.lat);
        cells
            .entry((x, y))
            .or_insert_with(|| Cell {
                x,
                y,
                ..Cell::default()
            })
            .add(row);
        ControlFlow::Continue(())
    })?;
    Ok(cells.into_values().collect())
}

/// One event as a store reads it to bin it: its id, the centre of its box, its type and its
/// `day` (`None` undated).
#[derive(Debug, Clone, PartialEq)]
pub struct BinnedPoint {
    /// The event's id.
    pub id: EventId,
    /// The centre's longitude (across the antimeridian, as [`vocab::EventRow::lon`]).
    pub lon: f64,
    /// The centre's latitude.
    pub lat: f64,
    /// The event's type.
    pub event_type: String,
    /// Its day, as the `day` column counts it.
    pub day: Option<i64>,
}

/// Cells built one point at a time from a few columns of each event (no whole rows read),
/// with the ids of the first events of each cell, so that the cells holding at most [`FEW`]
/// can be given their events afterwards ([`with_rows_of_few`]).
#[derive(Debug)]
pub struct PointBins {
    grid: Grid,
    cells: HashMap<(u32, u32), Cell>,
    ids: HashMap<(u32, u32), Vec<EventId>>,
}

impl PointBins {
    /// No cells yet, on `grid`.
    pub fn new(grid: Grid) -> Self {
        Self {
            grid,
            cells: HashMap::new(),
            ids: HashMap::new(),
        }
    }

    /// Adds one event.
    pub fn add(&mut self, point: BinnedPoint) {
        let (x, y) = self.grid.cell_of(point.lon, point.lat);
        let ids = self.ids.entry((x, y)).or_default();
        if ids.len() as u64 <= FEW {
            ids.push(point.id);
        }
        add_sum(
            &mut self.cells,
            SummedRow {
                x,
                y,
                event_type: point.event_type,
                count: 1,
                sum_lon: point.lon,
                sum_lat: point.lat,
                first: point.day,
                last: point.day,
            },
        );
    }

    /// The cells, and the ids of the events of those holding at most [`FEW`], in order.
    pub fn finish(mut self) -> (Vec<Cell>, Vec<EventId>) {
        let mut few: Vec<EventId> = (self.cells.values())
            .filter(|c| c.count <= FEW)
            .flat_map(|c| self.ids.remove(&(c.x, c.y)).unwrap_or_default())
            .collect();
        few.sort_unstable();
        (self.cells.into_values().collect(), few)
    }
}

/// Gives the cells their events, read from `store` by `few` (the ids of the events of the
/// cells holding at most [`FEW`], in order).
pub fn with_rows_of_few<S: Store + ?Sized>(
    store: &S,
    filter: &EventFilter,
    grid: Grid,
    mut cells: Vec<Cell>,
    few: &[EventId],
) -> Result<Vec<Cell>> {
    if few.is_empty() {
        return Ok(cells);
    }
    let mut rows: HashMap<(u32, u32), Vec<EventRow>> = HashMap::new();
    store.scan_events(filter, Some(few), None, None, &mut |row| {
        let at = grid.cell_of(row.fields.lon, row.fields.lat);
        rows.entry(at).or_default().push(row);
        ControlFlow::Continue(())
    })?;
    for cell in &mut cells {
        if let Some(events) = rows.remove(&(cell.x, cell.y)) {
            cell.events = events;
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_nest_and_rows_follow_mercator() {
        // Stepanakert, 46.75 E 39.82 N.
        let (lon, lat) = (46.75, 39.82);
        let fine = Grid { level: 12 };
        for level in 0..=11 {
            let (x, y) = Grid { level }.cell_of(lon, lat);
            let (fx, fy) = fine.cell_of(lon, lat);
            assert_eq!(
                (x, y),
                (fx >> (12 - level), fy >> (12 - level)),
                "level {level}"
            );
            let [w, s, e, n] = Grid { level }.cell_box(x, y);
            assert!(
                w <= lon && lon <= e && s <= lat && lat <= n,
                "level {level}"
            );
        }
        assert_eq!(Grid { level: 1 }.cell_of(46.75, 39.82), (1, 0));
        assert_eq!(Grid { level: 1 }.cell_of(-70.0, -33.0), (0, 1));
        assert_eq!(Grid { level: 3 }.cell_of(180.0, 90.0), (7, 0));
        assert_eq!(Grid { level: 3 }.cell_of(-180.0, -90.0), (0, 7));
    }

    #[test]
    fn days_split_into_whole_spans_and_cut_ones() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let number = |d: Option<NaiveDate>| day_number(d.expect("a day"));
        let every = vec![SumPart::Spans(i64::MIN, i64::MAX)];
        assert_eq!(sum_parts(None, None), every);
        let (from, to) = (day(2020, 9, 27), day(2022, 2, 24));
        let (a, b) = (number(from), number(to));
        // The spans and the cut days cover the range once, nothing outside it.
        let mut covered: Vec<(i64, i64)> = sum_parts(from, to)
            .into_iter()
            .map(|part| match part {
                SumPart::Spans(f, l) => (f << SPAN_BITS, ((l + 1) << SPAN_BITS) - 1),
                SumPart::Days(f, l) => (f, l),
            })
            .collect();
        assert_eq!(covered.len(), 3);
        covered.sort_unstable();
        assert_eq!(covered.first().map(|r| r.0), Some(a));
        assert_eq!(covered.last().map(|r| r.1), Some(b));
        assert!(covered.windows(2).all(|w| w[0].1 + 1 == w[1].0));
        // A few days inside one span read days only; an open end reads whole spans to the end
        // of time, never the undated span.
        let (c, d) = (day(2020, 10, 1), day(2020, 10, 3));
        let short = vec![SumPart::Days(number(c), number(d))];
        assert_eq!(sum_parts(c, d), short);
        let before = sum_parts(None, to);
        assert!(matches!(before[0], SumPart::Spans(f, _) if f == (UNDATED_DAY >> SPAN_BITS) + 1));
        assert_eq!(before.len(), 2);
        let after = sum_parts(from, None);
        assert!(matches!(after[0], SumPart::Spans(f, l) if f << SPAN_BITS >= a && l > f));
    }

    #[test]
    fn zoom_picks_cells_of_about_64_pixels() {
        assert_eq!(Grid::for_zoom(0.0).level, 2);
        assert_eq!(Grid::for_zoom(2.4).level, 4);
        assert_eq!(Grid::for_zoom(5.6).level, 8);
        assert_eq!(Grid::for_zoom(40.0).level, MAX_LEVEL);
        assert_eq!(Grid::for_zoom(-3.0).level, 0);
    }

    #[test]
    fn merging_keeps_few_events_only() {
        let row = |id: i64, day: &str| EventRow {
            fields: serde_json::from_value(serde_json::json!({
                "id": id, "event_type": "battles", "date": day,
                "confidence": 0.9, "lon": 1.0, "lat": 2.0,
            }))
            .expect("a row"),
            geometry: String::new(),
            data: String::new(),
            sources: Vec::new(),
        };
        let mut cell = Cell::default();
        cell.add(row(1, "2020-10-02"));
        cell.add(row(2, "2020-09-27"));
        assert_eq!(cell.events.len(), 2);
        assert_eq!(cell.first, NaiveDate::from_ymd_opt(2020, 9, 27));
        assert_eq!(cell.last, NaiveDate::from_ymd_opt(2020, 10, 2));
        cell.add(row(3, "2020-10-01"));
        cell.add(row(4, "2020-10-01"));
        assert!(cell.events.is_empty());
        assert_eq!(cell.count, 4);
        assert_eq!(cell.types["battles"], 4);
    }
}
