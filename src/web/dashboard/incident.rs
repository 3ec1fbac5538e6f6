//! `/incidents/{id}`: one incident. Its reports (escaped text), a map with its point and the
//! home areas that matched, every alerted volunteer with their delivery and answer, and the
//! dispatcher's actions, each a form posted to `/incidents/{id}/act` and carried out by
//! `dispatch::actions` (the JSON API's code).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::queue::{self, Item};
use super::session::{Signed, SignedForm};
use super::view::{self, Chrome, Notice};
use super::Dash;
use crate::dispatch::actions::{self, ActionError};
use crate::domain::{CheckAnswer, IncidentStatus, Kind};
use crate::state::Core;
use crate::store::board::UpdateRow;
use crate::store::StoreError;

pub struct ReportItem {
    pub id: i64,
    pub text: String,
    pub place: String,
    /// Cut at 1,600 characters.
    pub truncated: bool,
    /// A call to the hotline: its voice message, if any, plays at `/reports/{id}/recording`.
    pub voice: bool,
}

pub struct AlertedItem {
    pub name: String,
    pub phone: String,
    pub language: String,
    pub delivery: String,
    pub answer: &'static str,
    pub answer_class: &'static str,
    pub answered: String,
    /// Not vetted: the answer does not count towards responders wanted.
    pub unvetted: bool,
}

#[derive(Template)]
#[template(path = "dashboard/incident_live.html")]
struct Live {
    inc: Item,
    reports: Vec<ReportItem>,
    alerted: Vec<AlertedItem>,
    updates: Vec<UpdateRow>,
    answers: Vec<CheckAnswerItem>,
    history: Vec<HistoryItem>,
}

/// What a verifier sent while asked to check (shown escaped: it is their message).
struct CheckAnswerItem {
    age: String,
    who: String,
    kind: &'static str,
    text: String,
}

struct HistoryItem {
    age: String,
    from: String,
    to: String,
    cause: String,
}

#[derive(Template)]
#[template(path = "dashboard/incident.html")]
struct IncidentPage {
    chrome: Chrome,
    notice: Option<Notice>,
    live: Live,
    open: bool,
    movable: bool,
    /// Placed only roughly (a zone, a street): the page says so and invites the exact place.
    rough: bool,
    unverified: bool,
    /// Closed as not found: a dispatcher may still confirm it.
    not_found: bool,
    alerted_any: bool,
    kinds: Vec<(&'static str, bool)>,
    map: String,
    tile_url: String,
    tile_attribution: String,
    /// Empty when not placed yet.
    lat: String,
    compose: super::compose::Forms,
    /// The one-field locate form (`locate.rs`, `locate_form.html`).
    locate: super::locate::LocateForm,
}

async fn live(core: &Core, id: i64) -> Result<Option<(Live, Value, bool)>, StoreError> {
    let Some(row) = core.store.incident(id).await? else {
        return Ok(None);
    };
    let inc = queue::item(core, &row).await?;
    let reports = core
        .store
        .reports_of_incident(id)
        .await?
        .into_iter()
        .map(|r| ReportItem {
            id: r.id,
            text: r.body,
            place: view::place(r.location.point.map(|p| p.0), r.location.point.map(|p| p.1)),
            truncated: r.truncated,
            voice: r.channel == "voice",
        })
        .collect();
    let rows = core.store.alerted_volunteers(id).await?;
    // Zones are drawn by their shape: the map knows circles and GeoJSON, not zone names.
    let drawable = |area: &str| core.area_of(area).map(|a| a.to_json());
    let mut areas: Vec<Value> = rows.iter().filter_map(|r| drawable(&r.area)).collect();
    if rows.is_empty() {
        // Not alerted yet: show whose areas hold the point now (who would be alerted).
        if let (Some(lat), Some(lon)) = (row.lat, row.lon) {
            for vid in core.targets(lat, lon).into_iter().take(500) {
                if let Some(a) = core.store.volunteer(vid).await?.and_then(|v| drawable(&v.area)) {
                    areas.push(a);
                }
            }
        }
    }
    let alerted = rows
        .iter()
        .map(|r| {
            let phone = &r.phone;
            let (answer, answer_class) = view::answer_words(r.answer.as_deref());
            AlertedItem {
                name: r.name.clone(),
                // Masked for admins too: this list is re-read on every change (a whole number
                // is on the volunteer's own page, audited).
                phone: view::masked(phone),
                language: r.language.clone(),
                // A wake-up call is its own row beside the volunteer's text.
                delivery: match r.channel.as_str() {
                    "voice" => format!("call {}", r.status),
                    _ => r.status.clone(),
                },
                answer,
                answer_class,
                answered: r.answered_at.map(|at| view::when(core, at)).unwrap_or_default(),
                unvetted: r.unvetted,
            }
        })
        .collect();
    let updates = core.store.updates_of(id).await?;
    let answers = core
        .store
        .check_answers(id)
        .await?
        .into_iter()
        .map(|a| CheckAnswerItem {
            age: view::when(core, a.at),
            who: if a.name.is_empty() {
                format!("volunteer #{}", a.volunteer_id)
            } else {
                a.name
            },
            kind: match a.kind {
                CheckAnswer::Confirm => "CONFIRM",
                CheckAnswer::Nothing => "NOTHING",
                CheckAnswer::Other => "decides nothing",
            },
            text: a.text,
        })
        .collect();
    let history = core
        .store
        .incident_history(id)
        .await?
        .into_iter()
        .map(|t| HistoryItem {
            age: view::when(core, t.at),
            from: t
                .from
                .map(|f| queue::stored_status_label(&f).to_string())
                .unwrap_or_default(),
            to: queue::stored_status_label(&t.to).to_string(),
            cause: t.cause,
        })
        .collect();
    let map = json!({
        "point": row.lat.zip(row.lon).map(|(a, b)| [a, b]),
        "areas": areas,
        "rough": row.approximate,
    });
    // Placed only roughly, it may be placed exactly even after its alert (those coming are sent
    // the place); an exact one is never moved once alerted.
    let movable = row.status.is_open() && (row.first_alert_at.is_none() || row.approximate);
    let live = Live {
        inc,
        reports,
        alerted,
        updates,
        answers,
        history,
    };
    Ok(Some((live, map, movable)))
}

async fn render_page(
    dash: &Dash,
    signed: &Signed,
    id: i64,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    render_with(dash, signed, id, notice, status, Default::default()).await
}

/// The page with the locate form as given (the words typed, the places they may mean).
pub(super) async fn render_with(
    dash: &Dash,
    signed: &Signed,
    id: i64,
    notice: Option<Notice>,
    status: StatusCode,
    locate: super::locate::LocateForm,
) -> Response {
    let core = &dash.core;
    let (live, mut map, movable) = match live(core, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return view::not_found("incident"),
        Err(e) => return view::internal(e),
    };
    map["placeable"] = json!(movable);
    let rough = map["rough"] == json!(true);
    let open = live.inc.status.is_open();
    let unverified = live.inc.status.is_pending();
    let not_found = live.inc.status == IncidentStatus::NotFound && live.inc.merged_into.is_none();
    // Confirmed: alerts are on their way; the form is there at once (the page is not re-rendered).
    let alerted_any = !live.alerted.is_empty() || live.inc.status == IncidentStatus::Confirmed;
    let kinds = Kind::NAMES.iter().map(|k| (*k, *k == live.inc.kind)).collect();
    let lat = match live.inc.place.split_once(", ") {
        Some((a, _)) => a.to_string(),
        None => String::new(),
    };
    let compose = match super::compose::forms(core, id, &signed.csrf).await {
        Ok(forms) => forms,
        Err(e) => return view::internal(e),
    };
    let page = IncidentPage {
        chrome: Chrome::of(signed),
        notice,
        live,
        open,
        movable,
        rough,
        unverified,
        not_found,
        alerted_any,
        kinds,
        map: map.to_string(),
        tile_url: core.settings.dashboard.tile_url.clone(),
        tile_attribution: core.settings.dashboard.tile_attribution.clone(),
        lat,
        compose,
        locate,
    };
    view::render(status, &page)
}

pub async fn page(
    State(dash): State<Dash>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(id) = view::id(&id) else {
        return view::not_found("incident");
    };
    let notice = query
        .get("done")
        .and_then(|d| view::incident_done_text(d))
        .and_then(Notice::ok);
    render_page(&dash, &signed, id, notice, StatusCode::OK).await
}

/// The live part of the page: needs a session (the extractor), and is the same for every role.
pub async fn fragment(State(dash): State<Dash>, _signed: Signed, Path(id): Path<String>) -> Response {
    let Some(id) = view::id(&id) else {
        return view::not_found("incident");
    };
    match live(&dash.core, id).await {
        Ok(Some((live, _, _))) => view::render(StatusCode::OK, &live),
        Ok(None) => view::not_found("incident"),
        Err(e) => view::internal(e),
    }
}

/// Carries out the posted action (placing it has its own form, `locate.rs`); on success, back to the page (303, so a reload does not
/// repeat it); on refusal, the page again with the reason.
pub async fn act(State(dash): State<Dash>, Path(id): Path<String>, form: SignedForm) -> Response {
    let Some(id) = view::id(&id) else {
        return view::not_found("incident");
    };
    if let Some(ask) = super::confirm::ask(&dash, &form, id).await {
        return ask; // It texts people: nothing is sent before `confirm=yes`.
    }
    let core = &dash.core;
    let actor = form.signed.user.actor();
    let result: Result<(String, i64), ActionError> = async {
        match form.get("action") {
            "kind" => {
                let kind = Kind::parse(form.get("kind")).ok_or_else(|| {
                    ActionError::Invalid("kind", format!("kind must be one of {}", Kind::NAMES.join(", ")))
                })?;
                actions::set_kind(core, &actor, id, kind).await?;
                Ok(("kind".into(), id))
            }
            "verify" => {
                actions::verify(core, &actor, id).await?;
                Ok(("confirmed".into(), id))
            }
            "update" | "correction" => {
                actions::send_update(core, &actor, id, &super::compose::versions_of(&form)?).await?;
                Ok((form.get("action").into(), id))
            }
            "merge" => {
                let other = super::confirm::number_in(form.get("other")).ok_or_else(|| {
                    ActionError::Invalid("other", "give the number of the other incident".into())
                })?;
                actions::merge(core, &actor, other, id).await?;
                Ok(("merged".into(), id))
            }
            "resolve" => {
                actions::close(core, &actor, id, IncidentStatus::AllClear).await?;
                Ok(("all_clear".into(), id))
            }
            "split" => {
                let report = form
                    .get("report_id")
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ActionError::Invalid("report_id", "choose one of the reports".into()))?;
                let new_id = actions::split(core, &actor, id, report).await?;
                Ok(("split".into(), new_id))
            }
            "dismiss" => {
                actions::close(core, &actor, id, IncidentStatus::NotFound).await?;
                Ok(("dismissed".into(), id))
            }
            "false_alarm" => {
                actions::close(core, &actor, id, IncidentStatus::FalseAlarm).await?;
                Ok(("false_alarm".into(), id))
            }
            other => Err(ActionError::Invalid(
                "action",
                format!("unknown action {other:?}"),
            )),
        }
    }
    .await;
    match result {
        Ok((done, id)) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, format!("/incidents/{id}?done={done}"))],
        )
            .into_response(),
        Err(ActionError::NotFound) => view::not_found("incident"),
        Err(ActionError::Store(e)) => view::internal(e),
        Err(ActionError::Invalid(field, why)) => {
            let text = format!("Not done — {field}: {why}");
            render_page(
                &dash,
                &form.signed,
                id,
                Notice::refused(text),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ActionError::Conflict(why)) => {
            render_page(
                &dash,
                &form.signed,
                id,
                Notice::refused(format!("Not done — {why}")),
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}
