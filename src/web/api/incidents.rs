//! `/api/v1/incidents`: what happened, where, how far the alert got, who is coming; and the
//! dispatcher's actions on it.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::body::{self, Body};
use crate::app::Shared;
use crate::audit::Actor;
use crate::dispatch::actions;
use crate::domain::{IncidentStatus, Kind};
use crate::store::incidents::IncidentRow;
use crate::web::ApiError;

pub async fn list(State(core): State<Shared>) -> Result<Json<Value>, ApiError> {
    let rows = core.store.incidents(200).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(view(&core, row).await?);
    }
    Ok(Json(json!({ "incidents": out })))
}

pub async fn show(State(core): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let row = load(&core, &id).await?;
    let mut v = view(&core, &row).await?;
    let reports = core.store.reports_of_incident(row.id).await?;
    v["reports"] = reports
        .iter()
        .map(|r| json!({ "id": r.id, "text": r.body, "language": r.language, "lat": r.lat, "lon": r.lon }))
        .collect();
    Ok(Json(v))
}

/// `PATCH {"kind": ...}`: the dispatcher corrects what it is about.
pub async fn update(
    State(core): State<Shared>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    let kind = body.required_str("kind")?;
    let kind = Kind::parse(kind).ok_or_else(|| {
        ApiError::invalid("kind", format!("kind must be one of {}", Kind::NAMES.join(", ")))
    })?;
    actions::set_kind(&core, &Actor::Api, id, kind).await?;
    respond(&core, id).await
}

pub async fn locate(
    State(core): State<Shared>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    let (lat, lon) = body::point(&body, true)?.ok_or_else(|| ApiError::invalid("lat", "lat is required"))?;
    actions::locate(&core, &Actor::Api, id, lat, lon).await?;
    respond(&core, id).await
}

pub async fn verify(State(core): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    actions::verify(&core, &Actor::Api, id).await?;
    respond(&core, id).await
}

pub async fn resolve(State(core): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    actions::close(&core, &Actor::Api, id, IncidentStatus::Resolved).await?;
    respond(&core, id).await
}

pub async fn false_alarm(
    State(core): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    actions::close(&core, &Actor::Api, id, IncidentStatus::FalseAlarm).await?;
    respond(&core, id).await
}

/// `POST {"into": N}`: this incident's reports and answers move into incident N.
pub async fn merge(
    State(core): State<Shared>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    let into = body
        .f64("into")?
        .filter(|n| n.fract() == 0.0 && *n >= 1.0)
        .ok_or_else(|| ApiError::invalid("into", "into must be an incident id"))?;
    actions::merge(&core, &Actor::Api, id, into as i64).await?;
    respond(&core, into as i64).await
}

/// `POST {"text": ...}`: an update to everyone already alerted.
pub async fn send_update(
    State(core): State<Shared>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    actions::send_update(&core, &Actor::Api, id, body.required_str("text")?).await?;
    respond(&core, id).await
}

async fn load(core: &Shared, id: &str) -> Result<IncidentRow, ApiError> {
    let id = body::id(id, "incident")?;
    core.store
        .incident(id)
        .await?
        .ok_or_else(|| ApiError::not_found("incident"))
}

async fn respond(core: &Shared, id: i64) -> Result<Json<Value>, ApiError> {
    let row = core
        .store
        .incident(id)
        .await?
        .ok_or_else(|| ApiError::not_found("incident"))?;
    Ok(Json(view(core, &row).await?))
}

async fn view(core: &Shared, row: &IncidentRow) -> Result<Value, ApiError> {
    let c = core.store.incident_counts(row.id).await?;
    Ok(json!({
        "id": row.id,
        "kind": row.kind,
        "status": row.status,
        "lat": row.lat,
        "lon": row.lon,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "counts": {
            "targeted": c.targeted, "queued": c.queued, "sent": c.sent, "delivered": c.delivered,
            "failed": c.failed, "coming": c.coming, "cant": c.cant, "on_scene": c.on_scene,
        },
    }))
}
