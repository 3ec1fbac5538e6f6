//! `POST /api/v1/reports`: a sighting entered by a dispatcher or a tool.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::body::{self, Body};
use crate::domain::{Kind, Language};
use crate::intake::guard;
use crate::intake::report::{self, Sighting};
use crate::intake::words::guess_language;
use crate::state::Shared;
use crate::tokens::Caller;
use crate::web::ApiError;

#[utoipa::path(post, path = "/reports", tag = "reports", security(("bearer" = ["dispatch"])), request_body = super::doc::NewReport, responses((status = 201, description = "`{report_id, incident_id}`", body = Object), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn create(State(core): State<Shared>, bytes: Bytes) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = Body::parse(&bytes)?;
    let text = body.required_str("text")?.trim().to_string();
    if text.is_empty() || text.chars().count() > 1600 {
        return Err(ApiError::invalid("text", "text must be 1 to 1600 characters"));
    }
    let point = body::point(&body, false)?;
    let kind = match body.str("kind")? {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            ApiError::invalid("kind", format!("kind must be one of {}", Kind::NAMES.join(", ")))
        })?),
    };
    let language = match body.str("language")? {
        None => guess_language(&text),
        Some(l) => Language::parse(l).ok_or_else(|| {
            ApiError::invalid(
                "language",
                format!("language must be one of {}", Language::codes().join(", ")),
            )
        })?,
    };
    let sighting = Sighting {
        channel: "api",
        text,
        language,
        point,
        kind,
        reporter: None,
        volunteer: None,
        drill: body.bool("drill")?.unwrap_or(false),
        truncated: false,
    };
    let received = report::receive(&core, sighting, None)
        .await?
        .ok_or_else(|| ApiError::internal("an API report was taken for a duplicate"))?;
    core.store.durable().await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "report_id": received.report_id, "incident_id": received.incident_id })),
    ))
}

/// `GET /api/v1/reports`: the latest reports with their incident and why any was flagged.
#[utoipa::path(get, path = "/reports", tag = "reports", security(("bearer" = ["dispatch"])), responses((status = 200, description = "the latest reports, flagged or not", body = Object)))]
pub async fn list(State(core): State<Shared>) -> Result<Json<Value>, ApiError> {
    let rows = core.store.recent_reports(500).await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "channel": r.channel, "text": r.body, "language": r.language, "kind": r.kind,
                "incident_id": r.incident_id, "flagged": r.flagged, "received_at": r.received_at,
                "lat": r.location.point.map(|p| p.0), "lon": r.location.point.map(|p| p.1),
                "zone": r.location.zone, "drill": r.drill, "truncated": r.truncated,
                "volunteer_id": r.volunteer_id,
            })
        })
        .collect();
    Ok(Json(json!({ "reports": list })))
}

/// `POST /api/v1/blocklist {"report_id", "reason"}`: blocks whoever sent that report (the
/// dispatcher never sees the number); their later reports are stored and flagged, never acted on.
#[utoipa::path(post, path = "/blocklist", tag = "reports", security(("bearer" = ["dispatch"])), request_body = super::doc::Block, responses((status = 201, description = "the sender is blocked", body = Object), (status = 404, description = "no such report"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn block(
    State(core): State<Shared>,
    caller: Caller,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = Body::parse(&bytes)?;
    let report_id = body.id("report_id", "a report")?;
    let reason = body.str("reason")?.unwrap_or("");
    let id = guard::block(&core, &caller.actor(), report_id, reason)
        .await?
        .ok_or_else(|| ApiError::invalid("report_id", "that report has no known sender to block"))?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

#[utoipa::path(get, path = "/blocklist", tag = "reports", security(("bearer" = ["dispatch"])), responses((status = 200, description = "blocked senders (never their numbers)", body = Object)))]
pub async fn blocklist(State(core): State<Shared>) -> Result<Json<Value>, ApiError> {
    let list: Vec<Value> = core
        .store
        .blocked()
        .await?
        .iter()
        .map(|b| json!({ "id": b.id, "report_id": b.report_id, "reason": b.reason, "created_at": b.created_at }))
        .collect();
    Ok(Json(json!({ "blocked": list })))
}

#[utoipa::path(delete, path = "/blocklist/{id}", tag = "reports", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "block id")), responses((status = 204, description = "unblocked"), (status = 404, description = "no such block")))]
pub async fn unblock(
    State(core): State<Shared>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = body::id(&id, "block")?;
    if !guard::unblock(&core, &caller.actor(), id).await? {
        return Err(ApiError::not_found("block"));
    }
    Ok(StatusCode::NO_CONTENT)
}
