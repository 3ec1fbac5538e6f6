//! Pure domain types: no HTTP, no SQL. Values are parsed at the edge ("parse, don't validate")
//! and the rest of the code can rely on them.

pub mod body;
pub mod calls;
pub mod check;
pub mod clock;
pub mod fold;
pub mod incident;
pub mod located;
pub mod mobilisation;
mod names;
pub mod oncall;
pub use names::Named;
pub mod phone;
pub mod scope;
pub mod signal_id;
pub mod sms;
pub mod standing;
pub mod words;

pub use calls::CallWhen;
pub use check::CheckAnswer;
pub use incident::{ConfirmedBy, IncidentStatus};
pub use located::LocatedBy;
pub use mobilisation::{Audience, Disclose, MobilisationStatus};
pub use names::UnknownName;
pub use oncall::{DispatcherWord, NeedsPerson, PageStatus, Round};
pub use phone::{Phone, PhoneError};
pub use scope::Scope;
pub use signal_id::{SignalId, SignalIdError};
pub use standing::Standing;

pub use crate::i18n::Language;
pub use words::*;

/// Where a report places its incident.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Location {
    pub point: Option<(f64, f64)>,
    /// The most specific zone at the point, or the zone the text names.
    pub zone: Option<String>,
    /// Placed only by a zone's name or a street's: the point is the zone's or the street's
    /// middle, not the sighting's.
    pub approximate: bool,
    /// How the point was found; None when there is no point (or it predates migration 0018).
    pub located_by: Option<LocatedBy>,
    /// How far the sighting may be from the point, in metres, when approximate.
    pub uncertainty_m: Option<f64>,
}

/// How a volunteer is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    Sms,
    Signal,
    /// Both at once: the alert goes out on each.
    Both,
}

/// A way of reaching a volunteer, one delivery row each. Stored as `sms`/`signal`/`voice` in
/// `deliveries.channel`; `provider` names who carries it (Twilio for SMS and calls). `Voice`
/// is a wake-up call that follows a first alert's text (issue 17 §2): only deliveries use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Sms,
    Signal,
    Voice,
}

impl Channel {
    /// Every channel a message can be texted on (reports, replies, pages); not `Voice`.
    pub const ALL: [Channel; 2] = [Channel::Sms, Channel::Signal];
    /// Their names: what a dispatcher's pages may go on.
    pub const TEXT_NAMES: [&'static str; 2] = ["sms", "signal"];

    /// The provider's name, as receipts and inbound messages are keyed (`twilio`, `signal`).
    /// The only place the two vocabularies meet.
    pub fn provider(self) -> &'static str {
        match self {
            Self::Sms | Self::Voice => "twilio",
            Self::Signal => "signal",
        }
    }
}

/// What one try at a delivery came to, as `delivery_attempts.outcome` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttemptOutcome {
    /// The provider took it.
    Submitted,
    /// It may succeed later: back in the queue.
    Retry,
    /// Not retried: refused for good, opted out, or the alert went stale.
    Failed,
    /// Signal could not take it: an SMS delivery replaces it.
    FailedOver,
}

/// What an alert is for: one first alert and one all-clear per incident, any number of updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertPurpose {
    /// "Please check": to the nearest verifiers of an unverified report, before anyone else.
    Verify,
    First,
    /// A dispatcher's free text to everyone the first alert reached.
    Update,
    AllClear,
    /// A mobilisation's invitation (`seq`: its widening step), to answer YES/NO/MAYBE.
    Invite,
    /// A mobilisation's reminder, to those who said yes or maybe.
    Reminder,
    /// A mobilisation's new time or place, to everyone invited.
    Change,
    /// A mobilisation called off: everyone invited stands down.
    Cancel,
    /// A mobilisation's morning: to those who said yes, to check in with HERE.
    Live,
}

impl AlertPurpose {
    /// Lower goes first in the outbox: a first alert is urgent, an all-clear is not. Updates
    /// and all-clears go at this priority to those coming or on scene, one lower to the rest.
    pub fn priority(self) -> i64 {
        match self {
            Self::Verify | Self::First | Self::Live => 0,
            Self::Update | Self::Change | Self::Cancel => 1,
            Self::Invite | Self::Reminder => 2,
            Self::AllClear => 3,
        }
    }
}

/// One alert to one volunteer on one channel.
/// `Queued`: in our outbox. `Submitted`: the provider took it (Twilio queued/accepted/sending,
/// Signal sent). `Sent`/`Delivered`/`Read`/`Undelivered`/`Failed`: the provider's receipts.
/// `Canceled`: the incident ended before it left. `FailedOver`: Signal could not take it and an
/// SMS delivery replaced it. A call (`Channel::Voice`) moves `Submitted` → `Ringing` →
/// `InProgress` → `Completed`, or ends `NoAnswer`, `Busy` or `Failed` (Twilio's call statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    Queued,
    Submitted,
    Sent,
    Delivered,
    Read,
    Undelivered,
    Failed,
    Canceled,
    FailedOver,
    Ringing,
    InProgress,
    Completed,
    NoAnswer,
    Busy,
}

impl DeliveryStatus {
    /// Receipts may arrive out of order: a status only ever moves to a higher rank. Endings
    /// that are not a success outrank everything, so no late receipt revives them.
    pub fn rank(self) -> u8 {
        match self {
            Self::Queued => 0,
            Self::Submitted => 1,
            Self::Sent => 2,
            Self::Delivered => 3,
            Self::Read => 4,
            Self::Ringing => 2,
            Self::InProgress => 3,
            Self::Completed => 4,
            Self::Undelivered
            | Self::Failed
            | Self::Canceled
            | Self::FailedOver
            | Self::NoAnswer
            | Self::Busy => 5,
        }
    }

    /// Twilio's `MessageStatus` mapped onto ours; unknown statuses are ignored.
    pub fn from_twilio(status: &str) -> Option<DeliveryStatus> {
        Some(match status {
            "accepted" | "queued" | "scheduled" | "sending" => Self::Submitted,
            "sent" => Self::Sent,
            "delivered" => Self::Delivered,
            "read" => Self::Read,

            "undelivered" => Self::Undelivered,
            "failed" => Self::Failed,
            "canceled" => Self::Canceled,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_only_move_forward() {
        let sent = DeliveryStatus::from_twilio("sent").unwrap();
        let delivered = DeliveryStatus::from_twilio("delivered").unwrap();
        assert!(delivered.rank() > sent.rank());
        assert!(DeliveryStatus::from_twilio("queued").unwrap().rank() < sent.rank());
        assert_eq!(DeliveryStatus::from_twilio("bogus"), None);
    }

    #[test]
    fn channels_and_outcomes_parse_from_rows() {
        for c in Channel::ALL {
            assert_eq!(Channel::try_from(c.as_str()), Ok(c));
        }
        assert_eq!(Channel::Sms.provider(), "twilio");
        assert_eq!(Channel::try_from("voice"), Ok(Channel::Voice));
        assert_eq!(Channel::Voice.provider(), "twilio");
        assert!(Channel::try_from("fax").is_err());
        assert_eq!(Channel::TEXT_NAMES, Channel::ALL.map(Channel::as_str));
        for name in AttemptOutcome::NAMES {
            assert_eq!(
                AttemptOutcome::try_from(*name).map(AttemptOutcome::as_str),
                Ok(*name)
            );
        }
        assert_eq!(
            DeliveryStatus::try_from("failed_over"),
            Ok(DeliveryStatus::FailedOver)
        );
    }

    #[test]
    fn names_round_trip() {
        for name in Kind::NAMES {
            assert_eq!(Kind::parse(name).unwrap().as_str(), *name);
        }
        for name in DeliveryStatus::NAMES {
            assert_eq!(DeliveryStatus::parse(name).unwrap().as_str(), *name);
        }
        assert_eq!(
            IncidentStatus::parse("false_alarm"),
            Some(IncidentStatus::FalseAlarm)
        );
        assert_eq!(Answer::parse("on_scene"), Some(Answer::OnScene));
    }
}
