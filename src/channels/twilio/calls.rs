//! Places one wake-up call with `POST {api_base}/2010-04-01/Accounts/{sid}/Calls.json`
//! (PROTOCOLS §11.3) and classifies Twilio's answer. The call fetches what it says from
//! tocsin when it connects (`Url`, the delivery's id in the query, so the signature covers it)
//! and reports its progress to the status callback. Twilio queues calls beyond its CPS rather
//! than refusing them; the outbox paces them at `twilio.cps` per number all the same, so that
//! no call waits in Twilio's queue while the alert ages. Creating a call is not idempotent
//! (a lost answer may ring twice): the outbox's at-least-once bound.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::super::{Accepted, Provider, SendError, Sending};
use super::client::classify;
use crate::domain::Channel;

/// Seconds a call rings before Twilio gives up (`no-answer`): under most voicemails' pickup,
/// so that an unanswered call is retried rather than left on a voicemail.
const RING_S: u32 = 25;

#[derive(Clone)]
pub struct CallClient {
    http: reqwest::Client,
    url: String,
    account_sid: String,
    auth_token: SecretString,
    numbers: Vec<String>,
    /// `http.public_url` without a trailing slash.
    public: String,
    cps: f64,
}

pub struct CallParams {
    pub api_base: String,
    pub account_sid: String,
    pub auth_token: SecretString,
    /// Our numbers (`twilio.from`): a messaging service cannot call.
    pub numbers: Vec<String>,
    pub public_base: String,
    pub timeout: Duration,
    /// Calls per second each number may place (`twilio.cps`).
    pub cps: f64,
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    code: Option<u32>,
}

/// The paths Twilio requests for a call delivery; the delivery's id rides in the query.
pub fn twiml_path(delivery_id: i64) -> String {
    format!("/webhooks/twilio/call/twiml?delivery={delivery_id}")
}

pub fn answer_path(delivery_id: i64) -> String {
    format!("/webhooks/twilio/call/answer?delivery={delivery_id}")
}

pub fn status_path(delivery_id: i64) -> String {
    format!("/webhooks/twilio/call/status?delivery={delivery_id}")
}

impl CallClient {
    pub fn new(p: CallParams) -> anyhow::Result<CallClient> {
        let http = reqwest::Client::builder()
            .timeout(p.timeout)
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Calls.json",
            p.api_base.trim_end_matches('/'),
            p.account_sid
        );
        Ok(CallClient {
            http,
            url,
            account_sid: p.account_sid,
            auth_token: p.auth_token,
            numbers: p.numbers,
            public: p.public_base.trim_end_matches('/').to_string(),
            cps: p.cps,
        })
    }

    /// Calls `to` from `from` for delivery `delivery_id`.
    pub async fn call(&self, delivery_id: i64, from: &str, to: &str) -> Result<Accepted, SendError> {
        let twiml = format!("{}{}", self.public, twiml_path(delivery_id));
        let status = format!("{}{}", self.public, status_path(delivery_id));
        let ring = RING_S.to_string();
        let form = [
            ("To", to),
            ("From", from),
            ("Url", twiml.as_str()),
            ("Method", "POST"),
            ("StatusCallback", status.as_str()),
            ("StatusCallbackMethod", "POST"),
            ("StatusCallbackEvent", "initiated"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
            ("StatusCallbackEvent", "completed"),
            ("Timeout", ring.as_str()),
        ];
        let response = self
            .http
            .post(&self.url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .form(&form)
            .send()
            .await
            .map_err(|e| SendError::retry(format!("request failed: {}", super::client::without_url(&e))))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            // Created: without its sid we only lose its status callbacks' match.
            let sid = response
                .json::<Created>()
                .await
                .map(|c| c.sid)
                .unwrap_or_default();
            return Ok(Accepted { provider_id: sid });
        }
        let text = response.text().await.unwrap_or_default();
        let error: ErrorBody = serde_json::from_str(&text).unwrap_or_default();
        Err(classify_call(status, error.code))
    }
}

/// Twilio's answer to a refused call (PROTOCOLS §11.5) as an outbox decision; the SMS codes'
/// rules for the rest (auth, throttling, 5xx).
pub fn classify_call(http_status: u16, code: Option<u32>) -> SendError {
    let what = super::client::refusal(http_status, code);
    match code {
        // Our number is not ours to call from, or the TwiML URL is wrong: settings.
        Some(21210 | 21205 | 21213) => SendError::Config(what),
        // Blocked by Twilio, not a valid number: this call will never go through.
        Some(21216 | 21217 | 21215 | 13224) => SendError::permanent(what),
        _ => classify(http_status, code),
    }
}

impl Provider for CallClient {
    fn channel(&self) -> Channel {
        Channel::Voice
    }

    fn senders(&self) -> Vec<String> {
        self.numbers.clone()
    }

    fn mps(&self) -> f64 {
        self.cps
    }

    /// A call needs its delivery (what it says is fetched by it): without one it is refused.
    fn send_from<'a>(&'a self, _sender: &'a str, _to: &'a str, _body: &'a str) -> Sending<'a> {
        Box::pin(async { Err(SendError::Config("a call is placed only for a delivery".into())) })
    }

    fn send_delivery<'a>(
        &'a self,
        delivery_id: i64,
        sender: &'a str,
        to: &'a str,
        _body: &'a str,
    ) -> Sending<'a> {
        Box::pin(self.call(delivery_id, sender, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_errors_are_classified_as_the_protocol_says() {
        assert!(matches!(classify_call(400, Some(21210)), SendError::Config(_)));
        assert!(matches!(
            classify_call(400, Some(21216)),
            SendError::Permanent { .. }
        ));
        assert!(matches!(
            classify_call(400, Some(21217)),
            SendError::Permanent { .. }
        ));
        assert!(matches!(
            classify_call(429, Some(20429)),
            SendError::Retryable { .. }
        ));
        assert!(matches!(classify_call(401, Some(20003)), SendError::Config(_)));
        assert!(matches!(classify_call(503, None), SendError::Retryable { .. }));
    }

    #[test]
    fn the_delivery_rides_in_every_url_the_call_requests() {
        assert_eq!(twiml_path(7), "/webhooks/twilio/call/twiml?delivery=7");
        assert_eq!(answer_path(7), "/webhooks/twilio/call/answer?delivery=7");
        assert_eq!(status_path(7), "/webhooks/twilio/call/status?delivery=7");
    }
}
