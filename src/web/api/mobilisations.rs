//! `/api/v1/mobilisations`: plan one (dispatch), list what is coming, show one, cancel one; and
//! `/api/v1/mobilisations.ics`, the calendar feed (read), which calendar apps may fetch with
//! `?token=` since they cannot send a header (`auth::authenticate`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::domain::clock::rfc3339;
use crate::mobilisations::{self, ChangeError, CreateError, Created};
use crate::state::{Core, Shared};
use crate::store::invitations::Rsvp;
use crate::store::mobilisations::MobilisationRow;
use crate::tokens::Caller;
use crate::web::ApiError;

impl From<CreateError> for ApiError {
    fn from(e: CreateError) -> ApiError {
        match e {
            CreateError::Invalid(i) => ApiError::invalid(i.field, i.why),
            CreateError::Store(e) => e.into(),
        }
    }
}

#[utoipa::path(post, path = "/mobilisations", tag = "mobilisations", security(("bearer" = ["dispatch"])), request_body = super::doc::NewMobilisation, responses((status = 201, description = "planned", body = Object), (status = 409, description = "planned already: the same case, or kind and place, at that time"), (status = 422, description = "a field is wrong: named in `field`")))]
pub async fn create(
    State(core): State<Shared>,
    caller: Caller,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    let draft = mobilisations::rules(&core)
        .from_json(&body)
        .map_err(|i| ApiError::invalid(i.field, i.why))?;
    match mobilisations::create(&core, &caller.actor(), &draft).await? {
        Created::New(id) => {
            let row = core
                .store
                .mobilisation(id)
                .await?
                .ok_or_else(|| ApiError::not_found("mobilisation"))?;
            Ok((StatusCode::CREATED, Json(view(&core, &row, None))))
        }
        Created::Already => Err(ApiError::conflict(
            "this is planned already: the same case (or the same kind at the same place) at the same time",
        )),
    }
}

#[utoipa::path(get, path = "/mobilisations", tag = "mobilisations", security(("bearer" = ["dispatch"])), responses((status = 200, description = "mobilisations from yesterday on, soonest first", body = Object)))]
pub async fn list(State(core): State<Shared>) -> Result<Json<Value>, ApiError> {
    let rows = mobilisations::listed(&core).await?;
    let answers = rsvps(&core, &rows).await?;
    let out: Vec<Value> = rows
        .iter()
        .map(|r| view(&core, r, r.incident_id.and_then(|i| answers.get(&i))))
        .collect();
    Ok(Json(json!({ "mobilisations": out })))
}

#[utoipa::path(get, path = "/mobilisations/{id}", tag = "mobilisations", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "mobilisation id")), responses((status = 200, description = "the mobilisation", body = Object), (status = 404, description = "no such mobilisation")))]
pub async fn show(State(core): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let row = load(&core, &id).await?;
    let answers = rsvps(&core, std::slice::from_ref(&row)).await?;
    Ok(Json(view(
        &core,
        &row,
        row.incident_id.and_then(|i| answers.get(&i)),
    )))
}

#[utoipa::path(post, path = "/mobilisations/{id}/cancel", tag = "mobilisations", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "mobilisation id")), responses((status = 200, description = "cancelled", body = Object), (status = 404, description = "no such mobilisation"), (status = 409, description = "ended or cancelled already")))]
pub async fn cancel(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = load(&core, &id).await?;
    if !mobilisations::cancel(&core, &caller.actor(), row.id).await? {
        return Err(ApiError::conflict(format!(
            "mobilisation {} is {}: only a planned one is cancelled (a live one ends with its incident's all-clear)",
            row.id, row.status
        )));
    }
    let row = load(&core, &id).await?;
    let answers = rsvps(&core, std::slice::from_ref(&row)).await?;
    Ok(Json(view(
        &core,
        &row,
        row.incident_id.and_then(|i| answers.get(&i)),
    )))
}

#[utoipa::path(patch, path = "/mobilisations/{id}", tag = "mobilisations", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "mobilisation id")), request_body = Object, responses((status = 200, description = "changed; a new time or place reaches everyone invited", body = Object), (status = 404, description = "no such mobilisation"), (status = 409, description = "not planned any more"), (status = 422, description = "a field is wrong: named in `field`")))]
pub async fn change(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let row = load(&core, &id).await?;
    let body: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    let change = mobilisations::rules(&core)
        .change_from_json(&body)
        .map_err(|i| ApiError::invalid(i.field, i.why))?;
    match mobilisations::change(&core, &caller.actor(), row.id, &change).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(ApiError::not_found("mobilisation")),
        Err(ChangeError::Invalid(i)) => return Err(ApiError::invalid(i.field, i.why)),
        Err(e @ ChangeError::NotPlanned(_)) => return Err(ApiError::conflict(e.to_string())),
        Err(ChangeError::Store(e)) => return Err(e.into()),
    }
    let row = load(&core, &id).await?;
    Ok(Json(view(&core, &row, None)))
}

#[utoipa::path(post, path = "/mobilisations/{id}/alert-area", tag = "mobilisations", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "mobilisation id")), responses((status = 200, description = "its area is alerted as for a raid", body = Object), (status = 404, description = "no such mobilisation"), (status = 409, description = "not live, or its area was alerted already")))]
pub async fn alert_area(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = load(&core, &id).await?;
    if !mobilisations::alert_area(&core, &caller.actor(), &row).await? {
        return Err(ApiError::conflict(format!(
            "mobilisation {} is {}: only a live one's area can be alerted, once",
            row.id, row.status
        )));
    }
    Ok(Json(view(&core, &row, None)))
}

#[utoipa::path(get, path = "/mobilisations.ics", tag = "mobilisations", security(("bearer" = ["read"])), params(("token" = Option<String>, Query, description = "the token, for calendar apps that cannot send a header")), responses((status = 200, description = "an iCalendar feed: kind, zone and public text, never the exact place", content_type = "text/calendar")))]
pub async fn calendar(State(core): State<Shared>) -> Result<impl IntoResponse, ApiError> {
    let rows = mobilisations::listed(&core).await?;
    let host = core
        .settings
        .public_base()
        .split("://")
        .nth(1)
        .unwrap_or("tocsin")
        .trim_end_matches('/')
        .to_string();
    let text = mobilisations::ics::feed(&core.settings.network.name, &host, &rows);
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], text))
}

async fn load(core: &Core, id: &str) -> Result<MobilisationRow, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("mobilisation"))?;
    core.store
        .mobilisation(id)
        .await?
        .ok_or_else(|| ApiError::not_found("mobilisation"))
}

/// Its answers so far, for the views that show them.
async fn rsvps(
    core: &Core,
    rows: &[MobilisationRow],
) -> Result<std::collections::HashMap<i64, Rsvp>, ApiError> {
    let ids: Vec<i64> = rows.iter().filter_map(|m| m.incident_id).collect();
    Ok(core.store.rsvps(&ids).await?)
}

fn view(core: &Core, m: &MobilisationRow, rsvp: Option<&Rsvp>) -> Value {
    let tz = core.settings.network.tz();
    let r = rsvp.copied().unwrap_or_default();
    json!({
        "id": m.id,
        "code": m.incident_id,
        "incident_id": m.incident_id,
        "answers": {"invited": r.invited, "yes": r.yes, "no": r.no, "maybe": r.maybe, "here": r.here, "no_answer": r.silent()},
        "kind": m.kind,
        "status": m.status.as_str(),
        "starts_at": rfc3339(m.starts_at, &tz),
        "place": m.place.as_ref().map(|p| json!({"typed": p.typed, "label": p.label, "lat": p.lat, "lon": p.lon})),
        "zone": m.zone,
        "text": m.text,
        "wanted": m.wanted,
        "audience": m.audience,
        "disclose": m.disclose.as_str(),
        "reminders_s": m.reminders_s.clone().unwrap_or_else(|| core.settings.mobilisations.reminders_s.clone()),
        "widen_before_s": m.widen_before_s.unwrap_or(core.settings.mobilisations.widen_before_s),
        "created_by": m.created_by,
    })
}
