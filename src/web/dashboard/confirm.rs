//! No accidental broadcast: every dashboard action that texts people asks first, saying how
//! many people and on which channels ("Text 143 people: 120 SMS, 23 Signal?"). Without
//! JavaScript the first POST answers with a confirmation page whose form repeats the action
//! with `confirm=yes`; with it, `dashboard.js` shows a `<dialog>` with the same words, fetched
//! from `/incidents/{id}/headcount`. Nothing is sent until the dispatcher confirms.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::session::{Signed, SignedForm};
use super::view::{self, Chrome};
use super::Dash;
use crate::dispatch::headcount::{self, Sends};

pub(super) fn title(action: &str) -> &'static str {
    match action {
        "verify" => "Confirm and alert the area?",
        "update" => "Send this update?",
        "correction" => "Send this correction?",
        "resolve" => "All clear: tell everyone it is over?",
        "false_alarm" => "False alarm: tell everyone to stand down?",
        _ => "Send?",
    }
}

/// The confirming button's look and words: all clear and false alarm never look alike.
pub(super) fn style(action: &str) -> (&'static str, &'static str) {
    match action {
        "resolve" => ("good", "Yes, all clear"),
        "false_alarm" => ("bad", "Yes, false alarm"),
        "verify" => ("primary", "Yes, confirm and alert"),
        _ => ("primary", "Yes, send it"),
    }
}

pub(super) fn people(n: i64) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{n} people")
    }
}

/// "Text 143 people: 120 SMS, 23 Signal?" (or why nobody is texted).
pub fn question(sends: &Sends) -> String {
    let h = sends.headcount();
    match sends {
        Sends::NotPlacedYet => {
            "Nobody is texted yet: it is not placed. Once it is placed, every volunteer whose area holds the point is alerted.".into()
        }
        Sends::FirstAlert(_) if h.people == 0 => {
            "Nobody will be texted: no alertable volunteer's area holds the point.".into()
        }
        _ if h.people == 0 => "Nobody will be texted: nobody has been alerted about it.".into(),
        _ => format!("Text {}: {} SMS, {} Signal?", people(h.people), h.sms, h.signal),
    }
}

/// Who reads which language ("English 120, Español 20"); nothing when nobody is texted.
fn read_by(h: &crate::store::audience::Headcount) -> String {
    if h.people > 0 {
        super::compose::audience(h)
    } else {
        String::new()
    }
}

#[derive(Template)]
#[template(path = "dashboard/confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    id: i64,
    action: String,
    title: &'static str,
    question: String,
    /// Who reads which language: "English 120, Español 20" (empty: nobody is texted).
    audience: String,
    /// An update's message per language read, as it will be sent (`compose.rs`).
    languages: Vec<super::compose::LanguageLine>,
    /// An update's versions as typed, posted again when confirmed.
    versions: Vec<(String, String)>,
    class: &'static str,
    button: &'static str,
}

/// Before an action that texts people: None when it texts nobody or is confirmed
/// (`confirm=yes`); else the confirmation page (nothing has been sent).
pub async fn ask(dash: &Dash, form: &SignedForm, id: i64) -> Option<Response> {
    let action = form.get("action");
    if form.get("confirm") == "yes" {
        return None;
    }
    // An update that is empty or too long is refused by the action itself, naming the field.
    let update = matches!(action, "update" | "correction");
    if update && super::compose::versions_of(form).is_err() {
        return None;
    }
    let sends = match headcount::of_action(&dash.core, id, action).await {
        Ok(Some(sends)) => sends,
        Ok(None) => return None,
        Err(e) => return Some(view::internal(e)),
    };
    let h = sends.headcount();
    let languages = match update {
        true => match super::compose::lines_of(&dash.core, id, form, &h).await {
            Ok(lines) => lines,
            Err(e) => return Some(view::internal(e)),
        },
        false => Vec::new(),
    };
    let (class, button) = style(action);
    let page = ConfirmPage {
        chrome: Chrome::of(&form.signed),
        id,
        action: action.to_string(),
        title: title(action),
        question: question(&sends),
        audience: read_by(&h),
        languages,
        versions: if update {
            super::compose::hidden_fields(form)
        } else {
            Vec::new()
        },
        class,
        button,
    };
    Some(view::render(StatusCode::OK, &page))
}

/// `GET /incidents/{id}/headcount?action=...`: the dialog's words, counted as the page would.
pub async fn headcount(
    State(dash): State<Dash>,
    _signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(id) = view::id(&id) else {
        return view::not_found("incident");
    };
    let action = query.get("action").map(String::as_str).unwrap_or("");
    match headcount::of_action(&dash.core, id, action).await {
        Ok(Some(sends)) => {
            let h = sends.headcount();
            let (class, button) = style(action);
            Json(json!({
                "class": class,
                "button": button,
                "title": title(action),
                "question": question(&sends),
                "people": h.people,
                "sms": h.sms,
                "signal": h.signal,
                "audience": read_by(&h),
            }))
            .into_response()
        }
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "action: not one that texts people, or no such incident"})),
        )
            .into_response(),
        Err(e) => view::internal(e),
    }
}
