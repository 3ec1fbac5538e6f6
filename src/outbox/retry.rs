//! When to try a failed send again: exponential backoff with jitter, so that a provider
//! recovering from an outage is not hit by every delivery at the same instant.

use std::time::Duration;

const BASE_MS: f64 = 1_000.0;
const CAP_MS: f64 = 60_000.0;

/// Delay before the next try, after `attempts` tries so far (1 = the first failed).
/// `jitter` in [0, 1) spreads the delay over ±25%.
pub fn backoff(attempts: i64, jitter: f64) -> Duration {
    let exp = (attempts.clamp(1, 30) - 1) as i32;
    let raw = (BASE_MS * 2f64.powi(exp)).min(CAP_MS);
    let spread = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
    Duration::from_millis((raw * spread) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_then_stop_growing() {
        assert_eq!(backoff(1, 0.5), Duration::from_millis(1_000));
        assert_eq!(backoff(2, 0.5), Duration::from_millis(2_000));
        assert_eq!(backoff(4, 0.5), Duration::from_millis(8_000));
        assert_eq!(backoff(20, 0.5), Duration::from_millis(60_000));
    }

    #[test]
    fn jitter_stays_within_a_quarter() {
        assert_eq!(backoff(3, 0.0), Duration::from_millis(3_000));
        assert!(backoff(3, 0.999_999) <= Duration::from_millis(5_000));
        assert_eq!(
            backoff(0, 0.5),
            backoff(1, 0.5),
            "nonsense attempt counts are clamped"
        );
        assert_eq!(backoff(1, f64::NAN.max(0.5)), Duration::from_millis(1_000));
    }
}
