//! When a feed is next polled: its period with jitter after a good poll, an exponential
//! back-off after failures, never sooner than the server's `Retry-After`.

use std::time::Duration;

/// The longest back-off: a feed that keeps failing is still tried four times a day.
pub const BACKOFF_MAX: Duration = Duration::from_secs(6 * 3600);

/// The jitter's share of the period (±10 %), so that feeds added together spread out and a
/// server does not see karta at the same second of every period.
const JITTER: f64 = 0.1;

/// The wait before the next poll of a feed polled every `every`, after `failures` failed polls
/// in a row (0 after a good one), when the server asked to wait `retry_after`.
pub fn next_wait(every: Duration, failures: u32, retry_after: Option<Duration>) -> Duration {
    let base = if failures == 0 {
        every
    } else {
        // 1, 2, 4 … periods, up to BACKOFF_MAX (or the period when it is longer).
        let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
        every.saturating_mul(factor).min(BACKOFF_MAX.max(every))
    };
    let wait = jittered(base, random_unit());
    retry_after.map_or(wait, |r| wait.max(r))
}

/// `base` moved by up to ±[`JITTER`] of itself; `unit` is in [0, 1).
fn jittered(base: Duration, unit: f64) -> Duration {
    base.mul_f64(1.0 + JITTER * (2.0 * unit - 1.0))
}

/// A number in [0, 1) from the system's random source (0.5, no jitter, when it fails).
fn random_unit() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn jitter_stays_within_a_tenth() {
        assert_eq!(jittered(MINUTE * 10, 0.5), MINUTE * 10);
        assert_eq!(jittered(MINUTE * 10, 0.0), MINUTE * 9);
        for _ in 0..100 {
            let wait = next_wait(MINUTE * 10, 0, None);
            assert!((MINUTE * 9..=MINUTE * 11).contains(&wait), "{wait:?}");
        }
    }

    #[test]
    fn failures_double_the_wait_up_to_the_ceiling() {
        let at_least = |failures| next_wait(MINUTE * 15, failures, None).as_secs_f64() / 0.9;
        assert!(at_least(1) >= 15.0 * 60.0);
        assert!(at_least(3) >= 60.0 * 60.0);
        assert!(next_wait(MINUTE * 15, 30, None) <= BACKOFF_MAX.mul_f64(1.1));
        assert!(next_wait(MINUTE * 15, 30, None) >= BACKOFF_MAX.mul_f64(0.9));
    }

    #[test]
    fn retry_after_is_a_floor() {
        let hour = MINUTE * 60;
        assert!(next_wait(MINUTE, 1, Some(hour)) >= hour);
    }
}
