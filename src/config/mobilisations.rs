//! `[mobilisations]`: planned actions (issue 18): the kinds a network uses beside the built-in
//! ones, and when reminders go out and an invitation widens, unless a mobilisation sets its own.

use anyhow::bail;
use serde::Deserialize;

use super::values::{one_or_many, whole_numbers};

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Mobilisations {
    /// Kinds beside `eviction`, `hearing`, `lockout` and `action` (lowercase words; in the
    /// environment comma-separated).
    #[serde(deserialize_with = "one_or_many")]
    pub kinds: Vec<String>,
    /// Seconds before the start at which those who said yes or maybe are reminded.
    #[serde(deserialize_with = "whole_numbers")]
    pub reminders_s: Vec<i64>,
    /// Seconds before the start at which an invitation short of people widens.
    pub widen_before_s: i64,
}

impl Default for Mobilisations {
    fn default() -> Self {
        Mobilisations {
            kinds: Vec::new(),
            reminders_s: vec![86_400, 7_200],
            widen_before_s: 86_400,
        }
    }
}

impl Mobilisations {
    pub fn validate(&self) -> anyhow::Result<()> {
        for kind in &self.kinds {
            if kind.is_empty() || kind.len() > 30 || !kind.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                bail!("mobilisations.kinds: {kind:?} must be 1 to 30 lowercase letters or _");
            }
        }
        if let Some(bad) = self.reminders_s.iter().find(|s| **s <= 0 || **s > 30 * 86_400) {
            bail!("mobilisations.reminders_s: {bad} must be between 1 and 2592000 (30 days)");
        }
        if self.widen_before_s < 0 || self.widen_before_s > 30 * 86_400 {
            bail!("mobilisations.widen_before_s: must be between 0 and 2592000 (30 days)");
        }
        Ok(())
    }
}
