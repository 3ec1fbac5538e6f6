//! `/account`: the signed-in dispatcher's own paging settings (issue 14): the phone pages reach
//! them on (shown by its last two digits only), the channel and the language. The on-duty
//! switch is in every page's header.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::session::{Signed, SignedForm};
use super::view::{self, Chrome, Notice};
use super::Dash;
use crate::audit::{self, Subject};
use crate::domain::{Channel, Language};
use crate::oncall::duty::{set_paging, Paging};

#[derive(Template)]
#[template(path = "dashboard/account.html")]
struct AccountPage {
    chrome: Chrome,
    notice: Option<Notice>,
    /// The last two digits of the phone, if any.
    phone_tail: Option<String>,
    channel: Channel,
    language: &'static str,
    channels: &'static [&'static str],
    languages: Vec<&'static str>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn render(dash: &Dash, signed: &Signed, notice: Option<Notice>, status: StatusCode) -> Response {
    let me = match dash.core.store.dispatcher_named(&signed.user.name).await {
        Ok(me) => me,
        Err(e) => return view::internal(e),
    };
    let phone_tail = me.as_ref().and_then(|d| d.phone.as_deref()).map(|p| {
        let n = p.chars().count();
        p.chars().skip(n.saturating_sub(2)).collect()
    });
    let page = AccountPage {
        chrome: Chrome::of(signed),
        notice,
        phone_tail,
        channel: me.as_ref().map_or(Channel::Sms, |d| d.channel),
        language: me.as_ref().map_or("en", |d| d.language.as_str()),
        channels: &Channel::TEXT_NAMES,
        languages: Language::all().into_iter().map(|l| l.as_str()).collect(),
    };
    view::render(status, &page)
}

pub async fn page(State(dash): State<Dash>, signed: Signed, Query(q): Query<Done>) -> Response {
    let notice = match q.done.as_deref() {
        Some("saved") => Notice::ok("Saved: pages reach this phone."),
        Some("removed") => Notice::ok("Removed: you are no longer paged."),
        _ => None,
    };
    render(&dash, &signed, notice, StatusCode::OK).await
}

pub async fn save(State(dash): State<Dash>, form: SignedForm) -> Response {
    let user = &form.signed.user;
    let remove = form.get("action") == "remove";
    let phone = form.get("phone");
    // An empty phone keeps the one on file (it is never shown back whole).
    let keep = !remove && phone.is_empty();
    let current = match dash.core.store.dispatcher_named(&user.name).await {
        Ok(d) => d.and_then(|d| d.phone),
        Err(e) => return view::internal(e),
    };
    let phone = match (remove, keep) {
        (true, _) => None,
        (false, true) => current.as_deref(),
        (false, false) => Some(phone),
    };
    if !remove && phone.is_none() {
        let notice = Notice::refused("phone: enter your number, like +12135550100");
        return render(&dash, &form.signed, notice, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let paging = Paging {
        phone,
        channel: form.get("channel"),
        language: form.get("language"),
    };
    if let Err(e) = set_paging(&dash.core, &user.name, paging).await {
        // The errors name the CLI's flags; here the form's fields.
        let text = e
            .to_string()
            .replace("PHONE:", "phone:")
            .replace("--channel:", "channel:")
            .replace("--lang:", "language:");
        return render(
            &dash,
            &form.signed,
            Notice::refused(text),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let action = if remove {
        "user_phone_removed"
    } else {
        "user_phone"
    };
    audit::record(&dash.core, &user.actor(), action, Subject::None, "dashboard").await;
    let done = if remove { "removed" } else { "saved" };
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, format!("/account?done={done}"))],
    )
        .into_response()
}
