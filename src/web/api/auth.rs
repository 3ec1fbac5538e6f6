//! Who may call what. `authenticate` (around the whole API) finds the caller from the bearer
//! token, or answers 401; it puts the `Caller` in the request's extensions. `require` (a
//! `route_layer` on each group of routes) answers 403 naming the scope needed when the caller's
//! scope does not reach it. Handlers take the `Caller` as an extractor to act in its name.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::domain::Scope;
use crate::state::Shared;
use crate::tokens::{self, Caller};
use crate::web::ApiError;

pub async fn authenticate(State(core): State<Shared>, mut request: Request, next: Next) -> Response {
    let bearer = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_string())
        .or_else(|| calendar_token(&request))
        .unwrap_or_default();
    match tokens::caller(&core, &bearer).await {
        Ok(Some(caller)) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Ok(None) => ApiError::unauthorized().into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// `?token=` on a calendar feed (`*.ics`) only: calendar apps cannot send a header. Anywhere
/// else a token in a URL would end up in browser histories and proxies' logs. (tocsin's own
/// request log has the path only.)
fn calendar_token(request: &Request) -> Option<String> {
    if !request.uri().path().ends_with(".ics") {
        return None;
    }
    form_urlencoded::parse(request.uri().query()?.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

/// For `middleware::from_fn_with_state(Scope::X, require)`.
pub async fn require(State(needed): State<Scope>, request: Request, next: Next) -> Response {
    match request.extensions().get::<Caller>() {
        Some(caller) if caller.scope.allows(needed) => next.run(request).await,
        Some(_) => forbidden(needed),
        None => ApiError::unauthorized().into_response(),
    }
}

/// 403: `{"error", "field": "scope", "scope_needed"}`.
pub fn forbidden(needed: Scope) -> Response {
    let body = json!({
        "error": format!("this needs a token with scope {needed}"),
        "field": "scope",
        "scope_needed": needed.as_str(),
    });
    (StatusCode::FORBIDDEN, Json(body)).into_response()
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(ApiError::unauthorized)
    }
}
