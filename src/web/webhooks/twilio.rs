//! Twilio's inbound SMS webhook and message status callbacks (PROTOCOLS.md §1, §2, §3.5).

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;

use crate::channels::twilio::signature::{form_pairs, is_valid};
use crate::domain::Channel;
use crate::domain::DeliveryStatus;
use crate::domain::{Phone, SubscriptionKeyword};
use crate::intake::message::{self, Inbound};
use crate::state::Shared;
use crate::store::receipts::Receipt;

use crate::web::twiml;

/// Parameters of a request whose signature checked out.
pub(super) struct Signed(Vec<(String, String)>);

impl Signed {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Checks `X-Twilio-Signature` against the configured public URL + this request's path and
/// query (never the Host header, which a proxy rewrites). Also refuses another account's calls.
pub(super) fn verify(
    core: &Shared,
    uri: &OriginalUri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Signed, Response> {
    let refuse = || (StatusCode::FORBIDDEN, "invalid or missing X-Twilio-Signature").into_response();
    let t = &core.settings.twilio;
    let Some(token) = &t.auth_token else {
        tracing::warn!("Twilio webhook refused: twilio.auth_token is not configured");
        return Err(refuse());
    };
    let mut tokens = vec![token.expose_secret()];
    if let Some(previous) = &t.previous_auth_token {
        tokens.push(previous.expose_secret());
    }
    let path = uri.0.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let url = format!("{}{}", core.settings.public_base(), path);
    let params = form_pairs(body);
    let header = headers.get("x-twilio-signature").and_then(|v| v.to_str().ok());
    if !is_valid(&tokens, &url, &params, header) {
        tracing::warn!(path = uri.0.path(), "Twilio webhook refused: bad signature");
        return Err(refuse());
    }
    let signed = Signed(params);
    if let (Some(ours), Some(theirs)) = (&t.account_sid, signed.get("AccountSid")) {
        if ours != theirs {
            tracing::warn!("Twilio webhook refused: another account's AccountSid");
            return Err(refuse());
        }
    }
    Ok(signed)
}

pub async fn sms(State(core): State<Shared>, uri: OriginalUri, headers: HeaderMap, body: Bytes) -> Response {
    let signed = match verify(&core, &uri, &headers, &body) {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let (Some(from), Some(message_id)) = (signed.get("From"), signed.get("MessageSid")) else {
        return (StatusCode::BAD_REQUEST, "From and MessageSid are required").into_response();
    };
    let message = Inbound {
        via: Channel::Sms,
        // Short codes and alphanumeric senders are not numbers: they are still senders, limited
        // and blockable by what Twilio calls them.
        sender: from.to_string(),
        phone: Phone::parse(from).ok(),
        signal_id: None,
        body: signed.get("Body").unwrap_or("").trim().to_string(),
        message_id: message_id.to_string(),
        carrier_keyword: signed.get("OptOutType").and_then(opt_out_type),
    };
    match message::handle(&core, message).await {
        Ok(reply) => twiml::reply(reply.as_deref()),
        Err(e) => {
            // Not stored: a 5xx makes Twilio record the failure (and retry, if configured).
            tracing::error!(error = %e, "inbound SMS could not be stored");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Twilio's Advanced Opt-Out flag: it recognised (and answered) a keyword of the operator's.
fn opt_out_type(value: &str) -> Option<SubscriptionKeyword> {
    match value.trim().to_ascii_uppercase().as_str() {
        "STOP" => Some(SubscriptionKeyword::Stop),
        "START" => Some(SubscriptionKeyword::Start),
        "HELP" => Some(SubscriptionKeyword::Help),
        _ => None,
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
    let (Some(sid), Some(raw)) = (signed.get("MessageSid"), signed.get("MessageStatus")) else {
        return (
            StatusCode::BAD_REQUEST,
            "MessageSid and MessageStatus are required",
        )
            .into_response();
    };
    let Some(status) = DeliveryStatus::from_twilio(raw) else {
        return StatusCode::OK.into_response();
    };
    let receipt = Receipt {
        status,
        error: signed.get("ErrorCode").map(|code| format!("Twilio {code}")),
    };
    match crate::outbox::receipts::apply(&core, crate::domain::Channel::Sms, sid, None, receipt).await {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "status callback could not be stored");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
