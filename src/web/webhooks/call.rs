//! A wake-up call's webhooks (issue 17 §2, §3), each signed like SMS (403 and nothing changed
//! otherwise; the delivery's id rides in the signed URL, so a forged or altered request counts
//! no answer):
//! - `/webhooks/twilio/call/twiml`: when the call connects, what it says (`call_twiml`);
//! - `/webhooks/twilio/call/answer`: the key pressed, counted as a texted answer;
//! - `/webhooks/twilio/call/status`: the call's progress, onto its delivery, and the one retry
//!   of an unanswered or busy call.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::call_twiml;
use super::twilio::verify;
use crate::domain::{calls, Channel, DeliveryStatus, IncidentStatus, Language};
use crate::intake::calls::{pressed, send_reply, Pressed};
use crate::state::Shared;
use crate::store::calls::CallDelivery;
use crate::store::now_ms;
use crate::store::receipts::Receipt;

/// The call delivery the signed URL names; None when there is none (or no longer).
async fn delivery(core: &Shared, query: &HashMap<String, String>) -> Result<Option<CallDelivery>, Response> {
    let Some(id) = query.get("delivery").and_then(|d| d.parse::<i64>().ok()) else {
        return Err((StatusCode::BAD_REQUEST, "delivery is required").into_response());
    };
    core.store.call_delivery(id).await.map_err(|e| {
        tracing::error!(error = %e, "reading a call delivery failed");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    })
}

fn language(call: &CallDelivery) -> Language {
    Language::parse(&call.language).unwrap_or(Language::EN)
}

/// Whether the call's incident still takes answers.
async fn open(core: &Shared, call: &CallDelivery) -> bool {
    match core.store.incident(call.incident_id).await {
        Ok(Some(i)) => !matches!(
            i.status,
            IncidentStatus::AllClear | IncidentStatus::FalseAlarm | IncidentStatus::NotFound
        ),
        _ => false,
    }
}

pub async fn twiml(
    State(core): State<Shared>,
    uri: OriginalUri,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = verify(&core, &uri, &headers, &body) {
        return refused;
    }
    let call = match delivery(&core, &query).await {
        Ok(Some(call)) => call,
        Ok(None) => return call_twiml::hang_up(),
        Err(e) => return e,
    };
    if !open(&core, &call).await {
        return call_twiml::over(language(&call));
    }
    call_twiml::alert(&core.settings, &call, language(&call))
}

pub async fn answer(
    State(core): State<Shared>,
    uri: OriginalUri,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let signed = match verify(&core, &uri, &headers, &body) {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let call = match delivery(&core, &query).await {
        Ok(Some(call)) => call,
        Ok(None) => return call_twiml::hang_up(),
        Err(e) => return e,
    };
    let (Some(sid), digits) = (signed.get("CallSid"), signed.get("Digits").unwrap_or("")) else {
        return (StatusCode::BAD_REQUEST, "CallSid is required").into_response();
    };
    let language = language(&call);
    // Closed while the call went on: nothing to answer any more.
    if !open(&core, &call).await {
        return call_twiml::over(language);
    }
    match pressed(&core, &call, sid, digits).await {
        Ok(Pressed::Repeat) => call_twiml::alert(&core.settings, &call, language),
        Ok(Pressed::Over) => call_twiml::over(language),
        Ok(Pressed::Counted { answer, reply }) => {
            if let Some(reply) = reply {
                send_reply(&core, call.volunteer_id, reply);
            }
            call_twiml::thanks(language, answer)
        }
        Err(e) => {
            tracing::error!(delivery_id = call.id, error = %e, "an answer by call could not be stored");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn status(
    State(core): State<Shared>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let signed = match verify(&core, &uri, &headers, &body) {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let (Some(sid), Some(raw)) = (signed.get("CallSid"), signed.get("CallStatus")) else {
        return (StatusCode::BAD_REQUEST, "CallSid and CallStatus are required").into_response();
    };
    let Some(status) = calls::call_status(raw) else {
        return StatusCode::OK.into_response();
    };
    let receipt = Receipt {
        status,
        error: signed.get("ErrorCode").map(|code| format!("Twilio {code}")),
    };
    let applied = crate::outbox::receipts::apply(&core, Channel::Voice, sid, None, receipt).await;
    if let Err(e) = applied {
        tracing::error!(error = %e, "call status could not be stored");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if matches!(status, DeliveryStatus::NoAnswer | DeliveryStatus::Busy) {
        let now = now_ms();
        let at = now + core.settings.calls.retry_after_s as i64 * 1000;
        match core.store.call_again(sid, at, now).await {
            Ok(true) => {
                tracing::info!(status = status.as_str(), "call unanswered: placed again later");
                core.events.publish(crate::events::Event::Deliveries);
            }
            Ok(false) => {}
            Err(e) => {
                tracing::error!(error = %e, "an unanswered call could not be queued again");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    }
    StatusCode::OK.into_response()
}
