//! The dispatcher dashboard: server-rendered HTML (askama, escaped by default) at `/`, one live
//! page per task, a small script of our own and Leaflet, all served from the binary.
//!
//! Guarantees: every page and fragment needs a session, every POST a session and its CSRF
//! token, admin pages the admin role; every action goes through `dispatch::actions` or
//! `roster`, the same code as the JSON API; no page runs inline script (CSP `script-src
//! 'self'`), and report text is only ever rendered escaped.

mod account;
mod assets;
mod audit_page;
mod basemap;
mod compose;
mod confirm;
mod duty;
mod incident;
mod live;
mod locate;
mod login;
mod mobilisation_change;
mod mobilisations;
mod queue;
mod recording;
mod reports;
mod session;
mod throttle;
mod vetting;
mod view;
mod volunteer_form;
mod volunteer_list;
mod volunteers;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_http::compression::CompressionLayer;

use crate::state::{Shared, Shutdown};

/// What the dashboard's handlers share.
#[derive(Clone)]
pub struct Dash {
    pub core: Shared,
    pub throttle: Arc<throttle::Throttle>,
    pub logins: Arc<crate::login::Logins>,
    pub shutdown: Shutdown,
    csp: HeaderValue,
}

impl axum::extract::FromRef<Dash> for Shared {
    fn from_ref(dash: &Dash) -> Shared {
        dash.core.clone()
    }
}

fn state(core: Shared, shutdown: Shutdown) -> Dash {
    let tiles = tile_origin(&core.settings.dashboard.tile_url);
    let csp = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {tiles}; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    let logins = Arc::new(crate::login::Logins::new(core.store.vault()));
    Dash {
        core,
        throttle: Arc::new(throttle::Throttle::default()),
        logins,
        shutdown,
        csp: HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
    }
}

/// Pages, fragments and assets: compressed, under the server's request timeout.
pub fn pages<S: Clone + Send + Sync + 'static>(core: Shared, shutdown: Shutdown) -> Router<S> {
    let dash = state(core, shutdown);
    Router::new()
        .route("/", get(queue::page))
        .route("/fragments/queue", get(queue::fragment))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/duty", post(duty::set))
        .route("/map/features", get(basemap::features))
        .route("/map/home", get(basemap::home))
        .route("/account", get(account::page).post(account::save))
        .route("/incidents/{id}", get(incident::page))
        .route("/incidents/{id}/live", get(incident::fragment))
        .route("/incidents/{id}/act", post(incident::act))
        .route("/incidents/{id}/locate", post(locate::submit))
        .route("/fragments/places", get(locate::suggest))
        .route("/incidents/{id}/headcount", get(confirm::headcount))
        .route("/incidents/{id}/update/preview", post(compose::preview))
        .route("/volunteers", get(volunteer_list::list).post(volunteers::create))
        .route("/volunteers/new", get(volunteers::new_form))
        .route(
            "/volunteers/{id}",
            get(volunteers::edit_form).post(volunteers::act),
        )
        .route("/reports", get(reports::page).post(reports::act))
        .route(
            "/mobilisations",
            get(mobilisations::page).post(mobilisations::act),
        )
        .route("/mobilisations/{id}/change", get(mobilisation_change::page))
        .route("/reports/{id}/recording", get(recording::play))
        .route("/audit", get(audit_page::page))
        .route("/assets/{*path}", get(assets::serve))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(dash.clone(), headers))
        .with_state(dash)
}

/// The live event stream: long-lived, so outside the request timeout and compression.
pub fn live<S: Clone + Send + Sync + 'static>(core: Shared, shutdown: Shutdown) -> Router<S> {
    let dash = state(core, shutdown);
    Router::new()
        .route("/events", get(live::events))
        .layer(middleware::from_fn_with_state(dash.clone(), headers))
        .with_state(dash)
}

/// Security headers on every dashboard response; pages are never cached (they hold names).
async fn headers(
    axum::extract::State(dash): axum::extract::State<Dash>,
    request: Request,
    next: Next,
) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, dash.csp.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // Pages are never stored; assets, and the base map's private answers, say their own.
    if !is_asset && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The origin(s) map tiles come from, for the CSP: `https://{s}.tile.example/...` becomes
/// `https://*.tile.example`.
fn tile_origin(template: &str) -> String {
    match template.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split('/').next().unwrap_or("").replace("{s}", "*");
            let clean: String = host
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*' | ':'))
                .collect();
            format!("{scheme}://{clean}")
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tile_origins_allow_subdomains() {
        assert_eq!(
            super::tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"),
            "https://*.tile.openstreetmap.org"
        );
        assert_eq!(
            super::tile_origin("http://127.0.0.1:9/{z}/{x}/{y}.png"),
            "http://127.0.0.1:9"
        );
    }
}
