//! Failed logins, counted per account name and per address for 15 minutes. From the fifth
//! failure on, each new attempt for that name or from that address waits before it is checked
//! (2 s more per failure, at most 10 s): guessing slows to a crawl well before the account
//! locks (`crate::login`), and an address trying many names (one password against every
//! account) is slowed though no single account reaches its lock.
//! Kept in memory: a restart forgets it, and each instance counts its own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(15 * 60);
const FREE_FAILURES: usize = 5;
const MAX_DELAY: Duration = Duration::from_secs(10);
/// Keys kept at most; past this the oldest are forgotten (memory stays bounded under attack).
const MAX_KEYS: usize = 10_000;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    /// How long to wait before checking an attempt with these keys, and how many recent failures.
    pub fn delay(&self, keys: &[String]) -> (Duration, usize) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let worst = keys
            .iter()
            .map(|k| {
                map.get_mut(k)
                    .map(|v| {
                        v.retain(|t| now.duration_since(*t) < WINDOW);
                        v.len()
                    })
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0);
        if worst < FREE_FAILURES {
            return (Duration::ZERO, worst);
        }
        let extra = (worst + 1 - FREE_FAILURES) as u32;
        (std::cmp::min(Duration::from_secs(2) * extra, MAX_DELAY), worst)
    }

    pub fn failed(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if map.len() >= MAX_KEYS {
            map.retain(|_, v| v.last().is_some_and(|t| now.duration_since(*t) < WINDOW));
            if map.len() >= MAX_KEYS {
                map.clear();
            }
        }
        for k in keys {
            map.entry(k.clone()).or_default().push(now);
        }
    }

    pub fn succeeded(&self, name_key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_waits_and_success_clears_the_name() {
        let t = Throttle::default();
        let keys = vec!["user:ana".to_string(), "ip:10.0.0.1".to_string()];
        for _ in 0..4 {
            t.failed(&keys);
        }
        assert_eq!(t.delay(&keys).0, Duration::ZERO);
        t.failed(&keys);
        assert_eq!(t.delay(&keys), (Duration::from_secs(2), 5));
        for _ in 0..20 {
            t.failed(&keys);
        }
        assert_eq!(t.delay(&keys).0, MAX_DELAY);
        t.succeeded("user:ana");
        assert_eq!(t.delay(&keys[..1]).0, Duration::ZERO);
        assert_eq!(t.delay(&keys[1..]).0, MAX_DELAY, "the address stays slowed");
    }
}
