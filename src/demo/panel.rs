//! `/demo/phones`, mounted only by `tocsin demo`: every simulated phone's conversation (what
//! it texted the hotline, what tocsin sent it), and a form to text the hotline as any of them
//! or as a new number. Like the dashboard it needs a signed-in session, and its form that
//! session's CSRF token; every text is escaped by askama.

use std::sync::Arc;
use std::time::Instant;

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use subtle::ConstantTimeEq;

use super::phones::{Line, Phones};
use crate::domain::Phone;
use crate::state::Shared;

/// What a message may hold at most, as the hotline takes it.
const MAX_BODY: usize = 1600;

#[derive(Clone)]
struct Panel {
    core: Shared,
    phones: Arc<Phones>,
}

/// The panel's routes (only the demo mounts them).
pub fn routes(core: Shared, phones: Arc<Phones>) -> axum::Router {
    axum::Router::new()
        .route("/demo/phones", get(page).post(text))
        .with_state(Panel { core, phones })
}

struct Choice {
    number: String,
    label: String,
}

struct Shown {
    from_phone: bool,
    channel: &'static str,
    body: String,
    ago: String,
}

struct Conversation {
    label: String,
    lines: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "demo/phones.html")]
struct PhonesPage {
    hotline: String,
    csrf: String,
    error: Option<String>,
    phones: Vec<Choice>,
    conversations: Vec<Conversation>,
}

/// The session's CSRF token, if the request carries a live session.
async fn signed_in(core: &Shared, headers: &HeaderMap) -> Option<String> {
    let token = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == "tocsin_session")
        .map(|(_, v)| v.to_string())?;
    match crate::accounts::session(core, &token).await {
        Ok(Some((_, csrf))) => Some(csrf),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error = %e, "demo panel: could not read the session");
            None
        }
    }
}

fn label(phones: &Phones, number: &str) -> String {
    match phones.person(number) {
        Some(p) => {
            let mut roles = vec![
                p.language.to_string(),
                if p.signal { "Signal" } else { "SMS" }.to_string(),
            ];
            if p.verifier {
                roles.push("verifier".into());
            }
            format!("{} {number} ({})", p.name, roles.join(", "))
        }
        None => format!("{number} (not a volunteer)"),
    }
}

fn ago(at: Instant, now: Instant) -> String {
    match now.saturating_duration_since(at).as_secs() {
        0..=59 => format!("{} s ago", now.saturating_duration_since(at).as_secs()),
        s => format!("{} min ago", s / 60),
    }
}

fn render(panel: &Panel, csrf: String, error: Option<String>, status: StatusCode) -> Response {
    let phones = &panel.phones;
    let now = Instant::now();
    let mut talks: Vec<(String, Vec<Line>)> = phones.conversations().into_iter().collect();
    // The liveliest first: the newest message on top.
    talks.sort_by_key(|(_, lines)| std::cmp::Reverse(lines.last().map(|l| l.at)));
    let conversations = talks
        .iter()
        .map(|(number, lines)| Conversation {
            label: label(phones, number),
            lines: lines
                .iter()
                .map(|l| Shown {
                    from_phone: l.from_phone,
                    channel: l.channel,
                    body: l.body.clone(),
                    ago: ago(l.at, now),
                })
                .collect(),
        })
        .collect();
    let mut numbers: Vec<String> = phones.people().iter().map(|p| p.phone.clone()).collect();
    for (number, _) in &talks {
        if !numbers.contains(number) && number != &phones.hotline {
            numbers.push(number.clone());
        }
    }
    let page = PhonesPage {
        hotline: phones.hotline.clone(),
        csrf,
        error,
        phones: numbers
            .into_iter()
            .map(|n| Choice {
                label: label(phones, &n),
                number: n,
            })
            .collect(),
        conversations,
    };
    match page.render() {
        Ok(html) => (
            status,
            [
                (
                    CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
                ),
                (CACHE_CONTROL, "no-store"),
            ],
            Html(html),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "demo panel: could not render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn page(State(panel): State<Panel>, headers: HeaderMap) -> Response {
    match signed_in(&panel.core, &headers).await {
        Some(csrf) => render(&panel, csrf, None, StatusCode::OK),
        None => Redirect::to("/login").into_response(),
    }
}

/// Who texts, and what: the fields checked, or why not (naming the field).
fn parse(
    panel: &Panel,
    fields: &std::collections::HashMap<String, String>,
) -> Result<(String, String), String> {
    let field = |name: &str| fields.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    let (new_from, from, body) = (field("new_from"), field("from"), field("body"));
    let number = if new_from.is_empty() { from } else { new_from };
    let phone = Phone::parse(&number).map_err(|e| format!("from: {e}"))?;
    if phone.e164() == panel.phones.hotline {
        return Err("from: that is the hotline itself; pick another number".into());
    }
    if body.is_empty() {
        return Err("body: write a message".into());
    }
    if body.chars().count() > MAX_BODY {
        return Err(format!("body: at most {MAX_BODY} characters"));
    }
    Ok((phone.e164().to_string(), body))
}

async fn text(State(panel): State<Panel>, headers: HeaderMap, bytes: Bytes) -> Response {
    let Some(csrf) = signed_in(&panel.core, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let fields: std::collections::HashMap<String, String> =
        form_urlencoded::parse(&bytes).into_owned().collect();
    let given = fields.get("csrf").map(String::as_str).unwrap_or("");
    if given.is_empty() || !bool::from(given.as_bytes().ct_eq(csrf.as_bytes())) {
        return (
            StatusCode::FORBIDDEN,
            "This form has expired (csrf): reload the page and try again.",
        )
            .into_response();
    }
    let (number, body) = match parse(&panel, &fields) {
        Ok(ok) => ok,
        Err(why) => return render(&panel, csrf, Some(why), StatusCode::UNPROCESSABLE_ENTITY),
    };
    if let Err(e) = panel.phones.text(&number, &body).await {
        tracing::warn!(error = %e, "demo panel: the text was not taken");
        return render(
            &panel,
            csrf,
            Some(format!("the hotline did not take it: {e}")),
            StatusCode::BAD_GATEWAY,
        );
    }
    tracing::info!("demo panel: a phone texted the hotline");
    Redirect::to("/demo/phones").into_response()
}
