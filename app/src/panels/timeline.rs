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
    fn day_at(&self, x: f64) -> i32 {
        let span = f64::from(self.last - self.first + 1);
        self.first + ((x / W).clamp(0.0, 1.0) * span) as i32
    }

    fn x_of(&self, day: i32) -> f64 {
        let span = f64::from(self.last - self.first + 1);
        (f64::from(day - self.first) / span * W).clamp(0.0, W)
    }
}

/// The histogram with its brush.
#[component]
pub fn Timeline() -> impl IntoView {
    let state = expect_context::<MapState>();
    let histogram = Memo::new(move |_| {
        state.events.with(|e| {
            let days: Vec<i32> = e.0.iter().filter_map(|ev| ev.day).collect();
            let first = *days.iter().min()?;
            let last = *days.iter().max()?;
            let per_bar = ((last - first + 1) + BARS - 1) / BARS;
            let mut counts = vec![0; ((last - first) / per_bar + 1) as usize];
            for d in days {
                counts[((d - first) / per_bar) as usize] += 1;
            }
            Some(Histogram {
                first,
                last: first + per_bar * counts.len() as i32 - 1,
                per_bar,
                counts,
            })
        })
    });
    let brush = RwSignal::new(None::<(f64, f64)>);
    let svg_x = move |ev: &ev::PointerEvent| {
        let Some(target) = ev
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return 0.0;
        };
        let rect = target.get_bounding_client_rect();
        (f64::from(ev.client_x()) - rect.left()) / rect.width().max(1.0) * W
    };
    let range_x = move || {
        if let Some((a, b)) = brush.get() {
            return Some((a.min(b), a.max(b)));
        }
        let h = histogram.get()?;
        let f = state.filters.get();
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
    };
    let bars = move || {
        let h = histogram.get()?;
        let max = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let bw = W / h.counts.len() as f64;
        Some(
            h.counts
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
                .collect_view(),
        )
    };
    let label = move || {
        let h = histogram.get()?;
        Some(format!(
            "{} – {} ({} day{} a bar)",
            day_date(h.first),
            day_date(h.last),
            h.per_bar,
            if h.per_bar == 1 { "" } else { "s" }
        ))
    };
    let on_down = move |ev: ev::PointerEvent| {
        let x = svg_x(&ev);
        brush.set(Some((x, x)));
    };
    let on_move = move |ev: ev::PointerEvent| {
        if ev.buttons() == 0 {
            return;
        }
        let x = svg_x(&ev);
        brush.update(|b| {
            if let Some((_, end)) = b {
                *end = x;
            }
        });
    };
    let on_up = move |_| {
        let Some((a, b)) = brush.get_untracked() else {
            return;
        };
        brush.set(None);
        let Some(h) = histogram.get_untracked() else {
            return;
        };
        state.filters.update(|f| {
            if (a - b).abs() < 2.0 {
                f.from = None;
                f.to = None;
            } else {
                f.from = Some(day_date(h.day_at(a.min(b))));
                f.to = Some(day_date(h.day_at(a.max(b))));
            }
        });
    };
    view! {
        <figure class="timeline">
            <svg
                viewBox=format!("0 0 {W} {H}")
                preserveAspectRatio="none"
                role="img"
                aria-label="Events over time; drag to pick a time range, click to clear it"
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
            >
                <g class="bars">{bars}</g>
                {move || {
                    range_x()
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
            <figcaption>{label}</figcaption>
        </figure>
    }
}
