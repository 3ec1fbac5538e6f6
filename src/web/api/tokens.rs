//! `/api/v1/tokens` (admin): list, make and revoke API tokens, like `tocsin token`. A new
//! token is in the answer to its POST and nowhere ever again.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::body::Body;
use crate::domain::Scope;
use crate::state::Shared;
use crate::store::tokens::Revoked;
use crate::tokens::{self, AddError, Caller};
use crate::web::ApiError;

pub async fn list(State(core): State<Shared>) -> Result<Json<Value>, ApiError> {
    let list: Vec<Value> = core
        .store
        .tokens()
        .await?
        .iter()
        .map(|t| {
            json!({
                "name": t.name, "scope": t.scope, "created_at": t.created_at,
                "last_used_at": t.last_used_at, "revoked_at": t.revoked_at,
            })
        })
        .collect();
    Ok(Json(json!({ "tokens": list })))
}

/// `POST {"name", "scope"}`: 201 with the token, shown this once.
pub async fn create(
    State(core): State<Shared>,
    caller: Caller,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = Body::parse(&bytes)?;
    let name = body.required_str("name")?;
    let scope = Scope::parse(body.required_str("scope")?).ok_or_else(|| {
        ApiError::invalid(
            "scope",
            format!("scope must be one of {}", Scope::NAMES.join(", ")),
        )
    })?;
    let made = tokens::add(&core, &caller.actor(), name, scope)
        .await
        .map_err(|e| match e {
            AddError::Name(why) => ApiError::invalid("name", why),
            AddError::Store(e) => e.into(),
        })?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "name": made.name, "scope": made.scope.as_str(), "token": made.secret })),
    ))
}

/// Revoked at once, on every instance; revoking a revoked token again is not an error.
pub async fn revoke(
    State(core): State<Shared>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    match tokens::revoke(&core, &caller.actor(), &name).await? {
        Revoked::Now | Revoked::Already => Ok(StatusCode::NO_CONTENT),
        Revoked::Unknown => Err(ApiError::not_found("token")),
    }
}
