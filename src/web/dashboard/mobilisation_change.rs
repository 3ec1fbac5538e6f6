//! `/mobilisations/{id}/change`: a planned mobilisation's time, place, public text and people
//! wanted, changed from a phone (the court moved the hearing, the lockout is at another door).
//! Only what differs from the stored values is sent to the API's checks, so an unchanged time
//! does not text everyone "CHANGED"; a refusal names the field and keeps what was typed.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::session::{Signed, SignedForm};
use super::view::{self, Chrome, Notice};
use super::Dash;
use crate::domain::clock;
use crate::domain::MobilisationStatus;
use crate::mobilisations::{self, ChangeError};
use crate::state::Core;
use crate::store::mobilisations::MobilisationRow;

/// The change form's fields, as stored (to prefill and compare) or as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fields {
    starts_at: String,
    place: String,
    text: String,
    wanted: String,
}

impl Fields {
    fn stored(core: &Core, m: &MobilisationRow) -> Fields {
        Fields {
            starts_at: typed_time(core, m.starts_at),
            place: m.place.as_ref().map(|p| p.typed.clone()).unwrap_or_default(),
            text: m.text.clone(),
            wanted: m.wanted.to_string(),
        }
    }

    fn typed(form: &SignedForm) -> Fields {
        Fields {
            starts_at: form.get("starts_at").to_string(),
            place: form.get("place").to_string(),
            // A textarea sends CRLF line breaks; the text is stored with LF: compared alike.
            text: form.get("text").replace("\r\n", "\n"),
            wanted: form.get("wanted").to_string(),
        }
    }
}

/// `YYYY-MM-DDTHH:MM` on the network's clock (RFC 3339 to the minute): what `datetime-local`
/// shows and the API reads.
fn typed_time(core: &Core, at_ms: i64) -> String {
    clock::rfc3339(at_ms, &core.settings.network.tz())
        .chars()
        .take(16)
        .collect()
}

#[derive(Template)]
#[template(path = "dashboard/mobilisation_change.html")]
struct Page {
    chrome: Chrome,
    notice: Option<Notice>,
    id: i64,
    code: i64,
    kind: String,
    when: String,
    place: String,
    zone: String,
    planned: bool,
    form: Fields,
    timezone: String,
}

fn render(
    dash: &Dash,
    signed: &Signed,
    m: &MobilisationRow,
    notice: Option<Notice>,
    form: Fields,
    status: StatusCode,
) -> Response {
    let core = &dash.core;
    let page = Page {
        chrome: Chrome::of(signed),
        notice,
        id: m.id,
        code: m.incident_id.unwrap_or_default(),
        kind: m.kind.clone(),
        when: view::when(core, m.starts_at),
        place: m
            .place
            .as_ref()
            .map_or_else(|| crate::store::UNREADABLE.to_string(), |p| p.label.clone()),
        zone: m.zone.clone().unwrap_or_default(),
        planned: m.status == MobilisationStatus::Planned,
        form,
        timezone: core.settings.network.timezone.clone(),
    };
    view::render(status, &page)
}

async fn load(core: &Core, raw: &str) -> Result<MobilisationRow, Response> {
    let Some(id) = view::id(raw) else {
        return Err(view::not_found("mobilisation"));
    };
    match core.store.mobilisation(id).await {
        Ok(Some(m)) => Ok(m),
        Ok(None) => Err(view::not_found("mobilisation")),
        Err(e) => Err(view::internal(e)),
    }
}

fn not_planned(m: &MobilisationRow) -> Option<Notice> {
    Notice::refused(format!("Not done — {}", ChangeError::NotPlanned(m.id)))
}

pub async fn page(State(dash): State<Dash>, signed: Signed, Path(id): Path<String>) -> Response {
    let m = match load(&dash.core, &id).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let notice = if m.status == MobilisationStatus::Planned {
        None
    } else {
        not_planned(&m)
    };
    let form = Fields::stored(&dash.core, &m);
    render(&dash, &signed, &m, notice, form, StatusCode::OK)
}

/// `action=change` on `POST /mobilisations`: the fields that differ, checked and applied as by
/// `PATCH /api/v1/mobilisations/{id}`.
pub async fn act(dash: &Dash, form: &SignedForm) -> Response {
    let core = &dash.core;
    let m = match load(core, form.get("id")).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let typed = Fields::typed(form);
    let refused = |notice: Option<Notice>| {
        render(
            dash,
            &form.signed,
            &m,
            notice,
            typed.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if m.status != MobilisationStatus::Planned {
        return refused(not_planned(&m));
    }
    let body = differences(&Fields::stored(core, &m), &typed);
    if body.is_empty() {
        return refused(Notice::refused(
            "Nothing to change: the time, place, text and people wanted are as they were.",
        ));
    }
    let change = match mobilisations::rules(core).change_from_json(&Value::Object(body)) {
        Ok(c) => c,
        Err(i) => return refused(Notice::refused(format!("Not done — {i}"))),
    };
    match mobilisations::change(core, &form.signed.user.actor(), m.id, &change).await {
        Ok(Some(told)) => {
            let done = if told { "moved" } else { "changed" };
            (
                StatusCode::SEE_OTHER,
                [(LOCATION, format!("/mobilisations?done={done}"))],
            )
                .into_response()
        }
        Ok(None) => view::not_found("mobilisation"),
        Err(e @ (ChangeError::Invalid(_) | ChangeError::NotPlanned(_))) => {
            refused(Notice::refused(format!("Not done — {e}")))
        }
        Err(ChangeError::Store(e)) => view::internal(e),
    }
}

/// The API's change body: only the fields typed differently from what is stored. A number
/// that does not parse is sent as typed, for the checks to name it.
fn differences(stored: &Fields, typed: &Fields) -> Map<String, Value> {
    let mut body = Map::new();
    for (name, was, now) in [
        ("starts_at", &stored.starts_at, &typed.starts_at),
        ("place", &stored.place, &typed.place),
        ("text", &stored.text, &typed.text),
    ] {
        if was.trim() != now.trim() {
            body.insert(name.into(), Value::String(now.clone()));
        }
    }
    let wanted = match typed.wanted.parse::<i64>() {
        Ok(n) if stored.wanted.parse::<i64>() == Ok(n) => None,
        Ok(n) => Some(Value::from(n)),
        Err(_) => Some(Value::String(typed.wanted.clone())),
    };
    if let Some(wanted) = wanted {
        body.insert("wanted".into(), wanted);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(starts_at: &str, place: &str, text: &str, wanted: &str) -> Fields {
        Fields {
            starts_at: starts_at.into(),
            place: place.into(),
            text: text.into(),
            wanted: wanted.into(),
        }
    }

    #[test]
    fn only_what_differs_is_sent() {
        let stored = fields(
            "2026-12-10T07:30",
            "Vermont and 3rd",
            "Lockout.\nBring water.",
            "12",
        );
        assert!(differences(&stored, &stored.clone()).is_empty());
        let typed = fields(
            "2026-12-10T07:30",
            "Vermont and 4th",
            "Lockout.\nBring water.",
            "12",
        );
        let body = differences(&stored, &typed);
        assert_eq!(body.keys().collect::<Vec<_>>(), ["place"]);
        let typed = fields("2026-12-11T08:00", "Vermont and 3rd", "Lockout.", "x");
        let body = differences(&stored, &typed);
        assert_eq!(body["starts_at"], "2026-12-11T08:00");
        assert_eq!(body["text"], "Lockout.");
        assert_eq!(body["wanted"], "x", "sent as typed, for the checks to name");
        assert!(!body.contains_key("place"));
    }
}
