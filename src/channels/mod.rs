//! Channels hand one message to one provider and say what came of it, nothing more: they know
//! nothing of the outbox. Every failure is classified as worth retrying or not.

pub mod signal;
pub mod twilio;

use std::future::Future;
use std::time::Duration;

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

/// Who a message goes to: a phone number (E.164) or a Signal account id.
pub trait Channel: Send + Sync + 'static {
    fn send(&self, to: &str, body: &str) -> impl Future<Output = Result<Accepted, SendError>> + Send;
}
