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

pub(super) fn title(action: &str, sends: &Sends) -> &'static str {
    match (action, sends) {
        ("verify", _) => "Confirm and alert the area?",
        ("update", _) => "Send this update?",
        ("correction", _) => "Send this correction?",
        ("resolve", _) => "All clear: tell everyone it is over?",
        ("false_alarm", _) => "False alarm: tell everyone to stand down?",
        ("locate", Sends::FirstAlert(_)) => "Place it here and alert the area?",
        ("locate", _) => "Place it here and send the exact place?",
        ("merge", _) => "Merge and send the exact place?",
        _ => "Send?",
    }
}

/// The confirming button's look and words: all clear and false alarm never look alike.
pub(super) fn style(action: &str, sends: &Sends) -> (&'static str, &'static str) {
    match (action, sends) {
        ("resolve", _) => ("good", "Yes, all clear"),
        ("false_alarm", _) => ("bad", "Yes, false alarm"),
        ("verify", _) => ("primary", "Yes, confirm and alert"),
        ("locate", Sends::FirstAlert(_)) => ("primary", "Yes, place and alert"),
        ("locate", _) => ("primary", "Yes, place and send"),
        ("merge", _) => ("primary", "Yes, merge and send"),
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
        Sends::ExactPlace(_) => format!(
            "Text the exact place to {}: {} SMS, {} Signal?",
            people(h.people),
            h.sms,
            h.signal
        ),
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
    /// Where the confirmed form posts: `/incidents/{id}/act` or `/incidents/{id}/locate`.
    post_to: String,
    title: &'static str,
    question: String,
    /// What will be sent, as volunteers read it (an update), or where it will be placed.
    text: String,
    /// The form's fields again, with `confirm=yes`.
    fields: Vec<(&'static str, String)>,
    /// Who reads which language: "English 120, Español 20" (empty: nobody is texted).
    audience: String,
    /// An update's message per language read, as it will be sent (`compose.rs`).
    languages: Vec<super::compose::LanguageLine>,
    /// An update's versions as typed, posted again when confirmed.
    versions: Vec<(String, String)>,
    class: &'static str,
    button: &'static str,
}

/// The confirmation page for `action`, which will send `sends`; nothing has been sent. Its
/// form posts `fields` again to `post_to` with `confirm=yes`.
pub fn page(
    signed: &Signed,
    id: i64,
    post_to: String,
    action: &str,
    sends: &Sends,
    text: String,
    fields: Vec<(&'static str, String)>,
) -> Response {
    view::render(
        StatusCode::OK,
        &confirm_page(signed, id, post_to, action, sends, text, fields),
    )
}

fn confirm_page(
    signed: &Signed,
    id: i64,
    post_to: String,
    action: &str,
    sends: &Sends,
    text: String,
    fields: Vec<(&'static str, String)>,
) -> ConfirmPage {
    let (class, button) = style(action, sends);
    ConfirmPage {
        chrome: Chrome::of(signed),
        id,
        post_to,
        title: title(action, sends),
        question: question(sends),
        text,
        fields,
        audience: read_by(&sends.headcount()),
        languages: Vec::new(),
        versions: Vec::new(),
        class,
        button,
    }
}

/// An incident's number as typed in a form (`12` or `#12`), if it is one.
pub fn number_in(form_value: &str) -> Option<i64> {
    form_value
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
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
    let counted = match (action, number_in(form.get("other"))) {
        ("merge", Some(other)) => headcount::of_merge(&dash.core, other, id).await,
        _ => headcount::of_action(&dash.core, id, action).await,
    };
    let sends = match counted {
        Ok(Some(sends)) => sends,
        Ok(None) => return None,
        Err(e) => return Some(view::internal(e)),
    };
    let mut fields = vec![("action", action.to_string())];
    if !update && !form.get("other").is_empty() {
        fields.push(("other", form.get("other").to_string()));
    }
    let post_to = format!("/incidents/{id}/act");
    let mut page = confirm_page(&form.signed, id, post_to, action, &sends, String::new(), fields);
    if update {
        // Per language read: how many, the size, and the exact text (`compose.rs`).
        page.languages = match super::compose::lines_of(&dash.core, id, form, &sends.headcount()).await {
            Ok(lines) => lines,
            Err(e) => return Some(view::internal(e)),
        };
        page.versions = super::compose::hidden_fields(form);
    }
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
    let given = |name: &str| query.get(name).map(String::as_str).unwrap_or("");
    let counted = match action {
        "merge" => match number_in(given("other")) {
            Some(other) => headcount::of_merge(&dash.core, other, id).await,
            None => Ok(None),
        },
        "locate" => {
            match super::locate::resolve(&dash.core, given("lat"), given("lon"), given("where")).await {
                Some((lat, lon)) => headcount::of_place(&dash.core, id, lat, lon).await,
                None => Ok(None), // the page says why, or offers the choices
            }
        }
        _ => headcount::of_action(&dash.core, id, action).await,
    };
    match counted {
        Ok(Some(sends)) => {
            let h = sends.headcount();
            let (class, button) = style(action, &sends);
            Json(json!({
                "class": class,
                "button": button,
                "title": title(action, &sends),
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
            Json(json!({"error": "action: it texts nobody as given, or no such incident"})),
        )
            .into_response(),
        Err(e) => view::internal(e),
    }
}
