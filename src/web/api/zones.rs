//! `/api/v1/zones`: import (a GeoJSON FeatureCollection), list, remove. Imported zones are in
//! use at once on this instance, and within a dispatcher pass on the others.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::app::Shared;
use crate::audit::{self, zones_detail, Subject};
use crate::geo::zones::parse_collection;
use crate::store::zones::ZoneRow;
use crate::tokens::Caller;
use crate::web::ApiError;

pub async fn import(
    State(core): State<Shared>,
    caller: Caller,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let json: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    let zones = parse_collection(&json).map_err(|why| ApiError::invalid("features", why))?;
    let rows = ZoneRow::from_zones(&zones);
    core.store.upsert_zones(&rows).await?;
    core.refresh_index().await.map_err(ApiError::internal)?;
    tracing::info!(zones = rows.len(), "zones imported");
    audit::record(
        &core,
        &caller.actor(),
        "zones_import",
        Subject::None,
        &zones_detail(&rows),
    )
    .await;
    Ok((StatusCode::CREATED, Json(json!({ "imported": rows.len() }))))
}

pub async fn list(State(core): State<Shared>) -> Json<Value> {
    let zones = core.zones();
    let list: Vec<Value> = zones
        .iter()
        .map(|z| json!({ "name": z.name, "aliases": z.aliases, "lat": z.lat, "lon": z.lon }))
        .collect();
    Json(json!({ "zones": list }))
}

pub async fn remove(
    State(core): State<Shared>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    let users = core.store.zone_users(&name).await?;
    if users > 0 {
        // Removing it would silently stop their alerts.
        return Err(ApiError::conflict(format!(
            "{users} volunteers cover this zone: give them another area first"
        )));
    }
    if !core.store.remove_zone(&name).await? {
        return Err(ApiError::not_found("zone"));
    }
    core.refresh_index().await.map_err(ApiError::internal)?;
    audit::record(&core, &caller.actor(), "zone_remove", Subject::None, &name).await;
    Ok(StatusCode::NO_CONTENT)
}
