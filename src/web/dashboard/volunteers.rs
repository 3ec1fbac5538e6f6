//! `/volunteers/new` and `/volunteers/{id}`: add, edit (name, language, trusted, home area
//! drawn on the map or typed as a circle), pause and remove, all through `roster` (the API's and
//! CLI's code); the list is `volunteer_list`. Lists show numbers masked to everyone; an admin
//! sees one volunteer's whole number on their page, and that read is in the audit log first.
//! Trust, roles, approving and removing are for admins (`vetting`). A dispatcher adding a
//! number that is on the roster already is answered as for a new one: the dashboard tells no
//! dispatcher who is a member (the audit log tells admins).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::session::{Signed, SignedForm};
use super::vetting;
use super::view::{self, Chrome, Notice};
use super::volunteer_form;
use super::volunteer_list::{done_text, row};
use super::Dash;
use crate::domain::{CallWhen, Language, Phone, Reach};
use crate::roster::{self, Edit, Signup};
use crate::store::StoreError;

/// The add and edit form; `id` is None when adding.
#[derive(Template)]
#[template(path = "dashboard/volunteer_form.html")]
struct FormPage {
    chrome: Chrome,
    notice: Option<Notice>,
    id: Option<i64>,
    name: String,
    phone: String,
    language: String,
    languages: Vec<&'static str>,
    channel: String,
    channels: &'static [&'static str],
    /// When they are called (`never`, `night`, `always`), and the night hours.
    call: &'static str,
    calls: &'static [&'static str],
    night_hours: String,
    trusted: bool,
    verifier: bool,
    drill: bool,
    /// The drill group's role name (`dispatch.drill_role`).
    drill_role: String,
    paused: bool,
    /// Who paused them and until when, empty when alerted.
    pause: String,
    opted_out: bool,
    /// `approved`, `pending` or `unvetted`.
    standing: &'static str,
    /// What was drawn in this form (JSON), empty until the map is used.
    area: String,
    /// The stored area (JSON), drawn on the map when the page opens.
    current_area: String,
    lat: String,
    lon: String,
    radius_m: String,
    tile_url: String,
    tile_attribution: String,
}

fn blank_form(dash: &Dash, signed: &Signed) -> FormPage {
    FormPage {
        chrome: Chrome::of(signed),
        notice: None,
        id: None,
        name: String::new(),
        phone: String::new(),
        language: "en".into(),
        languages: Language::codes(),
        channel: "sms".into(),
        channels: Reach::NAMES,
        call: CallWhen::Never.as_str(),
        calls: CallWhen::NAMES,
        night_hours: dash.core.settings.network.night_hours.clone(),
        trusted: false,
        verifier: false,
        drill: false,
        drill_role: dash.core.settings.dispatch.drill_role.clone(),
        paused: false,
        pause: String::new(),
        opted_out: false,
        standing: "approved",
        area: String::new(),
        current_area: String::new(),
        lat: String::new(),
        lon: String::new(),
        radius_m: "1000".into(),
        tile_url: dash.core.settings.dashboard.tile_url.clone(),
        tile_attribution: dash.core.settings.dashboard.tile_attribution.clone(),
    }
}

pub async fn new_form(State(dash): State<Dash>, signed: Signed) -> Response {
    view::render(StatusCode::OK, &blank_form(&dash, &signed))
}

async fn filled_form(dash: &Dash, signed: &Signed, id: i64) -> Result<Option<FormPage>, StoreError> {
    let Some(v) = dash.core.store.volunteer(id).await? else {
        return Ok(None);
    };
    let r = row(&dash.core, &v);
    let mut page = blank_form(dash, signed);
    page.id = Some(v.id);
    page.name = v.name.clone();
    page.phone = r.phone;
    // Full numbers reach only audited admin reads: written first, or the number stays masked.
    if signed.user.is_admin() {
        match crate::audit::phone_read(&dash.core, &signed.user.actor(), v.id, "dashboard").await {
            Ok(()) => page.phone = v.phone.clone(),
            Err(e) => tracing::error!(error = %e, "auditing a number read failed: shown masked"),
        }
    }
    page.language = v.language.clone();
    page.channel = v.channel.as_str().into();
    page.call = v.call.as_str();
    page.trusted = v.trusted;
    page.verifier = r.roles.iter().any(|role| role == "verifier");
    page.drill = r.roles.contains(&page.drill_role);
    page.paused = r.paused;
    page.pause = r.pause.clone();
    page.opted_out = v.opted_out;
    page.standing = v.standing.as_str();
    // A zone is drawn by its shape (kept as the zone when the form is saved unchanged).
    page.current_area = match dash.core.area_of(&v.area) {
        Some(shape) if v.area.contains("\"zone\"") => shape.to_json().to_string(),
        _ => v.area.clone(),
    };
    if let Ok(a) = serde_json::from_str::<serde_json::Value>(&v.area) {
        if a["type"] == "circle" {
            page.lat = a["lat"].to_string();
            page.lon = a["lon"].to_string();
            page.radius_m = a["radius_m"].to_string();
        }
    }
    Ok(Some(page))
}

pub async fn edit_form(
    State(dash): State<Dash>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(id) = view::id(&id) else {
        return view::not_found("volunteer");
    };
    match filled_form(&dash, &signed, id).await {
        Ok(Some(mut page)) => {
            page.notice = query.get("done").and_then(|d| done_text(d)).and_then(Notice::ok);
            view::render(StatusCode::OK, &page)
        }
        Ok(None) => view::not_found("volunteer"),
        Err(e) => view::internal(e),
    }
}

/// The form again with what was typed and why it was refused.
fn refused(dash: &Dash, form: &SignedForm, mut page: FormPage, status: StatusCode, text: String) -> Response {
    page.notice = Notice::refused(text);
    page.name = form.get("name").to_string();
    if page.id.is_none() {
        page.phone = form.get("phone").to_string();
    }
    page.language = form.get("language").to_string();
    // A dispatcher's form does not send these (disabled): keep what the page showed.
    if form.signed.user.is_admin() {
        page.trusted = form.get("trusted") == "on";
        page.verifier = form.get("verifier") == "on";
        page.drill = form.get("drill") == "on";
    }
    page.area = form.get("area").to_string();
    page.lat = form.get("lat").to_string();
    page.lon = form.get("lon").to_string();
    page.radius_m = form.get("radius_m").to_string();
    let _ = dash;
    view::render(status, &page)
}

pub async fn create(State(dash): State<Dash>, form: SignedForm) -> Response {
    let blank = blank_form(&dash, &form.signed);
    let parsed = volunteer_form::parse(&dash.core, &form, None).and_then(|c| {
        let phone = Phone::parse(form.get("phone")).map_err(|e| ("phone", format!("phone {e}")))?;
        Ok((c, phone))
    });
    let (mut fields, phone) = match parsed {
        Ok(p) => p,
        Err((field, why)) => {
            return refused(
                &dash,
                &form,
                blank,
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{field}: {why}"),
            );
        }
    };
    let admin = form.signed.user.is_admin();
    if !admin {
        match vetting::dispatcher_keeps(&dash.core, &form, None) {
            Some((trusted, roles)) => (fields.trusted, fields.roles) = (trusted, roles),
            None => return vetting::forbidden(vetting::DISPATCHERS_MAY_NOT),
        }
    }
    let call = fields.call;
    let signup = Signup {
        name: fields.name,
        phone,
        language: fields.language,
        trusted: fields.trusted,
        area: fields.area,
        reach: fields.reach.unwrap_or(Reach::Sms),
        signal_id: None,
        roles: fields.roles,
    };
    let added = roster::add(&dash.core, &form.signed.user.actor(), signup).await;
    if let (Ok(id), Some(call)) = (&added, call.filter(|c| *c != CallWhen::Never)) {
        if let Err(e) = roster::set_call(&dash.core, &form.signed.user.actor(), *id, call).await {
            return view::internal(e);
        }
    }
    match (admin, added) {
        (true, Ok(id)) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, format!("/volunteers/{id}?done=added"))],
        )
            .into_response(),
        // No membership oracle: a number on the roster already is answered like a new one (no
        // id, the same page); `roster::add` wrote `volunteer_add_existing` for the admins.
        (false, Ok(_) | Err(StoreError::Conflict(_))) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, "/volunteers?done=added".to_string())],
        )
            .into_response(),
        // Admins see every number anyway: they are told, so as not to think someone was added.
        (true, Err(StoreError::Conflict(what))) => refused(
            &dash,
            &form,
            blank,
            StatusCode::CONFLICT,
            format!("phone: {what} already exists"),
        ),
        (_, Err(e)) => view::internal(e),
    }
}

/// Save, pause, resume or remove (field `action`).
pub async fn act(State(dash): State<Dash>, Path(id): Path<String>, form: SignedForm) -> Response {
    let Some(id) = view::id(&id) else {
        return view::not_found("volunteer");
    };
    let core = &dash.core;
    let actor = form.signed.user.actor();
    let stored = match core.store.volunteer(id).await {
        Ok(Some(v)) => v,
        Ok(None) => return view::not_found("volunteer"),
        Err(e) => return view::internal(e),
    };
    let result = match form.get("action") {
        "save" => match volunteer_form::parse(core, &form, Some(&stored.area)) {
            Ok(f) => {
                let (trusted, roles) = match form.signed.user.is_admin() {
                    true => (f.trusted, f.roles),
                    false => match vetting::dispatcher_keeps(core, &form, Some(&stored)) {
                        Some(kept) => kept,
                        None => return vetting::forbidden(vetting::DISPATCHERS_MAY_NOT),
                    },
                };
                let call = f.call.filter(|c| *c != stored.call);
                let edit = Edit {
                    name: f.name,
                    language: f.language,
                    trusted,
                    area: f.area,
                    reach: f.reach,
                    roles,
                };
                match (roster::edit(core, &actor, id, edit).await, call) {
                    (Ok(true), Some(call)) => roster::set_call(core, &actor, id, call).await,
                    (found, _) => found,
                }
                .map(|found| found.then_some("saved"))
            }
            Err((field, why)) => {
                return match filled_form(&dash, &form.signed, id).await {
                    Ok(Some(page)) => refused(
                        &dash,
                        &form,
                        page,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("{field}: {why}"),
                    ),
                    Ok(None) => view::not_found("volunteer"),
                    Err(e) => view::internal(e),
                };
            }
        },
        "pause" => roster::set_paused(core, &actor, id, true)
            .await
            .map(|f| f.then_some("paused")),
        "resume" => roster::set_paused(core, &actor, id, false)
            .await
            .map(|f| f.then_some("resumed")),
        "approve" => return vetting::decide(core, &form, id, true).await,
        "reject" => return vetting::decide(core, &form, id, false).await,
        "remove" if !form.signed.user.is_admin() => return vetting::forbidden("remove volunteers"),
        "remove" if form.get("confirm") == "yes" => roster::remove(core, &actor, id)
            .await
            .map(|f| f.then_some("removed")),
        "remove" => {
            return match filled_form(&dash, &form.signed, id).await {
                Ok(Some(mut page)) => {
                    page.notice = Notice::refused("confirm: tick the box to confirm the removal");
                    view::render(StatusCode::UNPROCESSABLE_ENTITY, &page)
                }
                Ok(None) => view::not_found("volunteer"),
                Err(e) => view::internal(e),
            };
        }
        other => {
            return view::message_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Unknown action",
                &format!("action: {other:?} is not something this page does"),
            )
        }
    };
    match result {
        Ok(Some("removed")) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, "/volunteers?done=removed".to_string())],
        )
            .into_response(),
        Ok(Some(done)) => (
            StatusCode::SEE_OTHER,
            [(LOCATION, format!("/volunteers/{id}?done={done}"))],
        )
            .into_response(),
        Ok(None) => view::not_found("volunteer"),
        Err(e) => view::internal(e),
    }
}
