//! Placing an incident from one field (`templates/dashboard/locate_form.html`): an address,
//! an intersection, a named place, coordinates in any common form or a map link, read by
//! `geo::words` as the API's place search reads them. `GET /fragments/places?q=` suggests as
//! the dispatcher types (with the session; `assets/locate.js`); `POST /incidents/{id}/locate`
//! places it, with or without JavaScript: a chosen suggestion or a tap on the map sends its
//! point, plain words are read on the server (several exact matches: the choices are shown;
//! none: the page says so, naming the field). Placing goes through `dispatch::actions::locate`,
//! the code of `POST /api/v1/incidents/{id}/locate` (`located_by` = `dispatcher`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::confirm;
use super::incident::render_with;
use super::session::{Signed, SignedForm};
use super::view::{self, Notice};
use super::Dash;
use crate::dispatch::actions::{self, ActionError};
use crate::dispatch::headcount;
use crate::geo::places::Found;
use crate::geo::words::what;
use crate::state::Core;
use crate::web::api::places::{lookup, match_json, MAX_CHARS};

/// The locate form as the page shows it: the words typed, and the places they may mean.
#[derive(Default)]
pub struct LocateForm {
    pub words: String,
    pub choices: Vec<Choice>,
}

/// One of several places the words match, placed by its own button.
pub struct Choice {
    pub lat: String,
    pub lon: String,
    pub label: String,
    /// What it is and its zone: "intersection · Koreatown".
    pub what: String,
}

/// Suggestions for the locate field, as JSON built into the page with textContent.
pub async fn suggest(
    State(dash): State<Dash>,
    _signed: Signed,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let q = query.get("q").map(String::as_str).unwrap_or_default();
    if q.trim().is_empty() {
        return Json(json!({ "matches": [] })).into_response();
    }
    // With the names the last word begins; a plain submit reads whole words (`lookup`).
    match crate::web::api::places::suggest(&dash.core, q).await {
        Ok(found) => {
            let matches: Vec<Value> = found.iter().map(|f| match_json(&dash.core, f)).collect();
            Json(json!({ "matches": matches })).into_response()
        }
        Err(why) => Json(json!({ "matches": [], "problem": format!("where: {why}") })).into_response(),
    }
}

fn describe(dash: &Dash, f: &Found) -> String {
    let zones = dash.core.zones();
    match zones.containing(f.lat, f.lon) {
        Some(z) => format!("{} · {}", what(f), z.name),
        None => what(f),
    }
}

/// A point sent by a chosen suggestion or a map tap (both fields, finite), if any.
fn given_point(form: &SignedForm) -> Result<Option<(f64, f64)>, ActionError> {
    let (lat, lon) = (form.get("lat"), form.get("lon"));
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let number = |s: &str, field: &'static str| {
        s.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| ActionError::Invalid(field, format!("{field} must be a number, like 34.0617")))
    };
    Ok(Some((number(lat, "lat")?, number(lon, "lon")?)))
}

enum Outcome {
    /// One point: the given one, or the one exact match of the words, with what it is.
    At(f64, f64, String),
    Choose(Vec<Choice>),
}

/// Where the form says: a given point, else the words read as the API's place search reads them.
async fn read(dash: &Dash, form: &SignedForm) -> Result<Outcome, ActionError> {
    let core = &dash.core;
    if let Some((lat, lon)) = given_point(form)? {
        let point = format!("{lat:.5}, {lon:.5}");
        let at = match dash.core.zones().containing(lat, lon) {
            Some(z) => format!("{point} · {}", z.name),
            None => point,
        };
        let label = match form.get("where") {
            "" => at,
            words => format!("{} — {at}", words.chars().take(MAX_CHARS).collect::<String>()),
        };
        return Ok(Outcome::At(lat, lon, label));
    }
    let words = form.get("where");
    if words.is_empty() {
        return Err(ActionError::Invalid(
            "where",
            "type where it is: an address, a corner (Vermont and 3rd), a place, coordinates or a map link; or tap the map".into(),
        ));
    }
    if words.chars().count() > MAX_CHARS {
        return Err(ActionError::Invalid(
            "where",
            format!("at most {MAX_CHARS} characters"),
        ));
    }
    let found = lookup(core, words)
        .await
        .map_err(|why| ActionError::Invalid("where", why))?;
    let (exact, rough): (Vec<&Found>, Vec<&Found>) = found.iter().partition(|f| f.uncertainty_m.is_none());
    match exact.as_slice() {
        [one] => Ok(Outcome::At(one.lat, one.lon, format!("{} — {}", one.label, describe(dash, one)))),
        [] => Err(ActionError::Invalid(
            "where",
            match rough.first() {
                Some(f) => format!(
                    "{} is only known roughly ({}): add a cross street (Vermont and 3rd) or a house number, or tap the map",
                    f.label,
                    what(f)
                ),
                None => "no place known matches these words: try an address (3300 S Vermont Ave), a corner (Vermont and 3rd), a place's name, coordinates (34.0633, -118.2846) or a map link; or tap the map".into(),
            },
        )),
        several => Ok(Outcome::Choose(
            several
                .iter()
                .map(|f| Choice {
                    lat: format!("{:.7}", f.lat),
                    lon: format!("{:.7}", f.lon),
                    label: f.label.clone(),
                    what: describe(dash, f),
                })
                .collect(),
        )),
    }
}

/// The one point a locate form would place at (for the confirmation dialog's count), if the
/// words or the point give exactly one.
pub async fn resolve(core: &Core, lat: &str, lon: &str, words: &str) -> Option<(f64, f64)> {
    let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
    if let (Some(lat), Some(lon)) = (number(lat), number(lon)) {
        return Some((lat, lon));
    }
    if words.trim().is_empty() || words.chars().count() > MAX_CHARS {
        return None;
    }
    let found = lookup(core, words).await.ok()?;
    match found
        .iter()
        .filter(|f| f.uncertainty_m.is_none())
        .collect::<Vec<_>>()
        .as_slice()
    {
        [one] => Some((one.lat, one.lon)),
        _ => None,
    }
}

/// Places the incident from the form; back to the page (303) when placed, else the page
/// again with the choices or the reason.
pub async fn submit(State(dash): State<Dash>, Path(id): Path<String>, form: SignedForm) -> Response {
    let Some(id) = view::id(&id) else {
        return view::not_found("incident");
    };
    let mut again = LocateForm {
        words: form.get("where").chars().take(MAX_CHARS).collect(),
        choices: Vec::new(),
    };
    let outcome = match read(&dash, &form).await {
        Ok(Outcome::At(lat, lon, label)) => {
            // Placing may text people (a confirmed incident's first alert, the exact place to
            // those coming): ask first, saying how many, as every such action does.
            if form.get("confirm") != "yes" {
                match headcount::of_place(&dash.core, id, lat, lon).await {
                    Ok(Some(sends)) => {
                        let fields = vec![
                            ("where", label.clone()),
                            ("lat", format!("{lat:.7}")),
                            ("lon", format!("{lon:.7}")),
                        ];
                        let post_to = format!("/incidents/{id}/locate");
                        return confirm::page(&form.signed, id, post_to, "locate", &sends, label, fields);
                    }
                    Ok(None) => {}
                    Err(e) => return view::internal(e),
                }
            }
            match actions::locate(&dash.core, &form.signed.user.actor(), id, lat, lon).await {
                Ok(()) => {
                    return (
                        StatusCode::SEE_OTHER,
                        [(LOCATION, format!("/incidents/{id}?done=placed"))],
                    )
                        .into_response()
                }
                Err(e) => refused(e),
            }
        }
        Ok(Outcome::Choose(choices)) => {
            let n = choices.len();
            again.choices = choices;
            Ok((
                Notice::ok(format!("{n} places match: choose one below the field.")),
                StatusCode::OK,
            ))
        }
        Err(e) => refused(e),
    };
    match outcome {
        Ok((notice, status)) => render_with(&dash, &form.signed, id, notice, status, again).await,
        Err(response) => response,
    }
}

/// Why it was not placed, as the page says it (or the error page). The error is the page
/// itself, returned once per request: boxing it would buy nothing.
#[allow(clippy::result_large_err)]
fn refused(e: ActionError) -> Result<(Option<Notice>, StatusCode), Response> {
    match e {
        ActionError::NotFound => Err(view::not_found("incident")),
        ActionError::Store(e) => Err(view::internal(e)),
        ActionError::Invalid(field, why) => Ok((
            Notice::refused(format!("Not placed — {field}: {why}")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        ActionError::Conflict(why) => Ok((
            Notice::refused(format!("Not placed — {why}")),
            StatusCode::CONFLICT,
        )),
    }
}
