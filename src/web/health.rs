//! `GET /healthz`: whether tocsin can do its job, for an uptime checker: `ok`, `degraded` (200,
//! naming each missing piece: SMS not configured, the Signal bridge down, messages waiting in
//! the outbox longer than `http.health_backlog_s`) or `down` (503: the database does not
//! answer). `GET /readyz`: whether this instance should get traffic (the database answers), for
//! a load balancer. Unauthenticated, so neither says anything about the network itself (no
//! counts of people, no names).

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::state::{Core, Shared};
use crate::store::backlog::Backlog;
use crate::store::now_ms;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
}

async fn health(State(core): State<Shared>) -> (StatusCode, Json<Value>) {
    let (v, _) = summary_with_backlog(&core).await;
    let status = if v["database"] == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(v))
}

async fn ready(State(core): State<Shared>) -> (StatusCode, Json<Value>) {
    if core.store.ping().await {
        (StatusCode::OK, Json(json!({"ready": true})))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"ready": false, "problems": ["database unreachable"]})),
        )
    }
}

/// The health facts, also part of the authenticated `/api/v1/status`, which adds the
/// outbox's backlog (`Backlog`) that `/healthz` keeps to itself.
pub async fn summary_with_backlog(core: &Core) -> (Value, Backlog) {
    let database = core.store.ping().await;
    let backlog = match database {
        true => core.store.outbox_backlog(now_ms()).await.ok(),
        false => None,
    };
    (facts(core, database, backlog), backlog.unwrap_or_default())
}

fn facts(core: &Core, database: bool, backlog: Option<Backlog>) -> Value {
    let s = &core.settings;
    let signal = match (s.signal_ready(), core.signal_up.load(Ordering::Relaxed)) {
        (false, _) => "not configured",
        (true, true) => "up",
        (true, false) => "down",
    };
    let backlog = backlog.unwrap_or_default();
    let mut problems = Vec::new();
    if !database {
        problems.push("database unreachable".to_string());
    }
    if !s.sms_ready() {
        problems.push("sms not configured".to_string());
    }
    if signal == "down" {
        problems.push("signal bridge down".to_string());
    }
    let limit_ms = i64::try_from(s.http.health_backlog_s.saturating_mul(1000)).unwrap_or(i64::MAX);
    if backlog.waiting > 0 && backlog.oldest_ms > limit_ms {
        // No count: anyone may ask, and how much is being sent says something about the network.
        problems.push(format!(
            "outbox backlog: messages due for over {} s",
            s.http.health_backlog_s
        ));
    }
    let status = match (database, problems.is_empty()) {
        (false, _) => "down",
        (true, true) => "ok",
        (true, false) => "degraded",
    };
    json!({
        "status": status,
        "problems": problems,
        "database": if database { "ok" } else { "unreachable" },
        "backend": format!("{:?}", core.store.backend()).to_lowercase(),
        "sms": if s.sms_ready() { "configured" } else { "not configured" },
        "signal": signal,
        "api": if s.api.token.is_some() { "enabled" } else { "disabled (api.token not set)" },
    })
}
