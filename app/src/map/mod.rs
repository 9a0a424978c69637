//! The map: a canvas drawn by karta itself in Web Mercator, with the shipped basemap and the
//! events, moved by mouse, touch, wheel and keyboard, with a scale bar and the cursor's
//! coordinates.

pub mod aggregates;
pub mod basemap;
pub mod heat;
pub mod index;
pub mod labels;
pub mod layer;
pub mod legend;
mod loading;
pub mod mode;
pub mod overlay;
pub mod palette;
pub mod picture;
pub mod places;
pub mod projection;
pub mod ramp;
pub mod reference;
pub mod reveal;
pub mod shading;
pub mod spider;
mod switch;
pub mod tiles;

use crate::browser;
use crate::model::type_style;
use crate::state::MapState;
use layer::{Hit, Painter, Scene};
use leptos::ev;
use leptos::prelude::*;
pub use projection::{MAX_ZOOM, MIN_ZOOM};
use projection::{Viewport, fit, scale_bar};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;
use tiles::{Attribution, TileLayer, TileToggle};
use wasm_bindgen::JsCast;

/// How long a fly-to takes, in milliseconds.
const FLY_MS: f64 = 450.0;

/// Pixels an arrow key moves the map.
const KEY_PAN_PX: f64 = 80.0;

/// How far from the map's centre Enter finds a mark to open, in pixels (the cross the style
/// sheet draws there while the map has the keyboard's focus is 24 pixels wide).
const KEY_REACH_PX: f64 = 40.0;

thread_local! {
    /// The number of the last flight asked for, and whether one is under way: a new flight
    /// ends the one before, so that two never pull the map each its way.
    static FLIGHT: std::cell::Cell<(u64, bool)> = const { std::cell::Cell::new((0, false)) };
}

/// Whether the map is flying somewhere.
pub fn flying() -> bool {
    FLIGHT.with(|f| f.get().1)
}

/// A flight of the map from a view to a world point and zoom.
#[derive(Debug, Clone, Copy)]
struct Flight {
    from: Viewport,
    target: [f64; 2],
    zoom: f64,
    /// When it started, in milliseconds ([`browser::now_ms`]).
    start: f64,
    /// Its number in [`FLIGHT`].
    number: u64,
}

/// Moves the map smoothly to a world point and zoom, then settles the view. It goes the short
/// way round: across the antimeridian when that is shorter. A later flight ends this one.
pub fn fly_to(state: MapState, target: [f64; 2], zoom: f64) {
    let from = state.view.get_untracked();
    let number = FLIGHT.with(|f| {
        let number = f.get().0 + 1;
        f.set((number, true));
        number
    });
    step(
        state,
        Flight {
            from,
            target: [target[0] + (from.centre[0] - target[0]).round(), target[1]],
            zoom: zoom.clamp(MIN_ZOOM, MAX_ZOOM),
            start: browser::now_ms(),
            number,
        },
    );
}

/// One frame of a flight; none when a later flight began.
fn step(state: MapState, f: Flight) {
    if FLIGHT.with(|current| current.get().0) != f.number {
        return;
    }
    let t = ((browser::now_ms() - f.start) / FLY_MS).clamp(0.0, 1.0);
    let ease = 1.0 - (1.0 - t).powi(3);
    state.view.update(|v| {
        v.zoom = f.from.zoom + (f.zoom - f.from.zoom) * ease;
        v.centre = [
            f.from.centre[0] + (f.target[0] - f.from.centre[0]) * ease,
            f.from.centre[1] + (f.target[1] - f.from.centre[1]) * ease,
        ];
        v.clamp();
    });
    if t < 1.0 {
        request_animation_frame(move || step(state, f));
    } else {
        FLIGHT.with(|current| current.set((f.number, false)));
        state.settled.set(state.view.get_untracked());
    }
}

/// Whether a click on a cluster lists its events (the page has a list), rather than zooming in
/// (`/embed`, the map alone).
fn lists_clusters() -> bool {
    !browser::location_path().starts_with("/embed")
}

/// The pointers down on the map and where the gesture started.
#[derive(Debug, Default)]
struct Gesture {
    pointers: HashMap<i32, [f64; 2]>,
    start: [f64; 2],
    moved: bool,
}

/// What the map's parts share: the page's state, the canvas and its painter, the gesture under
/// way, and what the pointer is over. Every event handler of the map is a method of it.
#[derive(Clone, Copy)]
struct MapParts {
    state: MapState,
    canvas: NodeRef<leptos::html::Canvas>,
    painter: StoredValue<Option<Painter>, LocalStorage>,
    gesture: StoredValue<Gesture, LocalStorage>,
    /// Whether a frame is asked for and not drawn yet.
    frame_pending: StoredValue<bool, LocalStorage>,
    /// The timer that settles the view after the wheel stops.
    wheel_timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// The event or cluster under the pointer, with the pointer's screen point.
    hovered: RwSignal<Option<(Hit, [f64; 2])>>,
    /// The longitude and latitude under the pointer.
    cursor: RwSignal<Option<[f64; 2]>>,
    /// Bumped when a basemap arrives, to draw it.
    basemap_version: RwSignal<u32>,
    /// The selected event's index in the dataset.
    selected_index: Memo<Option<usize>>,
}

impl MapParts {
    /// The parts of a map over the page's state, before the canvas is in the page.
    fn new(state: MapState) -> Self {
        Self {
            state,
            canvas: NodeRef::new(),
            painter: StoredValue::new_local(None),
            gesture: StoredValue::new_local(Gesture::default()),
            frame_pending: StoredValue::new_local(false),
            wheel_timer: StoredValue::new_local(None),
            hovered: RwSignal::new(None),
            cursor: RwSignal::new(None),
            basemap_version: RwSignal::new(0),
            selected_index: Memo::new(move |_| state.selected.get().and_then(|id| state.find(id))),
        }
    }

    /// Draws a frame now.
    fn render(self) {
        let state = self.state;
        let view = state.view.get_untracked();
        let index = state.index.get_untracked();
        let hover = self.hovered.get_untracked().map(|(h, _)| h);
        let selected = self.selected_index.get_untracked();
        let started = browser::now_ms();
        let aggregates = state.aggregates.get_untracked().0;
        let layer = state.layer.get_untracked();
        let shading = state.divisions.get_untracked().0;
        let references = state.references.get_untracked();
        let drawn = state.events.with_untracked(|events| {
            self.painter.try_update_value(|p| {
                let p = p.as_mut()?;
                let scene = Scene {
                    view: &view,
                    events: &events.0,
                    index: &index.0,
                    selected,
                    hovered: hover.as_ref(),
                    tiles: state.tiles.get_untracked(),
                    picked: state.cluster.with_untracked(|c| c.as_ref().map(|p| p.at)),
                    aggregates: aggregates.as_deref(),
                    layer,
                    shading: shading.as_deref().filter(|_| layer.shades_divisions()),
                    references: &references,
                    dark: state.dark.get_untracked(),
                };
                p.draw(&scene, browser::pixel_ratio());
                let [rivers, lakes, admin1] = p.overlay_counts(view.zoom);
                let notes = Notes {
                    labels: p.named().join("|"),
                    overlay: format!("rivers:{rivers} lakes:{lakes} admin1:{admin1}"),
                    selected: selected.map_or_else(String::new, |i| {
                        let at = index.0.world(i);
                        let near = [at[0] + (view.centre[0] - at[0]).round(), at[1]];
                        let [x, y] = view.to_screen(near);
                        format!("{x:.0},{y:.0}")
                    }),
                    layer: format!("{} shaded:{} heat:{}", layer.name(), p.shaded(), p.heated()),
                    references: p.referenced().to_string(),
                    spider: p
                        .spider_marks()
                        .iter()
                        .map(|(i, [x, y])| format!("{},{x:.0},{y:.0}", events.0[*i].id))
                        .collect::<Vec<_>>()
                        .join(";"),
                };
                Some((p.has_basemap(), p.drawn_areas(), notes))
            })
        });
        if let (Some(c), Some((has_basemap, areas, notes))) =
            (self.canvas.get_untracked(), drawn.flatten())
        {
            notes.write(&c);
            let drawn = Drawn {
                events: if aggregates.is_some() {
                    0
                } else {
                    index.0.len()
                },
                clusters: areas,
            };
            note_timings(&c, started, has_basemap, drawn);
        }
    }

    /// Draws a frame at the next animation frame, once however often it is asked for.
    fn schedule(self) {
        if self.frame_pending.get_value() {
            return;
        }
        self.frame_pending.set_value(true);
        request_animation_frame(move || {
            self.frame_pending.set_value(false);
            self.render();
        });
    }

    /// Sizes the canvas to its box (in device pixels) and the views to it (in CSS pixels).
    fn resize(self) {
        let Some(c) = self.canvas.get_untracked() else {
            return;
        };
        let rect = c.get_bounding_client_rect();
        let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
        let dpr = browser::pixel_ratio();
        c.set_width((w * dpr).round() as u32);
        c.set_height((h * dpr).round() as u32);
        for signal in [self.state.view, self.state.settled] {
            signal.update(|v| {
                v.width = w;
                v.height = h;
            });
        }
        self.schedule();
    }

    /// Once the canvas is in the page: makes its painter (with the tile layer when one is
    /// configured), sizes it and loads the basemaps.
    fn set_up(self) {
        let Some(c) = self.canvas.get() else { return };
        if self.painter.with_value(Option::is_some) {
            return;
        }
        let ctx = c
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|o| o.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        let Some(ctx) = ctx else {
            self.state
                .status
                .set("This browser cannot draw on a canvas.".into());
            return;
        };
        let mut p = Painter::new(ctx);
        if let Some(source) = tiles::configured() {
            let failing = self.state.tiles_failing;
            let loaded = Rc::new(move || {
                failing.set(false);
                self.schedule();
            });
            let failed = Rc::new(move || failing.set(true));
            p.set_tiles(TileLayer::new(source, loaded, failed));
        }
        self.painter.set_value(Some(p));
        self.resize();
        leptos::task::spawn_local(self.load_basemaps());
        leptos::task::spawn_local(self.load_major_places());
        leptos::task::spawn_local(self.load_water());
        self.load_references();
    }

    /// What the screen point `at` hits.
    fn hit(self, at: [f64; 2]) -> Option<Hit> {
        let view = self.state.view.get_untracked();
        let index = self.state.index.get_untracked();
        self.painter
            .with_value(|p| p.as_ref().and_then(|p| p.hit(&view, &index.0, at)))
    }

    /// Settles the view where it is.
    fn settle(self) {
        self.state.settled.set(self.state.view.get_untracked());
    }

    /// A click at a screen point: selects an event, lists a cluster's events (or zooms into
    /// it on `/embed`), or clears the selection.
    fn click(self, at: [f64; 2]) {
        let state = self.state;
        match self.hit(at) {
            Some(Hit::Event(i)) if !self.in_spider(i) && self.spiderfy_near(i) => {}
            Some(Hit::Event(i)) => {
                let id = state.events.with_untracked(|e| e.0[i].id);
                state.selected.set(Some(id));
            }
            Some(Hit::Cluster(members, at)) if self.on_one_spot(&members) => {
                self.set_spider(Some(spider::Spider { at, members }));
            }
            Some(Hit::Cluster(_, at)) if !lists_clusters() => {
                let zoom = state.view.get_untracked().zoom;
                fly_to(state, at, zoom.floor() + 2.0);
            }
            Some(Hit::Cluster(members, at)) => state.list_cluster(members, at),
            Some(Hit::Area(cell, _)) => {
                let v = state.view.get_untracked();
                let (centre, zoom) = fit(cell, v.width, v.height, MAX_ZOOM);
                fly_to(state, centre, zoom.max(v.zoom + 1.0));
            }
            None => {
                self.set_spider(None);
                state.selected.set(None);
            }
        }
    }

    /// Whether an event is fanned out now.
    fn in_spider(self, i: usize) -> bool {
        self.painter.with_value(|p| {
            p.as_ref()
                .and_then(|p| p.spider())
                .is_some_and(|s| s.members.contains(&i))
        })
    }

    /// Fans out the events whose symbols cover event `i`'s, when there are several; whether
    /// it did.
    fn spiderfy_near(self, i: usize) -> bool {
        let view = self.state.view.get_untracked();
        let index = self.state.index.get_untracked();
        let at = index.0.world(i);
        let members = index.0.points_near(at, layer::SYMBOL_R / view.scale());
        if members.len() < 2 {
            return false;
        }
        self.set_spider(Some(spider::Spider { at, members }));
        true
    }

    /// Whether a cluster's events all sit on one spot, which no zoom parts.
    fn on_one_spot(self, members: &[usize]) -> bool {
        let index = self.state.index.get_untracked();
        let points: Vec<[f64; 2]> = members.iter().map(|&i| index.0.world(i)).collect();
        spider::one_spot(&points, projection::world_pixels(MAX_ZOOM))
    }

    /// Fans events out (or folds them back) and draws the change.
    fn set_spider(self, spider: Option<spider::Spider>) {
        self.painter.update_value(|p| {
            if let Some(p) = p {
                p.set_spider(spider);
            }
        });
        self.schedule();
    }

    /// A pointer goes down: the canvas captures it, and a gesture starts with the first.
    fn pointer_down(self, ev: ev::PointerEvent) {
        if let Some(c) = self.canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
        let at = local(&ev);
        self.gesture.update_value(|g| {
            if g.pointers.is_empty() {
                g.start = at;
                g.moved = false;
            }
            g.pointers.insert(ev.pointer_id(), at);
        });
    }

    /// A pointer moves: over the map it shows what is under it; dragging, it pans the map,
    /// and with a second pointer down it pinches.
    fn pointer_move(self, ev: ev::PointerEvent) {
        let at = local(&ev);
        let id = ev.pointer_id();
        let dragging = self.gesture.with_value(|g| g.pointers.contains_key(&id));
        if !dragging {
            let view = self.state.view.get_untracked();
            self.cursor.set(Some(view.lon_lat_at(at)));
            self.hovered.set(self.hit(at).map(|h| (h, at)));
            return;
        }
        let (before, others) = self.gesture.with_value(|g| {
            let before = g.pointers.get(&id).copied().unwrap_or(at);
            let others: Vec<[f64; 2]> = g
                .pointers
                .iter()
                .filter(|(k, _)| **k != id)
                .map(|(_, p)| *p)
                .collect();
            (before, others)
        });
        match others.as_slice() {
            [] => self
                .state
                .view
                .update(|v| v.pan(at[0] - before[0], at[1] - before[1])),
            [other, ..] => self.pinch(*other, before, at),
        }
        self.hovered.set(None);
        self.gesture.update_value(|g| {
            g.pointers.insert(id, at);
            if (at[0] - g.start[0]).hypot(at[1] - g.start[1]) > 4.0 {
                g.moved = true;
            }
        });
    }

    /// Two pointers: one still at `other`, one moved from `before` to `at`. The map zooms by
    /// the change of their distance and pans with their midpoint.
    fn pinch(self, other: [f64; 2], before: [f64; 2], at: [f64; 2]) {
        let d0 = (before[0] - other[0]).hypot(before[1] - other[1]).max(1.0);
        let d1 = (at[0] - other[0]).hypot(at[1] - other[1]).max(1.0);
        let m0 = [(before[0] + other[0]) / 2.0, (before[1] + other[1]) / 2.0];
        let m1 = [(at[0] + other[0]) / 2.0, (at[1] + other[1]) / 2.0];
        self.state.view.update(|v| {
            v.zoom_at(v.zoom + (d1 / d0).log2(), m0);
            v.pan(m1[0] - m0[0], m1[1] - m0[1]);
        });
    }

    /// A pointer lifts: a click when it did not move; the view settles with the last one.
    fn pointer_up(self, ev: ev::PointerEvent) {
        let at = local(&ev);
        let (was_click, done) = self
            .gesture
            .with_value(|g| (!g.moved && g.pointers.len() == 1, g.pointers.len() <= 1));
        self.gesture.update_value(|g| {
            g.pointers.remove(&ev.pointer_id());
        });
        if was_click {
            self.click(at);
        }
        if done {
            self.settle();
        }
    }

    /// The wheel zooms about the pointer; the view settles when it stops.
    fn wheel(self, ev: ev::WheelEvent) {
        ev.prevent_default();
        let line = if ev.delta_mode() == 1 { 33.0 } else { 1.0 };
        let at = local(&ev);
        self.state
            .view
            .update(|v| v.zoom_at(v.zoom - ev.delta_y() * line * 0.002, at));
        self.wheel_timer.update_value(|t| {
            if let Some(t) = t.take() {
                t.clear();
            }
        });
        let settle = move || self.settle();
        if let Ok(handle) = set_timeout_with_handle(settle, Duration::from_millis(200)) {
            self.wheel_timer.set_value(Some(handle));
        }
    }

    /// A double click zooms in about the pointer (out with Shift).
    fn double_click(self, ev: ev::MouseEvent) {
        ev.prevent_default();
        let mut v = self.state.view.get_untracked();
        let step = if ev.shift_key() { -1.0 } else { 1.0 };
        v.zoom_at(v.zoom + step, local(&ev));
        fly_to(self.state, v.centre, v.zoom);
    }

    /// Arrow keys pan, plus and minus zoom, Escape clears the selection and the cluster.
    fn key(self, ev: ev::KeyboardEvent) {
        let state = self.state;
        let (dx, dy, dz) = match ev.key().as_str() {
            "ArrowLeft" => (KEY_PAN_PX, 0.0, 0.0),
            "ArrowRight" => (-KEY_PAN_PX, 0.0, 0.0),
            "ArrowUp" => (0.0, KEY_PAN_PX, 0.0),
            "ArrowDown" => (0.0, -KEY_PAN_PX, 0.0),
            "+" | "=" => (0.0, 0.0, 1.0),
            "-" | "_" => (0.0, 0.0, -1.0),
            "Escape" => {
                self.set_spider(None);
                state.selected.set(None);
                state.cluster.set(None);
                return;
            }
            "Enter" | " " => {
                ev.prevent_default();
                self.open_at_centre();
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        let mut v = state.view.get_untracked();
        v.pan(dx, dy);
        v.zoom_at(v.zoom + dz, [v.width / 2.0, v.height / 2.0]);
        fly_to(state, v.centre, v.zoom);
    }

    /// Opens from the keyboard what lies at the map's centre, where the arrow keys bring it:
    /// the nearest mark within [`KEY_REACH_PX`] is clicked (an event's card, a cluster's list, a
    /// spot's events fanned out).
    fn open_at_centre(self) {
        let view = self.state.view.get_untracked();
        let index = self.state.index.get_untracked();
        let centre = [view.width / 2.0, view.height / 2.0];
        let found = self.painter.with_value(|p| {
            p.as_ref()
                .and_then(|p| p.nearest_mark(&view, &index.0, centre, KEY_REACH_PX))
        });
        match found {
            Some(at) => self.click(at),
            None => self
                .state
                .status
                .set("No event at the centre of the map: move it with the arrow keys.".into()),
        }
    }

    /// Zooms about the centre by `dz`.
    fn zoom_by(self, dz: f64) {
        let v = self.state.view.get_untracked();
        fly_to(self.state, v.centre, v.zoom + dz);
    }

    /// The pointer leaves the map: nothing is under it.
    fn leave(self) {
        self.hovered.set(None);
        self.cursor.set(None);
    }
}

/// The offset of a mouse or pointer event on the canvas.
fn local(ev: &ev::MouseEvent) -> [f64; 2] {
    [f64::from(ev.offset_x()), f64::from(ev.offset_y())]
}

/// What a frame drew of the basemap and the fanned-out events, noted on the canvas for the
/// browser tests: `data-labels` (the names, `|` between), `data-overlay` (how many rivers,
/// lakes and admin-1 rings), `data-layer` (the layer, how many divisions it shaded and how many
/// heatmap cells it coloured), `data-references` (how many parts of reference layers it drew),
/// `data-selected-at` (`x,y` of the selected event) and `data-spider` (`id,x,y` of each
/// fanned-out event, `;` between).
struct Notes {
    labels: String,
    overlay: String,
    layer: String,
    references: String,
    selected: String,
    spider: String,
}

impl Notes {
    fn write(&self, c: &web_sys::HtmlCanvasElement) {
        let _ = c.set_attribute("data-labels", &self.labels);
        let _ = c.set_attribute("data-overlay", &self.overlay);
        let _ = c.set_attribute("data-layer", &self.layer);
        let _ = c.set_attribute("data-references", &self.references);
        let _ = c.set_attribute("data-selected-at", &self.selected);
        let _ = c.set_attribute("data-spider", &self.spider);
    }
}

/// What a frame drew: events one by one, or the server's clusters.
struct Drawn {
    /// Events within the time range, drawn one by one (0 when clusters are drawn).
    events: usize,
    /// Server clusters drawn (0 when events are drawn).
    clusters: usize,
}

/// Notes on the canvas how long a frame took to draw, when the first frame with the basemap
/// and events (or clusters) was drawn, how many are drawn and which (`data-mode`, `points` or
/// `clusters`): for the browser tests and benchmark (tests/browser/).
fn note_timings(c: &web_sys::HtmlCanvasElement, started: f64, has_basemap: bool, drawn: Drawn) {
    let now = browser::now_ms();
    let _ = c.set_attribute("data-last-draw-ms", &format!("{:.2}", now - started));
    let any = drawn.events + drawn.clusters > 0;
    if has_basemap && any && !c.has_attribute("data-first-paint") {
        let _ = c.set_attribute("data-first-paint", &format!("{now:.0}"));
    }
    let _ = c.set_attribute("data-drawn-events", &drawn.events.to_string());
    let _ = c.set_attribute("data-drawn-clusters", &drawn.clusters.to_string());
    let mode = if drawn.clusters > 0 {
        "clusters"
    } else {
        "points"
    };
    let _ = c.set_attribute("data-mode", mode);
}

/// The map component: canvas, zoom buttons, scale bar, coordinates and tooltip.
#[component]
pub fn Map() -> impl IntoView {
    let state = expect_context::<MapState>();
    let map = MapParts::new(state);
    Effect::new(move |_| map.set_up());
    let _ = window_event_listener(ev::resize, move |_| map.resize());
    reveal::keep_in_sight(state);
    Effect::new(move |_| {
        state.settled.track();
        state.layer.track();
        map.load_place_cells();
        map.load_overlay_cells();
    });
    Effect::new(move |_| {
        state.view.track();
        state.index.track();
        map.selected_index.track();
        map.hovered.track();
        map.basemap_version.track();
        state.tiles.track();
        state.cluster.track();
        state.aggregates.track();
        state.layer.track();
        state.divisions.track();
        state.references.track();
        state.dark.track();
        map.schedule();
    });
    Effect::new(move |_| {
        state.references.track();
        map.load_references();
    });
    view! {
        <div class="map-frame">
            <canvas
                node_ref=map.canvas
                id="map"
                class="map-canvas"
                tabindex="0"
                role="application"
                aria-roledescription="map"
                aria-label="Map of events. Arrow keys pan, plus and minus zoom, Enter opens the events at the centre, Escape clears the selection. The list of events in view follows the map."
                on:pointerdown=move |ev| map.pointer_down(ev)
                on:pointermove=move |ev| map.pointer_move(ev)
                on:pointerup=move |ev| map.pointer_up(ev)
                on:pointercancel=move |ev| map.pointer_up(ev)
                on:pointerleave=move |_| map.leave()
                on:wheel=move |ev| map.wheel(ev)
                on:dblclick=move |ev| map.double_click(ev)
                on:keydown=move |ev| map.key(ev)
            ></canvas>
            <div class="zoom-buttons">
                <button type="button" aria-label="Zoom in" on:click=move |_| map.zoom_by(1.0)>"+"</button>
                <button type="button" aria-label="Zoom out" on:click=move |_| map.zoom_by(-1.0)>"−"</button>
                <TileToggle/>
            </div>
            <switch::LayerSwitch/>
            <legend::Legend/>
            <div class="map-foot">
                <ScaleBar/>
                <span class="coords" aria-live="off">{move || coords(state, map.cursor.get())}</span>
                <span class="attribution">
                    <Attribution/>
                </span>
            </div>
            {move || tooltip(state, map.hovered.get())}
        </div>
    }
}

/// The scale bar: a line of a round distance and its label.
#[component]
fn ScaleBar() -> impl IntoView {
    let state = expect_context::<MapState>();
    let scale = move || {
        let (px, label) = scale_bar(state.view.get().metres_per_pixel(), 120.0);
        (format!("width: {px:.0}px"), label)
    };
    view! {
        <div class="scale-bar" aria-label="Scale">
            <span class="scale-line" style=move || scale().0></span>
            <span>{move || scale().1}</span>
        </div>
    }
}

/// The latitude and longitude under the pointer, else of the centre.
fn coords(state: MapState, cursor: Option<[f64; 2]>) -> String {
    let [lon, lat] = cursor.unwrap_or_else(|| state.view.get().centre_lon_lat());
    format!("{lat:.4}, {lon:.4}")
}

/// The tooltip of what the pointer is over, beside it.
fn tooltip(state: MapState, hovered: Option<(Hit, [f64; 2])>) -> Option<impl IntoView> {
    let (hit, [x, y]) = hovered?;
    let text = state.events.with(|e| match &hit {
        Hit::Event(i) => {
            let ev = &e.0[*i];
            format!(
                "{} · {} · {}",
                type_style(&ev.event_type).label,
                ev.place_name,
                ev.date.as_deref().unwrap_or("undated")
            )
        }
        Hit::Cluster(members, _) if !lists_clusters() => {
            format!("{} events: click to zoom in", members.len())
        }
        Hit::Cluster(members, _) => format!("{} events: click to list them", members.len()),
        Hit::Area(_, count) => format!("{count} events: click to zoom in"),
    });
    Some(view! {
        <div class="tooltip" role="tooltip" style=format!("left: {}px; top: {}px", x + 14.0, y + 14.0)>
            {text}
        </div>
    })
}
