//! A volunteer's standing: whether the network has vetted them. Joiners by text are not vetted
//! (`join.approval`): under `dispatcher` they are `Pending` and get nothing until an admin
//! approves them; under `open` they are `Unvetted`, alerted with the zone or a rough place only,
//! never asked to verify, and their answers are not counted towards the responders wanted.
//! Volunteers added by a dispatcher (API, CLI, dashboard) are `Approved`. Stored as text with
//! a CHECK (migration 0015); the API calls it `status`.

/// How far a volunteer is trusted with what the network knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standing {
    /// Vetted: exact places, verifying, counted among responders, may be trusted.
    Approved,
    /// Joined by text, waiting for an admin: never alerted.
    Pending,
    /// Joined by text where joining is open: alerted with the zone or a rough place only.
    Unvetted,
}

impl Standing {
    pub const NAMES: &'static [&'static str] = &["approved", "pending", "unvetted"];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Pending => "pending",
            Self::Unvetted => "unvetted",
        }
    }

    pub fn parse(s: &str) -> Option<Standing> {
        match s {
            "approved" => Some(Self::Approved),
            "pending" => Some(Self::Pending),
            "unvetted" => Some(Self::Unvetted),
            _ => None,
        }
    }

    /// As stored; anything unreadable gets the least rights (pending: never alerted).
    pub fn from_stored(s: &str) -> Standing {
        Standing::parse(s).unwrap_or(Standing::Pending)
    }

    /// The standing a joiner by text gets under `join.approval`.
    pub fn of_joiner(approval: crate::config::Approval) -> Standing {
        match approval {
            crate::config::Approval::Dispatcher => Self::Pending,
            crate::config::Approval::Open => Self::Unvetted,
        }
    }

    /// Approval is the only move: a vetted volunteer is never un-vetted (an admin removes them).
    /// Rejecting is removal, not a standing.
    pub fn can_become(self, next: Standing) -> bool {
        matches!((self, next), (Self::Pending | Self::Unvetted, Self::Approved))
    }

    /// May be alerted at all.
    pub fn alertable(self) -> bool {
        self != Self::Pending
    }

    /// Vetted: may see an exact place, verify, count towards `wanted`, and be trusted.
    pub fn vetted(self) -> bool {
        self == Self::Approved
    }
}

impl std::fmt::Display for Standing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Standing::{self, *};

    #[test]
    fn pending_becomes_approved() {
        assert!(Pending.can_become(Approved));
    }

    #[test]
    fn unvetted_becomes_approved() {
        assert!(Unvetted.can_become(Approved));
    }

    #[test]
    fn nothing_else_moves() {
        for from in [Approved, Pending, Unvetted] {
            for to in [Pending, Unvetted] {
                assert!(!from.can_become(to), "{from} -> {to}");
            }
        }
        assert!(!Approved.can_become(Approved));
    }

    #[test]
    fn only_the_approved_are_vetted_and_only_the_pending_are_never_alerted() {
        assert_eq!(
            [Approved, Pending, Unvetted].map(|s| (s.vetted(), s.alertable())),
            [(true, true), (false, false), (false, true)]
        );
    }

    #[test]
    fn names_round_trip_and_unknown_ones_get_the_least_rights() {
        for name in Standing::NAMES {
            assert_eq!(Standing::parse(name).map(Standing::as_str), Some(*name));
        }
        assert_eq!(Standing::from_stored("admin"), Pending);
    }
}
