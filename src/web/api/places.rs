//! `GET /api/v1/places/search?q=`: what the imported places make of a text (coordinates in
//! any common form, map links, addresses, intersections, places, streets, zones; see
//! `geo::words`), as a search box suggests it: with the names the last word begins
//! (`suggest`). Answered from memory; only when that finds nothing, and only if
//! `geocode.nominatim_url` is set, from the network's own Nominatim. The dashboard's locate
//! field asks the same through its session (`/fragments/places`); its plain submit reads
//! whole words only (`lookup`).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use serde_json::{json, Value};

use crate::geo::places::Found;
use crate::geo::words::what;
use crate::state::{Core, Shared};
use crate::web::ApiError;

pub use crate::lookup::{lookup, suggest, MAX_CHARS};

/// One match as JSON: where, what it is (in words too), and the zone it lies in.
pub fn match_json(core: &Core, f: &Found) -> Value {
    let zones = core.zones();
    let zone = zones.containing(f.lat, f.lon).map(|z| z.name.clone());
    json!({ "lat": f.lat, "lon": f.lon, "label": f.label, "located_by": f.by.as_str(),
            "uncertainty_m": f.uncertainty_m, "approximate": f.uncertainty_m.is_some(),
            "what": what(f), "zone": zone })
}

#[utoipa::path(get, path = "/places/search", tag = "places", security(("bearer" = ["dispatch"])), params(("q" = String, Query, description = "an address, a corner, a place, coordinates or a map link (1 to 200 characters)")), responses((status = 200, description = "`{matches: [...]}` best first", body = Object), (status = 422, description = "`q` cannot be a place")))]
pub async fn search(
    State(core): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let q = query.get("q").map(String::as_str).unwrap_or_default();
    let found = suggest(&core, q)
        .await
        .map_err(|why| ApiError::invalid("q", why))?;
    let matches: Vec<Value> = found.iter().map(|f| match_json(&core, f)).collect();
    Ok(Json(json!({ "matches": matches })))
}
