//! `/volunteers`: the roster, searchable by name, and first the joiners waiting for approval
//! (pending, unvetted) with Approve and Reject for admins (`vetting`). Numbers are masked for
//! everyone here: an admin sees one whole number on that volunteer's page, audited.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::session::Signed;
use super::view::{self, Chrome, Notice};
use super::Dash;
use crate::intake::commands::UNTIL_RESUMED;
use crate::state::Core;
use crate::store::now_ms;
use crate::store::volunteers::VolunteerRow;

pub struct Row {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub language: String,
    pub trusted: bool,
    pub paused: bool,
    /// Who paused them and until when ("paused by text until 17:30 (in 8 h)"), if paused.
    pub pause: String,
    pub opted_out: bool,
    pub area: String,
    pub roles: Vec<String>,
    /// `approved`, `pending` or `unvetted`.
    pub standing: &'static str,
    /// `sms`, `signal` or `both`.
    pub channel: &'static str,
    /// How long ago they joined (or were added).
    pub joined: String,
}

#[derive(Template)]
#[template(path = "dashboard/volunteers.html")]
struct ListPage {
    chrome: Chrome,
    notice: Option<Notice>,
    query: String,
    rows: Vec<Row>,
    /// Joiners not yet approved: pending (not alerted) and unvetted (alerted, area only).
    waiting: Vec<Row>,
}

fn summary(area: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(area) {
        Ok(v) if v["type"] == "circle" => format!(
            "circle {:.0} m around {:.4}, {:.4}",
            v["radius_m"].as_f64().unwrap_or(0.0),
            v["lat"].as_f64().unwrap_or(0.0),
            v["lon"].as_f64().unwrap_or(0.0)
        ),
        Ok(v) if v["type"] == "Polygon" => "polygon".into(),
        Ok(v) if v["type"] == "MultiPolygon" => "polygons".into(),
        Ok(v) if v["type"] == "zone" => format!("zone {}", v["zone"].as_str().unwrap_or("?")),
        _ => "none".into(),
    }
}

pub(super) fn row(core: &Core, v: &VolunteerRow) -> Row {
    let phone = &v.phone;
    Row {
        id: v.id,
        name: v.name.clone(),
        phone: view::masked(phone),
        language: v.language.clone(),
        trusted: v.trusted,
        paused: !pause(core, v).is_empty(),
        pause: pause(core, v),
        opted_out: v.opted_out,
        area: summary(&v.area),
        roles: v
            .roles
            .split(',')
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect(),
        standing: v.standing.as_str(),
        channel: v.channel.as_str(),
        joined: view::when(core, v.created_at),
    }
}

/// Who paused a volunteer and until when, on the network's clock; empty when alerted. A
/// dispatcher's pause (the `paused` flag) lasts until a dispatcher resumes them; the volunteer's
/// own (PAUSE by text, `paused_until`) until that time or until they text RESUME.
pub(super) fn pause(core: &Core, v: &VolunteerRow) -> String {
    let by_text = match v.paused_until.filter(|u| *u > now_ms()) {
        Some(UNTIL_RESUMED) => Some("paused by text until they text RESUME".to_string()),
        Some(until) => Some(format!("paused by text until {}", view::when(core, until))),
        None => None,
    };
    let by_dispatcher = v.paused.then(|| match &v.paused_by {
        Some(who) => format!("paused by {who} until resumed here"),
        None => "paused by a dispatcher until resumed here".to_string(),
    });
    match (by_dispatcher, by_text) {
        (Some(d), Some(t)) => format!("{d}; also {t}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => String::new(),
    }
}

pub(super) fn done_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "added" => "Volunteer added.",
        "saved" => "Changes saved.",
        "paused" => "Paused: not alerted until resumed.",
        "resumed" => "Resumed: alerted again.",
        "removed" => "Volunteer removed; their name, number and area are erased.",
        "approved" => "Approved: alerted with exact places and counted as a responder from now on.",
        "rejected" => "Rejected; their name, number and area are erased. They were not told.",
        _ => return None,
    })
}

pub async fn list(
    State(dash): State<Dash>,
    signed: Signed,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let q = query.get("q").map(|s| s.trim().to_string()).unwrap_or_default();
    let all = match dash.core.store.volunteers().await {
        Ok(all) => all,
        Err(e) => return view::internal(e),
    };
    let found = match q.is_empty() {
        true => None,
        false => Some(dash.core.store.search_volunteers(&q).await),
    };
    match found.transpose() {
        Ok(found) => {
            let rows = found.as_ref().unwrap_or(&all);
            let page = ListPage {
                chrome: Chrome::of(&signed),
                notice: query.get("done").and_then(|d| done_text(d)).and_then(Notice::ok),
                query: q,
                rows: rows.iter().map(|v| row(&dash.core, v)).collect(),
                waiting: all
                    .iter()
                    .filter(|v| !v.standing.vetted())
                    .map(|v| row(&dash.core, v))
                    .collect(),
            };
            view::render(StatusCode::OK, &page)
        }
        Err(e) => view::internal(e),
    }
}
