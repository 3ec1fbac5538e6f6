//! Channels hand one message to one provider and say what came of it, nothing more: they know
//! nothing of the outbox. Every failure is classified as worth retrying or not.

pub mod twilio;

use std::future::Future;

use crate::domain::Phone;

/// The provider took the message; `provider_id` is its id for receipts (Twilio's `SM…` sid).
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub provider_id: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    /// Timeouts, connection errors, 5xx, throttling: the same send may succeed later.
    #[error("transient: {0}")]
    Retryable(String),
    /// Our configuration is wrong (credentials, sender): retry later, once an operator fixed it.
    #[error("configuration: {0}")]
    Config(String),
    /// The recipient cannot get this message this way (bad number, unsubscribed, landline).
    #[error("permanent: {reason}")]
    Permanent { reason: String, opted_out: bool },
}

pub trait Channel: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn send(&self, to: &Phone, body: &str) -> impl Future<Output = Result<Accepted, SendError>> + Send;
}
