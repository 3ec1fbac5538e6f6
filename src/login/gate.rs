//! How many password checks run at once. Argon2 takes ~19 MiB and tens of milliseconds per
//! check by design: unbounded, a burst of wrong logins would take the server's memory and
//! cores. So at most `CHECKS_AT_ONCE` run, a few more wait briefly, one account name is checked
//! once at a time, and every other attempt is turned away at once (the caller answers 429).
//! A burst against one account thus never keeps another account's login waiting.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

/// Password checks that may run at the same time (this machine's cores are few).
pub const CHECKS_AT_ONCE: usize = 2;
/// Attempts that may wait for a check to finish; the rest are turned away.
const MAX_WAITING: usize = 4;
/// How long one may wait.
const WAIT: Duration = Duration::from_secs(1);

pub struct Gate {
    checks: Semaphore,
    waiting: AtomicUsize,
    names: Mutex<HashSet<String>>,
}

/// Leave to check the password of one account; dropping it frees the place.
pub struct Pass<'a> {
    _permit: SemaphorePermit<'a>,
    name: NameHeld<'a>,
}

/// One attempt's hold on its account name.
struct NameHeld<'a> {
    gate: &'a Gate,
    name: String,
}

impl Drop for NameHeld<'_> {
    fn drop(&mut self) {
        self.gate
            .names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.name);
    }
}

impl Default for Gate {
    fn default() -> Gate {
        Gate {
            checks: Semaphore::new(CHECKS_AT_ONCE),
            waiting: AtomicUsize::new(0),
            names: Mutex::new(HashSet::new()),
        }
    }
}

impl Gate {
    /// A pass for a check of account `name` (compared without case), or None: that account is
    /// being checked already, or too many checks run and wait.
    pub async fn enter(&self, name: &str) -> Option<Pass<'_>> {
        let name = name.to_lowercase();
        if !self
            .names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.clone())
        {
            return None;
        }
        let held = NameHeld { gate: self, name };
        if let Ok(permit) = self.checks.try_acquire() {
            return Some(Pass {
                _permit: permit,
                name: held,
            });
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let permit = tokio::time::timeout(WAIT, self.checks.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match permit {
            Ok(Ok(permit)) => Some(Pass {
                _permit: permit,
                name: held,
            }),
            _ => None,
        }
    }
}

impl Pass<'_> {
    pub fn name(&self) -> &str {
        &self.name.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_check_per_name_and_a_few_at_once() {
        let gate = Gate::default();
        let ana = gate.enter("Ana").await.expect("first");
        assert_eq!(ana.name(), "ana");
        assert!(gate.enter("ana").await.is_none(), "the same account, at once");
        let ben = gate.enter("ben").await.expect("another account");
        // Both checks taken: the next waits, then gives up after WAIT.
        let started = tokio::time::Instant::now();
        assert!(gate.enter("cy").await.is_none());
        assert!(started.elapsed() >= WAIT);
        // Freed places are taken again, by waiting attempts first.
        drop(ana);
        let cy = gate.enter("cy").await.expect("a place is free");
        drop((ben, cy));
        assert!(gate.enter("ana").await.is_some(), "the name is free again");
    }

    #[tokio::test]
    async fn past_the_waiting_room_attempts_are_turned_away_at_once() {
        let gate = std::sync::Arc::new(Gate::default());
        let _held = (gate.enter("a").await, gate.enter("b").await);
        let mut waiting = Vec::new();
        for i in 0..MAX_WAITING {
            let gate = gate.clone();
            waiting.push(tokio::spawn(async move {
                gate.enter(&format!("w{i}")).await.is_some()
            }));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = std::time::Instant::now();
        assert!(gate.enter("late").await.is_none());
        assert!(started.elapsed() < WAIT / 2, "turned away without waiting");
        for w in waiting {
            assert!(!w.await.unwrap(), "nobody freed a place within WAIT");
        }
    }
}
