//! The REST side of the fake: routing, basic auth, the concurrency limiter, latency, and the
//! read endpoints (fetch one message, list messages). Guarantees: every answer that is not a
//! success is Twilio's JSON error body and is recorded in `rejected()`; every request counts
//! against `max_concurrent` for as long as it is in flight, latency included.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::{engine::general_purpose::STANDARD, Engine as _};

use super::account;
use super::error::{json_response, TwilioError};
use super::resource::message_json;
use super::send::create_message;
use super::state::Shared;

/// A handler's outcome before latency is applied: success status + JSON body, or a refusal.
pub(crate) type RestResult = Result<(StatusCode, serde_json::Value), TwilioError>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/2010-04-01/Accounts/{account_sid}/Messages.json",
            post(create_message).get(list_messages),
        )
        .route(
            "/2010-04-01/Accounts/{account_sid}/Messages/{file}",
            get(fetch_message),
        )
        .route(
            "/2010-04-01/Accounts/{account_sid}/Calls.json",
            post(super::calls::create_call),
        )
        .route(
            "/2010-04-01/Accounts/{account_sid}/Calls/{file}",
            get(super::calls::fetch_call).post(super::calls::update_call),
        )
        .route(
            "/2010-04-01/Accounts/{account_sid}/Recordings/{file}",
            get(super::recordings::fetch).delete(super::recordings::delete),
        )
        .route("/2010-04-01/Accounts/{file}", get(account::fetch_account))
        .route(
            "/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers.json",
            get(account::list_numbers),
        )
        .route("/v1/Services/{sid}", get(account::fetch_service))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

/// Runs one REST request under the concurrency limiter, records a refusal, then waits the
/// scripted latency before answering. `handle` is synchronous so that no lock can be held
/// across an await; the work (including creating the message) happens *before* the latency,
/// so a client that times out has still caused the send — the ambiguity real Twilio has.
pub(crate) async fn serve_rest(shared: &Shared, handle: impl FnOnce() -> RestResult) -> Response {
    let in_flight = shared.try_enter();
    let result = match in_flight {
        Some(_) => handle(),
        None => Err(TwilioError::too_many_requests()),
    };
    if let Err(error) = &result {
        shared.record_rejection(error);
        // Not the message: Twilio's texts quote the recipient's number.
        tracing::debug!(status = error.status, code = error.code, "request refused");
    }
    let latency = shared.lock().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    drop(in_flight);
    match result {
        Ok((status, json)) => json_response(status, json.to_string()),
        Err(error) => error.into_response(),
    }
}

/// HTTP basic auth with `AccountSid:AuthToken`, and the path SID must be ours.
pub(crate) fn authenticate(shared: &Shared, path_sid: &str, headers: &HeaderMap) -> Result<(), TwilioError> {
    let credentials = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| STANDARD.decode(b64.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    let ok = credentials
        .as_deref()
        .and_then(|c| c.split_once(':'))
        .is_some_and(|(user, pass)| user == shared.config.account_sid && pass == shared.config.auth_token);
    if ok && path_sid == shared.config.account_sid {
        Ok(())
    } else {
        Err(TwilioError::authenticate())
    }
}

/// `GET …/Messages/{Sid}.json`: the resource with its current status, or 20404.
async fn fetch_message(
    State(shared): State<Arc<Shared>>,
    Path((account_sid, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    serve_rest(&shared, || {
        authenticate(&shared, &account_sid, &headers)?;
        let message = file
            .strip_suffix(".json")
            .and_then(|sid| shared.find(sid))
            .ok_or_else(|| TwilioError::not_found(uri.path()))?;
        Ok((StatusCode::OK, message_json(&account_sid, &message)))
    })
    .await
}

/// `GET …/Messages.json[?To=&From=&PageSize=]`: newest first, one page, Twilio's page shape.
/// Enough for reconciling a send whose answer was lost (PROTOCOLS §3.2); no date filters.
async fn list_messages(
    State(shared): State<Arc<Shared>>,
    Path(account_sid): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    serve_rest(&shared, || {
        authenticate(&shared, &account_sid, &headers)?;
        let page_size = query
            .get("PageSize")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(50);
        let messages: Vec<serde_json::Value> = shared
            .lock()
            .messages
            .iter()
            .rev()
            .filter(|m| query.get("To").is_none_or(|to| *to == m.public.to))
            .filter(|m| {
                query
                    .get("From")
                    .is_none_or(|from| m.sender.as_ref() == Some(from))
            })
            .take(page_size)
            .map(|m| message_json(&account_sid, m))
            .collect();
        let page_uri = uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |pq| pq.to_string());
        let body = serde_json::json!({
            "end": messages.len().saturating_sub(1),
            "first_page_uri": page_uri,
            "messages": messages,
            "next_page_uri": null,
            "page": 0,
            "page_size": page_size,
            "previous_page_uri": null,
            "start": 0,
            "uri": page_uri,
        });
        Ok((StatusCode::OK, body))
    })
    .await
}

async fn not_found(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    serve_rest(&shared, || Err(TwilioError::not_found(uri.path()))).await
}

async fn method_not_allowed(State(shared): State<Arc<Shared>>) -> Response {
    serve_rest(&shared, || Err(TwilioError::method_not_allowed())).await
}
