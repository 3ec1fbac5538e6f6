//! `/mobilisations`: what is planned (evictions, hearings, lockouts, actions), soonest first, a
//! form to plan one (the same checks as the API: every wrong field named, the form kept), and
//! cancelling. The exact place is shown here, to signed-in dispatchers only.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::session::{Signed, SignedForm};
use super::view::{self, Chrome, Notice};
use super::Dash;
use crate::domain::mobilisation::BUILT_IN_KINDS;
use crate::domain::MobilisationStatus;
use crate::mobilisations::{self, CreateError, Created};
use crate::store::invitations::Rsvp;

struct Item {
    id: i64,
    when: String,
    kind: String,
    status: String,
    place: String,
    zone: String,
    text: String,
    wanted: i64,
    /// The number volunteers answer with (YES31), and their answers so far.
    code: i64,
    answers: Rsvp,
    planned: bool,
    live: bool,
}

/// What the form held, given back with the reason when it was refused.
#[derive(Default)]
struct Form {
    kind: String,
    starts_at: String,
    place: String,
    text: String,
    wanted: String,
    audience: String,
    radius_m: String,
    zones: String,
}

#[derive(Template)]
#[template(path = "dashboard/mobilisations.html")]
struct Page {
    chrome: Chrome,
    notice: Option<Notice>,
    items: Vec<Item>,
    kinds: Vec<String>,
    form: Form,
    timezone: String,
}

async fn render(
    dash: &Dash,
    signed: &Signed,
    notice: Option<Notice>,
    form: Form,
    status: StatusCode,
) -> Response {
    let core = &dash.core;
    let rows = match mobilisations::listed(core).await {
        Ok(rows) => rows,
        Err(e) => return view::internal(e),
    };
    let codes: Vec<i64> = rows.iter().filter_map(|m| m.incident_id).collect();
    let answers = match core.store.rsvps(&codes).await {
        Ok(a) => a,
        Err(e) => return view::internal(e),
    };
    let items = rows
        .into_iter()
        .map(|m| Item {
            code: m.incident_id.unwrap_or_default(),
            answers: m
                .incident_id
                .and_then(|i| answers.get(&i).copied())
                .unwrap_or_default(),
            planned: m.status == MobilisationStatus::Planned,
            live: m.status == MobilisationStatus::Live,
            id: m.id,
            when: view::when(core, m.starts_at),
            kind: m.kind,
            status: m.status.as_str().to_string(),
            place: m
                .place
                .map_or_else(|| crate::store::UNREADABLE.to_string(), |p| p.label),
            zone: m.zone.unwrap_or_default(),
            text: m.text,
            wanted: m.wanted,
        })
        .collect();
    let mut kinds: Vec<String> = BUILT_IN_KINDS.iter().map(|k| k.to_string()).collect();
    kinds.extend(core.settings.mobilisations.kinds.iter().cloned());
    let page = Page {
        chrome: Chrome::of(signed),
        notice,
        items,
        kinds,
        form,
        timezone: core.settings.network.timezone.clone(),
    };
    view::render(status, &page)
}

pub async fn page(
    State(dash): State<Dash>,
    signed: Signed,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let notice = match query.get("done").map(String::as_str) {
        Some("planned") => Notice::ok("Planned."),
        Some("cancelled") => Notice::ok("Cancelled: everyone invited is told to stand down."),
        Some("area") => Notice::ok("The area is being alerted."),
        Some("moved") => Notice::ok("Changed: everyone invited is told the new time or place."),
        Some("changed") => Notice::ok("Changed."),
        _ => None,
    };
    let form = Form {
        audience: "radius".into(),
        radius_m: "1500".into(),
        wanted: "10".into(),
        ..Form::default()
    };
    render(&dash, &signed, notice, form, StatusCode::OK).await
}

/// `plan` (the form's fields), `cancel` (id), `change` (id and the change form's fields) or
/// `alert-area` (id).
pub async fn act(State(dash): State<Dash>, form: SignedForm) -> Response {
    let core = &dash.core;
    let actor = form.signed.user.actor();
    if form.get("action") == "change" {
        return super::mobilisation_change::act(&dash, &form).await;
    }
    if form.get("action") == "cancel" {
        let Some(id) = form.get("id").parse::<i64>().ok() else {
            return view::not_found("mobilisation");
        };
        return match mobilisations::cancel(core, &actor, id).await {
            Ok(true) => done("cancelled"),
            Ok(false) => {
                let why = "it is not planned any more (a live one ends with its incident's all-clear)";
                refused(&dash, &form, why.into()).await
            }
            Err(e) => view::internal(e),
        };
    }
    if form.get("action") == "alert-area" {
        let row = match form.get("id").parse::<i64>() {
            Ok(id) => core.store.mobilisation(id).await,
            Err(_) => Ok(None),
        };
        let m = match row {
            Ok(Some(m)) => m,
            Ok(None) => return view::not_found("mobilisation"),
            Err(e) => return view::internal(e),
        };
        return match mobilisations::alert_area(core, &actor, &m).await {
            Ok(true) => done("area"),
            Ok(false) => {
                refused(
                    &dash,
                    &form,
                    "it is not live, or its area was alerted already".into(),
                )
                .await
            }
            Err(e) => view::internal(e),
        };
    }
    let body = body_of(&form);
    let draft = match mobilisations::rules(core).from_json(&body) {
        Ok(d) => d,
        Err(i) => return refused(&dash, &form, i.to_string()).await,
    };
    match mobilisations::create(core, &actor, &draft).await {
        Ok(Created::New(_)) => done("planned"),
        Ok(Created::Already) => {
            refused(
                &dash,
                &form,
                "it is planned already (the same kind, place and time)".into(),
            )
            .await
        }
        Err(CreateError::Invalid(i)) => refused(&dash, &form, i.to_string()).await,
        Err(CreateError::Store(e)) => view::internal(e),
    }
}

/// The form as the API's body: the same checks, the same words.
fn body_of(form: &SignedForm) -> Value {
    let audience = match form.get("audience") {
        "zones" => {
            json!({"zones": form.get("zones").split(',').map(str::trim).filter(|z| !z.is_empty()).collect::<Vec<_>>()})
        }
        "verifiers" => json!({"role": "verifier"}),
        _ => match form.get("radius_m").trim().parse::<u32>() {
            Ok(m) => json!({"radius_m": m}),
            Err(_) => json!({"radius_m": "?"}),
        },
    };
    json!({
        "kind": form.get("kind"),
        "starts_at": form.get("starts_at"),
        "place": form.get("place"),
        "text": form.get("text"),
        "wanted": form.get("wanted").trim().parse::<i64>().ok(),
        "audience": audience,
    })
}

fn done(what: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, format!("/mobilisations?done={what}"))],
    )
        .into_response()
}

async fn refused(dash: &Dash, form: &SignedForm, why: String) -> Response {
    let kept = Form {
        kind: form.get("kind").to_string(),
        starts_at: form.get("starts_at").to_string(),
        place: form.get("place").to_string(),
        text: form.get("text").to_string(),
        wanted: form.get("wanted").to_string(),
        audience: form.get("audience").to_string(),
        radius_m: form.get("radius_m").to_string(),
        zones: form.get("zones").to_string(),
    };
    let notice = Notice::refused(format!("Not done — {why}"));
    render(dash, &form.signed, notice, kept, StatusCode::UNPROCESSABLE_ENTITY).await
}
