//! Where an incident stands and who confirmed it: the one vocabulary the store, dispatch, the
//! API and the dashboard share. The open and undecided sets, and which status may follow
//! which, are defined here once; the store writes its `IN (...)` lists from them.

/// Where an incident stands: `unverified -> verifying -> confirmed | not_found | false_alarm`,
/// and `confirmed -> all_clear`. Only `Confirmed` incidents with a location are broadcast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentStatus {
    Unverified,
    /// Being checked: verifiers were asked, or a second independent reporter saw it too.
    Verifying,
    Confirmed,
    /// A verifier went and found nothing: closed without alerting anyone.
    NotFound,
    /// It was not what it seemed: everyone alerted is told to stand down.
    FalseAlarm,
    /// It is over: everyone alerted is told so.
    AllClear,
    /// Folded into another incident (`merged_into`), which carries on in its place.
    Merged,
    /// A mobilisation's, ahead of its morning: answered (YES/NO/MAYBE), never broadcast.
    Planned,
    /// A planned mobilisation called off.
    Cancelled,
}

use IncidentStatus::*;

impl IncidentStatus {
    pub const ALL: &'static [IncidentStatus] = &[
        Unverified, Verifying, Confirmed, NotFound, FalseAlarm, AllClear, Merged, Planned, Cancelled,
    ];
    /// Still being handled: replies count and alerts may go out.
    pub const OPEN: &'static [IncidentStatus] = &[Unverified, Verifying, Confirmed];
    /// Not decided yet: no broadcast has gone out.
    pub const UNDECIDED: &'static [IncidentStatus] = &[Unverified, Verifying];
    /// Ended with a message to everyone alerted.
    pub const ENDED_ALOUD: &'static [IncidentStatus] = &[AllClear, FalseAlarm];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    pub fn is_pending(self) -> bool {
        Self::UNDECIDED.contains(&self)
    }

    /// The statuses this one may be reached from. A dispatcher may also confirm an incident
    /// the verifiers closed as not found; that is the one way back from a closed status.
    pub fn reached_from(self) -> &'static [IncidentStatus] {
        match self {
            Unverified => &[],
            Verifying => &[Unverified],
            Confirmed => Self::UNDECIDED,
            NotFound => Self::UNDECIDED,
            AllClear => &[Confirmed],
            FalseAlarm | Merged => Self::OPEN,
            // Only a mobilisation moves its incident on (`store::invitations`), never an
            // action meant for reports: its morning makes it confirmed, its cancellation this.
            Planned | Cancelled => &[],
        }
    }

    /// Whether `next` may follow this status (the dispatcher's way back from `not_found`
    /// aside: see `reached_from`).
    pub fn may_become(self, next: IncidentStatus) -> bool {
        next.reached_from().contains(&self)
    }
}

/// Who confirmed an incident: a trusted volunteer's own report, a verifier's CONFIRM, a
/// dispatcher, or the `dispatch.auto_verify = "all"` policy (nobody: its messages say
/// UNCONFIRMED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfirmedBy {
    Trusted,
    Verifier,
    Dispatcher,
    Policy,
}

impl ConfirmedBy {
    /// Confirmed by a person (or a trusted reporter), not only by the policy.
    pub fn by_someone(self) -> bool {
        self != ConfirmedBy::Policy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sets_agree_with_the_transitions() {
        for s in IncidentStatus::ALL {
            assert_eq!(s.is_pending(), s.is_open() && *s != Confirmed, "{s}");
            // Only an open incident moves on (not_found's dispatcher exception aside).
            for next in IncidentStatus::ALL {
                if s.may_become(*next) {
                    assert!(s.is_open(), "{s} -> {next}");
                }
            }
        }
        assert!(Unverified.may_become(Verifying) && !Verifying.may_become(Unverified));
        assert!(Confirmed.may_become(AllClear) && !Verifying.may_become(AllClear));
        assert!(Verifying.may_become(NotFound) && !Confirmed.may_become(NotFound));
        assert!(!AllClear.may_become(Confirmed) && !Merged.may_become(Confirmed));
    }

    #[test]
    fn names_round_trip() {
        for s in IncidentStatus::ALL {
            assert_eq!(IncidentStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(IncidentStatus::NAMES.len(), IncidentStatus::ALL.len());
        for name in ConfirmedBy::NAMES {
            assert_eq!(ConfirmedBy::parse(name).map(|c| c.as_str()), Some(*name));
        }
        assert!(!ConfirmedBy::Policy.by_someone() && ConfirmedBy::Trusted.by_someone());
    }
}
