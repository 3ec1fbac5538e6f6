//! A message as it arrived from a provider, before intake tells what it is, and what intake
//! answers it with. Shared by every part of intake that reads messages.

use crate::domain::{Channel, Phone, SignalId, SubscriptionKeyword};

pub struct Inbound {
    /// The channel it came in on (its provider names the message ids: `Channel::provider`).
    pub via: Channel,
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
