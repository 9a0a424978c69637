//! The timeline: the events over time in bars stacked by type, with an axis and the largest
//! count, a brush that picks the time range (by pointer or keyboard), and playback.

use super::histogram::{Histogram, key_range};
use super::playback::Playback;
use crate::model::{TYPES, day_date, day_number, type_style};
use crate::state::MapState;
use leptos::ev;
use leptos::prelude::*;

/// Width and height of the drawing, in SVG units.
const W: f64 = 300.0;
const H: f64 = 60.0;

/// The bars, stacked by type in the types' colours, each with a title that counts them.
fn bars(h: &Histogram) -> impl IntoView + use<> {
    let max = h.max() as f64;
    let bw = W / h.counts.len() as f64;
    h.counts
        .iter()
        .enumerate()
        .flat_map(|(k, counts)| {
            let total: usize = counts.iter().sum();
            let title = format!(
                "{}: {} event{}",
                day_date(h.bar_day(k)),
                total,
                if total == 1 { "" } else { "s" }
            );
            let mut top = H;
            counts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(t, &n)| {
                    let bh = n as f64 / max * (H - 4.0);
                    top -= bh;
                    view! {
                        <rect
                            x=format!("{:.2}", k as f64 * bw + 0.5)
                            y=format!("{top:.2}")
                            width=format!("{:.2}", (bw - 1.0).max(0.5))
                            height=format!("{bh:.2}")
                            fill=TYPES[t].colour
                        >
                            <title>{title.clone()}</title>
                        </rect>
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect_view()
}

/// The caption: the days a bar counts.
fn label(h: &Histogram) -> String {
    format!(
        "{} day{} a bar; arrows move the range, Shift+arrows stretch it, Escape clears it",
        h.per_bar,
        if h.per_bar == 1 { "" } else { "s" }
    )
}

/// What the timeline's parts share: the page's state, the histogram of its events and the
/// brush being dragged (its two ends, in SVG units).
#[derive(Debug, Clone, Copy)]
struct Brushing {
    state: MapState,
    histogram: Memo<Option<Histogram>>,
    brush: RwSignal<Option<(f64, f64)>>,
}

impl Brushing {
    /// The time range shown, in SVG units: the brush while it is dragged, else the filters'.
    fn range_x(self) -> Option<(f64, f64)> {
        if let Some((a, b)) = self.brush.get() {
            return Some((a.min(b), a.max(b)));
        }
        let h = self.histogram.get()?;
        let f = self.state.filters.get();
        if f.from.is_none() && f.to.is_none() {
            return None;
        }
        let a = f
            .from
            .as_deref()
            .and_then(day_number)
            .map_or(0.0, |d| x_of(&h, d));
        let b =
            f.to.as_deref()
                .and_then(day_number)
                .map_or(W, |d| x_of(&h, d + 1));
        Some((a, b))
    }

    /// The time range as days, when the filters have one.
    fn range_days(self) -> Option<(i32, i32)> {
        let h = self.histogram.get_untracked()?;
        let f = self.state.filters.get_untracked();
        if f.from.is_none() && f.to.is_none() {
            return None;
        }
        let from = f.from.as_deref().and_then(day_number).unwrap_or(h.first);
        let to = f.to.as_deref().and_then(day_number).unwrap_or(h.last);
        Some((from, to))
    }

    /// A key on the timeline moves, stretches or clears the time range.
    fn key(self, ev: ev::KeyboardEvent) {
        let Some(h) = self.histogram.get_untracked() else {
            return;
        };
        let Some(range) = key_range(&h, self.range_days(), &ev.key(), ev.shift_key()) else {
            return;
        };
        ev.prevent_default();
        self.state.filters.update(|f| {
            f.from = range.map(|r| day_date(r.0));
            f.to = range.map(|r| day_date(r.1));
        });
    }

    /// The brush starts where the pointer goes down.
    fn down(self, ev: ev::PointerEvent) {
        let x = svg_x(&ev);
        self.brush.set(Some((x, x)));
    }

    /// The brush's end follows the pointer while a button is down.
    fn drag(self, ev: ev::PointerEvent) {
        if ev.buttons() == 0 {
            return;
        }
        let x = svg_x(&ev);
        self.brush.update(|b| {
            if let Some((_, end)) = b {
                *end = x;
            }
        });
    }

    /// The brush let go: its days become the time range, or a click clears it.
    fn up(self) {
        let Some((a, b)) = self.brush.get_untracked() else {
            return;
        };
        self.brush.set(None);
        let Some(h) = self.histogram.get_untracked() else {
            return;
        };
        self.state.filters.update(|f| {
            if (a - b).abs() < 2.0 {
                f.from = None;
                f.to = None;
            } else {
                f.from = Some(day_date(day_at(&h, a.min(b))));
                f.to = Some(day_date(day_at(&h, a.max(b))));
            }
        });
    }
}

/// The day at an x of the drawing.
fn day_at(h: &Histogram, x: f64) -> i32 {
    let span = f64::from(h.last - h.first + 1);
    h.first + ((x / W).clamp(0.0, 1.0) * span) as i32
}

/// The x of the drawing where a day starts.
fn x_of(h: &Histogram, day: i32) -> f64 {
    let span = f64::from(h.last - h.first + 1);
    (f64::from(day - h.first) / span * W).clamp(0.0, W)
}

/// The x of a pointer event in the SVG's units.
fn svg_x(ev: &ev::PointerEvent) -> f64 {
    let Some(target) = ev
        .current_target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
    else {
        return 0.0;
    };
    let rect = target.get_bounding_client_rect();
    (f64::from(ev.client_x()) - rect.left()) / rect.width().max(1.0) * W
}

/// The histogram with its brush, axis and playback.
#[component]
pub fn Timeline() -> impl IntoView {
    let state = expect_context::<MapState>();
    // The span shown only grows: a filter that narrows the events leaves the brush in place.
    let histogram = Memo::new(move |before: Option<&Option<Histogram>>| {
        let keep = before.and_then(|h| h.as_ref()).map(Histogram::span);
        state.events.with(|e| {
            let days: Vec<(i32, usize)> =
                e.0.iter()
                    .filter_map(|ev| {
                        let t = type_style(&ev.event_type).event_type as usize;
                        ev.day.map(|d| (d, t))
                    })
                    .collect();
            Histogram::of_days(&days, keep)
        })
    });
    let t = Brushing {
        state,
        histogram,
        brush: RwSignal::new(None),
    };
    view! {
        <figure class="timeline">
            <div class="timeline-max">{move || histogram.get().map(|h| format!("{} max", h.max()))}</div>
            <svg
                viewBox=format!("0 0 {W} {H}")
                preserveAspectRatio="none"
                tabindex="0"
                role="group"
                aria-label="Events over time, stacked by type. Drag to pick a time range, click to clear it; arrows move the range, Shift and arrows stretch it, Home and End go to either end, Escape clears it."
                on:pointerdown=move |ev| t.down(ev)
                on:pointermove=move |ev| t.drag(ev)
                on:pointerup=move |_| t.up()
                on:keydown=move |ev| t.key(ev)
            >
                <g class="bars">{move || histogram.get().map(|h| bars(&h))}</g>
                {move || {
                    t.range_x()
                        .map(|(a, b)| {
                            view! {
                                <rect
                                    class="brush"
                                    x=format!("{a:.2}")
                                    y="0"
                                    width=format!("{:.2}", (b - a).max(1.0))
                                    height=format!("{H}")
                                ></rect>
                            }
                        })
                }}
            </svg>
            <div class="timeline-axis">
                {move || {
                    histogram
                        .get()
                        .map(|h| h.ticks().map(|d| view! { <span>{d}</span> }).collect_view())
                }}
            </div>
            <figcaption>{move || histogram.get().map(|h| label(&h))}</figcaption>
            <Playback histogram=histogram/>
        </figure>
    }
}
