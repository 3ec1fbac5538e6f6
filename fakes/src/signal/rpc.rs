//! `POST /api/v1/rpc`: signal-cli's HTTP JSON-RPC 2.0 framing (PROTOCOLS §6.2, after
//! `HttpServerHandler.handleRpcEndpoint` and `JsonRpcReader`). Guarantees: a Content-Type not
//! starting with `application/json` is 415 before the body is looked at; every JSON-RPC
//! outcome, errors included, is HTTP 200 `application/json`, except that a body producing no
//! response at all (notifications, a batch of notifications) is 201 with an empty body; a
//! batch answers an array of the non-notification responses; `data` is always present
//! (`null` unless the command produced output).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use super::methods::dispatch;
use super::state::Shared;

pub(crate) const PARSE_ERROR: i64 = -32700;
pub(crate) const INVALID_REQUEST: i64 = -32600;
pub(crate) const METHOD_NOT_FOUND: i64 = -32601;
pub(crate) const INVALID_PARAMS: i64 = -32602;
/// signal-cli's `USER_ERROR` (bad input, not registered, "Failed to send message").
pub(crate) const USER_ERROR: i64 = -1;
pub(crate) const UNTRUSTED_KEY_ERROR: i64 = -4;
pub(crate) const RATELIMIT_ERROR: i64 = -5;

/// A JSON-RPC error object: `{"code","message","data"}`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Value,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: Value::Null,
        }
    }

    /// An error after the command wrote output: `data` = `{"response": output}`.
    pub fn with_response(code: i64, message: impl Into<String>, response: Value) -> Self {
        let mut error = Self::new(code, message);
        error.data = serde_json::json!({ "response": response });
        error
    }

    pub fn user(message: impl Into<String>) -> Self {
        Self::new(USER_ERROR, message)
    }

    /// A parameter of the wrong JSON type (Jackson's `JsonMappingException` -> -32600).
    pub fn bad_type(what: &str, value: &Value) -> Self {
        Self::new(
            INVALID_REQUEST,
            format!(
                "Cannot deserialize value of type `{what}` from {} value",
                kind(value)
            ),
        )
    }
}

#[derive(Serialize)]
struct RpcResponse {
    jsonrpc: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<RpcError>,
    id: Value,
}

fn response(outcome: Result<Value, RpcError>, id: Value) -> Value {
    let (result, error) = match outcome {
        Ok(result) => (Some(result), None),
        Err(error) => (None, Some(error)),
    };
    let response = RpcResponse {
        jsonrpc: "2.0",
        result,
        error,
        id,
    };
    serde_json::to_value(response).unwrap_or(Value::Null)
}

/// Jackson's node type names, as they appear in signal-cli's messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "NULL",
        Value::Bool(_) => "BOOLEAN",
        Value::Number(_) => "NUMBER",
        Value::String(_) => "STRING",
        Value::Array(_) => "ARRAY",
        Value::Object(_) => "OBJECT",
    }
}

fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

pub(crate) async fn rpc(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let json_content = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_content {
        return empty(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    match process(&shared, &body).await {
        Some(answer) => {
            let mut response = Response::new(Body::from(answer.to_string()));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            response
        }
        None => empty(StatusCode::CREATED),
    }
}

/// The whole body -> the JSON to answer, or `None` for "nothing to answer" (201).
async fn process(shared: &Arc<Shared>, body: &[u8]) -> Option<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        // Jackson reads no content as a MissingNode, which is neither object nor array.
        return Some(response(
            Err(RpcError::new(INVALID_REQUEST, "unexpected type: MISSING")),
            Value::Null,
        ));
    }
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            return Some(response(
                Err(RpcError::new(PARSE_ERROR, e.to_string())),
                Value::Null,
            ))
        }
    };
    match parsed {
        Value::Array(items) if items.is_empty() => Some(response(
            Err(RpcError::new(INVALID_REQUEST, "invalid request")),
            Value::Null,
        )),
        Value::Array(items) => {
            let calls = items.into_iter().map(|item| handle(shared, item));
            let answers: Vec<Value> = futures_util::future::join_all(calls)
                .await
                .into_iter()
                .flatten()
                .collect();
            (!answers.is_empty()).then_some(Value::Array(answers))
        }
        // An object with `result` or `error` is a response to us (we never ask): ignored.
        Value::Object(ref obj) if obj.contains_key("result") || obj.contains_key("error") => None,
        Value::Object(_) => handle(shared, parsed).await,
        other => Some(response(
            Err(RpcError::new(
                INVALID_REQUEST,
                format!("unexpected type: {}", kind(&other)),
            )),
            Value::Null,
        )),
    }
}

/// A request, checked like `JsonRpcReader.parseJsonRpcRequest`.
struct Request {
    method: String,
    params: Option<Value>,
    /// `None` = notification (no `id` member); `Some(Value::Null)` = an explicit null id.
    id: Option<Value>,
}

/// The id to put on an error about a malformed request: its id if that is a scalar.
fn scalar_id(item: &Value) -> Value {
    match item.get("id") {
        Some(id @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => id.clone(),
        _ => Value::Null,
    }
}

fn parse_request(item: Value) -> Result<Request, RpcError> {
    let Value::Object(mut obj) = item else {
        return Err(RpcError::bad_type("JsonRpcRequest", &item));
    };
    if obj.get("params").is_some_and(Value::is_null) {
        obj.remove("params"); // signal-cli tolerates `"params": null`
    }
    let params = obj.remove("params");
    if let Some(p) = &params {
        if !(p.is_object() || p.is_array()) {
            return Err(RpcError::bad_type("ContainerNode", p));
        }
    }
    let id = obj.remove("id");
    if let Some(i) = &id {
        if i.is_object() || i.is_array() {
            return Err(RpcError::bad_type("ValueNode", i));
        }
    }
    let method = match obj.remove("method") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        // Jackson coerces scalars to String.
        Some(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
        Some(v) => return Err(RpcError::bad_type("java.lang.String", &v)),
    };
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(RpcError::new(
            INVALID_REQUEST,
            "only jsonrpc version 2.0 is supported",
        ));
    }
    let Some(method) = method else {
        return Err(RpcError::new(INVALID_REQUEST, "method field must be set"));
    };
    Ok(Request { method, params, id })
}

/// One request object (alone or in a batch) -> its response, or `None` for a notification.
async fn handle(shared: &Arc<Shared>, item: Value) -> Option<Value> {
    shared.lock().rpc_log.push(item.clone());
    let error_id = scalar_id(&item);
    let request = match parse_request(item) {
        Ok(request) => request,
        // Malformed requests are answered even without an id (as signal-cli does).
        Err(error) => return Some(response(Err(error), error_id)),
    };
    let outcome = dispatch(shared, &request.method, request.params).await;
    match request.id {
        Some(id) => Some(response(outcome, id)),
        None => {
            if let Err(error) = &outcome {
                tracing::debug!(method = %request.method, "notification failed: {}", error.message);
            }
            None
        }
    }
}
