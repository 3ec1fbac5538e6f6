//! Sends one SMS with `POST {api_base}/2010-04-01/Accounts/{sid}/Messages.json` and classifies
//! Twilio's answer (PROTOCOLS.md §3). Twilio documents no idempotency key: a send whose answer
//! is lost may have gone out, which is the at-least-once bound of the outbox.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::super::{Accepted, Channel, SendError};
use crate::domain::Phone;

#[derive(Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    url: String,
    account_sid: String,
    auth_token: SecretString,
    from: String,
    status_callback: String,
    validity_s: u32,
}

pub struct TwilioParams {
    pub api_base: String,
    pub account_sid: String,
    pub auth_token: SecretString,
    pub from: String,
    pub status_callback: String,
    pub validity_s: u32,
    pub timeout: Duration,
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

/// Both of Twilio's error shapes carry `code` (legacy) or `code`/`status` (RFC 9457).
#[derive(Deserialize, Default)]
struct ErrorBody {
    code: Option<u32>,
    message: Option<String>,
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
            from: p.from,
            status_callback: p.status_callback,
            validity_s: p.validity_s,
        })
    }
}

impl Channel for TwilioClient {
    fn name(&self) -> &'static str {
        "sms"
    }

    async fn send(&self, to: &Phone, body: &str) -> Result<Accepted, SendError> {
        let validity = self.validity_s.to_string();
        let form = [
            ("To", to.e164()),
            ("From", self.from.as_str()),
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
            .map_err(|e| SendError::Retryable(format!("request failed: {}", without_url(&e))))?;
        let status = response.status().as_u16();
        let text = response
            .text()
            .await
            .map_err(|e| SendError::Retryable(format!("reading answer: {}", without_url(&e))))?;
        if status == 201 || status == 200 {
            return match serde_json::from_str::<Created>(&text) {
                Ok(created) => Ok(Accepted {
                    provider_id: created.sid,
                }),
                // It was created; we cannot track it, but sending again would duplicate it.
                Err(_) => Ok(Accepted {
                    provider_id: String::new(),
                }),
            };
        }
        let error: ErrorBody = serde_json::from_str(&text).unwrap_or_default();
        Err(classify(status, error.code, error.message.as_deref()))
    }
}

/// Twilio's answer to a failed send, as an outbox decision.
pub fn classify(http_status: u16, code: Option<u32>, message: Option<&str>) -> SendError {
    let what = match (code, message) {
        (Some(c), Some(m)) => format!("Twilio {c}: {m} (HTTP {http_status})"),
        (Some(c), None) => format!("Twilio {c} (HTTP {http_status})"),
        (None, _) => format!("HTTP {http_status}"),
    };
    match (http_status, code) {
        (_, Some(21610)) => SendError::Permanent {
            reason: what,
            opted_out: true,
        },
        (_, Some(21211 | 21612 | 21614 | 21408 | 30005 | 30006)) => SendError::Permanent {
            reason: what,
            opted_out: false,
        },
        (401, _) | (_, Some(20003 | 21603 | 21606 | 21608 | 21611)) => SendError::Config(what),
        (429, _) | (_, Some(20429)) | (500..=599, _) | (408, _) => SendError::Retryable(what),
        // Any other 4xx is a request Twilio will refuse again the same way.
        (400..=499, _) => SendError::Permanent {
            reason: what,
            opted_out: false,
        },
        _ => SendError::Retryable(what),
    }
}

/// reqwest errors name the URL, which holds the account SID: keep it out of logs.
fn without_url(e: &reqwest::Error) -> String {
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
            classify(400, Some(21610), None),
            SendError::Permanent { opted_out: true, .. }
        ));
        assert!(matches!(
            classify(400, Some(21211), None),
            SendError::Permanent { opted_out: false, .. }
        ));
        assert!(matches!(
            classify(429, Some(20429), None),
            SendError::Retryable(_)
        ));
        assert!(matches!(classify(503, None, None), SendError::Retryable(_)));
        assert!(matches!(classify(401, Some(20003), None), SendError::Config(_)));
        assert!(matches!(classify(400, Some(21606), None), SendError::Config(_)));
        assert!(matches!(
            classify(400, Some(21602), None),
            SendError::Permanent { .. }
        ));
    }
}
