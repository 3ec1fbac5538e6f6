//! `POST /duty`: the signed-in dispatcher goes on or off duty (paged, or not, when a report
//! needs a dispatcher). Only for an account with a phone; the CLI and DUTY ON/OFF by text do
//! the same.

use axum::extract::State;
use axum::http::header::{LOCATION, REFERER};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::session::SignedForm;
use super::view;
use super::Dash;
use crate::audit::{self, Subject};

pub async fn set(State(dash): State<Dash>, headers: HeaderMap, form: SignedForm) -> Response {
    let user = &form.signed.user;
    let on = form.get("on") == "1";
    if user.on_duty.is_none() {
        return view::message_page(
            StatusCode::BAD_REQUEST,
            "No phone to be paged on",
            "This account has no phone: an admin gives it one with `tocsin user phone NAME +1...`.",
        );
    }
    if let Err(e) = crate::oncall::duty::set_duty(&dash.core, &user.name, on).await {
        return view::internal(e);
    }
    let action = if on { "duty_on" } else { "duty_off" };
    audit::record(&dash.core, &user.actor(), action, Subject::None, "dashboard").await;
    // Back where they were, on this site only.
    let back = headers
        .get(REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .map(|u| u.path().to_string())
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_string());
    (StatusCode::SEE_OTHER, [(LOCATION, back)]).into_response()
}
