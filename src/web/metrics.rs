//! `GET /metrics`: Prometheus text (OpenMetrics). On the main listener it needs a bearer token
//! of scope `read`, like the API; `metrics.bind` serves the same text on a listener of its own
//! without a token, for a scraper on a private interface. The gauges are read from the store
//! here, at each scrape; when it does not answer the scrape fails (503) rather than report
//! an empty outbox.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::domain::Scope;
use crate::state::{Core, Shared};
use crate::store::now_ms;
use crate::telemetry::metrics::{Gauges, CONTENT_TYPE as OPENMETRICS};
use crate::web::api::auth;

/// `/metrics` behind a `read` token, for the main router.
pub fn router(core: Shared) -> Router<Shared> {
    Router::new()
        .route("/metrics", get(scrape))
        .route_layer(middleware::from_fn_with_state(Scope::Read, auth::require))
        .route_layer(middleware::from_fn_with_state(core, auth::authenticate))
}

/// `/metrics` alone, without a token: for `metrics.bind`, which must be private.
pub fn open(core: Shared) -> Router {
    Router::new().route("/metrics", get(scrape)).with_state(core)
}

async fn scrape(State(core): State<Shared>) -> Response {
    match gauges(&core).await {
        Ok(gauges) => ([(CONTENT_TYPE, OPENMETRICS)], core.metrics.render(&gauges)).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

async fn gauges(core: &Core) -> anyhow::Result<Gauges> {
    let backlog = core.store.outbox_backlog(now_ms()).await?;
    Ok(Gauges {
        incidents: core.store.incident_tally().await?,
        outbox_depth: backlog.waiting,
        outbox_oldest_ms: backlog.oldest_ms,
    })
}
