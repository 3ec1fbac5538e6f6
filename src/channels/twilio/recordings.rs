//! Twilio's Recordings API (PROTOCOLS.md §11.4): the media of a voice message, fetched with the
//! account's credentials (Basic auth, always), and the recording deleted afterwards
//! (`DELETE …/Recordings/{Sid}.json`, 204). Only ids of the form `RE` + 32 hex are requested,
//! and only from the configured `twilio.api_base`: a webhook's `RecordingUrl` is never followed.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

/// Media larger than this is refused (4 hours of 8 kHz 16-bit WAV is 230 MB; a hotline
/// message is minutes).
const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordingError {
    /// 404: not there yet (Twilio may answer before the media exists), or gone.
    #[error("Twilio has no such recording (404)")]
    NotFound,
    /// 401/403: our credentials are wrong.
    #[error("Twilio refused our credentials ({0})")]
    Config(u16),
    /// Timeouts, connection errors, 429, 5xx, a body too large or cut: try again later.
    #[error("transient: {0}")]
    Retry(String),
}

#[derive(Clone)]
pub struct Recordings {
    http: reqwest::Client,
    base: String,
    account_sid: String,
    auth_token: SecretString,
}

impl Recordings {
    pub fn new(
        api_base: &str,
        account_sid: &str,
        auth_token: SecretString,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        Ok(Recordings {
            http,
            base: format!(
                "{}/2010-04-01/Accounts/{account_sid}/Recordings",
                api_base.trim_end_matches('/')
            ),
            account_sid: account_sid.to_string(),
            auth_token,
        })
    }

    fn classify(status: u16) -> RecordingError {
        match status {
            404 => RecordingError::NotFound,
            401 | 403 => RecordingError::Config(status),
            other => RecordingError::Retry(format!("HTTP {other}")),
        }
    }

    /// The recording's audio as WAV, with the content type Twilio gave.
    pub async fn fetch(&self, sid: &str) -> Result<(String, Vec<u8>), RecordingError> {
        let response = self
            .http
            .get(format!("{}/{sid}.wav", self.base))
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .send()
            .await
            .map_err(|e| RecordingError::Retry(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(Self::classify(status));
        }
        if response.content_length().is_some_and(|n| n as usize > MAX_BYTES) {
            return Err(RecordingError::Retry("the recording is too large".into()));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .filter(|t| t.starts_with("audio/"))
            .unwrap_or("audio/x-wav")
            .to_string();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| RecordingError::Retry(e.without_url().to_string()))?;
        if bytes.len() > MAX_BYTES {
            return Err(RecordingError::Retry("the recording is too large".into()));
        }
        Ok((content_type, bytes.to_vec()))
    }

    /// Deletes the recording at Twilio; a recording already gone counts as deleted.
    pub async fn delete(&self, sid: &str) -> Result<(), RecordingError> {
        let response = self
            .http
            .delete(format!("{}/{sid}.json", self.base))
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .send()
            .await
            .map_err(|e| RecordingError::Retry(e.without_url().to_string()))?;
        match response.status().as_u16() {
            200..=299 | 404 => Ok(()),
            other => Err(Self::classify(other)),
        }
    }
}
