//! The TwiML of a wake-up call (PROTOCOLS §11.2): the alert read in the volunteer's language,
//! then the keys, inside one `<Gather>` whose action is absolute (a call's documents resolve
//! against its `Url`, but an absolute one is signed as configured). Every text is XML-escaped;
//! none holds an exact place (the call's words are the zone-only alert, `dispatch::calls`).

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use crate::channels::twilio::calls::answer_path;
use crate::config::Settings;
use crate::domain::{Answer, Language};
use crate::i18n::text;
use crate::store::calls::CallDelivery;
use crate::web::twiml::escape;

/// Twilio's voice and language for a catalogue language (PROTOCOLS §11.2's table: Amazon
/// Polly voices exist for all four; Chinese is `cmn-CN`, there is no `zh-CN` row).
fn voice(language: Language) -> (&'static str, &'static str) {
    match language.as_str() {
        "es" => ("Polly.Mia", "es-MX"),
        "ko" => ("Polly.Seoyeon", "ko-KR"),
        "zh" => ("Polly.Zhiyu", "cmn-CN"),
        _ => ("Polly.Joanna", "en-US"),
    }
}

fn say(language: Language, words: &str) -> String {
    let (voice, code) = voice(language);
    format!(
        "<Say voice=\"{voice}\" language=\"{code}\">{}</Say>",
        escape(words)
    )
}

fn document(verbs: &str) -> Response {
    let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{verbs}</Response>");
    ([(CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

/// The alert, then the keys; no key: a goodbye pointing to the text.
pub fn alert(settings: &Settings, call: &CallDelivery, language: Language) -> Response {
    let action = format!("{}{}", settings.public_base(), answer_path(call.id));
    let gather = format!(
        "<Gather input=\"dtmf\" numDigits=\"1\" timeout=\"{}\" action=\"{}\" method=\"POST\">{}<Pause length=\"1\"/>{}</Gather>",
        settings.calls.gather_timeout_s,
        escape(&action),
        say(language, &call.body),
        say(language, &text(language, "call-menu", &[])),
    );
    document(&format!(
        "{gather}{}<Hangup/>",
        say(language, &text(language, "call-no-key", &[]))
    ))
}

/// The answer is counted.
pub fn thanks(language: Language, answer: Answer) -> Response {
    let key = match answer {
        Answer::Coming => "call-coming",
        Answer::Cant => "call-cant",
        Answer::OnScene => "call-on-scene",
        Answer::Maybe => "call-maybe",
    };
    document(&format!("{}<Hangup/>", say(language, &text(language, key, &[]))))
}

/// The incident takes no more answers.
pub fn over(language: Language) -> Response {
    document(&format!(
        "{}<Hangup/>",
        say(language, &text(language, "call-over", &[]))
    ))
}

pub fn hang_up() -> Response {
    document("<Hangup/>")
}
