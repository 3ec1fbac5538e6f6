//! Reads the Twilio account's own setup, for `tocsin check`: the Account (do the credentials
//! work, is it active), the number's SMS webhook (`IncomingPhoneNumbers.json?PhoneNumber=`),
//! and a Messaging Service's inbound URL (`messaging.twilio.com/v1/Services/{sid}`). Read
//! only; nothing here changes the account. The Account resource carries the auth token: it is
//! never kept past parsing.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Why a read failed, in words fit for the checklist (never the URL: it holds the SID).
#[derive(Debug, PartialEq)]
pub enum ReadError {
    /// 401 (code 20003): the SID or token is wrong.
    Refused(String),
    /// Twilio answered, but not with what was asked (404, 5xx, a body that does not parse).
    Answer(String),
    /// No answer: connection refused, DNS, timeout.
    Unreachable(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Refused(s) | ReadError::Answer(s) | ReadError::Unreachable(s) => f.write_str(s),
        }
    }
}

/// The Account, without its auth token.
#[derive(Debug, Deserialize)]
pub struct Account {
    pub sid: String,
    pub status: String,
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// An IncomingPhoneNumber's SMS side.
#[derive(Debug, Deserialize)]
pub struct Number {
    pub phone_number: String,
    #[serde(default)]
    pub sms_url: Option<String>,
    #[serde(default)]
    pub sms_method: Option<String>,
    /// Set: Twilio posts to this TwiML App's URL, not `sms_url`.
    #[serde(default)]
    pub sms_application_sid: Option<String>,
    /// Where calls to the number go (the voice hotline, issue 17).
    #[serde(default)]
    pub voice_url: Option<String>,
    #[serde(default)]
    pub voice_method: Option<String>,
    #[serde(default)]
    pub voice_application_sid: Option<String>,
}

#[derive(Deserialize)]
struct NumberPage {
    incoming_phone_numbers: Vec<Number>,
}

/// A Messaging Service's inbound side.
#[derive(Debug, Deserialize)]
pub struct Service {
    #[serde(default)]
    pub inbound_request_url: Option<String>,
    #[serde(default)]
    pub inbound_method: Option<String>,
    /// True: each number's own webhook is used, not the service's.
    #[serde(default)]
    pub use_inbound_webhook_on_number: bool,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    code: Option<u32>,
    message: Option<String>,
}

pub struct AccountReader {
    http: reqwest::Client,
    api_base: String,
    messaging_base: String,
    account_sid: String,
    auth_token: SecretString,
}

impl AccountReader {
    pub fn new(
        api_base: &str,
        account_sid: &str,
        auth_token: SecretString,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        let api_base = api_base.trim_end_matches('/').to_string();
        Ok(AccountReader {
            http: reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(Duration::from_secs(5))
                .build()?,
            messaging_base: messaging_base(&api_base),
            api_base,
            account_sid: account_sid.to_string(),
            auth_token,
        })
    }

    /// `GET /2010-04-01/Accounts/{sid}.json`.
    pub async fn account(&self) -> Result<Account, ReadError> {
        let url = format!("{}/2010-04-01/Accounts/{}.json", self.api_base, self.account_sid);
        self.get(&url, &[]).await
    }

    /// The account's number `e164`, or None when the account has no such number.
    pub async fn number(&self, e164: &str) -> Result<Option<Number>, ReadError> {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/IncomingPhoneNumbers.json",
            self.api_base, self.account_sid
        );
        let page: NumberPage = self.get(&url, &[("PhoneNumber", e164)]).await?;
        Ok(page
            .incoming_phone_numbers
            .into_iter()
            .find(|n| n.phone_number == e164))
    }

    /// `GET {messaging}/v1/Services/{sid}`; None when Twilio does not know it (404).
    pub async fn service(&self, sid: &str) -> Result<Option<Service>, ReadError> {
        let url = format!("{}/v1/Services/{sid}", self.messaging_base);
        match self.get(&url, &[]).await {
            Ok(service) => Ok(Some(service)),
            Err(ReadError::Answer(what)) if what.starts_with("HTTP 404") => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ReadError> {
        let response = self
            .http
            .get(url)
            .query(query)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose_secret()))
            .send()
            .await
            .map_err(|e| ReadError::Unreachable(transport(&e)))?;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        if (200..300).contains(&status) {
            return serde_json::from_str(&text)
                .map_err(|_| ReadError::Answer(format!("HTTP {status}, but not the JSON Twilio sends")));
        }
        let error: ErrorBody = serde_json::from_str(&text).unwrap_or_default();
        let what = match (error.code, error.message) {
            (Some(code), Some(message)) => format!("HTTP {status}, Twilio {code} {message}"),
            (Some(code), None) => format!("HTTP {status}, Twilio {code}"),
            _ => format!("HTTP {status}"),
        };
        if status == 401 || error.code == Some(20003) {
            Err(ReadError::Refused(what))
        } else {
            Err(ReadError::Answer(what))
        }
    }
}

/// Messaging Services live on `messaging.twilio.com` (regional: `messaging.<edge>.twilio.com`)
/// while the 2010 API is on `api.…`; any other base (a fake) serves both.
fn messaging_base(api_base: &str) -> String {
    match url::Url::parse(api_base) {
        Ok(mut url) => match url.host_str().map(str::to_string) {
            Some(host) if host.ends_with("twilio.com") && host.starts_with("api.") => {
                let messaging = format!("messaging.{}", &host["api.".len()..]);
                if url.set_host(Some(&messaging)).is_err() {
                    return api_base.to_string();
                }
                url.as_str().trim_end_matches('/').to_string()
            }
            _ => api_base.to_string(),
        },
        Err(_) => api_base.to_string(),
    }
}

fn transport(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".into()
    } else if e.is_connect() {
        "connection refused or unreachable".into()
    } else {
        "transport error".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messaging_services_are_read_on_their_own_host() {
        assert_eq!(
            messaging_base("https://api.twilio.com"),
            "https://messaging.twilio.com"
        );
        assert_eq!(
            messaging_base("https://api.dublin.ie1.twilio.com/"),
            "https://messaging.dublin.ie1.twilio.com"
        );
        assert_eq!(messaging_base("http://127.0.0.1:4000"), "http://127.0.0.1:4000");
    }
}
