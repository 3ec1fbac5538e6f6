//! Status callbacks (PROTOCOLS §3.5, §8.1): after `callback_delay`, and the same delay between
//! each, the message moves through the statuses its [`Outcome`] scripts and, if it has a
//! `StatusCallback`, each change is POSTed there as a form signed over that exact URL — the
//! parameter set and order of vector V5. The initial status never fires; non-2xx answers are
//! recorded but not retried. The stored status is updated before the callback goes out, so a
//! fetch triggered by the callback sees it.

use std::sync::Arc;

use axum::http::header;

use super::signature::sign;
use super::state::{Shared, StoredMessage};
use super::types::{CallbackMode, CallbackRecord, Outcome};

/// Status changes after creation, in the order they happen.
fn plan(outcome: &Outcome) -> Vec<(&'static str, Option<u32>)> {
    match outcome {
        Outcome::Delivered => vec![("sent", None), ("delivered", None)],
        Outcome::Undelivered(code) => vec![("sent", None), ("undelivered", Some(*code))],
        Outcome::Failed(code) => vec![("failed", Some(*code))],
        Outcome::NoReceipt => vec![("sent", None)],
        Outcome::Reject(_) => Vec::new(), // never created, so never reached
    }
}

/// The form Twilio posts for one status (order as captured in V5).
fn params(
    account_sid: &str,
    message: &StoredMessage,
    status: &str,
    error_code: Option<u32>,
) -> Vec<(String, String)> {
    let m = &message.public;
    let mut params = vec![
        ("SmsSid", m.sid.clone()),
        ("SmsStatus", status.to_owned()),
        ("MessageStatus", status.to_owned()),
        ("To", m.to.clone()),
    ];
    if let Some(service) = &m.messaging_service_sid {
        params.push(("MessagingServiceSid", service.clone()));
    }
    params.extend([
        ("MessageSid", m.sid.clone()),
        ("AccountSid", account_sid.to_owned()),
        ("From", message.sender.clone().unwrap_or_default()),
        ("ApiVersion", "2010-04-01".to_owned()),
    ]);
    if let Some(code) = error_code {
        params.push(("ErrorCode", code.to_string()));
    }
    params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

pub(crate) fn spawn(shared: Arc<Shared>, sid: String, outcome: Outcome) {
    tokio::spawn(run(shared, sid, outcome));
}

async fn run(shared: Arc<Shared>, sid: String, outcome: Outcome) {
    let mut steps = plan(&outcome);
    match shared.lock().callback_mode {
        CallbackMode::InOrder => {}
        CallbackMode::Reversed => steps.reverse(),
        CallbackMode::Duplicated => steps = steps.into_iter().flat_map(|s| [s, s]).collect(),
    }
    let account_sid = shared.config.account_sid.clone();
    for (status, error_code) in steps {
        tokio::time::sleep(shared.config.callback_delay).await;
        // `advance` never moves the stored status backwards, so reordered posts are safe.
        let Some(message) = shared.advance(&sid, status, error_code) else {
            return;
        };
        let Some(url) = message.public.status_callback.clone() else {
            continue;
        };
        let params = params(&account_sid, &message, status, error_code);
        let response_status = post(&shared.http, &shared.config.auth_token, &url, &params).await;
        tracing::info!(%sid, status, %url, ?response_status, "status callback posted");
        shared.push_callback(CallbackRecord {
            url,
            params,
            response_status,
        });
    }
}

/// POSTs one signed form; returns the HTTP status, or `None` on connection error / timeout.
pub(crate) async fn post(
    http: &reqwest::Client,
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
) -> Option<u16> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let response = http
        .post(url)
        .header("X-Twilio-Signature", sign(auth_token, url, params))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .ok()?;
    Some(response.status().as_u16())
}
