//! The timeline's histogram: the events' days counted in bars stacked by event type, over a
//! span of days that only grows (so the brush does not move when a filter changes), and how
//! the keyboard moves a time range along it.

use crate::model::{TYPES, day_date};

/// Bars in the histogram at most.
pub const BARS: i32 = 60;

/// The events' days counted per bar and per type, over a span of days.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// The first day of the first bar.
    pub first: i32,
    /// The last day of the last bar.
    pub last: i32,
    /// Days a bar counts.
    pub per_bar: i32,
    /// For each bar, the count of each type (in the order of `TYPES`).
    pub counts: Vec<Vec<usize>>,
}

impl Histogram {
    /// The histogram of dated events (`(day, type index)`) over their days, widened to `keep`
    /// (the span shown before); `None` when nothing is dated and nothing was shown.
    pub fn of_days(days: &[(i32, usize)], keep: Option<(i32, i32)>) -> Option<Self> {
        let lo = days.iter().map(|d| d.0).min();
        let hi = days.iter().map(|d| d.0).max();
        let (first, last) = match (lo.zip(hi), keep) {
            (Some((lo, hi)), Some((a, b))) => (lo.min(a), hi.max(b)),
            (Some(span), None) | (None, Some(span)) => span,
            (None, None) => return None,
        };
        let per_bar = ((last - first + 1) + BARS - 1) / BARS;
        let bars = ((last - first) / per_bar + 1) as usize;
        let mut counts = vec![vec![0; TYPES.len()]; bars];
        for &(day, t) in days {
            counts[((day - first) / per_bar) as usize][t.min(TYPES.len() - 1)] += 1;
        }
        Some(Self {
            first,
            last: first + per_bar * bars as i32 - 1,
            per_bar,
            counts,
        })
    }

    /// The span of days, to keep when the events change.
    pub fn span(&self) -> (i32, i32) {
        (self.first, self.last)
    }

    /// The most events a bar holds (at least 1).
    pub fn max(&self) -> usize {
        self.counts
            .iter()
            .map(|c| c.iter().sum::<usize>())
            .max()
            .unwrap_or(1)
            .max(1)
    }

    /// The first day of a bar.
    pub fn bar_day(&self, bar: usize) -> i32 {
        self.first + bar as i32 * self.per_bar
    }

    /// The days an axis names: the first, the middle and the last.
    pub fn ticks(&self) -> [String; 3] {
        [
            day_date(self.first),
            day_date(self.first + (self.last - self.first) / 2),
            day_date(self.last),
        ]
    }
}

/// What a key does to the time range `(from, to)` (days): arrows move it by one bar (from
/// the first bar when there is none), with Shift they move its end; Home and End move it to
/// either end; Escape and Delete clear it. `None` for a key that does nothing.
pub fn key_range(
    h: &Histogram,
    range: Option<(i32, i32)>,
    key: &str,
    shift: bool,
) -> Option<Option<(i32, i32)>> {
    let step = h.per_bar;
    let (from, to) = range.unwrap_or((h.first, h.first + step - 1));
    let width = to - from;
    let moved = match (key, shift) {
        ("Escape" | "Delete" | "Backspace", _) => return Some(None),
        ("ArrowRight" | "ArrowLeft", false) if range.is_none() => (from, to),
        ("ArrowRight", false) => (from + step, to + step),
        ("ArrowLeft", false) => (from - step, to - step),
        ("ArrowRight", true) => (from, to + step),
        ("ArrowLeft", true) => (from, (to - step).max(from)),
        ("Home", _) => (h.first, h.first + width),
        ("End", _) => (h.last - width, h.last),
        _ => return None,
    };
    let (lo, hi) = (moved.0.max(h.first), moved.1.min(h.last));
    let shifted = if lo > moved.0 {
        (lo, (lo + width).min(h.last))
    } else if hi < moved.1 {
        ((hi - width).max(h.first), hi)
    } else {
        (lo, hi)
    };
    Some(Some((shifted.0, shifted.1.max(shifted.0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stack_by_type_and_the_span_only_grows() {
        let days = [(100, 0), (100, 3), (101, 3), (130, 1)];
        let h = Histogram::of_days(&days, None).expect("dated");
        assert_eq!((h.first, h.per_bar), (100, 1));
        assert_eq!(h.counts[0][0] + h.counts[0][3], 2);
        assert_eq!(h.max(), 2);
        // A filter leaves only day 101: the span stays, so the brush stays where it was.
        let narrowed = Histogram::of_days(&[(101, 3)], Some(h.span())).expect("kept");
        assert_eq!(narrowed.span(), h.span());
        assert_eq!(narrowed.ticks()[0], day_date(100));
        assert_eq!(Histogram::of_days(&[], None), None);
    }

    #[test]
    fn keys_move_and_stretch_the_range_within_the_span() {
        let h = Histogram::of_days(&[(0, 0), (9, 0)], None).expect("dated");
        let first = key_range(&h, None, "ArrowRight", false).expect("handled");
        assert_eq!(first, Some((0, 0)));
        let moved = key_range(&h, Some((0, 2)), "ArrowRight", false).expect("handled");
        assert_eq!(moved, Some((1, 3)));
        let wider = key_range(&h, Some((1, 3)), "ArrowRight", true).expect("handled");
        assert_eq!(wider, Some((1, 4)));
        assert_eq!(
            key_range(&h, Some((7, 9)), "ArrowRight", false),
            Some(Some((7, 9)))
        );
        assert_eq!(
            key_range(&h, Some((2, 4)), "End", false),
            Some(Some((7, 9)))
        );
        assert_eq!(
            key_range(&h, Some((2, 4)), "Home", false),
            Some(Some((0, 2)))
        );
        assert_eq!(key_range(&h, Some((2, 4)), "Escape", false), Some(None));
        assert_eq!(key_range(&h, Some((2, 4)), "a", false), None);
    }
}
