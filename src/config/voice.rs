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

#[cfg(test)]
mod tests {
    use super::Voice;

    #[test]
    fn two_minutes_by_default_and_a_limit_out_of_bounds_is_named() {
        assert_eq!(Voice::default().max_record_s, 120);
        assert!(Voice::default().validate().is_ok());
        for wrong in [0, 9, 14_401] {
            let e = Voice { max_record_s: wrong }.validate().unwrap_err().to_string();
            assert!(e.contains("voice.max_record_s"), "{e}");
        }
    }
}
