//! `GET /api/v1/places/search?q=`: what the imported places make of a text, for the
//! dashboard's locate form. Answered from memory; only when that finds nothing, and only if
//! `geocode.nominatim_url` is set, from the network's own Nominatim.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::state::Shared;
use crate::web::ApiError;

/// At most this many matches; a query longer than `MAX_CHARS` is refused.
const LIMIT: usize = 10;
const MAX_CHARS: usize = 200;

pub async fn search(
    State(core): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let q = query.get("q").map(|q| q.trim()).unwrap_or_default();
    if q.is_empty() || q.chars().count() > MAX_CHARS {
        return Err(ApiError::invalid(
            "q",
            format!("must be 1 to {MAX_CHARS} characters"),
        ));
    }
    let mut matches: Vec<Value> = core
        .places()
        .search(q, LIMIT)
        .into_iter()
        .map(|f| {
            json!({ "lat": f.lat, "lon": f.lon, "label": f.label, "located_by": f.by.as_str(),
                    "uncertainty_m": f.uncertainty_m })
        })
        .collect();
    // A zone named in the query comes after what the places found (it is vaguer).
    if let Some(z) = core.zones().find_in_text(q).filter(|_| matches.len() < LIMIT) {
        matches.push(
            json!({ "lat": z.lat, "lon": z.lon, "label": z.name, "located_by": "zone",
                             "uncertainty_m": z.radius_m() }),
        );
    }
    if matches.is_empty() {
        if let Some(nominatim) = &core.nominatim {
            matches = nominatim
                .search(q, LIMIT)
                .await
                .into_iter()
                .map(|f| {
                    json!({ "lat": f.lat, "lon": f.lon, "label": f.label, "located_by": f.by.as_str(),
                            "uncertainty_m": f.uncertainty_m })
                })
                .collect();
        }
    }
    Ok(Json(json!({ "matches": matches })))
}
