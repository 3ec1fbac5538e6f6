//! The JSON API under `/api/v1`, for dispatchers and their tools. Every route needs
//! `Authorization: Bearer <token>`: `api.token` from the configuration (admin) or a token made
//! with `tocsin token add` (read, dispatch or admin). Each route is declared in the group of
//! the scope it needs; one path may have methods in different groups.

mod audit;
pub(super) mod auth;
mod body;
mod doc;
mod incidents;
mod mobilisations;
pub(crate) mod places;
mod reports;
mod tokens;
mod volunteers;
mod zones;

use axum::extract::State;
use axum::middleware;
use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::Scope;
use crate::state::Shared;

pub fn router(core: Shared) -> Router<Shared> {
    // Incidents and counts.
    let read = OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(incidents::list))
        .routes(routes!(incidents::show))
        .routes(routes!(mobilisations::calendar))
        .route_layer(middleware::from_fn_with_state(Scope::Read, auth::require));
    // The dispatcher's work: incident actions, reports, the blocklist; volunteers and zones
    // to read (numbers masked).
    let dispatch = OpenApiRouter::new()
        .routes(routes!(incidents::update))
        .routes(routes!(incidents::locate))
        .routes(routes!(incidents::verify))
        // The names of the verification lifecycle: confirm = verify; dismiss = not found.
        .routes(routes!(incidents::confirm))
        .routes(routes!(incidents::dismiss))
        .routes(routes!(incidents::resolve))
        .routes(routes!(incidents::all_clear))
        .routes(routes!(incidents::split))
        .routes(routes!(incidents::false_alarm))
        .routes(routes!(incidents::merge))
        .routes(routes!(incidents::send_update))
        .routes(routes!(reports::create, reports::list))
        .routes(routes!(reports::block, reports::blocklist))
        .routes(routes!(reports::unblock))
        .routes(routes!(volunteers::list))
        .routes(routes!(volunteers::show))
        .routes(routes!(zones::list))
        .routes(routes!(places::search))
        .routes(routes!(mobilisations::create, mobilisations::list))
        .routes(routes!(mobilisations::show, mobilisations::change))
        .routes(routes!(mobilisations::cancel))
        .routes(routes!(mobilisations::alert_area))
        .route_layer(middleware::from_fn_with_state(Scope::Dispatch, auth::require));
    // The roster, trust and roles, zones, tokens and the audit log. Whole phone numbers too,
    // but those are decided in the handler (`Caller::sees_whole_numbers`).
    let admin = OpenApiRouter::new()
        .routes(routes!(volunteers::create))
        .routes(routes!(volunteers::update, volunteers::remove))
        // Vetting joiners: who may be told exact places and count as a responder.
        .routes(routes!(volunteers::approve))
        .routes(routes!(volunteers::reject))
        .routes(routes!(zones::import))
        .routes(routes!(zones::remove))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(audit::list))
        .route_layer(middleware::from_fn_with_state(Scope::Admin, auth::require));
    let (api, description) = OpenApiRouter::with_openapi(doc::base())
        .merge(read)
        .merge(dispatch)
        .merge(admin)
        .split_for_parts();
    let description = Arc::new(description);
    api.layer(middleware::from_fn_with_state(core, auth::authenticate))
        // What the API takes: no token needed, nothing about the network in it.
        .route(
            "/openapi.json",
            get(move || {
                let description = description.clone();
                async move { axum::Json(description.as_ref().clone()) }
            }),
        )
}

/// Health plus what only a token holder may know about the network.
#[utoipa::path(get, path = "/status", tag = "status", security(("bearer" = ["read"])), responses((status = 200, description = "health, alertable volunteers, incidents per status, the outbox", body = Object)))]
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
