//! Channels hand one message to one provider and say what came of it, nothing more: they know
//! nothing of the outbox. Every failure is classified as worth retrying or not. Each provider
//! implements `Provider` and is registered under its `Channel` in `registry`; the outbox only
//! ever asks the registry.

mod registry;
pub mod signal;
pub mod twilio;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub use registry::{Channels, Registry};

use crate::domain::{Channel, Phone};

/// The provider took the message; `provider_id` is its id for receipts (Twilio's `SM…` sid,
/// Signal's send timestamp).
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub provider_id: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    /// Timeouts, connection errors, 5xx, throttling: the same send may succeed later, not
    /// before `after` when the provider said so.
    #[error("transient: {reason}")]
    Retryable { reason: String, after: Option<Duration> },
    /// Our configuration is wrong (credentials, sender): retry later, once an operator fixed it.
    #[error("configuration: {0}")]
    Config(String),
    /// The recipient cannot get this message this way (bad number, unsubscribed, not on Signal).
    #[error("permanent: {reason}")]
    Permanent { reason: String, opted_out: bool },
}

impl SendError {
    pub fn retry(reason: impl Into<String>) -> SendError {
        SendError::Retryable {
            reason: reason.into(),
            after: None,
        }
    }

    pub fn permanent(reason: impl Into<String>) -> SendError {
        SendError::Permanent {
            reason: reason.into(),
            opted_out: false,
        }
    }
}

/// One send in flight: what the provider answered, classified.
pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<Accepted, SendError>> + Send + 'a>>;

/// Where a volunteer can be reached, as opened from storage; an `Err` is a value that did not
/// open (its reason), which fails the delivery.
#[derive(Debug, Clone)]
pub struct Contact {
    pub phone: Result<String, String>,
    /// Their Signal account id, when they gave one.
    pub signal: Option<Result<String, String>>,
}

impl Contact {
    /// Their number in E.164.
    pub fn number(&self) -> Result<String, String> {
        let plain = self.phone.clone()?;
        Phone::parse(&plain)
            .map(|p| p.e164().to_string())
            .map_err(|e| format!("stored number {e}"))
    }
}

/// A provider the outbox can send through: one per `Channel`, held by the `Registry`.
pub trait Provider: Send + Sync + 'static {
    /// The channel whose deliveries it carries.
    fn channel(&self) -> Channel;

    /// Who it sends from, each paced on its own (Twilio numbers or messaging service; the
    /// Signal account).
    fn senders(&self) -> Vec<String>;

    /// Messages per second each sender may send.
    fn mps(&self) -> f64;

    /// The recipient's address on this channel; by default their number in E.164.
    fn address(&self, to: &Contact) -> Result<String, String> {
        to.number()
    }

    /// Sends `body` from `sender` (one of `senders`) to `to` (from `address`).
    fn send_from<'a>(&'a self, sender: &'a str, to: &'a str, body: &'a str) -> Sending<'a>;

    /// Sends the outbox's delivery `delivery_id`: `send_from`, unless what the provider carries
    /// needs the delivery itself (a call fetches its words by it when it connects).
    fn send_delivery<'a>(
        &'a self,
        delivery_id: i64,
        sender: &'a str,
        to: &'a str,
        body: &'a str,
    ) -> Sending<'a> {
        let _ = delivery_id;
        self.send_from(sender, to, body)
    }
}
