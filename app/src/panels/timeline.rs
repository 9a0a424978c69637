//! The timeline: a histogram of the events over time, with a brush that picks the time range.

use crate::model::{day_date, day_number};
use crate::state::MapState;
use leptos::ev;
use leptos::prelude::*;

/// Bars in the histogram at most.
const BARS: i32 = 60;

/// Width and height of the drawing, in SVG units.
const W: f64 = 300.0;
const H: f64 = 60.0;

/// Days of the first and last dated events, and counts per bar.
#[derive(Debug, Clone, PartialEq)]
struct Histogram {
    first: i32,
    last: i32,
    per_bar: i32,
    counts: Vec<usize>,
}

impl Histogram {
    /// The histogram of the days of the dated events; `None` when none is dated.
    fn of_days(days: &[i32]) -> Option<Self> {
        let first = *days.iter().min()?;
        let last = *days.iter().max()?;
        let per_bar = ((last - first + 1) + BARS - 1) / BARS;
        let mut counts = vec![0; ((last - first) / per_bar + 1) as usize];
        for d in days {
            counts[((d - first) / per_bar) as usize] += 1;
        }
        Some(Self {
            first,
            last: first + per_bar * counts.len() as i32 - 1,
            per_bar,
            counts,
        })
    }

    fn day_at(&self, x: f64) -> i32 {
        let span = f64::from(self.last - self.first + 1);
        self.first + ((x / W).clamp(0.0, 1.0) * span) as i32
    }

    fn x_of(&self, day: i32) -> f64 {
        let span = f64::from(self.last - self.first + 1);
        (f64::from(day - self.first) / span * W).clamp(0.0, W)
    }

    /// The bars, as SVG rectangles.
    fn bars(&self) -> impl IntoView + use<> {
        let max = self.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let bw = W / self.counts.len() as f64;
        self.counts
            .iter()
            .enumerate()
            .map(|(k, &n)| {
                let bh = n as f64 / max * (H - 4.0);
                view! {
                    <rect
                        x=format!("{:.2}", k as f64 * bw + 0.5)
                        y=format!("{:.2}", H - bh)
                        width=format!("{:.2}", (bw - 1.0).max(0.5))
                        height=format!("{bh:.2}")
                    ></rect>
                }
            })
            .collect_view()
    }

    /// The caption: the first and last days and the days a bar counts.
    fn label(&self) -> String {
        format!(
            "{} – {} ({} day{} a bar)",
            day_date(self.first),
            day_date(self.last),
            self.per_bar,
            if self.per_bar == 1 { "" } else { "s" }
        )
    }
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
            .map_or(0.0, |d| h.x_of(d));
        let b =
            f.to.as_deref()
                .and_then(day_number)
                .map_or(W, |d| h.x_of(d + 1));
        Some((a, b))
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
                f.from = Some(day_date(h.day_at(a.min(b))));
                f.to = Some(day_date(h.day_at(a.max(b))));
            }
        });
    }
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

/// The histogram with its brush.
#[component]
pub fn Timeline() -> impl IntoView {
    let state = expect_context::<MapState>();
    let histogram = Memo::new(move |_| {
        state.events.with(|e| {
            let days: Vec<i32> = e.0.iter().filter_map(|ev| ev.day).collect();
            Histogram::of_days(&days)
        })
    });
    let t = Brushing {
        state,
        histogram,
        brush: RwSignal::new(None),
    };
    view! {
        <figure class="timeline">
            <svg
                viewBox=format!("0 0 {W} {H}")
                preserveAspectRatio="none"
                role="img"
                aria-label="Events over time; drag to pick a time range, click to clear it"
                on:pointerdown=move |ev| t.down(ev)
                on:pointermove=move |ev| t.drag(ev)
                on:pointerup=move |_| t.up()
            >
                <g class="bars">{move || histogram.get().map(|h| h.bars())}</g>
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
            <figcaption>{move || histogram.get().map(|h| h.label())}</figcaption>
        </figure>
    }
}
