//! The API's description, `GET /api/v1/openapi.json` (OpenAPI 3.1, no token needed: it says
//! what the API takes, nothing about the network). Every route is registered through
//! `utoipa_axum::routes!` from its handler's `#[utoipa::path]`, so the router and the document
//! are one list; the request bodies below are the shapes the handlers read (they parse JSON
//! themselves, to name a wrong field in their 422).

use std::collections::BTreeMap;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, ServerBuilder};
use utoipa::{Modify, ToSchema};

/// Bearer tokens: `api.token` (admin) or one from `tocsin token add NAME --scope read|dispatch|admin`.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "a token of scope read, dispatch or admin (each route names the scope it needs)",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "tocsin",
        description = "Rapid-response alert dispatcher: incidents, reports, volunteers, zones, tokens. \
                       Errors are JSON `{\"error\": \"FIELD: why\"}` with 401 (no token), 403 (scope), 404, 409, 422."
    ),
    modifiers(&Bearer)
)]
struct Base;

/// The document's frame: paths are added from the handlers; they live under `/api/v1`.
pub fn base() -> OpenApi {
    let mut api = <Base as utoipa::OpenApi>::openapi();
    api.servers = Some(vec![ServerBuilder::new().url("/api/v1").build()]);
    api
}

/// `PATCH /incidents/{id}`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct KindChange {
    /// raid, checkpoint, eviction, patrol, other
    kind: String,
}

/// `POST /incidents/{id}/locate`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Point {
    lat: f64,
    lon: f64,
}

/// `POST /incidents/{id}/merge`: this incident moves into `into`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MergeInto {
    into: i64,
}

/// `POST /incidents/{id}/split`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SplitReport {
    report_id: i64,
}

/// `POST /incidents/{id}/update`: English `text` (required, the fallback) and versions by
/// language code (es, ko, zh).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UpdateText {
    text: String,
    texts: Option<BTreeMap<String, String>>,
}

/// `POST /reports`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NewReport {
    /// 1 to 1,600 characters
    text: String,
    lat: Option<f64>,
    lon: Option<f64>,
    kind: Option<String>,
    language: Option<String>,
    drill: Option<bool>,
}

/// `POST /blocklist`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Block {
    report_id: i64,
    reason: Option<String>,
}

/// A home area: a circle, a GeoJSON polygon, or a zone's name.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Area {
    /// circle, polygon or zone
    r#type: String,
    lat: Option<f64>,
    lon: Option<f64>,
    radius_m: Option<f64>,
    coordinates: Option<serde_json::Value>,
    name: Option<String>,
}

/// `POST /volunteers`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NewVolunteer {
    name: String,
    /// E.164
    phone: String,
    /// en, es, ko, zh
    language: Option<String>,
    /// sms, signal, both
    channel: Option<String>,
    /// never (default), night (within network.night_hours) or always: a call after a
    /// confirmed alert's text
    call: Option<String>,
    signal_address: Option<String>,
    trusted: Option<bool>,
    roles: Option<Vec<String>>,
    area: Area,
}

/// `PATCH /volunteers/{id}`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct VolunteerChange {
    roles: Option<Vec<String>>,
    /// never, night or always
    call: Option<String>,
}

/// `POST /tokens`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NewToken {
    name: String,
    /// read, dispatch or admin
    scope: String,
}

/// `POST /mobilisations`: `starts_at` on the network's clock (`2026-12-10T07:30`) or RFC 3339;
/// `audience` one of `{"radius_m": N}`, `{"zones": [...]}`, `{"role": "..."}`,
/// `{"volunteers": [ids]}`; `case` is kept only as a keyed hash.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NewMobilisation {
    kind: String,
    starts_at: String,
    place: String,
    text: String,
    wanted: i64,
    audience: serde_json::Value,
    disclose: Option<String>,
    reminders_s: Option<Vec<i64>>,
    widen_before_s: Option<i64>,
    case: Option<String>,
}
