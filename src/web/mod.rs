//! HTTP: provider webhooks (verify, hand to intake, answer fast), the JSON API for dispatchers
//! and tools, the dispatcher dashboard, and health. No SQL here: handlers call `store`,
//! `intake`, `dispatch` and `roster`.

mod api;
mod client;
mod dashboard;
mod error;
pub(crate) mod health;
mod metrics;
mod twiml;
mod webhooks;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::state::{Shared, Shutdown};

pub use error::ApiError;
pub use metrics::open as metrics_only;

pub fn router(core: Shared, shutdown: Shutdown) -> Router {
    Router::new()
        .nest("/api/v1", api::router(core.clone()))
        .merge(webhooks::router(core.clone()))
        .merge(health::router())
        .merge(metrics::router(core.clone()))
        .merge(dashboard::pages(core.clone(), shutdown.clone()))
        // Bodies are small: SMS are at most 1,600 characters, areas at most 10,000 vertices.
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(15)))
        // The live stream stays open for as long as a page is: outside the timeout.
        .merge(dashboard::live(core.clone(), shutdown))
        // Paths and status codes only: bodies and query strings may hold numbers and text.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(core)
}
