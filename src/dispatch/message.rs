//! The messages tocsin sends, from the Fluent catalogues (`locales/`, see `i18n`). Alerts say
//! what and where and how to answer, and nothing about the reporter. English and Spanish
//! alerts stay in GSM-7 and one SMS segment; Korean and Chinese ones within two.

use crate::domain::{Answer, Kind, Language};
use crate::i18n::text;

fn kind_words(language: Language, kind: Kind) -> String {
    text(language, &format!("kind-{}", kind.as_str()), &[])
}

/// A map link every phone opens; 5 decimals is about a metre.
pub fn map_link(lat: f64, lon: f64) -> String {
    format!("https://maps.google.com/?q={lat:.5},{lon:.5}")
}

/// A map link to within about a kilometre (2 decimals): where, without the address.
pub fn rough_link(lat: f64, lon: f64) -> String {
    format!("https://maps.google.com/?q={lat:.2},{lon:.2}")
}

/// The visible label of an incident's state in every message about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Unconfirmed,
    Confirmed,
    FalseAlarm,
    AllClear,
}

impl Label {
    fn key(self) -> &'static str {
        match self {
            Label::Unconfirmed => "label-unconfirmed",
            Label::Confirmed => "label-confirmed",
            Label::FalseAlarm => "label-false-alarm",
            Label::AllClear => "label-all-clear",
        }
    }
}

/// How every message about an incident starts: "TOCSIN #12 CONFIRMED", "DRILL TOCSIN #12 ...".
#[derive(Debug, Clone, Copy)]
pub struct Head {
    pub id: i64,
    pub drill: bool,
    pub label: Label,
}

fn head(language: Language, h: &Head) -> String {
    let drill = if h.drill {
        format!("{} ", text(language, "label-drill", &[]))
    } else {
        String::new()
    };
    format!("{drill}TOCSIN #{} {}", h.id, text(language, h.label.key(), &[]))
}

/// Where the incident is: a zone's name when it has one, and the point.
pub struct Place<'a> {
    pub lat: f64,
    pub lon: f64,
    pub zone: Option<&'a str>,
}

/// A first alert (or an escalation step's): what, where, how many are wanted, how to answer.
pub struct Alert<'a> {
    pub head: Head,
    pub kind: Kind,
    pub place: &'a Place<'a>,
    /// Responders wanted; 0 says nothing.
    pub wanted: i64,
    /// Responders already coming, for an escalation step or a replacement, which then say how
    /// many are still needed ("Need 3." of 5 wanted, 2 coming); 0 in the first alert.
    pub coming: i64,
    /// The exact place in the alert; otherwise only the zone or a rough place, and the exact
    /// one to those who answer "coming" (progressive disclosure).
    pub exact: bool,
    /// Placed only roughly (a zone, a street): there is no exact place to give or promise.
    pub approximate: bool,
}

/// What every first alert says whatever its place: label, kind, responders wanted, and the
/// incident's number for the reply words (Y26: an answer names what it answers).
fn alert_args(language: Language, alert: &Alert) -> Vec<(&'static str, String)> {
    // An escalation step or a replacement says how many are still needed, not how many in all.
    let still = (alert.wanted - alert.coming).max(1);
    let need = if alert.wanted > 0 {
        format!("{} ", text(language, "need", &[("n", still.to_string())]))
    } else {
        String::new()
    };
    vec![
        ("head", head(language, &alert.head)),
        ("what", kind_words(language, alert.kind)),
        ("need", need),
        ("id", alert.head.id.to_string()),
    ]
}

pub fn first_alert(language: Language, alert: &Alert) -> String {
    // Known only roughly: the zone or a rough place, as the unvetted get it; neither a map link
    // that looks exact nor a promise of one.
    if alert.approximate {
        return first_alert_unvetted(language, alert);
    }
    let place = alert.place;
    let mut args = alert_args(language, alert);
    let key = match (place.zone, alert.exact) {
        (Some(zone), exact) => {
            args.push(("zone", zone.to_string()));
            if exact {
                args.push(("link", map_link(place.lat, place.lon)));
                "alert-first-zone"
            } else {
                "alert-near-zone"
            }
        }
        (None, true) => {
            args.push(("link", map_link(place.lat, place.lon)));
            "alert-first"
        }
        (None, false) => {
            args.push(("link", rough_link(place.lat, place.lon)));
            "alert-near-point"
        }
    };
    text(language, key, &args)
}

/// A first alert to a volunteer not yet vetted (`join.approval = "open"`): the zone, or a place
/// to about a kilometre, never the exact one (`alert.exact` is ignored); nor does a Y bring it.
pub fn first_alert_unvetted(language: Language, alert: &Alert) -> String {
    let place = alert.place;
    let mut args = alert_args(language, alert);
    let key = match place.zone {
        Some(zone) => {
            args.push(("zone", zone.to_string()));
            "alert-unvetted-zone"
        }
        None => {
            args.push(("link", rough_link(place.lat, place.lon)));
            "alert-unvetted-point"
        }
    };
    text(language, key, &args)
}

/// "Please check" to the nearest verifiers of an unverified report: they need the exact place.
pub fn verify_request(language: Language, id: i64, drill: bool, kind: Kind, lat: f64, lon: f64) -> String {
    let h = Head {
        id,
        drill,
        label: Label::Unconfirmed,
    };
    let args = [
        ("head", head(language, &h)),
        ("what", kind_words(language, kind)),
        ("link", map_link(lat, lon)),
        ("id", id.to_string()),
    ];
    text(language, "verify-request", &args)
}

/// Where a place known only roughly is, in its messages: the zone's name, else a place to
/// about a kilometre. Returns the catalogue key's ending and its argument.
fn rough_where(place: &Place) -> (&'static str, (&'static str, String)) {
    match place.zone {
        Some(zone) => ("zone", ("zone", zone.to_string())),
        None => ("around", ("link", rough_link(place.lat, place.lon))),
    }
}

/// "Please check" when the place is known only roughly: somewhere in the zone (or around a
/// rough place), with the reporter's own words (`quote`d), never a link that looks exact.
pub fn verify_request_rough(language: Language, h: &Head, kind: Kind, place: &Place, words: &str) -> String {
    let (ending, at) = rough_where(place);
    let args = [
        ("head", head(language, h)),
        ("what", kind_words(language, kind)),
        at,
        ("words", words.to_string()),
        ("id", h.id.to_string()),
    ];
    text(language, &format!("verify-request-{ending}"), &args)
}

/// The reply to "coming" when the place is known only roughly: the best place known and the
/// reporter's words; the exact place follows if it is learnt (`place_known`).
pub fn answer_coming_rough(language: Language, h: &Head, place: &Place, words: &str) -> String {
    let (ending, at) = rough_where(place);
    let args = [("id", h.id.to_string()), at, ("words", words.to_string())];
    drilled(
        language,
        h.drill,
        text(language, &format!("answer-coming-{ending}"), &args),
    )
}

/// To those coming to an incident once its rough place is made exact.
pub fn place_known(language: Language, h: &Head, kind: Kind, lat: f64, lon: f64) -> String {
    let args = [
        ("head", head(language, h)),
        ("what", kind_words(language, kind)),
        ("link", map_link(lat, lon)),
        ("id", h.id.to_string()),
    ];
    text(language, "place-known", &args)
}

/// The end, to everyone alerted: ALL CLEAR, or FALSE ALARM (stand down).
pub fn all_clear(language: Language, id: i64, drill: bool, kind: Kind, false_alarm: bool) -> String {
    let (label, key) = if false_alarm {
        (Label::FalseAlarm, "false-alarm")
    } else {
        (Label::AllClear, "all-clear")
    };
    let h = Head { id, drill, label };
    text(
        language,
        key,
        &[("head", head(language, &h)), ("what", kind_words(language, kind))],
    )
}

/// Longest dispatcher text in an update.
pub const UPDATE_MAX_CHARS: usize = 300;

/// A dispatcher's update, prefixed so volunteers know which alert it follows. The text is
/// folded to GSM-7 where it can be (`é` stays, `á` becomes `a`, curly quotes become straight)
/// so that it costs as few segments as possible.
pub fn update(language: Language, h: &Head, text: &str) -> String {
    let text = to_gsm7(text.trim());
    let args = [
        ("head", head(language, h)),
        ("text", text),
        ("id", h.id.to_string()),
    ];
    crate::i18n::text(language, "update", &args)
}

/// Replaces characters outside GSM-7 by their closest GSM-7 form when there is one; others
/// (emoji, other scripts) are kept and the message goes as UCS-2.
pub fn to_gsm7(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut buf = [0u8; 4];
        if crate::domain::sms::is_gsm7(c.encode_utf8(&mut buf)) {
            out.push(c);
            continue;
        }
        match c {
            '‘' | '’' | '‚' | '′' => out.push('\''),
            '“' | '”' | '„' | '″' => out.push('"'),
            '–' | '—' | '‐' | '−' => out.push('-'),
            '…' => out.push_str("..."),
            '\u{a0}' | '\u{2009}' | '\u{202f}' => out.push(' '),
            '\t' => out.push(' '),
            _ => {
                let base: String = c.nfd().filter(|d| !is_combining_mark(*d)).collect();
                if !base.is_empty() && crate::domain::sms::is_gsm7(&base) {
                    out.push_str(&base);
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

pub fn report_ack(language: Language, report_id: i64) -> String {
    text(language, "report-ack", &[("report", report_id.to_string())])
}

/// The reply to a volunteer's answer. `exact`: the place, for one who is coming and was not
/// given it in the alert (progressive disclosure).
pub fn answer_ack(
    language: Language,
    answer: Answer,
    incident_id: i64,
    drill: bool,
    exact: Option<(f64, f64)>,
) -> String {
    let mut args = vec![("id", incident_id.to_string())];
    let key = match (answer, exact) {
        (Answer::Coming, Some((lat, lon))) => {
            args.push(("link", map_link(lat, lon)));
            "answer-coming-exact"
        }
        (Answer::Coming, None) => "answer-coming",
        (Answer::Cant, _) => "answer-cant",
        (Answer::OnScene, _) => "answer-on-scene",
        (Answer::Maybe, _) => "answer-maybe",
    };
    drilled(language, drill, text(language, key, &args))
}

/// A reply about a drill says so first.
fn drilled(language: Language, drill: bool, reply: String) -> String {
    if drill {
        format!("{} {reply}", text(language, "label-drill", &[]))
    } else {
        reply
    }
}

/// The reply to an answer from a volunteer not yet vetted: never the exact place, and one who
/// is coming is told why.
pub fn answer_ack_unvetted(language: Language, answer: Answer, incident_id: i64, drill: bool) -> String {
    if answer != Answer::Coming {
        return answer_ack(language, answer, incident_id, drill, None);
    }
    let reply = text(
        language,
        "answer-coming-unvetted",
        &[("id", incident_id.to_string())],
    );
    drilled(language, drill, reply)
}

pub fn no_open_alert(language: Language) -> String {
    text(language, "no-open-alert", &[])
}

/// On Signal tocsin answers STOP and START itself (Twilio does it for SMS).
pub fn subscription_ack(language: Language, stopped: bool) -> String {
    text(
        language,
        if stopped {
            "subscription-stopped"
        } else {
            "subscription-started"
        },
        &[],
    )
}

pub fn help(language: Language, network: &str) -> String {
    text(language, "help", &[("network", network.to_string())])
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "message_rough_tests.rs"]
mod rough_tests;
