//! Provider webhooks. Each one: check the signature over the raw body (403, nothing changed,
//! when it fails), hand the message to intake, answer at once. Sending never happens inline.
//! How long each answer took goes to `/metrics`.

mod call;
mod call_twiml;
mod twilio;
mod voice;
mod voice_twiml;

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use crate::state::Shared;

pub fn router(core: Shared) -> Router<Shared> {
    Router::new()
        .route("/webhooks/twilio/sms", post(twilio::sms))
        .route("/webhooks/twilio/status", post(twilio::status))
        .route("/webhooks/twilio/call/twiml", post(call::twiml))
        .route("/webhooks/twilio/call/answer", post(call::answer))
        .route("/webhooks/twilio/call/status", post(call::status))
        .merge(voice::router())
        .route_layer(middleware::from_fn_with_state(core, timed))
}

/// Times the answer, labelled by the route's pattern (never the request's path or query).
async fn timed(
    State(core): State<Shared>,
    route: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    if let Some(route) = route {
        core.metrics.webhook_took(route.as_str(), started.elapsed());
    }
    response
}
