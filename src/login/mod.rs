//! Dashboard logins, made to hold under attack: password checks run a few at a time (the
//! rest are told to retry), an account locks after `dashboard.lockout_after` failures in a row
//! for `dashboard.lockout_minutes` (audited; `tocsin user unlock` ends it), and the login
//! form's CSRF token is signed by the server.
//!
//! An unknown name fails, locks and takes as long as a known one, so that nothing tells which
//! names exist. Its failures are counted in memory (per instance); a real account's in the
//! database, the same for every instance.

mod checker;
mod csrf;
mod gate;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use csrf::LoginCsrf;
pub use gate::CHECKS_AT_ONCE;

use crate::accounts::User;
use crate::audit::{self, Actor, Subject};
use crate::crypto::Vault;
use crate::state::Core;
use crate::store::{now_ms, StoreError};

/// One set of password-checking threads for the process.
static CHECKER: checker::Checker = checker::Checker::new();

/// Unknown names remembered at most (memory stays bounded under attack).
const MAX_UNKNOWN: usize = 10_000;

/// What became of one login attempt.
#[derive(Debug)]
pub enum Attempt {
    /// The password was right.
    In(User),
    /// Wrong name or password; `locked` when this failure locked the account.
    Wrong { locked: bool },
    /// The account is locked for this many more minutes (at least 1); nothing was checked.
    Locked { minutes: u64 },
    /// Too many checks at once, or this account is being checked already: retry in a second.
    Busy,
}

pub struct Logins {
    gate: gate::Gate,
    pub csrf: LoginCsrf,
    /// Failures in a row of names no account has, and when they lock.
    unknown: Mutex<HashMap<String, (u32, Option<Instant>)>>,
}

impl Logins {
    pub fn new(vault: &Vault) -> Logins {
        Logins {
            gate: gate::Gate::default(),
            csrf: LoginCsrf::new(vault.signing_key("login-csrf")),
            unknown: Mutex::new(HashMap::new()),
        }
    }

    /// Checks `password` for the account `name`, within the limits above.
    pub async fn attempt(&self, core: &Core, name: &str, password: &str) -> Result<Attempt, StoreError> {
        let name = name.trim();
        let Some(pass) = self.gate.enter(name).await else {
            return Ok(Attempt::Busy);
        };
        let settings = &core.settings.dashboard;
        let lock_ms = settings.lockout_minutes as i64 * 60_000;
        let row = core.store.user_by_name(name).await?;
        let now = now_ms();
        let locked_for = match &row {
            Some(row) if row.locked_at(now) => row.locked_until.map(|until| until - now),
            Some(_) => None,
            None => self.unknown_locked_for(pass.name()),
        };
        if let Some(ms) = locked_for {
            return Ok(Attempt::Locked {
                minutes: (ms.max(0) as u64).div_ceil(60_000).max(1),
            });
        }
        let hash = row.as_ref().map(|row| row.password_hash.clone());
        let matches = CHECKER.matches(password, hash).await;
        let Some(row) = row else {
            let locked = self.unknown_failed(pass.name(), settings.lockout_after, lock_ms);
            if locked {
                tracing::warn!("a login name no account has was locked after repeated failures");
            }
            return Ok(Attempt::Wrong { locked });
        };
        let user = User::from_row(&row);
        if matches {
            core.store.login_succeeded(row.id).await?;
            audit::record(core, &user.actor(), "login", Subject::None, "dashboard").await;
            return Ok(Attempt::In(user));
        }
        let locked = core
            .store
            .login_failed(row.id, settings.lockout_after, now + lock_ms)
            .await?;
        if locked {
            tracing::warn!(user = %row.name, "account locked after repeated failed logins");
            let detail = format!(
                "{} after {} failed logins, for {} minutes",
                row.name, settings.lockout_after, settings.lockout_minutes
            );
            audit::record(core, &Actor::System, "login_locked", Subject::None, &detail).await;
        }
        Ok(Attempt::Wrong { locked })
    }

    fn unknown_locked_for(&self, name: &str) -> Option<i64> {
        let map = self.unknown.lock().unwrap_or_else(|e| e.into_inner());
        let until = map.get(name)?.1?;
        let left = until.checked_duration_since(Instant::now())?;
        Some(left.as_millis() as i64)
    }

    fn unknown_failed(&self, name: &str, lock_after: u32, lock_ms: i64) -> bool {
        let mut map = self.unknown.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_UNKNOWN && !map.contains_key(name) {
            let now = Instant::now();
            map.retain(|_, (_, until)| until.is_some_and(|u| u > now));
            if map.len() >= MAX_UNKNOWN {
                map.clear();
            }
        }
        let entry = map.entry(name.to_string()).or_insert((0, None));
        entry.0 += 1;
        if entry.0 < lock_after {
            return false;
        }
        *entry = (
            0,
            Some(Instant::now() + Duration::from_millis(lock_ms.max(0) as u64)),
        );
        true
    }
}
