//! `[dispatch]`: who verifies, whom an alert reaches, how it widens.

use serde::Deserialize;

use super::values::numbers;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoVerify {
    Trusted,
    All,
    None,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Dispatch {
    pub auto_verify: AutoVerify,
    pub alert_ttl_s: u64,
    pub merge_m: f64,
    pub merge_s: u64,
    /// Merge nearby reports whatever their kind (a raid reported as "police" is the same event).
    pub merge_any_kind: bool,
    /// How many verifiers are asked to check an unverified report.
    pub verifiers: usize,
    pub verifier_max_m: f64,
    /// NOTHING answers from different verifiers that close an incident as not found (or
    /// every verifier asked, when fewer were asked).
    pub not_found_after: usize,
    /// Requests to check sent to one verifier per hour at most.
    pub max_checks_per_verifier_per_hour: u32,
    /// Seconds a round of verifiers has to answer before the next nearest are asked.
    pub verifier_timeout_s: u64,
    /// Rounds of verifiers asked in all; after the last, unanswered, a dispatcher is paged.
    pub verifier_rounds: u32,
    /// Responders wanted per incident (stated in its alert); escalation widens the alert until
    /// this many say they are coming. 0: no number, no escalation.
    pub wanted: i64,
    /// Per kind (`raid = 8`), instead of `wanted`.
    #[serde(default)]
    pub wanted_by_kind: std::collections::BTreeMap<String, i64>,
    pub escalate_after_s: u64,
    /// Escalation steps: everyone available whose home area meets a circle of this radius
    /// around the point (a list; in the environment comma-separated).
    #[serde(deserialize_with = "numbers")]
    pub escalation_radii_m: Vec<f64>,
    /// After the radii, a step to everyone whose home area meets the incident's zone or a zone
    /// that touches it (incidents in no zone skip it).
    pub escalate_to_neighbouring_zones: bool,
    /// Then a last step to everyone available.
    pub escalate_to_everyone: bool,
    /// Once `wanted` are coming, everyone alerted who has not answered is told to stand by.
    pub enough_notice: bool,
    /// One more volunteer coming to an incident that has enough is offered the nearest short
    /// one within this many metres (0: never).
    pub surplus_m: f64,
    /// The first alert names the zone or a rough place; the exact place goes to those coming.
    pub progressive_disclosure: bool,
    /// A drill alerts only volunteers with this role, at every step.
    pub drill_role: String,
}

impl Dispatch {
    /// Responders wanted for an incident of this kind.
    pub fn wanted_for(&self, kind: &str) -> i64 {
        self.wanted_by_kind.get(kind).copied().unwrap_or(self.wanted)
    }
}
