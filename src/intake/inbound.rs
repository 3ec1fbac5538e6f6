//! A message as it arrived from a provider, before intake tells what it is, and what intake
//! answers it with. Shared by every part of intake that reads messages.

use crate::domain::{Phone, SignalId, SubscriptionKeyword};

/// Where a message came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Sms,
    Signal,
}

impl Via {
    /// The provider name under which message ids are remembered.
    pub(crate) fn provider(self) -> &'static str {
        match self {
            Via::Sms => "twilio",
            Via::Signal => "signal",
        }
    }

    pub(crate) fn channel(self) -> &'static str {
        match self {
            Via::Sms => "sms",
            Via::Signal => "signal",
        }
    }
}

pub struct Inbound {
    pub via: Via,
    /// Who sent it, as the provider named them (Twilio's `From`; Signal's account id or number),
    /// valid number or not: limits and blocks are keyed on it.
    pub sender: String,
    /// The sender's number, when known and valid.
    pub phone: Option<Phone>,
    /// The sender's Signal account id, for Signal messages.
    pub signal_id: Option<SignalId>,
    pub body: String,
    /// The provider's id of this message (Twilio's MessageSid; Signal's sender + timestamp).
    pub message_id: String,
    /// A subscription keyword the carrier recognised and answered itself (Twilio's Advanced
    /// Opt-Out sends `OptOutType`), whatever the words.
    pub carrier_keyword: Option<SubscriptionKeyword>,
}

/// What to answer the sender with (None: nothing).
pub type Reply = Option<String>;
