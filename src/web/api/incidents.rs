//! `/api/v1/incidents`: what happened, where, how far the alert got, who is coming; and the
//! dispatcher's actions on it.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::body::{self, Body};
use crate::dispatch::actions;
use crate::dispatch::versions::Versions;
use crate::domain::{IncidentStatus, Kind, Language, Scope};
use crate::state::Shared;
use crate::store::incidents::{Counts, IncidentRow};
use crate::tokens::Caller;
use crate::web::ApiError;

#[utoipa::path(get, path = "/incidents", tag = "incidents", security(("bearer" = ["read"])), responses((status = 200, description = "open and recent incidents with their counts", body = Object)))]
pub async fn list(State(core): State<Shared>) -> Result<Json<Value>, ApiError> {
    let rows = core.store.incidents(200).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut counts = core.store.incidents_counts(&ids).await?;
    let out: Vec<Value> = rows
        .iter()
        .map(|r| render(r, &counts.remove(&r.id).unwrap_or_default()))
        .collect();
    Ok(Json(json!({ "incidents": out })))
}

/// One incident with its history; with its reports' text for `dispatch` and `admin` (a report
/// may name people and places: reports are not for `read` tokens).
#[utoipa::path(get, path = "/incidents/{id}", tag = "incidents", security(("bearer" = ["read"])), params(("id" = i64, Path, description = "incident id")), responses((status = 200, description = "the incident, its history; reports for dispatch and admin", body = Object), (status = 404, description = "no such incident")))]
pub async fn show(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = load(&core, &id).await?;
    let mut v = view(&core, &row).await?;
    v["history"] = core
        .store
        .incident_history(row.id)
        .await?
        .iter()
        .map(|t| json!({ "from": t.from, "to": t.to, "cause": t.cause, "at": t.at }))
        .collect();
    // Report texts and verifiers' words are for dispatchers: a read token sees counts and history.
    if !caller.scope.allows(Scope::Dispatch) {
        return Ok(Json(v));
    }
    // What verifiers sent while asked to check (decisions or not), for the dispatcher.
    v["verifier_answers"] = core
        .store
        .check_answers(row.id)
        .await?
        .iter()
        .map(|a| json!({ "volunteer_id": a.volunteer_id, "kind": a.kind.as_str(), "text": a.text, "at": a.at }))
        .collect();
    let reports = core.store.reports_of_incident(row.id).await?;
    v["reports"] = reports
        .iter()
        .map(|r| {
            let (lat, lon) = (r.location.point.map(|p| p.0), r.location.point.map(|p| p.1));
            json!({ "id": r.id, "text": r.body, "language": r.language, "lat": lat, "lon": lon,
                    "zone": r.location.zone, "approximate": r.location.approximate,
                    "located_by": r.location.located_by.map(|l| l.as_str()),
                    "uncertainty_m": r.location.uncertainty_m,
                    "truncated": r.truncated })
        })
        .collect();
    Ok(Json(v))
}

/// `PATCH {"kind": ...}`: the dispatcher corrects what it is about.
#[utoipa::path(patch, path = "/incidents/{id}", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), request_body = super::doc::KindChange, responses((status = 200, description = "the incident", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn update(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    let kind = body.required_str("kind")?;
    let kind = Kind::parse(kind).ok_or_else(|| {
        ApiError::invalid("kind", format!("kind must be one of {}", Kind::NAMES.join(", ")))
    })?;
    actions::set_kind(&core, &caller.actor(), id, kind).await?;
    respond(&core, id).await
}

#[utoipa::path(post, path = "/incidents/{id}/locate", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), request_body = super::doc::Point, responses((status = 200, description = "the incident", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn locate(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    let (lat, lon) = body::point(&body, true)?.ok_or_else(|| ApiError::invalid("lat", "lat is required"))?;
    actions::locate(&core, &caller.actor(), id, lat, lon).await?;
    respond(&core, id).await
}

#[utoipa::path(post, path = "/incidents/{id}/verify", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), responses((status = 200, description = "confirmed: the area is alerted", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn verify(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    actions::verify(&core, &caller.actor(), id).await?;
    respond(&core, id).await
}

/// It is over (also `/resolve`): ALL CLEAR to everyone alerted, those coming first.
#[utoipa::path(post, path = "/incidents/{id}/resolve", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), responses((status = 200, description = "all clear, told to everyone alerted", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn resolve(core: State<Shared>, caller: Caller, id: Path<String>) -> Result<Json<Value>, ApiError> {
    close(core, caller, id, IncidentStatus::AllClear).await
}

/// The verification lifecycle's name for `verify`.
#[utoipa::path(post, path = "/incidents/{id}/confirm", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), responses((status = 200, description = "confirmed: the area is alerted", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this")))]
pub async fn confirm(core: State<Shared>, caller: Caller, id: Path<String>) -> Result<Json<Value>, ApiError> {
    verify(core, caller, id).await
}

/// The same as `resolve`.
#[utoipa::path(post, path = "/incidents/{id}/all-clear", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), responses((status = 200, description = "all clear, told to everyone alerted", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this")))]
pub async fn all_clear(
    core: State<Shared>,
    caller: Caller,
    id: Path<String>,
) -> Result<Json<Value>, ApiError> {
    resolve(core, caller, id).await
}

/// Not what it seemed: FALSE ALARM to everyone alerted, those coming first.
#[utoipa::path(post, path = "/incidents/{id}/false-alarm", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), responses((status = 200, description = "false alarm, everyone alerted stands down", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn false_alarm(
    core: State<Shared>,
    caller: Caller,
    id: Path<String>,
) -> Result<Json<Value>, ApiError> {
    close(core, caller, id, IncidentStatus::FalseAlarm).await
}

/// Nothing was found there: closed quietly, nobody (more) alerted.
#[utoipa::path(post, path = "/incidents/{id}/dismiss", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), responses((status = 200, description = "closed as not found", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn dismiss(core: State<Shared>, caller: Caller, id: Path<String>) -> Result<Json<Value>, ApiError> {
    close(core, caller, id, IncidentStatus::NotFound).await
}

async fn close(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    status: IncidentStatus,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    actions::close(&core, &caller.actor(), id, status).await?;
    respond(&core, id).await
}

/// `POST {"into": N}`: this incident's reports and answers move into incident N.
#[utoipa::path(post, path = "/incidents/{id}/merge", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), request_body = super::doc::MergeInto, responses((status = 200, description = "the incident merged into", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn merge(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    let into = body.id("into", "an incident")?;
    actions::merge(&core, &caller.actor(), id, into).await?;
    respond(&core, into).await
}

/// `POST {"report_id": N}`: a report wrongly merged into this incident opens its own again.
#[utoipa::path(post, path = "/incidents/{id}/split", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), request_body = super::doc::SplitReport, responses((status = 201, description = "the new incident", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn split(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<(axum::http::StatusCode, Json<Value>), ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    let report_id = body.id("report_id", "a report")?;
    let new_id = actions::split(&core, &caller.actor(), id, report_id).await?;
    let Json(v) = respond(&core, new_id).await?;
    Ok((axum::http::StatusCode::CREATED, Json(v)))
}

/// `POST {"text": ..., "texts": {"es": ..., "ko": ...}}`: an update to everyone already
/// alerted; `text` (English) is required and goes to anyone whose language has no version in
/// `texts`.
#[utoipa::path(post, path = "/incidents/{id}/update", tag = "incidents", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "incident id")), request_body = super::doc::UpdateText, responses((status = 200, description = "the update is on its way", body = Object), (status = 404, description = "no such incident"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn send_update(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "incident")?;
    let body = Body::parse(&bytes)?;
    let english = body.required_str("text")?;
    let others = versions(&body)?;
    let others: Vec<(Language, &str)> = others.iter().map(|(l, t)| (*l, t.as_str())).collect();
    let versions = Versions::new(english, &others).map_err(|(field, why)| ApiError::invalid(field, why))?;
    actions::send_update(&core, &caller.actor(), id, &versions).await?;
    respond(&core, id).await
}

/// `texts`: an object of language codes (other than English) to strings; a key tocsin has no
/// catalogue for, or a value that is not a string, is refused naming it (`texts.fr`).
fn versions(body: &Body) -> Result<Vec<(Language, String)>, ApiError> {
    let Some(texts) = body.get("texts") else {
        return Ok(Vec::new());
    };
    let Value::Object(texts) = texts else {
        return Err(ApiError::invalid(
            "texts",
            "texts must be an object of language code to text, e.g. {\"es\": \"...\"}",
        ));
    };
    let others: Vec<&str> = Language::codes().into_iter().filter(|c| *c != "en").collect();
    let mut out = Vec::new();
    for (code, text) in texts {
        let field = format!("texts.{code}");
        let language = Language::all().into_iter().find(|l| l.as_str() == code.as_str());
        let language = match language {
            Some(l) if l != Language::EN => l,
            Some(_) => {
                return Err(ApiError::invalid(
                    field,
                    "English is the update's text itself (text)",
                ))
            }
            None => {
                return Err(ApiError::invalid(
                    field,
                    format!(
                        "no such language here; texts may be given in {}",
                        others.join(", ")
                    ),
                ))
            }
        };
        match text {
            Value::String(s) => out.push((language, s.clone())),
            Value::Null => {}
            _ => {
                return Err(ApiError::invalid(
                    field.clone(),
                    format!("{field} must be a string"),
                ))
            }
        }
    }
    Ok(out)
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
    Ok(render(row, &core.store.incident_counts(row.id).await?))
}

fn render(row: &IncidentRow, c: &Counts) -> Value {
    let counts = json!({
        "targeted": c.targeted, "queued": c.queued, "sent": c.sent, "delivered": c.delivered,
        "failed": c.failed, "failed_over": c.failed_over, "read": c.read,
        "coming": c.coming, "cant": c.cant, "on_scene": c.on_scene,
        "unvetted_coming": c.unvetted_coming, "unvetted_on_scene": c.unvetted_on_scene,
    });
    json!({
        "id": row.id, "kind": row.kind, "status": row.status.as_str(),
        "lat": row.lat, "lon": row.lon, "zone": row.zone, "approximate": row.approximate,
        "located_by": row.located_by, "uncertainty_m": row.uncertainty_m,
        "reporters": c.reporters, "drill": row.drill, "confirmed_by": row.confirmed_by.map(|c| c.as_str()),
        "wanted": row.wanted, "escalation_step": row.escalation_step,
        "needs_person": row.needs_person.map(|n| n.as_str()), "acked_at": row.acked_at,
        "created_at": row.created_at, "updated_at": row.updated_at,
        "counts": counts,
    })
}
