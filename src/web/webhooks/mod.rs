//! Provider webhooks. Each one: check the signature over the raw body (403, nothing changed,
//! when it fails), hand the message to intake, answer at once. Sending never happens inline.

mod twilio;

use axum::routing::post;
use axum::Router;

use crate::state::Shared;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/webhooks/twilio/sms", post(twilio::sms))
        .route("/webhooks/twilio/status", post(twilio::status))
}
