//! `[network]`: the network's name, its clock, and its night (for wake-up calls).

use serde::Deserialize;

use super::calls;

#[derive(Debug, Clone, Deserialize)]
pub struct Network {
    pub name: String,
    /// IANA time zone name (`America/Los_Angeles`): schedules and local times are in it.
    pub timezone: String,
    /// When `call = "night"` volunteers are called (`"22-7"`), in `timezone`.
    #[serde(default = "calls::default_night_hours")]
    pub night_hours: String,
}

impl Network {
    /// The network's time zone (checked at start; UTC if it cannot be found).
    pub fn tz(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}
