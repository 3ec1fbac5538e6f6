//! `/api/v1/volunteers`. Numbers are shown by their last digits (`phone_last4`): a leaked token
//! should not hand over the whole network's phone book. Only an admin token gets one whole
//! number (`phone`), one volunteer at a time, and each such read is in the audit log first.

use axum::body::Bytes;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::body::{self, Body};
use crate::audit;
use crate::domain::clock;
use crate::domain::{CallWhen, Language, Phone, Reach, SignalId, Standing};
use crate::roster::{self, HomeArea, Signup};
use crate::state::{Core, Shared};
use crate::store::now_ms;
use crate::store::volunteers::VolunteerRow;
use crate::tokens::Caller;
use crate::vetting::{self, Vetting};
use crate::web::ApiError;

#[utoipa::path(post, path = "/volunteers", tag = "volunteers", security(("bearer" = ["admin"])), request_body = super::doc::NewVolunteer, responses((status = 201, description = "the volunteer", body = Object), (status = 409, description = "the number is taken"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn create(
    State(core): State<Shared>,
    caller: Caller,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = Body::parse(&bytes)?;
    let name = roster::parse_name(body.required_str("name")?).map_err(|e| ApiError::invalid("name", e))?;
    let phone = Phone::parse(body.required_str("phone")?)
        .map_err(|e| ApiError::invalid("phone", format!("phone {e}")))?;
    let language = match body.str("language")? {
        None => Language::EN,
        Some(l) => Language::parse(l).ok_or_else(|| {
            ApiError::invalid(
                "language",
                format!("language must be one of {}", Language::codes().join(", ")),
            )
        })?,
    };
    let trusted = body.bool("trusted")?.unwrap_or(false);
    let area = HomeArea::from_json(&core, body.required("area")?)
        .map_err(|e| ApiError::invalid(e.field, e.reason))?;
    let reach = match body.str("channel")? {
        None => Reach::Sms,
        Some(c) => Reach::parse(c).ok_or_else(|| {
            ApiError::invalid(
                "channel",
                format!("channel must be one of {}", Reach::NAMES.join(", ")),
            )
        })?,
    };
    let signal_id = match body.str("signal_address")? {
        None => None,
        Some(a) => Some(
            SignalId::parse(a)
                .map_err(|e| ApiError::invalid("signal_address", format!("signal_address {e}")))?,
        ),
    };
    let roles = roles(&core, &body)?.unwrap_or_default();
    let call = call(&body)?;
    let signup = Signup {
        name,
        phone,
        language,
        trusted,
        area,
        reach,
        signal_id,
        roles,
    };
    // A number already on the roster is a 409 here (and audited): the API is for admins, who
    // can read every number anyway, and a tool must know its volunteer was not added.
    let id = roster::add(&core, &caller.actor(), signup).await?;
    if let Some(call) = call.filter(|c| *c != CallWhen::Never) {
        roster::set_call(&core, &caller.actor(), id, call).await?;
    }
    let row = core
        .store
        .volunteer(id)
        .await?
        .ok_or_else(|| ApiError::internal("volunteer vanished"))?;
    // The number the admin just sent, echoed back (the addition itself is audited).
    Ok((StatusCode::CREATED, Json(view(&core, &row, true))))
}

/// `GET /volunteers[?status=pending|unvetted|approved]`.
#[utoipa::path(get, path = "/volunteers", tag = "volunteers", security(("bearer" = ["dispatch"])), params(("status" = Option<String>, Query, description = "pending, unvetted or approved")), responses((status = 200, description = "volunteers, numbers by their last digits", body = Object)))]
pub async fn list(
    State(core): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let wanted = match query.get("status") {
        None => None,
        Some(s) => Some(Standing::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "status",
                format!("status must be one of {}", Standing::NAMES.join(", ")),
            )
        })?),
    };
    let rows = core.store.volunteers().await?;
    let list: Vec<Value> = rows
        .iter()
        .filter(|r| wanted.is_none_or(|s| r.standing == s))
        .map(|r| view(&core, r, false))
        .collect();
    Ok(Json(json!({ "volunteers": list })))
}

/// `POST /volunteers/{id}/approve`: a pending or unvetted volunteer becomes approved.
#[utoipa::path(post, path = "/volunteers/{id}/approve", tag = "volunteers", security(("bearer" = ["admin"])), params(("id" = i64, Path, description = "volunteer id")), responses((status = 200, description = "approved", body = Object), (status = 404, description = "no such volunteer"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn approve(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "volunteer")?;
    match vetting::approve(&core, &caller.actor(), id).await? {
        Vetting::Done => {}
        Vetting::NoSuchVolunteer => return Err(ApiError::not_found("volunteer")),
        Vetting::AlreadyApproved => {
            return Err(ApiError::conflict(
                "this volunteer is approved already; only pending or unvetted volunteers are approved",
            ))
        }
    }
    let row = core
        .store
        .volunteer(id)
        .await?
        .ok_or_else(|| ApiError::not_found("volunteer"))?;
    Ok(Json(view(&core, &row, false)))
}

/// `POST /volunteers/{id}/reject`: a pending or unvetted volunteer is erased (204).
#[utoipa::path(post, path = "/volunteers/{id}/reject", tag = "volunteers", security(("bearer" = ["admin"])), params(("id" = i64, Path, description = "volunteer id")), responses((status = 204, description = "erased"), (status = 404, description = "no such volunteer"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn reject(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = body::id(&id, "volunteer")?;
    match vetting::reject(&core, &caller.actor(), id).await? {
        Vetting::Done => Ok(StatusCode::NO_CONTENT),
        Vetting::NoSuchVolunteer => Err(ApiError::not_found("volunteer")),
        Vetting::AlreadyApproved => Err(ApiError::conflict(
            "this volunteer is approved; remove them (DELETE /volunteers/{id}) instead of rejecting",
        )),
    }
}

#[utoipa::path(get, path = "/volunteers/{id}", tag = "volunteers", security(("bearer" = ["dispatch"])), params(("id" = i64, Path, description = "volunteer id")), responses((status = 200, description = "the volunteer (the whole number for admin, audited)", body = Object), (status = 404, description = "no such volunteer")))]
pub async fn show(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "volunteer")?;
    let row = core
        .store
        .volunteer(id)
        .await?
        .ok_or_else(|| ApiError::not_found("volunteer"))?;
    let whole = caller.sees_whole_numbers();
    if whole {
        audit::phone_read(&core, &caller.actor(), row.id, "api").await?;
    }
    Ok(Json(view(&core, &row, whole)))
}

/// `roles` from a body: None when absent.
fn roles(core: &Shared, body: &Body) -> Result<Option<Vec<String>>, ApiError> {
    let list = match body.get("roles") {
        None => return Ok(None),
        Some(Value::Array(list)) => list,
        Some(_) => {
            return Err(ApiError::invalid(
                "roles",
                "roles must be a list, like [\"verifier\"]",
            ))
        }
    };
    let mut roles = Vec::new();
    for role in list {
        let Some(role) = role.as_str() else {
            return Err(ApiError::invalid("roles", "roles must be a list of texts"));
        };
        roles.push(role.to_string());
    }
    roster::check_roles(core, &roles).map_err(|why| ApiError::invalid("roles", why))?;
    Ok(Some(roles))
}

/// `call`: when the volunteer is called after a confirmed alert's text (absent: unchanged).
fn call(body: &Body) -> Result<Option<CallWhen>, ApiError> {
    body.str("call")?
        .map(|c| {
            CallWhen::parse(c).ok_or_else(|| {
                ApiError::invalid(
                    "call",
                    format!("call must be one of {}", CallWhen::NAMES.join(", ")),
                )
            })
        })
        .transpose()
}

/// `PATCH {"roles": [...], "call": "night"}`: replaces the volunteer's roles, or when they are called.
#[utoipa::path(patch, path = "/volunteers/{id}", tag = "volunteers", security(("bearer" = ["admin"])), params(("id" = i64, Path, description = "volunteer id")), request_body = super::doc::VolunteerChange, responses((status = 200, description = "the volunteer", body = Object), (status = 404, description = "no such volunteer"), (status = 409, description = "not in a state for this"), (status = 422, description = "a field is wrong: named in `error`")))]
pub async fn update(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "volunteer")?;
    let body = Body::parse(&bytes)?;
    let (roles, call) = (roles(&core, &body)?, call(&body)?);
    if roles.is_none() && call.is_none() {
        return Err(ApiError::invalid("roles", "roles or call is required"));
    }
    if let Some(roles) = roles {
        if !roster::set_roles(&core, &caller.actor(), id, &roles).await? {
            return Err(ApiError::not_found("volunteer"));
        }
    }
    if let Some(call) = call {
        if !roster::set_call(&core, &caller.actor(), id, call).await? {
            return Err(ApiError::not_found("volunteer"));
        }
    }
    let row = core
        .store
        .volunteer(id)
        .await?
        .ok_or_else(|| ApiError::not_found("volunteer"))?;
    Ok(Json(view(&core, &row, false)))
}

#[utoipa::path(delete, path = "/volunteers/{id}", tag = "volunteers", security(("bearer" = ["admin"])), params(("id" = i64, Path, description = "volunteer id")), responses((status = 204, description = "erased"), (status = 404, description = "no such volunteer")))]
pub async fn remove(
    State(core): State<Shared>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = body::id(&id, "volunteer")?;
    if !roster::remove(&core, &caller.actor(), id).await? {
        return Err(ApiError::not_found("volunteer"));
    }
    Ok(StatusCode::NO_CONTENT)
}

fn view(core: &Core, row: &VolunteerRow, full_phone: bool) -> Value {
    let phone = row.phone.clone();
    // Who paused them and when it ends by itself, on the network's clock (null: until resumed,
    // or not paused), as the dashboard's volunteer pages say it.
    let pause = roster::pause_of(row, now_ms());
    let paused_until = pause
        .and_then(|(_, until)| until)
        .map(|ms| clock::rfc3339(ms, &core.settings.network.tz()));
    let mut v = json!({
        "id": row.id,
        "name": row.name,
        "phone_last4": roster::last4(&phone),
        "channel": row.channel.as_str(),
        "call": row.call.as_str(),
        "roles": row.roles.split(',').filter(|r| !r.is_empty()).collect::<Vec<_>>(),
        "has_signal_address": row.signal.is_some(),

        "language": row.language,
        "trusted": row.trusted,
        "status": row.standing.as_str(),
        "opted_out": row.opted_out,
        "paused": pause.is_some(),
        "paused_until": paused_until,
        "paused_by": pause.map(|(by, _)| by.as_str()),
        "area": serde_json::from_str::<Value>(&row.area).unwrap_or(Value::Null),
        "created_at": row.created_at,
    });
    if full_phone {
        v["phone"] = Value::String(phone);
    }
    v
}
