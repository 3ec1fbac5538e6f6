//! `[oncall]`: paging the dispatchers on duty when a report needs a person (issue 14).

use std::collections::BTreeMap;

use anyhow::bail;
use serde::Deserialize;

use crate::oncall::schedule::Schedule;

/// One line of hours, or several (in the environment: comma-separated).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Hours {
    One(String),
    Many(Vec<String>),
}

impl Hours {
    fn lines(&self) -> Vec<String> {
        match self {
            Hours::One(text) => text.split(',').map(|l| l.trim().to_string()).collect(),
            Hours::Many(lines) => lines.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Oncall {
    /// Seconds a report may stay unplaced before the dispatchers are paged.
    pub page_after_s: u64,
    /// Seconds the on-duty dispatchers have to answer ACK before every dispatcher is paged.
    pub repage_after_s: u64,
    /// Weekly hours per account name, in `network.timezone` (`maria = ["mon-fri 18:00-08:00"]`).
    #[serde(default)]
    pub schedule: BTreeMap<String, Hours>,
}

impl Oncall {
    pub fn validate(&self) -> anyhow::Result<()> {
        if !(5..=86_400).contains(&self.page_after_s) {
            bail!("oncall.page_after_s: must be between 5 and 86400 seconds");
        }
        if !(5..=86_400).contains(&self.repage_after_s) {
            bail!("oncall.repage_after_s: must be between 5 and 86400 seconds");
        }
        for (name, hours) in &self.schedule {
            if let Err(e) = Schedule::parse(&hours.lines()) {
                bail!("oncall.schedule.{name}: {e}");
            }
        }
        Ok(())
    }

    /// The account's weekly hours, if it has any (checked at start).
    pub fn schedule_of(&self, name: &str) -> Option<Schedule> {
        Schedule::parse(&self.schedule.get(name)?.lines()).ok()
    }
}
