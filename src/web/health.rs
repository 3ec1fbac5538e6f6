//! `GET /healthz`: whether the database answers and which providers are configured and up.
//! Unauthenticated, so it says nothing about the network itself (no counts, no names).

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::state::{Core, Shared};

pub fn router() -> Router<Shared> {
    Router::new().route("/healthz", get(health))
}

async fn health(State(core): State<Shared>) -> (StatusCode, Json<Value>) {
    let database = core.store.ping().await;
    let status = if database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(summary(&core, database)))
}

/// The health facts, also part of the authenticated `/api/v1/status`.
pub fn summary(core: &Core, database: bool) -> Value {
    let s = &core.settings;
    let signal = match (s.signal_ready(), core.signal_up.load(Ordering::Relaxed)) {
        (false, _) => "not configured",
        (true, true) => "up",
        (true, false) => "down",
    };
    json!({
        "status": if database { "ok" } else { "database unreachable" },
        "database": if database { "ok" } else { "unreachable" },
        "backend": format!("{:?}", core.store.backend()).to_lowercase(),
        "sms": if s.sms_ready() { "configured" } else { "not configured" },
        "signal": signal,
        "api": if s.api.token.is_some() { "enabled" } else { "disabled (api.token not set)" },
    })
}
