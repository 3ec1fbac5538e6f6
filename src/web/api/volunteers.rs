//! `/api/v1/volunteers`. The list shows only the last digits of each number: a leaked token
//! should not hand over the whole network's phone book in one request.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::body::{self, Body};
use crate::app::Shared;
use crate::audit::Actor;
use crate::domain::{Language, Phone};
use crate::geo::Area;
use crate::roster::{self, Signup};
use crate::store::volunteers::VolunteerRow;
use crate::web::ApiError;

pub async fn create(State(core): State<Shared>, bytes: Bytes) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = Body::parse(&bytes)?;
    let name = roster::parse_name(body.required_str("name")?).map_err(|e| ApiError::invalid("name", e))?;
    let phone = Phone::parse(body.required_str("phone")?)
        .map_err(|e| ApiError::invalid("phone", format!("phone {e}")))?;
    let language = match body.str("language")? {
        None => Language::En,
        Some(l) => Language::parse(l).ok_or_else(|| {
            ApiError::invalid(
                "language",
                format!("language must be one of {}", Language::NAMES.join(", ")),
            )
        })?,
    };
    let trusted = body.bool("trusted")?.unwrap_or(false);
    let area = Area::from_json(body.required("area")?).map_err(|e| ApiError::invalid(e.field, e.reason))?;
    let id = roster::add(
        &core,
        &Actor::Api,
        Signup {
            name,
            phone,
            language,
            trusted,
            area,
        },
    )
    .await?;
    let row = core
        .store
        .volunteer(id)
        .await?
        .ok_or_else(|| ApiError::internal("volunteer vanished"))?;
    Ok((StatusCode::CREATED, Json(view(&core, &row, true))))
}

pub async fn list(State(core): State<Shared>) -> Result<Json<Value>, ApiError> {
    let rows = core.store.volunteers().await?;
    Ok(Json(
        json!({ "volunteers": rows.iter().map(|r| view(&core, r, false)).collect::<Vec<_>>() }),
    ))
}

pub async fn show(State(core): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = body::id(&id, "volunteer")?;
    let row = core
        .store
        .volunteer(id)
        .await?
        .ok_or_else(|| ApiError::not_found("volunteer"))?;
    Ok(Json(view(&core, &row, true)))
}

pub async fn remove(State(core): State<Shared>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let id = body::id(&id, "volunteer")?;
    if !roster::remove(&core, &Actor::Api, id).await? {
        return Err(ApiError::not_found("volunteer"));
    }
    Ok(StatusCode::NO_CONTENT)
}

fn view(core: &Shared, row: &VolunteerRow, full_phone: bool) -> Value {
    let phone = core.vault.decrypt(&row.phone_enc).unwrap_or_default();
    let mut v = json!({
        "id": row.id,
        "name": row.name,
        "phone_last4": phone.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect::<String>(),
        "language": row.language,
        "trusted": row.trusted,
        "opted_out": row.opted_out,
        "area": serde_json::from_str::<Value>(&row.area).unwrap_or(Value::Null),
        "created_at": row.created_at,
    });
    if full_phone {
        v["phone"] = Value::String(phone);
    }
    v
}
