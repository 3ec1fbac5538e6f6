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

#[utoipa::path(get, path = "/tokens", tag = "tokens", security(("bearer" = ["admin"])), responses((status = 200, description = "tokens: name, scope, created, last used (never the token)", body = Object)))]
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
#[utoipa::path(post, path = "/tokens", tag = "tokens", security(("bearer" = ["admin"])), request_body = super::doc::NewToken, responses((status = 201, description = "the token, shown this once", body = Object), (status = 409, description = "the name is taken"), (status = 422, description = "a field is wrong: named in `error`")))]
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
#[utoipa::path(delete, path = "/tokens/{name}", tag = "tokens", security(("bearer" = ["admin"])), params(("name" = String, Path, description = "the name of the token")), responses((status = 204, description = "revoked"), (status = 404, description = "no such token")))]
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
