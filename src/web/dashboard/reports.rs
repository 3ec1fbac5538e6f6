//! `/reports`: every report as it came in, newest first, with its incident and why it was held
//! (rate-limited, blocked) or noted (repeat); blocking a sender by one of their reports (the
//! dispatcher never sees the number) and lifting blocks.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::session::{Signed, SignedForm};
use super::view::{self, Chrome, Notice};
use super::Dash;
use crate::intake::guard;
use crate::store::guard::Blocked;

struct ReportItem {
    id: i64,
    age: String,
    text: String,
    kind: String,
    incident_id: Option<i64>,
    flagged: String,
    /// The volunteer who sent it (an unclear message is shown as theirs).
    volunteer_id: Option<i64>,
    drill: bool,
    truncated: bool,
    /// A voice message to play (`/reports/{id}/recording`).
    audio: bool,
}

#[derive(Template)]
#[template(path = "dashboard/reports.html")]
struct ReportsPage {
    chrome: Chrome,
    notice: Option<Notice>,
    reports: Vec<ReportItem>,
    blocked: Vec<(Blocked, String)>,
}

fn done_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "blocked" => "Sender blocked: their reports are kept but never alert anyone.",
        "unblocked" => "Block lifted.",
        _ => return None,
    })
}

async fn render(dash: &Dash, signed: &Signed, notice: Option<Notice>, status: StatusCode) -> Response {
    let core = &dash.core;
    let (reports, blocked) = match (core.store.recent_reports(200).await, core.store.blocked().await) {
        (Ok(r), Ok(b)) => (r, b),
        (Err(e), _) | (_, Err(e)) => return view::internal(e),
    };
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let with_audio = match core.store.reports_with_audio(&ids).await {
        Ok(found) => found,
        Err(e) => return view::internal(e),
    };
    let reports = reports
        .into_iter()
        .map(|r| ReportItem {
            audio: with_audio.contains(&r.id),
            id: r.id,
            age: view::when(core, r.received_at),
            text: r.body,
            kind: r.kind,
            incident_id: r.incident_id,
            flagged: r.flagged.unwrap_or_default(),
            volunteer_id: r.volunteer_id,
            drill: r.drill,
            truncated: r.truncated,
        })
        .collect();
    let blocked = blocked
        .into_iter()
        .map(|b| {
            let age = view::when(core, b.created_at);
            (b, age)
        })
        .collect();
    let page = ReportsPage {
        chrome: Chrome::of(signed),
        notice,
        reports,
        blocked,
    };
    view::render(status, &page)
}

pub async fn page(
    State(dash): State<Dash>,
    signed: Signed,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let notice = query.get("done").and_then(|d| done_text(d)).and_then(Notice::ok);
    render(&dash, &signed, notice, StatusCode::OK).await
}

/// `block` (report_id, reason) or `unblock` (id).
pub async fn act(State(dash): State<Dash>, form: SignedForm) -> Response {
    let core = &dash.core;
    let actor = form.signed.user.actor();
    let number = |field: &str| form.get(field).parse::<i64>().ok().filter(|n| *n > 0);
    let result = match form.get("action") {
        "block" => match number("report_id") {
            Some(report) => guard::block(core, &actor, report, form.get("reason"))
                .await
                .map(|done| {
                    done.map(|_| "blocked")
                        .ok_or("that report has no known sender to block")
                }),
            None => Ok(Err("choose a report")),
        },
        "unblock" => match number("id") {
            Some(id) => guard::unblock(core, &actor, id).await.map(|found| {
                if found {
                    Ok("unblocked")
                } else {
                    Err("no such block")
                }
            }),
            None => Ok(Err("choose a block")),
        },
        _ => Ok(Err("unknown action")),
    };
    match result {
        Ok(Ok(done)) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, format!("/reports?done={done}"))],
        )
            .into_response(),
        Ok(Err(why)) => {
            let notice = Notice::refused(format!("Not done — {why}"));
            render(&dash, &form.signed, notice, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => view::internal(e),
    }
}
