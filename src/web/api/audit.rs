//! `GET /api/v1/audit?limit=&before=` (admin): the audit log, newest first. `before` is an
//! entry id: pass the last id of one page to get the next.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::state::Shared;
use crate::web::ApiError;

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

#[utoipa::path(get, path = "/audit", tag = "audit", security(("bearer" = ["admin"])), params(("limit" = Option<i64>, Query, description = "at most this many, newest first (100 by default, 1000 at most)")), responses((status = 200, description = "the audit log", body = Object)))]
pub async fn list(
    State(core): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    "limit",
                    format!("limit must be a whole number from 1 to {MAX_LIMIT}"),
                )
            })?,
    };
    let before = match query.get("before") {
        None => i64::MAX,
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| ApiError::invalid("before", "before must be the id of an audit entry"))?,
    };
    let entries: Vec<Value> = core
        .store
        .audit_entries_before(limit, before)
        .await?
        .iter()
        .map(|e| {
            json!({
                "id": e.id, "at": e.at, "actor": e.actor, "action": e.action,
                "incident_id": e.incident_id, "volunteer_id": e.volunteer_id, "detail": e.detail,
            })
        })
        .collect();
    Ok(Json(json!({ "entries": entries })))
}
