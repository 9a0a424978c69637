//! Playback of the timeline: a window of N days that moves a day at a time over the events'
//! span, at a chosen speed, as the time range of the map; play and pause.

use super::histogram::Histogram;
use crate::model::{day_date, day_number};
use crate::state::MapState;
use leptos::prelude::*;
use std::time::Duration;

/// Milliseconds a day stays on screen at speed 1.
const DAY_MS: u64 = 800;

/// The speeds offered.
const SPEEDS: [u64; 3] = [1, 2, 4];

/// The next window of `days` days after `range`, within `(first, last)`: the first window when
/// there is none yet, `None` when the window has reached the last day.
pub fn next_window(
    range: Option<(i32, i32)>,
    days: i32,
    (first, last): (i32, i32),
) -> Option<(i32, i32)> {
    let days = days.max(1);
    match range {
        None => Some((first, (first + days - 1).min(last))),
        Some((_, to)) if to >= last => None,
        Some((_, to)) => Some(((to + 2 - days).max(first), to + 1)),
    }
}

/// What the playback's parts share.
#[derive(Clone, Copy)]
struct Player {
    state: MapState,
    histogram: Memo<Option<Histogram>>,
    speed: RwSignal<u64>,
    window: RwSignal<i32>,
    timer: StoredValue<Option<IntervalHandle>, LocalStorage>,
}

impl Player {
    /// The time range of the filters, as days.
    fn range(self) -> Option<(i32, i32)> {
        let f = self.state.filters.get_untracked();
        Some((
            f.from.as_deref().and_then(day_number)?,
            f.to.as_deref().and_then(day_number)?,
        ))
    }

    /// Moves the window a day on, or stops at the end.
    fn step(self) {
        let Some(span) = self.histogram.get_untracked().map(|h| h.span()) else {
            return self.pause();
        };
        match next_window(self.range(), self.window.get_untracked(), span) {
            Some((from, to)) => self.state.filters.update(|f| {
                f.from = Some(day_date(from));
                f.to = Some(day_date(to));
            }),
            None => self.pause(),
        }
    }

    /// Starts from the current window (from the start when it is at the end or there is none).
    fn play(self) {
        let span = self.histogram.get_untracked().map(|h| h.span());
        if let (Some((_, to)), Some((_, last))) = (self.range(), span)
            && to >= last
        {
            self.state.filters.update(|f| {
                f.from = None;
                f.to = None;
            });
        }
        self.state.playing.set(true);
        self.step();
        let ms = DAY_MS / self.speed.get_untracked().max(1);
        if let Ok(handle) = set_interval_with_handle(move || self.step(), Duration::from_millis(ms))
        {
            self.timer.set_value(Some(handle));
        }
    }

    /// Stops where it is.
    fn pause(self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        self.state.playing.set(false);
    }

    /// Play, or pause when playing.
    fn toggle(self) {
        if self.state.playing.get_untracked() {
            self.pause();
        } else {
            self.play();
        }
    }

    /// A new speed takes effect at once.
    fn set_speed(self, speed: u64) {
        self.speed.set(speed);
        if self.state.playing.get_untracked() {
            self.pause();
            self.play();
        }
    }
}

/// The playback controls: play or pause, the speed and the window's days.
#[component]
pub fn Playback(
    /// The timeline's histogram, over whose span the window moves.
    histogram: Memo<Option<Histogram>>,
) -> impl IntoView {
    let state = expect_context::<MapState>();
    let p = Player {
        state,
        histogram,
        speed: RwSignal::new(1),
        window: RwSignal::new(7),
        timer: StoredValue::new_local(None),
    };
    on_cleanup(move || p.pause());
    let speeds = SPEEDS
        .iter()
        .map(|s| view! { <option value=s.to_string()>{format!("{s}×")}</option> })
        .collect_view();
    view! {
        <div class="playback">
            <button type="button" class="play" aria-pressed=move || state.playing.get().to_string() on:click=move |_| p.toggle()>
                {move || if state.playing.get() { "Pause" } else { "Play" }}
            </button>
            <label>
                "Speed "
                <select
                    class="speed"
                    on:change=move |ev| p.set_speed(event_target_value(&ev).parse().unwrap_or(1))
                >
                    {speeds}
                </select>
            </label>
            <label>
                "Window "
                <input
                    class="window"
                    type="number"
                    min="1"
                    max="365"
                    prop:value=move || p.window.get().to_string()
                    on:change=move |ev| {
                        let days = event_target_value(&ev).parse().unwrap_or(7);
                        p.window.set(i32::clamp(days, 1, 365));
                    }
                />
                " days"
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_moves_a_day_at_a_time_and_stops_at_the_end() {
        let span = (10, 20);
        assert_eq!(next_window(None, 3, span), Some((10, 12)));
        assert_eq!(next_window(Some((10, 12)), 3, span), Some((11, 13)));
        // A window made wider by the input grows from its end.
        assert_eq!(next_window(Some((11, 13)), 5, span), Some((10, 14)));
        assert_eq!(next_window(Some((18, 20)), 3, span), None);
        assert_eq!(next_window(None, 0, span), Some((10, 10)));
    }
}
