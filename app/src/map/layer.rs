//! Drawing a frame on the canvas: the basemap (one cached `Path2D` per zoom level, moved and
//! scaled by the canvas transform), optional raster tiles, then the events — clusters with
//! counts, symbols by type, movements as lines with arrows, the selection on top — or, when the
//! view holds too many events to send, the server's clusters (`aggregates.rs`); or, by the
//! layer switch, their heatmap (`heat.rs`) or the divisions shaded by their sums
//! (`shading.rs`). Every copy of the world the view meets is drawn, so the map goes on across
//! the antimeridian.

use super::aggregates::{Aggregates, draw_aggregate};
use super::basemap::Basemap;
use super::heat::Heat;
use super::index::{Cluster, MapIndex, NO_CLUSTER_ZOOM};
use super::labels::{self, Candidate, Rank};
use super::mode::Layer;
use super::overlay::Overlay;
use super::palette::{LIGHT, Palette, palette};
use super::places::Places;
use super::projection::{Viewport, to_world, world_pixels};
use super::reference::References;
use super::shading::Shading;
use super::spider::{Spider, leg_offsets};
use super::tiles::TileLayer;
use crate::model::{MapEvent, Symbol, TypeStyle, type_style};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Path2d};

/// Highest zoom a basemap path is made for; closer zooms scale that one up.
const MAX_PATH_ZOOM: i32 = 10;

/// Radius of one event's symbol, in CSS pixels.
pub const SYMBOL_R: f64 = 6.0;

/// The outline of an event a person corrected or verified.
pub const TRUST_INK: &str = "#1d232a";

/// The grey of the legends' marks that stand for an event of any type (its trust, its place).
pub const UNCHECKED_GREY: &str = "#8c8c8c";

/// Opacity of the shading of the divisions, so that the water and borders still read.
const SHADE_ALPHA: f64 = 0.8;

/// The paths of the overlay at one zoom: rivers, lakes and admin-1 outlines.
struct OverlayPaths {
    rivers: Path2d,
    lakes: Path2d,
    admin1: Path2d,
    /// Each division's rings, by its code, for shading.
    divisions: Vec<(String, Path2d)>,
    /// How many rivers, lakes and admin-1 rings the paths hold.
    counts: [usize; 3],
}

/// A path of lines (closed as rings when `closed`) in pixels of a zoom.
fn path_of(lines: &[Vec<[f64; 2]>], closed: bool) -> Option<Path2d> {
    let path = Path2d::new().ok()?;
    for line in lines {
        if let Some((first, rest)) = line.split_first() {
            path.move_to(first[0], first[1]);
            for p in rest {
                path.line_to(p[0], p[1]);
            }
            if closed {
                path.close_path();
            }
        }
    }
    Some(path)
}

/// What a point on the canvas hits.
#[derive(Debug, Clone, PartialEq)]
pub enum Hit {
    /// One event, by its index in the dataset.
    Event(usize),
    /// A cluster: its events and its world position.
    Cluster(Vec<usize>, [f64; 2]),
    /// A cluster of the server: its cell in world units (`[north-west, south-east]`) and its
    /// count.
    Area([[f64; 2]; 2], u64),
}

/// What one frame shows.
#[derive(Debug, Clone, Copy)]
pub struct Scene<'a> {
    /// The view.
    pub view: &'a Viewport,
    /// Every event the server sent.
    pub events: &'a [MapEvent],
    /// Those within the time range.
    pub index: &'a MapIndex,
    /// The selected event.
    pub selected: Option<usize>,
    /// The event or cluster under the pointer.
    pub hovered: Option<&'a Hit>,
    /// Whether the raster tile layer is on.
    pub tiles: bool,
    /// Where the cluster whose events the list shows is, in world units.
    pub picked: Option<[f64; 2]>,
    /// The server's clusters, drawn instead of the events when the view holds too many.
    pub aggregates: Option<&'a Aggregates>,
    /// What the map draws of the events.
    pub layer: Layer,
    /// The divisions' shading, when the layer shades them and it has arrived.
    pub shading: Option<&'a Shading>,
    /// The reference layers to draw under the events, by id.
    pub references: &'a [i64],
    /// Whether the page is in dark mode.
    pub dark: bool,
}

/// A world point on the screen in the copy `k` of the world.
fn screen_in(v: &Viewport, [x, y]: [f64; 2], k: i64) -> [f64; 2] {
    v.to_screen([x + k as f64, y])
}

/// Whether a screen point is on the canvas or within `margin` pixels of it.
fn on_screen(v: &Viewport, [x, y]: [f64; 2], margin: f64) -> bool {
    x >= -margin && y >= -margin && x <= v.width + margin && y <= v.height + margin
}

/// A server cluster as drawn: its cell in world units, its count, its screen point and radius.
type DrawnArea = ([[f64; 2]; 2], u64, [f64; 2], f64);

/// Draws frames and remembers what it drew, for hit-testing clusters.
pub struct Painter {
    ctx: CanvasRenderingContext2d,
    small: Option<Basemap>,
    large: Option<Basemap>,
    paths: HashMap<i32, Path2d>,
    clusters: Option<Arc<Vec<Cluster>>>,
    marks: Vec<(usize, [f64; 2], f64)>,
    /// The server's clusters drawn, for hit-testing.
    areas: Vec<DrawnArea>,
    tiles: Option<TileLayer>,
    /// The towns and cities loaded so far.
    places: Places,
    /// Widths of the names measured so far, by font and text.
    widths: RefCell<HashMap<(&'static str, String), f64>>,
    /// The names the last frame wrote, in the order they were placed.
    named: Vec<String>,
    /// Water and first-level divisions.
    overlay: Overlay,
    overlay_paths: HashMap<i32, Rc<OverlayPaths>>,
    /// The events fanned out around their spot, if any.
    spider: Option<Spider>,
    /// Where the last frame drew each fanned-out event, for hit-testing.
    spider_marks: Vec<(usize, [f64; 2])>,
    /// A canvas off the page on which the heatmap is made before it is scaled onto the map.
    scratch: Option<HtmlCanvasElement>,
    /// How many divisions the last frame shaded (for the browser tests).
    shaded: usize,
    /// How many cells of the heatmap the last frame coloured (for the browser tests).
    heated: usize,
    /// The reference layers users added.
    references: References,
    /// How many parts of reference layers the last frame drew (for the browser tests).
    referenced: usize,
    /// The basemap's colours of the last frame.
    palette: &'static Palette,
}

impl Painter {
    /// A painter for a canvas' 2D context.
    pub fn new(ctx: CanvasRenderingContext2d) -> Self {
        Self {
            ctx,
            small: None,
            large: None,
            paths: HashMap::new(),
            clusters: None,
            marks: Vec::new(),
            areas: Vec::new(),
            tiles: None,
            places: Places::default(),
            widths: RefCell::default(),
            named: Vec::new(),
            overlay: Overlay::default(),
            overlay_paths: HashMap::new(),
            spider: None,
            spider_marks: Vec::new(),
            scratch: None,
            shaded: 0,
            heated: 0,
            references: References::default(),
            referenced: 0,
            palette: &LIGHT,
        }
    }

    /// The reference layers, to add to as they arrive.
    pub fn references_mut(&mut self) -> &mut References {
        &mut self.references
    }

    /// How many parts of reference layers the last frame drew (for the browser tests).
    pub fn referenced(&self) -> usize {
        self.referenced
    }

    /// How many cells of the heatmap the last frame coloured (for the browser tests).
    pub fn heated(&self) -> usize {
        self.heated
    }

    /// How many divisions the last frame shaded (for the browser tests).
    pub fn shaded(&self) -> usize {
        self.shaded
    }

    /// Fans events out around their spot, or folds them back (`None`).
    pub fn set_spider(&mut self, spider: Option<Spider>) {
        self.spider = spider;
        self.spider_marks.clear();
    }

    /// The events fanned out, if any.
    pub fn spider(&self) -> Option<&Spider> {
        self.spider.as_ref()
    }

    /// Where the last frame drew each fanned-out event (screen points, for the browser tests).
    pub fn spider_marks(&self) -> &[(usize, [f64; 2])] {
        &self.spider_marks
    }

    /// The water and admin-1 outlines, to add to as their files arrive.
    pub fn overlay_mut(&mut self) -> &mut Overlay {
        self.overlay_paths.clear();
        &mut self.overlay
    }

    fn overlay_paths(&mut self, zoom: i32) -> Option<Rc<OverlayPaths>> {
        if let Some(p) = self.overlay_paths.get(&zoom) {
            return Some(p.clone());
        }
        let lines = self.overlay.lines_at(zoom);
        let paths = Rc::new(OverlayPaths {
            rivers: path_of(&lines.rivers, false)?,
            lakes: path_of(&lines.lakes, true)?,
            admin1: path_of(&lines.admin1, true)?,
            divisions: lines
                .divisions
                .iter()
                .filter_map(|(code, rings)| Some((code.clone(), path_of(rings, true)?)))
                .collect(),
            counts: [lines.rivers.len(), lines.lakes.len(), lines.admin1.len()],
        });
        self.overlay_paths.insert(zoom, paths.clone());
        Some(paths)
    }

    /// How many rivers, lakes and admin-1 rings a zoom draws, once its paths are made (for
    /// the browser tests).
    pub fn overlay_counts(&self, zoom: f64) -> [usize; 3] {
        let zoom = (zoom.floor() as i32).clamp(0, MAX_PATH_ZOOM);
        self.overlay_paths.get(&zoom).map_or([0; 3], |p| p.counts)
    }

    /// The names the last frame wrote, in the order they were placed (for the browser tests).
    pub fn named(&self) -> &[String] {
        &self.named
    }

    /// The towns and cities, to add to as their files arrive.
    pub fn places_mut(&mut self) -> &mut Places {
        &mut self.places
    }

    /// Takes the raster tile layer, drawn when a scene asks for tiles.
    pub fn set_tiles(&mut self, tiles: TileLayer) {
        self.tiles = Some(tiles);
    }

    /// Takes a basemap: `large` is the detailed one for closer zooms.
    pub fn set_basemap(&mut self, map: Basemap, large: bool) {
        if large {
            self.large = Some(map);
        } else {
            self.small = Some(map);
        }
        self.paths.clear();
    }

    /// Whether a basemap has arrived.
    pub fn has_basemap(&self) -> bool {
        self.small.is_some() || self.large.is_some()
    }

    fn basemap_for(&self, zoom: i32) -> Option<&Basemap> {
        if zoom <= 3 {
            self.small.as_ref().or(self.large.as_ref())
        } else {
            self.large.as_ref().or(self.small.as_ref())
        }
    }

    fn path(&mut self, zoom: i32) -> Option<Path2d> {
        if let Some(p) = self.paths.get(&zoom) {
            return Some(p.clone());
        }
        let path = path_of(&self.basemap_for(zoom)?.rings_at(zoom), true)?;
        self.paths.insert(zoom, path.clone());
        Some(path)
    }

    /// Draws a frame at a device pixel ratio.
    pub fn draw(&mut self, scene: &Scene<'_>, dpr: f64) {
        let ctx = self.ctx.clone();
        let v = scene.view;
        self.palette = palette(scene.dark);
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        ctx.set_fill_style_str(self.palette.sea);
        ctx.fill_rect(0.0, 0.0, v.width, v.height);
        self.draw_basemap(v, dpr, scene.shading);
        let tiles = match self.tiles.as_mut().filter(|_| scene.tiles) {
            Some(layer) => {
                layer.draw(&ctx, v, dpr);
                true
            }
            None => false,
        };
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        self.referenced = self
            .references
            .draw(&ctx, v, scene.references, self.palette);
        self.named.clear();
        if !tiles {
            self.draw_labels(scene);
        }
        self.draw_events(scene);
    }

    fn draw_basemap(&mut self, v: &Viewport, dpr: f64, shading: Option<&Shading>) {
        let zoom = (v.zoom.floor() as i32).clamp(0, MAX_PATH_ZOOM);
        self.shaded = 0;
        let Some(path) = self.path(zoom) else { return };
        let overlay = self.overlay_paths(zoom);
        let extent = self.basemap_for(zoom).map_or([0.0, 1.0], |map| map.extent);
        let s = v.scale();
        let k = s / world_pixels(f64::from(zoom));
        let ctx = &self.ctx;
        let pal = self.palette;
        let mut shaded = 0;
        for copy in v.copies_of(extent[0], extent[1]) {
            let _ = ctx.set_transform(
                dpr * k,
                0.0,
                0.0,
                dpr * k,
                dpr * (v.width / 2.0 - (v.centre[0] - copy as f64) * s),
                dpr * (v.height / 2.0 - v.centre[1] * s),
            );
            ctx.set_fill_style_str(pal.land);
            ctx.fill_with_path_2d(&path);
            if let (Some(o), Some(shading)) = (&overlay, shading) {
                shaded = shade_divisions(ctx, o, shading);
            }
            if let Some(o) = &overlay {
                draw_overlay(ctx, o, k, pal);
            }
            ctx.set_stroke_style_str(pal.border);
            ctx.set_line_width(0.8 / k);
            ctx.set_line_join("round");
            ctx.stroke_with_path(&path);
        }
        self.shaded = shaded;
    }

    /// Names the countries, capitals, towns and cities of the view without collisions, the
    /// places of the events in view first; drawn under the events, which no name hides.
    fn draw_labels(&mut self, scene: &Scene<'_>) {
        let v = scene.view;
        if v.zoom < 2.0 {
            return;
        }
        let index = scene.index;
        let reach = (SYMBOL_R + 2.0) / v.scale();
        let near_event = |w: [f64; 2]| index.nearest(w, reach).is_some();
        let mut candidates = labels::place_candidates(&self.places, v, &near_event);
        if let Some(map) = self.small.as_ref().or(self.large.as_ref()) {
            let [lo, hi] = v.world_box();
            for k in v.copies() {
                let shift = k as f64;
                let view_box = [[lo[0] - shift, lo[1]], [hi[0] - shift, hi[1]]];
                for c in &map.countries {
                    if let Some(at) = c.anchor_in(view_box) {
                        candidates.push(Candidate {
                            text: &c.name,
                            at: v.to_screen([at[0] + shift, at[1]]),
                            rank: Rank::Country,
                            population: 0,
                        });
                    }
                }
            }
        }
        candidates.extend(self.river_candidates(v));
        let placed = labels::place(candidates, |text, rank| self.text_width(text, rank));
        labels::draw(&self.ctx, &placed, self.palette);
        let named = placed.iter().map(|p| p.text.to_owned()).collect();
        self.named = named;
    }

    /// The names of the rivers in view, each at the middle of its line's part in the view when
    /// that part is long enough to hold it.
    fn river_candidates(&self, v: &Viewport) -> Vec<Candidate<'_>> {
        let mut out = Vec::new();
        for (name, line) in self.overlay.named_rivers(v.zoom) {
            let least = self.text_width(name, Rank::River) * 1.5;
            for k in v.copies() {
                let screen: Vec<[f64; 2]> = line
                    .coords()
                    .map(|c| v.to_screen([c.x + k as f64, c.y]))
                    .collect();
                if let Some(at) = labels::river_anchor(&screen, v.width, v.height, least) {
                    out.push(Candidate {
                        text: name,
                        at,
                        rank: Rank::River,
                        population: 0,
                    });
                }
            }
        }
        out
    }

    /// The width of a name in its rank's font, measured once.
    fn text_width(&self, text: &str, rank: Rank) -> f64 {
        let font = labels::font(rank);
        let key = (font, text.to_owned());
        if let Some(w) = self.widths.borrow().get(&key) {
            return *w;
        }
        self.ctx.set_font(font);
        let w = self
            .ctx
            .measure_text(text)
            .map_or(text.len() as f64 * 7.0, |m| m.width());
        self.widths.borrow_mut().insert(key, w);
        w
    }

    fn draw_events(&mut self, scene: &Scene<'_>) {
        let ctx = self.ctx.clone();
        self.marks.clear();
        self.areas.clear();
        self.heated = 0;
        if scene.layer != Layer::Events {
            self.clusters = None;
            if scene.layer == Layer::Heat {
                self.draw_heat(&ctx, scene);
            }
            self.draw_chosen(&ctx, scene);
            return;
        }
        if let Some(aggregates) = scene.aggregates {
            self.clusters = None;
            self.draw_aggregates(&ctx, scene.view, aggregates);
            return;
        }
        draw_lines(&ctx, scene);
        let zoom = scene.view.zoom.floor() as i32;
        if zoom < NO_CLUSTER_ZOOM {
            self.draw_clusters(&ctx, scene, zoom);
        } else {
            self.clusters = None;
            draw_points(&ctx, scene);
        }
        if let Some(at) = scene.picked {
            for k in scene.view.copies() {
                draw_picked(&ctx, screen_in(scene.view, at, k));
            }
        }
        self.draw_chosen(&ctx, scene);
    }

    /// Draws the hovered and the selected events over the rest, and the fanned-out ones.
    fn draw_chosen(&mut self, ctx: &CanvasRenderingContext2d, scene: &Scene<'_>) {
        let highlight = |i: usize, strong: bool| {
            let e = &scene.events[i];
            for k in scene.view.copies() {
                let [x, y] = screen_in(scene.view, scene.index.world(i), k);
                draw_symbol(ctx, e, x, y, strong);
            }
        };
        if let Some(Hit::Event(i)) = scene.hovered {
            highlight(*i, false);
        }
        if let Some(i) = scene.selected {
            highlight(i, true);
        }
        self.draw_spider(ctx, scene);
    }

    /// Draws the heatmap of the events in view: the server's clusters weighted by their
    /// counts, else the map's clusters of the zoom (each event from the zoom where they part).
    fn draw_heat(&mut self, ctx: &CanvasRenderingContext2d, scene: &Scene<'_>) {
        let v = scene.view;
        let mut heat = Heat::new(v.width, v.height);
        let zoom = v.zoom.floor() as i32;
        let clusters = match scene.aggregates {
            None if zoom < NO_CLUSTER_ZOOM => Some(scene.index.clusters(zoom, scene.events)),
            _ => None,
        };
        for k in v.copies() {
            if let Some(a) = scene.aggregates {
                for c in &a.clusters {
                    heat.add(screen_in(v, c.at, k), c.count as f64);
                }
            } else if let Some(clusters) = &clusters {
                for c in clusters.iter() {
                    heat.add(screen_in(v, c.at, k), c.members.len() as f64);
                }
            } else {
                let [lo, hi] = v.world_box();
                let shift = k as f64;
                let near = [[lo[0] - shift, lo[1]], [hi[0] - shift, hi[1]]];
                for i in scene.index.in_box(near) {
                    heat.add(screen_in(v, scene.index.world(i), k), 1.0);
                }
            }
        }
        let Some(scratch) = self.scratch_canvas() else {
            return;
        };
        heat.draw(ctx, &scratch);
        self.heated = heat.covered();
    }

    /// The canvas off the page the heatmap is made on, made once.
    fn scratch_canvas(&mut self) -> Option<HtmlCanvasElement> {
        if self.scratch.is_none() {
            self.scratch = web_sys::window()?
                .document()?
                .create_element("canvas")
                .ok()?
                .dyn_into::<HtmlCanvasElement>()
                .ok();
        }
        self.scratch.clone()
    }

    /// Draws the fanned-out events: a pale disc over the spot, a leg to each event, each
    /// event's symbol (the hovered and selected ones marked), keeping where for hit-testing.
    fn draw_spider(&mut self, ctx: &CanvasRenderingContext2d, scene: &Scene<'_>) {
        self.spider_marks.clear();
        let Some(spider) = &self.spider else { return };
        let v = scene.view;
        let legs = leg_offsets(spider.members.len());
        let reach = legs.first().map_or(0.0, |l| l[0].hypot(l[1])) + SYMBOL_R * 2.0;
        for k in v.copies() {
            let [cx, cy] = screen_in(v, spider.at, k);
            if !on_screen(v, [cx, cy], reach) {
                continue;
            }
            ctx.begin_path();
            let _ = ctx.arc(cx, cy, reach, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(self.palette.veil);
            ctx.fill();
            for (&i, [dx, dy]) in spider.members.iter().zip(&legs) {
                let at = [cx + dx, cy + dy];
                ctx.begin_path();
                ctx.move_to(cx, cy);
                ctx.line_to(at[0], at[1]);
                ctx.set_stroke_style_str(self.palette.leg);
                ctx.set_line_width(1.2);
                ctx.stroke();
                let strong = scene.selected == Some(i);
                draw_symbol(ctx, &scene.events[i], at[0], at[1], strong);
                self.spider_marks.push((i, at));
            }
        }
    }

    /// Draws the clusters of a zoom level on screen (a cluster of one as its event's symbol),
    /// keeping them and their marks for hit-testing.
    fn draw_clusters(&mut self, ctx: &CanvasRenderingContext2d, scene: &Scene<'_>, zoom: i32) {
        let v = scene.view;
        let clusters = scene.index.clusters(zoom, scene.events);
        for k in v.copies() {
            for (ci, c) in clusters.iter().enumerate() {
                let [x, y] = screen_in(v, c.at, k);
                if !on_screen(v, [x, y], 30.0) {
                    continue;
                }
                let r = if c.members.len() == 1 {
                    let e = &scene.events[c.members[0]];
                    draw_symbol(ctx, e, x, y, false);
                    SYMBOL_R + 2.0
                } else {
                    draw_cluster(ctx, c, x, y)
                };
                self.marks.push((ci, [x, y], r));
            }
        }
        self.clusters = Some(clusters);
    }

    /// Draws the server's clusters on screen (a cluster of few events as their symbols),
    /// keeping where for hit-testing.
    fn draw_aggregates(&mut self, ctx: &CanvasRenderingContext2d, v: &Viewport, a: &Aggregates) {
        for k in v.copies() {
            for c in &a.clusters {
                let [x, y] = screen_in(v, c.at, k);
                if !on_screen(v, [x, y], 40.0) {
                    continue;
                }
                let r = if c.events.is_empty() {
                    draw_aggregate(ctx, c, x, y)
                } else {
                    for e in &c.events {
                        let [ex, ey] = screen_in(v, to_world(e.lon_lat), k);
                        draw_symbol(ctx, e, ex, ey, false);
                    }
                    SYMBOL_R + 2.0
                };
                self.areas.push((c.cell, c.count, [x, y], r));
            }
        }
    }

    /// How many server clusters the last frame drew (0 when it drew events).
    pub fn drawn_areas(&self) -> usize {
        self.areas.len()
    }

    /// What a screen point hits: a drawn cluster at low zoom, else the nearest event in the
    /// R-tree within a few pixels.
    pub fn hit(&self, view: &Viewport, index: &MapIndex, at: [f64; 2]) -> Option<Hit> {
        let leg = self.spider_marks.iter().find(|(_, [x, y])| {
            (x - at[0]).powi(2) + (y - at[1]).powi(2) <= (SYMBOL_R + 3.0).powi(2)
        });
        if let Some((i, _)) = leg {
            return Some(Hit::Event(*i));
        }
        let area = self.areas.iter().rev().find(|(_, _, [x, y], r)| {
            (x - at[0]).powi(2) + (y - at[1]).powi(2) <= (r + 2.0).powi(2)
        });
        if let Some((cell, count, _, _)) = area {
            return Some(Hit::Area(*cell, *count));
        }
        if let Some(clusters) = &self.clusters {
            let found = self.marks.iter().rev().find(|(_, [x, y], r)| {
                (x - at[0]).powi(2) + (y - at[1]).powi(2) <= (r + 2.0).powi(2)
            });
            if let Some((ci, _, _)) = found {
                let c = &clusters[*ci];
                return Some(if c.members.len() == 1 {
                    Hit::Event(c.members[0])
                } else {
                    Hit::Cluster(c.members.clone(), c.at)
                });
            }
        }
        let [x, y] = view.to_world(at);
        view.copies().find_map(|k| {
            index
                .nearest([x - k as f64, y], (SYMBOL_R + 3.0) / view.scale())
                .map(Hit::Event)
        })
    }

    /// The screen point of the mark drawn nearest to `at` within `reach` pixels (a fanned-out
    /// event, a server cluster, a cluster or an event), for opening it from the keyboard.
    pub fn nearest_mark(
        &self,
        view: &Viewport,
        index: &MapIndex,
        at: [f64; 2],
        reach: f64,
    ) -> Option<[f64; 2]> {
        let far = |p: &[f64; 2]| (p[0] - at[0]).hypot(p[1] - at[1]);
        let drawn = self
            .spider_marks
            .iter()
            .map(|(_, p)| *p)
            .chain(self.areas.iter().map(|(_, _, p, _)| *p))
            .chain(
                self.clusters
                    .iter()
                    .flat_map(|_| self.marks.iter().map(|(_, p, _)| *p)),
            );
        let events = view.copies().filter_map(|k| {
            let [x, y] = view.to_world(at);
            index
                .nearest([x - k as f64, y], reach / view.scale())
                .map(|i| {
                    let [wx, wy] = index.world(i);
                    view.to_screen([wx + k as f64, wy])
                })
        });
        drawn
            .chain(events)
            .filter(|p| far(p) <= reach)
            .min_by(|a, b| far(a).total_cmp(&far(b)))
    }
}

/// Fills each division that holds something with its class' colour; how many it filled.
fn shade_divisions(ctx: &CanvasRenderingContext2d, o: &OverlayPaths, shading: &Shading) -> usize {
    ctx.set_global_alpha(SHADE_ALPHA);
    let mut shaded = 0;
    for (code, path) in &o.divisions {
        if let Some(class) = shading.class_of(code) {
            ctx.set_fill_style_str(&shading.class_colour(class));
            ctx.fill_with_path_2d(path);
            shaded += 1;
        }
    }
    ctx.set_global_alpha(1.0);
    shaded
}

/// Draws the admin-1 outlines (dashed), the lakes and the rivers, in a transform that scales
/// paths by `k`.
fn draw_overlay(ctx: &CanvasRenderingContext2d, o: &OverlayPaths, k: f64, pal: &Palette) {
    ctx.set_stroke_style_str(pal.admin1);
    ctx.set_line_width(0.7 / k);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&(3.0 / k).into(), &(2.0 / k).into()));
    ctx.stroke_with_path(&o.admin1);
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    ctx.set_fill_style_str(pal.sea);
    ctx.fill_with_path_2d(&o.lakes);
    ctx.set_stroke_style_str(pal.river);
    ctx.set_line_width(1.0 / k);
    ctx.stroke_with_path(&o.lakes);
    ctx.set_line_width(1.2 / k);
    ctx.stroke_with_path(&o.rivers);
}

/// The points of a symbol's outline around `(0, 0)` for a radius of 1; `None` for the circle.
/// The legend draws the same outlines.
pub fn outline(symbol: Symbol) -> Option<Vec<(f64, f64)>> {
    match symbol {
        Symbol::Circle => None,
        Symbol::Square => Some(vec![
            (-0.85, -0.85),
            (0.85, -0.85),
            (0.85, 0.85),
            (-0.85, 0.85),
        ]),
        Symbol::Diamond => Some(vec![(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)]),
        Symbol::Triangle => Some(vec![(0.0, -1.2), (1.1, 0.9), (-1.1, 0.9)]),
        Symbol::TriangleDown => Some(vec![(0.0, 1.2), (1.1, -0.9), (-1.1, -0.9)]),
        Symbol::Star => Some(
            (0..10)
                .map(|k| {
                    let a = std::f64::consts::PI * f64::from(k) / 5.0 - std::f64::consts::FRAC_PI_2;
                    let m = if k % 2 == 0 { 1.3 } else { 0.6 };
                    (a.cos() * m, a.sin() * m)
                })
                .collect(),
        ),
    }
}

fn symbol_path(ctx: &CanvasRenderingContext2d, symbol: Symbol, x: f64, y: f64, r: f64) {
    ctx.begin_path();
    match outline(symbol) {
        None => {
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        }
        Some(points) => {
            for (k, (dx, dy)) in points.iter().enumerate() {
                if k == 0 {
                    ctx.move_to(x + dx * r, y + dy * r);
                } else {
                    ctx.line_to(x + dx * r, y + dy * r);
                }
            }
            ctx.close_path();
        }
    }
}

fn draw_symbol(ctx: &CanvasRenderingContext2d, e: &MapEvent, x: f64, y: f64, selected: bool) {
    let style = type_style(&e.event_type);
    if selected {
        ctx.begin_path();
        let _ = ctx.arc(x, y, SYMBOL_R + 6.0, 0.0, std::f64::consts::TAU);
        ctx.set_stroke_style_str("#111");
        ctx.set_line_width(3.0);
        ctx.stroke();
    }
    if e.coarse {
        draw_area_ring(ctx, style.colour, x, y);
        return;
    }
    draw_type_symbol(ctx, style, x, y);
    draw_trust(ctx, style.symbol, trust(&e.status), x, y);
}

/// Who stands behind an event, as its mark shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Found by the machine (or imported) and checked by nobody: the plain mark.
    Machine,
    /// Corrected by a person: a dark outline.
    Corrected,
    /// Verified by a reviewer: a dark outline and a white centre.
    Verified,
}

/// The trust of an event's status (`machine`, `imported`, `corrected`, `verified`).
pub fn trust(status: &str) -> Trust {
    match status {
        "verified" => Trust::Verified,
        "corrected" => Trust::Corrected,
        _ => Trust::Machine,
    }
}

/// Marks a symbol drawn at a screen point with its trust: a corrected event gets a dark
/// outline (on a white halo, so that it reads on a dark basemap too), a verified one the same
/// and a white centre. The legend draws the same marks.
pub fn draw_trust(ctx: &CanvasRenderingContext2d, symbol: Symbol, trust: Trust, x: f64, y: f64) {
    if trust == Trust::Machine {
        return;
    }
    symbol_path(ctx, symbol, x, y, SYMBOL_R + 1.0);
    ctx.set_stroke_style_str("#fff");
    ctx.set_line_width(4.5);
    ctx.stroke();
    ctx.set_stroke_style_str(TRUST_INK);
    ctx.set_line_width(2.2);
    ctx.stroke();
    if trust == Trust::Verified {
        ctx.begin_path();
        let _ = ctx.arc(x, y, 2.4, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str("#fff");
        ctx.fill();
    }
}

/// Draws an event type's symbol at a screen point, filled with its colour and ringed white:
/// the map's marks, and the legend of an exported picture.
pub fn draw_type_symbol(ctx: &CanvasRenderingContext2d, style: &TypeStyle, x: f64, y: f64) {
    symbol_path(ctx, style.symbol, x, y, SYMBOL_R);
    ctx.set_fill_style_str(style.colour);
    ctx.fill();
    ctx.set_stroke_style_str("#fff");
    ctx.set_line_width(1.5);
    ctx.stroke();
}

/// An event placed only on a region, a country or its document: a hollow ring wider than a
/// point's symbol, so that no one reads it as a point it does not know.
fn draw_area_ring(ctx: &CanvasRenderingContext2d, colour: &str, x: f64, y: f64) {
    ctx.begin_path();
    let _ = ctx.arc(x, y, SYMBOL_R * 2.0, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str(colour);
    ctx.set_global_alpha(0.12);
    ctx.fill();
    ctx.set_global_alpha(1.0);
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.0);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&4.0.into(), &3.0.into()));
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}

fn draw_cluster(ctx: &CanvasRenderingContext2d, c: &Cluster, x: f64, y: f64) -> f64 {
    let n = c.members.len();
    let r = 9.0 + (n as f64).log2() * 2.5;
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str(type_style(&c.main_type).colour);
    ctx.set_global_alpha(0.85);
    ctx.fill();
    ctx.set_global_alpha(1.0);
    ctx.set_stroke_style_str("#fff");
    ctx.set_line_width(2.0);
    ctx.stroke();
    ctx.set_fill_style_str("#fff");
    ctx.set_font("bold 12px system-ui, sans-serif");
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    let _ = ctx.fill_text(&n.to_string(), x, y);
    ctx.set_text_baseline("alphabetic");
    r
}

/// Draws the movements (events with a line) in every copy of the world.
fn draw_lines(ctx: &CanvasRenderingContext2d, scene: &Scene<'_>) {
    let v = scene.view;
    for k in v.copies() {
        for &i in scene.index.lines() {
            let e = &scene.events[i];
            let pts: Vec<[f64; 2]> = e
                .line
                .iter()
                .map(|p| screen_in(v, to_world(*p), k))
                .collect();
            draw_line(
                ctx,
                &pts,
                type_style(&e.event_type).colour,
                scene.selected == Some(i),
            );
        }
    }
}

/// Draws the symbol of every event at a point near the view, one by one (close zooms).
fn draw_points(ctx: &CanvasRenderingContext2d, scene: &Scene<'_>) {
    let v = scene.view;
    let [lo, hi] = v.world_box();
    let pad = 20.0 / v.scale();
    for k in v.copies() {
        let shift = k as f64;
        let near = [
            [lo[0] - shift - pad, lo[1] - pad],
            [hi[0] - shift + pad, hi[1] + pad],
        ];
        for i in scene.index.in_box(near) {
            let e = &scene.events[i];
            if e.line.is_empty() {
                let [x, y] = screen_in(v, scene.index.world(i), k);
                draw_symbol(ctx, e, x, y, false);
            }
        }
    }
}

/// The ring around the cluster whose events the list shows.
fn draw_picked(ctx: &CanvasRenderingContext2d, [x, y]: [f64; 2]) {
    ctx.begin_path();
    let _ = ctx.arc(x, y, 26.0, 0.0, std::f64::consts::TAU);
    ctx.set_stroke_style_str("#111");
    ctx.set_line_width(2.5);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&5.0.into(), &4.0.into()));
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}

fn draw_line(ctx: &CanvasRenderingContext2d, pts: &[[f64; 2]], colour: &str, selected: bool) {
    let Some((first, rest)) = pts.split_first() else {
        return;
    };
    ctx.begin_path();
    ctx.move_to(first[0], first[1]);
    for p in rest {
        ctx.line_to(p[0], p[1]);
    }
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(if selected { 4.0 } else { 2.5 });
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&8.0.into(), &5.0.into()));
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    ctx.set_fill_style_str(colour);
    for w in pts.windows(2) {
        let [a, b] = [w[0], w[1]];
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = dx.hypot(dy);
        if len < 14.0 {
            continue;
        }
        let (ux, uy) = (dx / len, dy / len);
        let tip = [b[0] - ux * 4.0, b[1] - uy * 4.0];
        ctx.begin_path();
        ctx.move_to(tip[0], tip[1]);
        ctx.line_to(tip[0] - ux * 11.0 - uy * 5.5, tip[1] - uy * 11.0 + ux * 5.5);
        ctx.line_to(tip[0] - ux * 11.0 + uy * 5.5, tip[1] - uy * 11.0 - ux * 5.5);
        ctx.close_path();
        ctx.fill();
    }
}
