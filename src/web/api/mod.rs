//! The JSON API under `/api/v1`, for dispatchers and their tools. Every route needs
//! `Authorization: Bearer <api.token>`.

mod body;
mod incidents;
mod reports;
mod volunteers;
mod zones;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;

use super::ApiError;
use crate::app::Shared;

pub fn router(core: Shared) -> Router<Shared> {
    Router::new()
        .route("/volunteers", post(volunteers::create).get(volunteers::list))
        .route(
            "/volunteers/{id}",
            get(volunteers::show)
                .patch(volunteers::update)
                .delete(volunteers::remove),
        )
        // Vetting joiners (admin-only: the lead puts these under the admin scope).
        .route("/volunteers/{id}/approve", post(volunteers::approve))
        .route("/volunteers/{id}/reject", post(volunteers::reject))
        .route("/reports", post(reports::create).get(reports::list))
        .route("/blocklist", post(reports::block).get(reports::blocklist))
        .route("/blocklist/{id}", axum::routing::delete(reports::unblock))
        .route("/status", get(status))
        .route("/zones", post(zones::import).get(zones::list))
        .route("/zones/{name}", axum::routing::delete(zones::remove))
        .route("/incidents", get(incidents::list))
        .route("/incidents/{id}", get(incidents::show).patch(incidents::update))
        .route("/incidents/{id}/locate", post(incidents::locate))
        .route("/incidents/{id}/verify", post(incidents::verify))
        // The names of the verification lifecycle: confirm = verify; dismiss = not found.
        .route("/incidents/{id}/confirm", post(incidents::verify))
        .route("/incidents/{id}/dismiss", post(incidents::dismiss))
        .route("/incidents/{id}/resolve", post(incidents::resolve))
        .route("/incidents/{id}/all-clear", post(incidents::resolve))
        .route("/incidents/{id}/split", post(incidents::split))
        .route("/incidents/{id}/false-alarm", post(incidents::false_alarm))
        .route("/incidents/{id}/merge", post(incidents::merge))
        .route("/incidents/{id}/update", post(incidents::send_update))
        .layer(middleware::from_fn_with_state(core, require_token))
}

/// Health plus what only a token holder may know about the network.
async fn status(State(core): State<Shared>) -> axum::Json<serde_json::Value> {
    let mut v = crate::web::health::summary(&core, core.store.ping().await);
    v["alertable_volunteers"] = core.alertable_volunteers().into();
    // Drills are counted apart from real incidents.
    if let Ok(tally) = core.store.incident_tally().await {
        let (mut real, mut drills) = (serde_json::Map::new(), serde_json::Map::new());
        for (status, drill, n) in tally {
            if drill { &mut drills } else { &mut real }.insert(status, n.into());
        }
        v["incidents"] = real.into();
        v["drills"] = drills.into();
    }
    axum::Json(v)
}

async fn require_token(State(core): State<Shared>, request: Request, next: Next) -> Response {
    let Some(expected) = &core.settings.api.token else {
        return ApiError::unauthorized().into_response();
    };
    let given = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if bool::from(given.as_bytes().ct_eq(expected.expose_secret().as_bytes())) {
        next.run(request).await
    } else {
        ApiError::unauthorized().into_response()
    }
}
