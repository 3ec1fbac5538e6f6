//! Sends one SMS with `POST {api_base}/2010-04-01/Accounts/{sid}/Messages.json` and classifies
//! Twilio's answer (PROTOCOLS.md §3). Twilio documents no idempotency key: a send whose answer
//! is lost may have gone out, which is the at-least-once bound of the outbox.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::super::{Accepted, Provider, SendError, Sending};
use crate::domain::Channel;

/// Twilio's "Attempt to send to unsubscribed recipient": the volunteer texted STOP to the
/// carrier. Known here only; a receipt carries it as `Twilio 21610` (see `is_unsubscribed`).
pub const UNSUBSCRIBED: u32 = 21610;

/// Whether a provider error as stored (`Twilio 21610`) says the recipient unsubscribed.
pub fn is_unsubscribed(error: &str) -> bool {
    error.strip_prefix("Twilio ").and_then(|c| c.parse::<u32>().ok()) == Some(UNSUBSCRIBED)
}

#[derive(Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    url: String,
    account_sid: String,
    auth_token: SecretString,
    senders: Vec<String>,
    status_callback: String,
    validity_s: u32,
    mps: f64,
}

pub struct TwilioParams {
    pub api_base: String,
    pub account_sid: String,
    pub auth_token: SecretString,
    /// Numbers to send from, or one messaging service (`MG…`): see `Settings::twilio.senders`.
    pub senders: Vec<String>,
    pub status_callback: String,
    pub validity_s: u32,
    pub timeout: Duration,
    /// Messages per second each sender may send (`twilio.mps`).
    pub mps: f64,
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

/// Both of Twilio's error shapes carry `code` (legacy) or `code`/`status` (RFC 9457).
#[derive(Deserialize, Default)]
struct ErrorBody {
    code: Option<u32>,
}

impl TwilioClient {
    pub fn new(p: TwilioParams) -> anyhow::Result<TwilioClient> {
        let http = reqwest::Client::builder()
            .timeout(p.timeout)
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            p.api_base.trim_end_matches('/'),
            p.account_sid
        );
        Ok(TwilioClient {
            http,
            url,
            account_sid: p.account_sid,
            auth_token: p.auth_token,
            senders: p.senders,
            status_callback: p.status_callback,
            validity_s: p.validity_s,
            mps: p.mps,
        })
    }
}

impl TwilioClient {
    /// The senders, in configuration order (the outbox paces each).
    pub fn senders(&self) -> &[String] {
        &self.senders
    }

    /// Sends from this sender: a number (`From`) or a messaging service (`MessagingServiceSid`).
    pub async fn send_from(&self, sender: &str, to: &str, body: &str) -> Result<Accepted, SendError> {
        let validity = self.validity_s.to_string();
        let from = if sender.starts_with("MG") {
            "MessagingServiceSid"
        } else {
            "From"
        };
        let form = [
            ("To", to),
            (from, sender),
            ("Body", body),
            ("StatusCallback", self.status_callback.as_str()),
            ("ValidityPeriod", validity.as_str()),
        ];
        let response = self
            .http
            .post(&self.url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .form(&form)
            .send()
            .await
            .map_err(|e| SendError::retry(format!("request failed: {}", without_url(&e))))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            // It was created: whatever happens reading the answer, sending again would duplicate
            // it. Without its sid we only lose its receipts.
            let sid = response
                .json::<Created>()
                .await
                .map(|c| c.sid)
                .unwrap_or_default();
            return Ok(Accepted { provider_id: sid });
        }
        let text = response.text().await.unwrap_or_default();
        let error: ErrorBody = serde_json::from_str(&text).unwrap_or_default();
        Err(classify(status, error.code))
    }
}

impl TwilioClient {
    /// From the first sender, unpaced (the outbox paces and spreads over the pool itself).
    pub async fn send(&self, to: &str, body: &str) -> Result<Accepted, SendError> {
        match self.senders.first() {
            Some(sender) => self.send_from(sender, to, body).await,
            None => Err(SendError::Config(
                "no twilio.from or twilio.messaging_service_sid".into(),
            )),
        }
    }
}

impl Provider for TwilioClient {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn senders(&self) -> Vec<String> {
        self.senders.clone()
    }

    fn mps(&self) -> f64 {
        self.mps
    }

    fn send_from<'a>(&'a self, sender: &'a str, to: &'a str, body: &'a str) -> Sending<'a> {
        Box::pin(TwilioClient::send_from(self, sender, to, body))
    }
}

/// A refusal as logs and the database may say it: Twilio's code and the HTTP status, never
/// its message (which may quote the number).
pub(super) fn refusal(http_status: u16, code: Option<u32>) -> String {
    match code {
        Some(c) => format!("Twilio {c} (HTTP {http_status})"),
        None => format!("HTTP {http_status}"),
    }
}

/// Twilio's answer to a failed send, as an outbox decision. Twilio's `message` is left out on
/// purpose: for 21211 and 21614 it quotes the number, which must not reach logs or the database.
pub fn classify(http_status: u16, code: Option<u32>) -> SendError {
    let what = refusal(http_status, code);
    match (http_status, code) {
        (_, Some(UNSUBSCRIBED)) => SendError::Permanent {
            reason: what,
            opted_out: true,
        },
        (_, Some(21211 | 21612 | 21614 | 21408 | 30005 | 30006)) => SendError::Permanent {
            reason: what,
            opted_out: false,
        },
        (401, _) | (_, Some(20003 | 21603 | 21606 | 21608 | 21611)) => SendError::Config(what),
        (429, _) | (_, Some(20429)) | (500..=599, _) | (408, _) => SendError::retry(what),
        // Any other 4xx is a request Twilio will refuse again the same way.
        (400..=499, _) => SendError::Permanent {
            reason: what,
            opted_out: false,
        },
        _ => SendError::retry(what),
    }
}

/// reqwest errors name the URL, which holds the account SID: keep it out of logs.
pub(super) fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connection refused or unreachable"
    } else {
        "transport error"
    };
    kind.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_errors_are_classified_as_the_protocol_says() {
        assert!(matches!(
            classify(400, Some(UNSUBSCRIBED)),
            SendError::Permanent { opted_out: true, .. }
        ));
        assert!(matches!(
            classify(400, Some(21211)),
            SendError::Permanent { opted_out: false, .. }
        ));
        assert!(matches!(classify(429, Some(20429)), SendError::Retryable { .. }));
        assert!(matches!(classify(503, None), SendError::Retryable { .. }));
        assert!(matches!(classify(401, Some(20003)), SendError::Config(_)));
        assert!(matches!(classify(400, Some(21606)), SendError::Config(_)));
        assert!(matches!(classify(400, Some(21602)), SendError::Permanent { .. }));
    }

    #[test]
    fn only_the_unsubscribed_code_opts_out() {
        assert!(is_unsubscribed(&format!("Twilio {UNSUBSCRIBED}")));
        assert!(!is_unsubscribed("Twilio 30003"));
        assert!(!is_unsubscribed("21610"));
    }
}
