//! `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`: parse the raw form (repeated keys
//! kept), validate in Twilio's order with Twilio's codes (PROTOCOLS §3.3 / §8.1), apply
//! scripted failures, opt-outs, rejections and the MPS cap, then create the message, answer
//! 201 with the §3.2 resource and start its status callbacks (unless the fake is set up
//! without them). A refused send creates nothing. The log line per message names its SID and
//! segments only: a fake never logs a phone number or a message's text.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;

use super::callbacks;
use super::error::TwilioError;
use super::resource::{message_json, new_sid};
use super::rest::{authenticate, serve_rest, RestResult};
use super::segments::segments;
use super::state::{Shared, StoredMessage};
use super::types::{Outcome, SentMessage};

const MAX_BODY_CHARS: usize = 1600;

pub(crate) async fn create_message(
    State(shared): State<Arc<Shared>>,
    Path(account_sid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve_rest(&shared, || create(&shared, &account_sid, &headers, &body)).await
}

/// The decoded form, in request order.
struct Form(Vec<(String, String)>);

impl Form {
    /// First non-empty value of `name`: Twilio treats `To=` like a missing `To`.
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    fn count(&self, name: &str) -> usize {
        self.0.iter().filter(|(k, v)| k == name && !v.is_empty()).count()
    }
}

/// E.164 as Twilio checks it for `To`: `+`, then 8–15 digits, the first not 0.
fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// An absolute http(s) URL with a host free of underscores, at most 4000 chars (error 21609).
fn is_valid_callback(url: &str) -> bool {
    url.len() <= 4000
        && reqwest::Url::parse(url).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.contains('_'))
        })
}

fn create(shared: &Arc<Shared>, account_sid: &str, headers: &HeaderMap, body: &Bytes) -> RestResult {
    authenticate(shared, account_sid, headers)?;
    if let Some(status) = shared.take_failure() {
        return Err(TwilioError::internal(status));
    }
    let form = Form(form_urlencoded::parse(body).into_owned().collect());
    let config = &shared.config;

    let to = form
        .get("To")
        .ok_or_else(|| TwilioError::bad_request(21604, "A 'To' phone number is required."))?;
    if !is_e164(to) {
        return Err(TwilioError::rejection(21211, to, ""));
    }
    let from = form.get("From");
    let service = form.get("MessagingServiceSid");
    if from.is_none() && service.is_none() {
        return Err(TwilioError::bad_request(
            21603,
            "A 'From' phone number is required.",
        ));
    }
    if let Some(from) = from.filter(|f| !shared.is_our_number(f)) {
        return Err(TwilioError::bad_request(
            21606,
            format!("The 'From' phone number provided ({from}) is not a valid message-capable Twilio phone number for this destination."),
        ));
    }
    if let Some(service) = service.filter(|s| config.messaging_service_sid.as_deref() != Some(*s)) {
        return Err(TwilioError::bad_request(
            21606,
            format!("The 'MessagingServiceSid' provided ({service}) is not a valid message-capable Twilio phone number or Messaging Service for this account."),
        ));
    }
    let text = form.get("Body").unwrap_or("");
    let num_media = form.count("MediaUrl");
    if text.is_empty() && num_media == 0 {
        return Err(TwilioError::bad_request(21602, "Message body is required."));
    }
    if text.chars().count() > MAX_BODY_CHARS {
        return Err(TwilioError::bad_request(
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        ));
    }
    let status_callback = form.get("StatusCallback");
    if let Some(url) = status_callback.filter(|u| !is_valid_callback(u)) {
        return Err(TwilioError::bad_request(
            21609,
            format!("The StatusCallback URL {url} is not a valid URL."),
        ));
    }
    let validity_period = match form.get("ValidityPeriod") {
        None => None,
        Some(v) => match v.parse::<u32>() {
            Ok(secs @ 1..=36000) => Some(secs),
            _ => return Err(TwilioError::bad_request(
                21624,
                "Validity period can only be set to integers between 1 and 36,000 seconds (10 hours max).",
            )),
        },
    };

    // Recipient-specific refusals come last, as on Twilio: the request itself is well formed.
    let sender = from
        .map(str::to_owned)
        .or_else(|| config.numbers.first().cloned());
    let outcome = {
        let inner = shared.lock();
        if inner.opted_out.contains(to) {
            return Err(TwilioError::rejection(21610, to, sender.as_deref().unwrap_or("")));
        }
        inner.outcomes.get(to).cloned().unwrap_or(Outcome::Delivered)
    };
    if let Outcome::Reject(code) = outcome {
        return Err(TwilioError::rejection(code, to, sender.as_deref().unwrap_or("")));
    }

    let now = Utc::now();
    let message = StoredMessage {
        public: SentMessage {
            sid: new_sid("SM"),
            to: to.to_owned(),
            from: from.map(str::to_owned),
            messaging_service_sid: service.map(str::to_owned),
            body: text.to_owned(),
            status_callback: status_callback.map(str::to_owned),
            validity_period,
            // With a Messaging Service the first status is `accepted`, else `queued` (§3.2).
            status: if service.is_some() { "accepted" } else { "queued" }.to_owned(),
            num_segments: segments(text),
            accepted_at: std::time::Instant::now(), // stamped again when admitted
        },
        sender,
        num_media: u32::try_from(num_media).unwrap_or(u32::MAX),
        error_code: None,
        date_created: now,
        date_sent: None,
        date_updated: now,
    };
    shared.admit(message.clone())?;
    let m = &message.public;
    tracing::debug!(sid = %m.sid, segments = m.num_segments, "message created");
    if config.status_callbacks {
        callbacks::spawn(shared.clone(), m.sid.clone(), outcome);
    }
    Ok((StatusCode::CREATED, message_json(account_sid, &message)))
}
