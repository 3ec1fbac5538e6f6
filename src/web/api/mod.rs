//! The JSON API under `/api/v1`, for dispatchers and their tools. Every route needs
//! `Authorization: Bearer <token>`: `api.token` from the configuration (admin) or a token made
//! with `tocsin token add` (read, dispatch or admin). Each route is declared in the group of
//! the scope it needs; one path may have methods in different groups.

mod audit;
pub(super) mod auth;
mod body;
mod incidents;
pub(crate) mod places;
mod reports;
mod tokens;
mod volunteers;
mod zones;

use axum::extract::State;
use axum::middleware;
use axum::routing::{delete, get, patch, post};
use axum::Router;

use crate::domain::Scope;
use crate::state::Shared;

pub fn router(core: Shared) -> Router<Shared> {
    // Incidents and counts.
    let read = Router::new()
        .route("/status", get(status))
        .route("/incidents", get(incidents::list))
        .route("/incidents/{id}", get(incidents::show))
        .route_layer(middleware::from_fn_with_state(Scope::Read, auth::require));
    // The dispatcher's work: incident actions, reports, the blocklist; volunteers and zones
    // to read (numbers masked).
    let dispatch = Router::new()
        .route("/incidents/{id}", patch(incidents::update))
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
        .route("/reports", post(reports::create).get(reports::list))
        .route("/blocklist", post(reports::block).get(reports::blocklist))
        .route("/blocklist/{id}", delete(reports::unblock))
        .route("/volunteers", get(volunteers::list))
        .route("/volunteers/{id}", get(volunteers::show))
        .route("/zones", get(zones::list))
        .route("/places/search", get(places::search))
        .route_layer(middleware::from_fn_with_state(Scope::Dispatch, auth::require));
    // The roster, trust and roles, zones, tokens and the audit log. Whole phone numbers too,
    // but those are decided in the handler (`Caller::sees_whole_numbers`).
    let admin = Router::new()
        .route("/volunteers", post(volunteers::create))
        .route(
            "/volunteers/{id}",
            patch(volunteers::update).delete(volunteers::remove),
        )
        // Vetting joiners: who may be told exact places and count as a responder.
        .route("/volunteers/{id}/approve", post(volunteers::approve))
        .route("/volunteers/{id}/reject", post(volunteers::reject))
        .route("/zones", post(zones::import))
        .route("/zones/{name}", delete(zones::remove))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{name}", delete(tokens::revoke))
        .route("/audit", get(audit::list))
        .route_layer(middleware::from_fn_with_state(Scope::Admin, auth::require));
    read.merge(dispatch)
        .merge(admin)
        .layer(middleware::from_fn_with_state(core, auth::authenticate))
}

/// Health plus what only a token holder may know about the network.
async fn status(State(core): State<Shared>) -> axum::Json<serde_json::Value> {
    let (mut v, backlog) = crate::web::health::summary_with_backlog(&core).await;
    v["outbox"] = serde_json::json!({"due": backlog.waiting, "oldest_s": backlog.oldest_ms / 1000});
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
