//! `[oncall]`: paging the dispatchers on duty when a report needs a person (issue 14).

use anyhow::bail;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Oncall {
    /// Seconds a report may stay unplaced before the dispatchers are paged.
    pub page_after_s: u64,
    /// Seconds the on-duty dispatchers have to answer ACK before every dispatcher is paged.
    pub repage_after_s: u64,
}

impl Oncall {
    pub fn validate(&self) -> anyhow::Result<()> {
        if !(5..=86_400).contains(&self.page_after_s) {
            bail!("oncall.page_after_s: must be between 5 and 86400 seconds");
        }
        if !(5..=86_400).contains(&self.repage_after_s) {
            bail!("oncall.repage_after_s: must be between 5 and 86400 seconds");
        }
        Ok(())
    }
}
