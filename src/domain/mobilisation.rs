//! A planned mobilisation (issue 18): an eviction defence, a court hearing, a lockout, an action.
//! Planned ahead, unlike an incident; it has a time, a place, a text, how many people it wants,
//! and whom to invite.

use serde::{Deserialize, Serialize};

/// The kinds every network has; `mobilisations.kinds` adds more.
pub const BUILT_IN_KINDS: &[&str] = &["eviction", "hearing", "lockout", "action"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MobilisationStatus {
    /// Ahead: invitations, answers, reminders.
    Planned,
    /// Its morning: a live incident for those who said yes.
    Live,
    Ended,
    Cancelled,
}

/// Who gets the exact place: those who said yes (the default), or everyone invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclose {
    Yes,
    All,
}

/// Whom to invite. As JSON: `{"radius_m": 800}` (volunteers whose home areas meet a circle
/// around the place), `{"zones": ["Koreatown"]}`, `{"role": "verifier"}`, or
/// `{"volunteers": [12, 31]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Audience {
    RadiusM(u32),
    Zones(Vec<String>),
    Role(String),
    Volunteers(Vec<i64>),
}

/// Where it happens: what was typed, where it resolved, and how to say it. Sealed as a whole
/// (often someone's home).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub typed: String,
    pub lat: f64,
    pub lon: f64,
    pub label: String,
}

impl Audience {
    /// The widest circle: a radius is around one place, not a city.
    pub const MAX_RADIUS_M: u32 = 20_000;
    pub const MIN_RADIUS_M: u32 = 100;
    /// At most this many zones or listed volunteers.
    pub const MAX_LISTED: usize = 1_000;

    /// Why it cannot be an audience, if it cannot (what needs the network's zones and roles is
    /// checked where they are known).
    pub fn problem(&self) -> Option<String> {
        match self {
            Audience::RadiusM(m) if !(Self::MIN_RADIUS_M..=Self::MAX_RADIUS_M).contains(m) => Some(format!(
                "radius_m must be between {} and {} metres",
                Self::MIN_RADIUS_M,
                Self::MAX_RADIUS_M
            )),
            Audience::Zones(z) if z.is_empty() || z.len() > Self::MAX_LISTED => {
                Some(format!("zones must list 1 to {} zones", Self::MAX_LISTED))
            }
            Audience::Volunteers(v) if v.is_empty() || v.len() > Self::MAX_LISTED => Some(format!(
                "volunteers must list 1 to {} volunteer ids",
                Self::MAX_LISTED
            )),
            Audience::Role(r) if r.trim().is_empty() => Some("role must not be empty".into()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_audience_reads_as_one_key_and_nothing_else() {
        let read = |s: &str| serde_json::from_str::<Audience>(s);
        assert_eq!(read(r#"{"radius_m": 800}"#).unwrap(), Audience::RadiusM(800));
        assert_eq!(
            read(r#"{"zones": ["Koreatown"]}"#).unwrap(),
            Audience::Zones(vec!["Koreatown".into()])
        );
        assert_eq!(
            read(r#"{"role": "verifier"}"#).unwrap(),
            Audience::Role("verifier".into())
        );
        assert_eq!(
            read(r#"{"volunteers": [3, 4]}"#).unwrap(),
            Audience::Volunteers(vec![3, 4])
        );
        assert!(read(r#"{"radius_m": 800, "zones": []}"#).is_err());
        assert!(read(r#"{"radius_m": -5}"#).is_err());
        assert!(read(r#"{"everyone": true}"#).is_err());
        assert!(Audience::RadiusM(50).problem().is_some());
        assert!(Audience::RadiusM(800).problem().is_none());
        assert!(Audience::Zones(vec![]).problem().is_some());
    }
}
