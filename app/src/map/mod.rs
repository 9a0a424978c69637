//! The map: a canvas drawn by karta itself in Web Mercator, with the shipped basemap and the
//! events, moved by mouse, touch, wheel and keyboard, with a scale bar and the cursor's
//! coordinates.

pub mod basemap;
pub mod index;
pub mod layer;
pub mod projection;
pub mod tiles;

use crate::browser;
use crate::model::type_style;
use crate::state::MapState;
use basemap::Basemap;
use layer::{Hit, Painter, Scene};
use leptos::ev;
use leptos::prelude::*;
pub use projection::{MAX_ZOOM, MIN_ZOOM};
use projection::{Viewport, scale_bar};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;
use tiles::{Attribution, TileLayer, TileToggle};
use wasm_bindgen::JsCast;

/// How long a fly-to takes, in milliseconds.
const FLY_MS: f64 = 450.0;

/// Pixels an arrow key moves the map.
const KEY_PAN_PX: f64 = 80.0;

/// Moves the map smoothly to a world point and zoom, then settles the view. It goes the short
/// way round: across the antimeridian when that is shorter.
pub fn fly_to(state: MapState, target: [f64; 2], zoom: f64) {
    let from = state.view.get_untracked();
    let target = [target[0] + (from.centre[0] - target[0]).round(), target[1]];
    let start = browser::now_ms();
    step(state, from, target, zoom.clamp(MIN_ZOOM, MAX_ZOOM), start);
}

fn step(state: MapState, from: Viewport, target: [f64; 2], zoom: f64, start: f64) {
    let t = ((browser::now_ms() - start) / FLY_MS).clamp(0.0, 1.0);
    let ease = 1.0 - (1.0 - t).powi(3);
    state.view.update(|v| {
        v.zoom = from.zoom + (zoom - from.zoom) * ease;
        v.centre = [
            from.centre[0] + (target[0] - from.centre[0]) * ease,
            from.centre[1] + (target[1] - from.centre[1]) * ease,
        ];
        v.clamp();
    });
    if t < 1.0 {
        request_animation_frame(move || step(state, from, target, zoom, start));
    } else {
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

/// The map component: canvas, zoom buttons, scale bar, coordinates and tooltip.
#[component]
pub fn Map() -> impl IntoView {
    let state = expect_context::<MapState>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let painter = StoredValue::new_local(None::<Painter>);
    let gesture = StoredValue::new_local(Gesture::default());
    let frame_pending = StoredValue::new_local(false);
    let wheel_timer = StoredValue::new_local(None::<TimeoutHandle>);
    let hovered = RwSignal::new(None::<(Hit, [f64; 2])>);
    let cursor = RwSignal::new(None::<[f64; 2]>);
    let basemap_version = RwSignal::new(0_u32);
    let selected_index = Memo::new(move |_| state.selected.get().and_then(|id| state.find(id)));

    let render = move || {
        let view = state.view.get_untracked();
        let index = state.index.get_untracked();
        let hover = hovered.get_untracked().map(|(h, _)| h);
        let selected = selected_index.get_untracked();
        let started = browser::now_ms();
        let drawn = state.events.with_untracked(|events| {
            painter.try_update_value(|p| {
                let p = p.as_mut()?;
                let scene = Scene {
                    view: &view,
                    events: &events.0,
                    index: &index.0,
                    selected,
                    hovered: hover.as_ref(),
                    tiles: state.tiles.get_untracked(),
                    picked: state.cluster.with_untracked(|c| c.as_ref().map(|p| p.at)),
                };
                p.draw(&scene, browser::pixel_ratio());
                Some(p.has_basemap())
            })
        });
        let drawn = drawn.flatten();
        // Timings for the browser benchmark (tests/browser/bench.mjs).
        if let (Some(c), Some(has_basemap)) = (canvas.get_untracked(), drawn) {
            let now = browser::now_ms();
            let _ = c.set_attribute("data-last-draw-ms", &format!("{:.2}", now - started));
            if has_basemap && !index.0.is_empty() && !c.has_attribute("data-first-paint") {
                let _ = c.set_attribute("data-first-paint", &format!("{now:.0}"));
            }
            let _ = c.set_attribute("data-drawn-events", &index.0.len().to_string());
        }
    };
    let schedule = move || {
        if frame_pending.get_value() {
            return;
        }
        frame_pending.set_value(true);
        request_animation_frame(move || {
            frame_pending.set_value(false);
            render();
        });
    };

    let resize = move || {
        let Some(c) = canvas.get_untracked() else {
            return;
        };
        let rect = c.get_bounding_client_rect();
        let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
        let dpr = browser::pixel_ratio();
        c.set_width((w * dpr).round() as u32);
        c.set_height((h * dpr).round() as u32);
        for signal in [state.view, state.settled] {
            signal.update(|v| {
                v.width = w;
                v.height = h;
            });
        }
        schedule();
    };

    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        if painter.with_value(Option::is_some) {
            return;
        }
        let ctx = c
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|o| o.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        let Some(ctx) = ctx else {
            state
                .status
                .set("This browser cannot draw on a canvas.".into());
            return;
        };
        let mut p = Painter::new(ctx);
        if let Some(source) = tiles::configured() {
            p.set_tiles(TileLayer::new(source, Rc::new(schedule)));
        }
        painter.set_value(Some(p));
        resize();
        leptos::task::spawn_local(async move {
            for (file, large) in [("countries-110m", false), ("countries-50m", true)] {
                let url = format!("/basemap/{file}.json");
                match browser::get_text(&url)
                    .await
                    .and_then(|t| Basemap::parse(&t).map_err(|e| format!("{url}: {e}")))
                {
                    Ok(map) => {
                        painter.update_value(|p| {
                            if let Some(p) = p {
                                p.set_basemap(map, large);
                            }
                        });
                        basemap_version.update(|v| *v += 1);
                    }
                    Err(e) => state.status.set(format!("Basemap not loaded: {e}")),
                }
            }
        });
    });
    let _ = window_event_listener(ev::resize, move |_| resize());

    Effect::new(move |_| {
        state.view.track();
        state.index.track();
        selected_index.track();
        hovered.track();
        basemap_version.track();
        state.tiles.track();
        state.cluster.track();
        schedule();
    });

    let settle = move || state.settled.set(state.view.get_untracked());
    let local = move |ev: &ev::MouseEvent| [f64::from(ev.offset_x()), f64::from(ev.offset_y())];
    let click = move |at: [f64; 2]| {
        let view = state.view.get_untracked();
        let index = state.index.get_untracked();
        let hit = painter.with_value(|p| p.as_ref().and_then(|p| p.hit(&view, &index.0, at)));
        match hit {
            Some(Hit::Event(i)) => {
                let id = state.events.with_untracked(|e| e.0[i].id);
                state.selected.set(Some(id));
            }
            Some(Hit::Cluster(_, at)) if !lists_clusters() => {
                fly_to(state, at, view.zoom.floor() + 2.0);
            }
            Some(Hit::Cluster(members, at)) => state.list_cluster(members, at),
            None => state.selected.set(None),
        }
    };

    let on_pointer_down = move |ev: ev::PointerEvent| {
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
        let at = local(&ev);
        gesture.update_value(|g| {
            if g.pointers.is_empty() {
                g.start = at;
                g.moved = false;
            }
            g.pointers.insert(ev.pointer_id(), at);
        });
    };
    let on_pointer_move = move |ev: ev::PointerEvent| {
        let at = local(&ev);
        let id = ev.pointer_id();
        let dragging = gesture.with_value(|g| g.pointers.contains_key(&id));
        if !dragging {
            let view = state.view.get_untracked();
            cursor.set(Some(view.lon_lat_at(at)));
            let index = state.index.get_untracked();
            let hit = painter.with_value(|p| p.as_ref().and_then(|p| p.hit(&view, &index.0, at)));
            hovered.set(hit.map(|h| (h, at)));
            return;
        }
        let (before, others) = gesture.with_value(|g| {
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
            [] => state
                .view
                .update(|v| v.pan(at[0] - before[0], at[1] - before[1])),
            [other, ..] => {
                let d0 = (before[0] - other[0]).hypot(before[1] - other[1]).max(1.0);
                let d1 = (at[0] - other[0]).hypot(at[1] - other[1]).max(1.0);
                let m0 = [(before[0] + other[0]) / 2.0, (before[1] + other[1]) / 2.0];
                let m1 = [(at[0] + other[0]) / 2.0, (at[1] + other[1]) / 2.0];
                state.view.update(|v| {
                    v.zoom_at(v.zoom + (d1 / d0).log2(), m0);
                    v.pan(m1[0] - m0[0], m1[1] - m0[1]);
                });
            }
        }
        hovered.set(None);
        gesture.update_value(|g| {
            g.pointers.insert(id, at);
            if (at[0] - g.start[0]).hypot(at[1] - g.start[1]) > 4.0 {
                g.moved = true;
            }
        });
    };
    let on_pointer_up = move |ev: ev::PointerEvent| {
        let at = local(&ev);
        let (was_click, done) =
            gesture.with_value(|g| (!g.moved && g.pointers.len() == 1, g.pointers.len() <= 1));
        gesture.update_value(|g| {
            g.pointers.remove(&ev.pointer_id());
        });
        if was_click {
            click(at);
        }
        if done {
            settle();
        }
    };
    let on_wheel = move |ev: ev::WheelEvent| {
        ev.prevent_default();
        let line = if ev.delta_mode() == 1 { 33.0 } else { 1.0 };
        let at = local(&ev);
        state
            .view
            .update(|v| v.zoom_at(v.zoom - ev.delta_y() * line * 0.002, at));
        wheel_timer.update_value(|t| {
            if let Some(t) = t.take() {
                t.clear();
            }
        });
        if let Ok(handle) = set_timeout_with_handle(settle, Duration::from_millis(200)) {
            wheel_timer.set_value(Some(handle));
        }
    };
    let on_dblclick = move |ev: ev::MouseEvent| {
        ev.prevent_default();
        let mut v = state.view.get_untracked();
        let step = if ev.shift_key() { -1.0 } else { 1.0 };
        v.zoom_at(v.zoom + step, local(&ev));
        fly_to(state, v.centre, v.zoom);
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let (dx, dy, dz) = match ev.key().as_str() {
            "ArrowLeft" => (KEY_PAN_PX, 0.0, 0.0),
            "ArrowRight" => (-KEY_PAN_PX, 0.0, 0.0),
            "ArrowUp" => (0.0, KEY_PAN_PX, 0.0),
            "ArrowDown" => (0.0, -KEY_PAN_PX, 0.0),
            "+" | "=" => (0.0, 0.0, 1.0),
            "-" | "_" => (0.0, 0.0, -1.0),
            "Escape" => {
                state.selected.set(None);
                state.cluster.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        let mut v = state.view.get_untracked();
        v.pan(dx, dy);
        v.zoom_at(v.zoom + dz, [v.width / 2.0, v.height / 2.0]);
        fly_to(state, v.centre, v.zoom);
    };
    let zoom_by = move |dz: f64| {
        let v = state.view.get_untracked();
        fly_to(state, v.centre, v.zoom + dz);
    };

    let scale = move || {
        let (px, label) = scale_bar(state.view.get().metres_per_pixel(), 120.0);
        (format!("width: {px:.0}px"), label)
    };
    let coords = move || match cursor.get() {
        Some([lon, lat]) => format!("{lat:.4}, {lon:.4}"),
        None => {
            let [lon, lat] = state.view.get().centre_lon_lat();
            format!("{lat:.4}, {lon:.4}")
        }
    };
    let tooltip = move || {
        let (hit, [x, y]) = hovered.get()?;
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
        });
        Some(view! {
            <div class="tooltip" role="tooltip" style=format!("left: {}px; top: {}px", x + 14.0, y + 14.0)>
                {text}
            </div>
        })
    };

    view! {
        <div class="map-frame">
            <canvas
                node_ref=canvas
                class="map-canvas"
                tabindex="0"
                role="application"
                aria-roledescription="map"
                aria-label="Map of events. Arrow keys pan, plus and minus zoom, Escape clears the selection. The list of events in view follows the map."
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:pointercancel=on_pointer_up
                on:pointerleave=move |_| {
                    hovered.set(None);
                    cursor.set(None);
                }
                on:wheel=on_wheel
                on:dblclick=on_dblclick
                on:keydown=on_key
            ></canvas>
            <div class="zoom-buttons">
                <button type="button" aria-label="Zoom in" on:click=move |_| zoom_by(1.0)>"+"</button>
                <button type="button" aria-label="Zoom out" on:click=move |_| zoom_by(-1.0)>"−"</button>
                <TileToggle/>
            </div>
            <div class="map-foot">
                <div class="scale-bar" aria-label="Scale">
                    <span class="scale-line" style=move || scale().0></span>
                    <span>{move || scale().1}</span>
                </div>
                <span class="coords" aria-live="off">{coords}</span>
                <span class="attribution">
                    <Attribution/>
                </span>
            </div>
            {tooltip}
        </div>
    }
}
