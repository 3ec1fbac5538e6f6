//! The dashboard's own base map (issue 15 §3): `/map/features?bbox=W,S,E,N&zoom=Z` answers what
//! the imported zones and places draw in that box (GeoJSON, `geo::basemap`), `/map/home` where
//! an empty map opens (`dashboard.center`, else the zones' box, the streets', the alertable
//! volunteers' home areas'). Signed-in only: what a network
//! has mapped is its own.

use axum::extract::{Query, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::session::Signed;
use super::Dash;
use crate::geo::basemap::{features as draw, home as home_box, BBox};

#[derive(Deserialize)]
pub struct Window {
    bbox: Option<String>,
    zoom: Option<u8>,
}

pub async fn features(State(dash): State<Dash>, _signed: Signed, Query(w): Query<Window>) -> Response {
    let bbox = match w.bbox.as_deref().map(BBox::parse) {
        Some(Ok(bbox)) => bbox,
        Some(Err(why)) => return (StatusCode::BAD_REQUEST, format!("bbox: {why}")).into_response(),
        None => {
            return (
                StatusCode::BAD_REQUEST,
                "bbox: required, as west,south,east,north",
            )
                .into_response()
        }
    };
    let zoom = w.zoom.unwrap_or(12).min(22);
    let body = draw(&dash.core.places(), &dash.core.zones(), &bbox, zoom);
    // The browser may keep it a minute; no shared cache ever sees it.
    ([(CACHE_CONTROL, "private, max-age=60")], Json(body)).into_response()
}

pub async fn home(State(dash): State<Dash>, _signed: Signed) -> Response {
    let core = &dash.core;
    let view = core
        .settings
        .dashboard
        .map_center()
        .or_else(|| home_box(&core.places(), &core.zones(), || core.index.bounds()).map(|b| b.view()));
    let body = match view {
        Some((lat, lon, zoom)) => json!({"lat": lat, "lon": lon, "zoom": zoom}),
        None => json!(null),
    };
    ([(CACHE_CONTROL, "private, max-age=60")], Json(body)).into_response()
}
