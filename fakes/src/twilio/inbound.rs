//! Acting as Twilio calling tocsin: inbound SMS webhooks with the real field set and order of
//! PROTOCOLS §1, form-encoded like Twilio (spaces as `+`), `User-Agent: TwilioProxy/1.1`,
//! signed over the exact URL given (query included) — or deliberately mis-signed for tests.
//! Like Twilio: 15 s timeout, redirects are not followed, no HTTP proxy is used.

use std::time::Duration;

use axum::http::header;

use super::resource::new_sid;
use super::segments::segments;
use super::signature::sign;
use super::types::{InboundReply, Signing};

/// An HTTP client that behaves like Twilio's webhook client.
pub(crate) fn twilio_http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none())
        // Tests talk to 127.0.0.1; an `HTTP_PROXY` in the environment must not interfere.
        .no_proxy()
        .user_agent("TwilioProxy/1.1")
        .build()?)
}

/// Posts inbound SMS webhooks for one Twilio account. Used by [`crate::FakeTwilio`] and by the
/// `tocsin-fake-twilio sms` command; usable on its own without a running fake.
#[derive(Clone, Debug)]
pub struct InboundSender {
    account_sid: String,
    auth_token: String,
    messaging_service_sid: Option<String>,
    http: reqwest::Client,
}

/// ISO country Twilio's geo lookup would report for a number; "" when unknown (Twilio also
/// sends empty geo fields, which must still be part of the signature).
pub(crate) fn country_of(number: &str) -> &'static str {
    const PREFIXES: &[(&str, &str)] = &[
        ("+1", "US"),
        ("+52", "MX"),
        ("+502", "GT"),
        ("+503", "SV"),
        ("+504", "HN"),
        ("+34", "ES"),
        ("+44", "GB"),
        ("+63", "PH"),
        ("+82", "KR"),
        ("+84", "VN"),
        ("+86", "CN"),
    ];
    PREFIXES
        .iter()
        .filter(|(prefix, _)| number.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map_or("", |(_, country)| country)
}

impl InboundSender {
    pub fn new(
        account_sid: &str,
        auth_token: &str,
        messaging_service_sid: Option<&str>,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            account_sid: account_sid.to_owned(),
            auth_token: auth_token.to_owned(),
            messaging_service_sid: messaging_service_sid.map(str::to_owned),
            http: twilio_http_client()?,
        })
    }

    /// The webhook form, field order as observed on real requests (§1).
    fn params(&self, from: &str, to: &str, body: &str, sid: &str) -> Vec<(String, String)> {
        let segments = segments(body).to_string();
        let mut params = vec![
            ("ToCountry", country_of(to)),
            ("ToState", ""),
            ("SmsMessageSid", sid),
            ("NumMedia", "0"),
            ("ToCity", ""),
            ("FromZip", ""),
            ("SmsSid", sid),
            ("FromState", ""),
            ("SmsStatus", "received"),
            ("FromCity", ""),
            ("Body", body),
            ("FromCountry", country_of(from)),
            ("To", to),
        ];
        if let Some(service) = &self.messaging_service_sid {
            params.push(("MessagingServiceSid", service));
        }
        params.extend([
            ("ToZip", ""),
            ("NumSegments", segments.as_str()),
            ("MessageSid", sid),
            ("AccountSid", self.account_sid.as_str()),
            ("From", from),
            ("ApiVersion", "2010-04-01"),
        ]);
        params
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// Posts one inbound SMS to `url` (the URL as configured in Twilio, which is what is
    /// signed). `message_sid` defaults to a fresh `SM…`; pass one to simulate a redelivery.
    pub async fn send(
        &self,
        url: &str,
        from: &str,
        to: &str,
        body: &str,
        message_sid: Option<&str>,
        signing: Signing,
    ) -> anyhow::Result<InboundReply> {
        self.send_with(url, from, to, body, message_sid, &[], signing)
            .await
    }

    /// The same with parameters a configured account adds (e.g. Advanced Opt-Out's
    /// `OptOutType=STOP` on a keyword message, §4), signed like the rest.
    #[allow(clippy::too_many_arguments)]
    pub async fn send_with(
        &self,
        url: &str,
        from: &str,
        to: &str,
        body: &str,
        message_sid: Option<&str>,
        extra: &[(&str, &str)],
        signing: Signing,
    ) -> anyhow::Result<InboundReply> {
        let message_sid = message_sid.map_or_else(|| new_sid("SM"), str::to_owned);
        let mut params = self.params(from, to, body, &message_sid);
        params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let signature = match signing {
            Signing::Valid | Signing::Tampered => Some(sign(&self.auth_token, url, &params)),
            Signing::Wrong => Some(sign(&format!("{}-not-ours", self.auth_token), url, &params)),
            Signing::Missing => None,
        };
        if signing == Signing::Tampered {
            // An attacker (or broken proxy) altered the text after Twilio signed it.
            for (name, value) in &mut params {
                if name == "Body" {
                    value.push_str(" [tampered]");
                }
            }
        }
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&params)
            .finish();
        let mut request = self
            .http
            .post(url)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form);
        if let Some(signature) = signature {
            request = request.header("X-Twilio-Signature", signature);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.text().await?;
        Ok(InboundReply {
            status,
            content_type,
            body,
            message_sid,
        })
    }
}
