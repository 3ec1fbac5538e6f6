//! Pure domain types: no HTTP, no SQL. Values are parsed at the edge ("parse, don't validate")
//! and the rest of the code can rely on them.

mod names;
pub mod phone;
pub mod sms;
pub mod words;

pub use phone::{Phone, PhoneError};
pub use words::*;

/// Where an incident stands. Only `Verified` incidents with a location are dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentStatus {
    Unverified,
    Verified,
    Resolved,
    FalseAlarm,
    /// Folded into another incident (`merged_into`), which carries on in its place.
    Merged,
}

impl IncidentStatus {
    /// Still being handled: replies count and alerts may go out.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Unverified | Self::Verified)
    }
}

/// What an alert is for: one first alert and one all-clear per incident, any number of updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertPurpose {
    First,
    /// A dispatcher's free text to everyone the first alert reached.
    Update,
    AllClear,
}

impl AlertPurpose {
    /// Lower goes first in the outbox: a first alert is urgent, an all-clear is not.
    pub fn priority(self) -> i64 {
        match self {
            Self::First => 0,
            Self::Update => 1,
            Self::AllClear => 2,
        }
    }
}

/// One alert to one volunteer on one channel.
/// `Queued`: in our outbox. `Submitted`: the provider took it (Twilio queued/accepted/sending).
/// `Sent`/`Delivered`/`Undelivered`/`Failed`: the provider's receipts. `Canceled`: the incident
/// ended before it left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    Queued,
    Submitted,
    Sent,
    Delivered,
    Undelivered,
    Failed,
    Canceled,
}

impl DeliveryStatus {
    /// Receipts may arrive out of order: a status only ever moves to a higher rank.
    pub fn rank(self) -> u8 {
        match self {
            Self::Queued => 0,
            Self::Submitted => 1,
            Self::Sent => 2,
            Self::Delivered | Self::Undelivered | Self::Failed | Self::Canceled => 3,
        }
    }

    /// Twilio's `MessageStatus` mapped onto ours; unknown statuses are ignored.
    pub fn from_twilio(status: &str) -> Option<DeliveryStatus> {
        Some(match status {
            "accepted" | "queued" | "scheduled" | "sending" => Self::Submitted,
            "sent" => Self::Sent,
            "delivered" | "read" => Self::Delivered,
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
        assert_eq!(Language::parse("fr"), None);
    }
}
