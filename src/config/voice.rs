//! `[voice]`: the hotline answering phone calls (issue 17).

use anyhow::bail;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Voice {
    /// Longest voice message a caller may leave, in seconds (Twilio's `<Record maxLength>`).
    pub max_record_s: u32,
}

impl Default for Voice {
    fn default() -> Self {
        Voice { max_record_s: 120 }
    }
}

impl Voice {
    pub fn validate(&self) -> anyhow::Result<()> {
        // Twilio refuses a maxLength above 14400 s (4 hours).
        if !(10..=14_400).contains(&self.max_record_s) {
            bail!("voice.max_record_s: must be between 10 and 14400 seconds");
        }
        Ok(())
    }
}
