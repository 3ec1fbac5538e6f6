//! Small pieces every page uses: the page chrome, ages, masked numbers, and error pages.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::session::Signed;
use crate::domain::clock;
use crate::state::Core;
use crate::store::now_ms;

/// The header of every signed-in page: who is signed in and the token their forms carry.
pub struct Chrome {
    pub user: String,
    pub admin: bool,
    pub csrf: String,
    pub v: &'static str,
    /// Paging: None without a phone; else whether this account is on duty.
    pub on_duty: Option<bool>,
}

impl Chrome {
    pub fn of(signed: &Signed) -> Chrome {
        Chrome {
            user: signed.user.name.clone(),
            admin: signed.user.is_admin(),
            csrf: signed.csrf.clone(),
            v: super::assets::version(),
            on_duty: signed.user.on_duty,
        }
    }
}

/// A line shown above a page after an action: done, or refused and why.
pub struct Notice {
    pub ok: bool,
    pub text: String,
}

impl Notice {
    pub fn ok(text: impl Into<String>) -> Option<Notice> {
        Some(Notice {
            ok: true,
            text: text.into(),
        })
    }
    pub fn refused(text: impl Into<String>) -> Option<Notice> {
        Some(Notice {
            ok: false,
            text: text.into(),
        })
    }
}

/// Renders a template, or a plain 500 whose cause goes to the log.
pub fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => internal(e),
    }
}

pub fn internal(cause: impl std::fmt::Display) -> Response {
    tracing::error!(error = %cause, "dashboard request failed");
    message_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The server could not do this. Try again; if it keeps failing, tell your admin (the details are in the server log).",
    )
}

#[derive(Template)]
#[template(path = "dashboard/message.html")]
struct MessagePage<'a> {
    title: &'a str,
    text: &'a str,
    v: &'static str,
}

pub fn message_page(status: StatusCode, title: &str, text: &str) -> Response {
    let page = MessagePage {
        title,
        text,
        v: super::assets::version(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, text.to_string()).into_response(),
    }
}

/// A time on the network's clock (`network.timezone`) and how long ago: "05:42 (3 min ago)",
/// "Dec 2 23:10 (6 h ago)".
pub fn when(core: &Core, at_ms: i64) -> String {
    clock::when(at_ms, now_ms(), &core.settings.network.tz())
}

/// A number as lists show it, to everyone: only its last four digits.
pub fn masked(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let last4: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    format!("•••{last4}")
}

pub fn place(lat: Option<f64>, lon: Option<f64>) -> String {
    match (lat, lon) {
        (Some(lat), Some(lon)) => format!("{lat:.5}, {lon:.5}"),
        _ => String::new(),
    }
}

/// What is known of a place, in words: "Koreatown · approximate (by zone, ±900 m)",
/// "Westlake · exact (by coordinates)". Empty when nothing is known.
pub fn place_facts(
    zone: Option<&str>,
    exact: bool,
    located_by: Option<&str>,
    uncertainty_m: Option<f64>,
) -> String {
    let by = located_by.map(|b| format!("by {b}"));
    let how = match (exact, by, uncertainty_m.filter(|m| m.is_finite() && *m > 0.0)) {
        (true, Some(by), _) => format!("exact ({by})"),
        (true, None, _) => "exact".to_string(),
        (false, Some(by), Some(m)) => format!("approximate ({by}, ±{m:.0} m)"),
        (false, Some(by), None) => format!("approximate ({by})"),
        (false, None, Some(m)) => format!("approximate (±{m:.0} m)"),
        (false, None, None) if zone.is_some() => "approximate".to_string(),
        (false, None, None) => String::new(),
    };
    [zone.unwrap_or(""), how.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A positive id from a path segment.
pub fn id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0)
}

pub fn not_found(what: &str) -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        &format!("No such {what}"),
        &format!("This {what} does not exist (or was removed)."),
    )
}

/// The line shown on an incident's page after a redirect from a successful action (`?done=`): fixed words only, so a
/// crafted link cannot put text on the page.
pub fn incident_done_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "placed" => "Placed on the map.",
        "kind" => "Kind changed.",
        "confirmed" => "Confirmed: volunteers around it are being alerted (once it is placed).",
        "update" => "Update sent to everyone alerted.",
        "correction" => "Correction sent to everyone alerted.",
        "merged" => "Merged into this incident.",
        "all_clear" => "All clear: everyone alerted is told, those coming first.",
        "dismissed" => "Dismissed as not found: nobody is alerted.",
        "split" => "Split out: this is the report's own incident now, verified like any new report.",
        "false_alarm" => "Marked a false alarm: everyone alerted is told to stand down, those coming first.",
        _ => return None,
    })
}

/// An answer as the page says it, and its CSS class.
pub fn answer_words(answer: Option<&str>) -> (&'static str, &'static str) {
    match answer {
        Some("coming") => ("coming", "coming"),
        Some("on_scene") => ("on scene", "on-scene"),
        Some("cant") => ("can't", "cant"),
        Some("maybe") => ("maybe", "maybe"),
        _ => ("no answer yet", "none"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_show_only_the_last_four_digits() {
        assert_eq!(masked("+13235550102"), "•••0102");
        assert_eq!(masked(""), "•••");
    }

    #[test]
    fn places_say_zone_and_how_well_they_are_known() {
        assert_eq!(
            place_facts(Some("Koreatown"), false, Some("zone"), Some(900.4)),
            "Koreatown · approximate (by zone, ±900 m)"
        );
        assert_eq!(
            place_facts(Some("Westlake"), true, Some("coordinates"), Some(12.0)),
            "Westlake · exact (by coordinates)"
        );
        assert_eq!(
            place_facts(None, true, Some("dispatcher"), None),
            "exact (by dispatcher)"
        );
        assert_eq!(place_facts(None, false, None, None), "");
    }
}
