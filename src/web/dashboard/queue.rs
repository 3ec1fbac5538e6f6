//! `/`: the live queue. Open incidents, those waiting for a dispatcher first (no verifier in
//! reach, none answered, not placed), then unverified, then newest; each with its kind,
//! place, age, first words and how far its alert got. The list is a fragment the page
//! refetches whenever the live stream says something changed.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::session::Signed;
use super::view::{self, Chrome};
use super::Dash;
use crate::domain::IncidentStatus;
use crate::state::Core;
use crate::store::incidents::{Counts, IncidentRow};
use crate::store::StoreError;

/// Open incidents shown at most; a network this busy needs more dispatchers, not a longer page.
const OPEN_LIMIT: i64 = 100;
const CLOSED_LIMIT: i64 = 15;

/// One incident as a line of the queue (and the head of its own page).
pub struct Item {
    pub id: i64,
    pub kind: String,
    pub status: IncidentStatus,
    pub status_label: &'static str,
    pub place: String,
    /// What is known of the place: zone, exact or approximate, how placed, how far off.
    pub facts: String,
    pub age: String,
    pub excerpt: String,
    pub counts: Counts,
    pub merged_into: Option<i64>,
    pub drill: bool,
    /// Responders wanted, and escalation steps taken.
    pub wanted: i64,
    pub escalation_step: i64,
    /// Why it waits for a dispatcher, while nobody acknowledged it and it is undecided.
    pub waiting: Option<&'static str>,
}

pub fn status_label(status: IncidentStatus) -> &'static str {
    match status {
        IncidentStatus::Unverified => "unverified",
        IncidentStatus::Verifying => "verifying",
        IncidentStatus::Confirmed => "confirmed",
        IncidentStatus::NotFound => "not found",
        IncidentStatus::AllClear => "all clear",
        IncidentStatus::FalseAlarm => "false alarm",
        IncidentStatus::Merged => "merged",
        IncidentStatus::Planned => "planned",
        IncidentStatus::Cancelled => "cancelled",
    }
}

/// The label of a status as stored in the history ("unknown" for a name this version lacks).
pub fn stored_status_label(status: &str) -> &'static str {
    IncidentStatus::parse(status).map_or("unknown", status_label)
}

pub async fn item(core: &Core, row: &IncidentRow) -> Result<Item, StoreError> {
    let counts = core.store.incident_counts(row.id).await?;
    let reports = core.store.reports_of_incident(row.id).await?;
    let excerpt = reports
        .first()
        .map(|r| {
            let mut text: String = r.body.chars().take(140).collect();
            if r.body.chars().count() > 140 {
                text.push('…');
            }
            text
        })
        .unwrap_or_default();
    Ok(Item {
        id: row.id,
        kind: row.kind.clone(),
        status: row.status,
        status_label: status_label(row.status),
        drill: row.drill,
        wanted: row.wanted,
        escalation_step: row.escalation_step,
        place: view::place(row.lat, row.lon),
        facts: view::place_facts(
            row.zone.as_deref(),
            row.lat.is_some() && !row.approximate,
            row.located_by.as_deref(),
            row.uncertainty_m,
        ),
        age: view::when(core, row.created_at),
        excerpt,
        counts,
        merged_into: row.merged_into,
        waiting: row
            .needs_person
            .filter(|_| row.acked_at.is_none() && row.status.is_pending())
            .map(|n| n.describe()),
    })
}

#[derive(Template)]
#[template(path = "dashboard/queue_list.html")]
struct QueueList {
    open: Vec<Item>,
    closed: Vec<Item>,
    unverified: usize,
    /// Open incidents waiting for a person: the tab's title counts them.
    waiting: usize,
    /// Their ids, for the page's notifications of new ones.
    waiting_ids: String,
}

#[derive(Template)]
#[template(path = "dashboard/queue.html")]
struct QueuePage {
    chrome: Chrome,
    list: QueueList,
}

async fn list(core: &Core) -> Result<QueueList, StoreError> {
    let mut open = Vec::new();
    for row in core.store.open_incidents(OPEN_LIMIT).await? {
        open.push(item(core, &row).await?);
    }
    let mut closed = Vec::new();
    for row in core.store.closed_incidents(CLOSED_LIMIT).await? {
        closed.push(item(core, &row).await?);
    }
    let unverified = open.iter().filter(|i| i.status.is_pending()).count();
    let waiting: Vec<String> = open
        .iter()
        .filter(|i| i.waiting.is_some())
        .map(|i| i.id.to_string())
        .collect();
    Ok(QueueList {
        open,
        closed,
        unverified,
        waiting: waiting.len(),
        waiting_ids: waiting.join(","),
    })
}

pub async fn page(State(dash): State<Dash>, signed: Signed) -> Response {
    match list(&dash.core).await {
        Ok(list) => view::render(
            StatusCode::OK,
            &QueuePage {
                chrome: Chrome::of(&signed),
                list,
            },
        ),
        Err(e) => view::internal(e),
    }
}

pub async fn fragment(State(dash): State<Dash>, _signed: Signed) -> Response {
    match list(&dash.core).await {
        Ok(list) => view::render(StatusCode::OK, &list),
        Err(e) => view::internal(e),
    }
}
