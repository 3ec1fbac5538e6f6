//! `[calls]`, and the two settings of wake-up calls that belong to other sections:
//! `network.night_hours` (when a `call = "night"` volunteer is called) and `twilio.cps` (calls
//! per second per number). Issue 17 §2 names the retry `voice.retry_after_s`; it lives here as
//! `calls.retry_after_s` so that the hotline's `[voice]` settings stay apart from calls out.

use anyhow::bail;
use serde::Deserialize;

use crate::domain::calls::NightHours;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Calls {
    /// A call unanswered or busy is placed once more after this long (the repeat-call rule:
    /// a second call within three minutes passes Do Not Disturb for favourites on iPhones).
    pub retry_after_s: u64,
    /// Seconds the call waits for a key after the alert is read.
    pub gather_timeout_s: u64,
}

impl Default for Calls {
    fn default() -> Self {
        Calls {
            retry_after_s: 120,
            gather_timeout_s: 8,
        }
    }
}

pub fn default_cps() -> f64 {
    1.0
}

pub fn default_night_hours() -> String {
    "22-7".into()
}

impl Calls {
    pub fn validate(&self, night_hours: &str, cps: f64) -> anyhow::Result<()> {
        if !(1..=3600).contains(&self.retry_after_s) {
            bail!("calls.retry_after_s: must be between 1 and 3600 seconds");
        }
        if !(1..=60).contains(&self.gather_timeout_s) {
            bail!("calls.gather_timeout_s: must be between 1 and 60 seconds");
        }
        if let Err(e) = NightHours::parse(night_hours) {
            bail!("network.night_hours: {e}");
        }
        if !(cps > 0.0 && cps <= 100.0) {
            bail!("twilio.cps: must be more than 0 and at most 100 calls per second");
        }
        Ok(())
    }
}
