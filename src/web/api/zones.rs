//! `/api/v1/zones`: import (a GeoJSON FeatureCollection), list, remove. Imported zones are in
//! use at once on this instance, and within a dispatcher pass on the others.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::state::Shared;
use crate::tokens::Caller;
use crate::web::ApiError;
use crate::zoning::{self, ZoningError};

impl From<ZoningError> for ApiError {
    fn from(e: ZoningError) -> ApiError {
        match e {
            ZoningError::Invalid(why) => ApiError::invalid("features", why),
            ZoningError::InUse(_) => ApiError::conflict(e.to_string()),
            ZoningError::NotFound => ApiError::not_found("zone"),
            ZoningError::Store(e) => e.into(),
            ZoningError::Reload(e) => ApiError::internal(e),
        }
    }
}

#[utoipa::path(post, path = "/zones", tag = "zones", security(("bearer" = ["admin"])), request_body(content = Object, description = "a GeoJSON FeatureCollection; each feature has `name` and optional `aliases`"), responses((status = 200, description = "imported", body = Object), (status = 422, description = "a feature is wrong: named in `error`")))]
pub async fn import(
    State(core): State<Shared>,
    caller: Caller,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let json: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    let imported = zoning::import_collection(&core, &caller.actor(), &json).await?;
    Ok((StatusCode::CREATED, Json(json!({ "imported": imported }))))
}

#[utoipa::path(get, path = "/zones", tag = "zones", security(("bearer" = ["dispatch"])), responses((status = 200, description = "zones and their aliases", body = Object)))]
pub async fn list(State(core): State<Shared>) -> Json<Value> {
    let zones = core.zones();
    let list: Vec<Value> = zones
        .iter()
        .map(|z| json!({ "name": z.name, "aliases": z.aliases, "lat": z.lat, "lon": z.lon }))
        .collect();
    Json(json!({ "zones": list }))
}

#[utoipa::path(delete, path = "/zones/{name}", tag = "zones", security(("bearer" = ["admin"])), params(("name" = String, Path, description = "the name of the zone")), responses((status = 204, description = "removed"), (status = 404, description = "no such zone"), (status = 409, description = "still a home area")))]
pub async fn remove(
    State(core): State<Shared>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    zoning::remove(&core, &caller.actor(), &name).await?;
    Ok(StatusCode::NO_CONTENT)
}
