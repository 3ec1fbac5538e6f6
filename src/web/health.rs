//! `GET /healthz`: whether the database answers and what is configured. Says nothing secret.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::app::Shared;

pub fn router() -> Router<Shared> {
    Router::new().route("/healthz", get(health))
}

async fn health(State(core): State<Shared>) -> (StatusCode, Json<serde_json::Value>) {
    let database = core.store.ping().await;
    let sms = if core.settings.sms_ready() {
        "configured"
    } else {
        "not configured"
    };
    let api = if core.settings.api.token.is_some() {
        "enabled"
    } else {
        "disabled (api.token not set)"
    };
    let status = if database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let volunteers = core.index.read().map(|i| i.len()).unwrap_or(0);
    (
        status,
        Json(json!({
            "status": if database { "ok" } else { "database unreachable" },
            "database": if database { "ok" } else { "unreachable" },
            "backend": format!("{:?}", core.store.backend()).to_lowercase(),
            "sms": sms,
            "api": api,
            "alertable_volunteers": volunteers,
        })),
    )
}
