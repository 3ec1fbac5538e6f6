//! `POST /api/v1/reports`: a sighting entered by a dispatcher or a tool.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::body::{self, Body};
use crate::app::Shared;
use crate::domain::{Kind, Language};
use crate::intake::report::{self, Sighting};
use crate::intake::words::guess_language;
use crate::web::ApiError;

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
    };
    let received = report::receive(&core, sighting, None)
        .await?
        .ok_or_else(|| ApiError::internal("an API report was taken for a duplicate"))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "report_id": received.report_id, "incident_id": received.incident_id })),
    ))
}
