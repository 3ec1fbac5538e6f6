//! The stable names of domain values, as stored, sent over the API and read back.

use super::{Answer, Kind, Role};

/// A value with a stable name: what the store writes and its `IN (...)` lists are made of.
pub trait Named: Copy + 'static {
    fn name(self) -> &'static str;
}

/// A name that is none of a type's (a row written by something else, a bad request).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {name:?}")]
pub struct UnknownName {
    pub what: &'static str,
    pub name: String,
}

macro_rules! named {
    ($ty:ty { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl Named for $ty {
            fn name(self) -> &'static str {
                self.as_str()
            }
        }
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($name => Some(Self::$variant),)+ _ => None }
            }
            /// Every name, for error messages.
            pub const NAMES: &'static [&'static str] = &[$($name),+];
        }
        impl TryFrom<&str> for $ty {
            type Error = UnknownName;
            /// Decodes a stored or sent name; anything else is an error naming the type.
            fn try_from(s: &str) -> Result<Self, UnknownName> {
                Self::parse(s).ok_or_else(|| UnknownName {
                    what: stringify!($ty),
                    name: s.chars().take(40).collect(),
                })
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named!(Kind { Raid => "raid", Eviction => "eviction", Police => "police", Other => "other" });
named!(Role { Dispatcher => "dispatcher", Admin => "admin" });
named!(Answer { Coming => "coming", Cant => "cant", OnScene => "on_scene", Maybe => "maybe" });
named!(super::IncidentStatus {
    Unverified => "unverified",
    Verifying => "verifying",
    Confirmed => "confirmed",
    NotFound => "not_found",
    AllClear => "all_clear",
    FalseAlarm => "false_alarm",
    Merged => "merged",
});
named!(super::DeliveryStatus {
    Queued => "queued",
    Submitted => "submitted",
    Sent => "sent",
    Delivered => "delivered",
    Read => "read",
    Undelivered => "undelivered",
    Failed => "failed",
    Canceled => "canceled",
    FailedOver => "failed_over",
    Ringing => "ringing",
    InProgress => "in_progress",
    Completed => "completed",
    NoAnswer => "no_answer",
    Busy => "busy",
});
named!(super::NeedsPerson {
    NoVerifier => "no_verifier",
    VerifiersSilent => "verifiers_silent",
    Unplaced => "unplaced",
    Flood => "flood",
});
named!(super::PageStatus { Queued => "queued", Sent => "sent", Failed => "failed", Canceled => "canceled" });
named!(super::ConfirmedBy {
    Trusted => "trusted",
    Verifier => "verifier",
    Dispatcher => "dispatcher",
    Policy => "policy",
});
named!(super::Channel { Sms => "sms", Signal => "signal", Voice => "voice" });
named!(super::CallWhen { Never => "never", Night => "night", Always => "always" });
named!(super::AttemptOutcome {
    Submitted => "submitted",
    Retry => "retry",
    Failed => "failed",
    FailedOver => "failed_over",
});
named!(super::MobilisationStatus {
    Planned => "planned",
    Live => "live",
    Ended => "ended",
    Cancelled => "cancelled",
});
named!(super::Disclose { Yes => "yes", All => "all" });
named!(super::Reach { Sms => "sms", Signal => "signal", Both => "both" });

named!(super::AlertPurpose {
    Verify => "verify",
    First => "first",
    Update => "update",
    AllClear => "all_clear",
});
