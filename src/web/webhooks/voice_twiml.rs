//! TwiML for calls to the hotline (PROTOCOLS.md §11.2): every text and attribute XML-escaped,
//! each `<Say>` in a voice Twilio lists for its language (Amazon Polly; Chinese as `cmn-CN`,
//! which has a row where `zh-CN` has none).

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use crate::domain::Language;
use crate::web::twiml::escape;

/// The voice and language tag a `<Say>` in `language` uses.
pub fn voice_of(language: Language) -> (&'static str, &'static str) {
    match language.as_str() {
        "es" => ("Polly.Lupe", "es-US"),
        "ko" => ("Polly.Seoyeon", "ko-KR"),
        "zh" => ("Polly.Zhiyu", "cmn-CN"),
        _ => ("Polly.Joanna", "en-US"),
    }
}

/// One number `<Dial>` rings, and what its phone hears before being connected.
pub struct Ring<'a> {
    pub number: &'a str,
    pub whisper_url: &'a str,
}

/// A TwiML document being written.
#[derive(Default)]
pub struct Twiml(String);

impl Twiml {
    pub fn new() -> Self {
        Twiml::default()
    }

    pub fn say(mut self, language: Language, text: &str) -> Self {
        let (voice, tag) = voice_of(language);
        self.0.push_str(&format!(
            "<Say voice=\"{voice}\" language=\"{tag}\">{}</Say>",
            escape(text)
        ));
        self
    }

    /// Waits for one key (or nothing) while `prompt` is said; the action is always requested.
    pub fn gather(mut self, action: &str, timeout_s: u32, prompt: Twiml) -> Self {
        self.0.push_str(&format!(
            "<Gather input=\"dtmf\" numDigits=\"1\" timeout=\"{timeout_s}\" action=\"{}\" method=\"POST\" \
             actionOnEmptyResult=\"true\">{}</Gather>",
            escape(action),
            prompt.0
        ));
        self
    }

    /// Records a message of at most `max_s` seconds, ended by `#` or silence.
    pub fn record(mut self, action: &str, max_s: u32) -> Self {
        self.0.push_str(&format!(
            "<Record action=\"{}\" method=\"POST\" maxLength=\"{max_s}\" finishOnKey=\"#\" timeout=\"5\" \
             playBeep=\"true\" trim=\"trim-silence\"/>",
            escape(action)
        ));
        self
    }

    /// Rings every number at once for `timeout_s`, showing `caller_id` (ours, never the caller's).
    pub fn dial(mut self, action: &str, caller_id: &str, timeout_s: u32, rings: &[Ring<'_>]) -> Self {
        let numbers: String = rings
            .iter()
            .map(|r| {
                format!(
                    "<Number url=\"{}\">{}</Number>",
                    escape(r.whisper_url),
                    escape(r.number)
                )
            })
            .collect();
        self.0.push_str(&format!(
            "<Dial action=\"{}\" method=\"POST\" callerId=\"{}\" timeout=\"{timeout_s}\">{numbers}</Dial>",
            escape(action),
            escape(caller_id)
        ));
        self
    }

    pub fn redirect(mut self, url: &str) -> Self {
        self.0
            .push_str(&format!("<Redirect method=\"POST\">{}</Redirect>", escape(url)));
        self
    }

    pub fn hangup(mut self) -> Self {
        self.0.push_str("<Hangup/>");
        self
    }

    pub fn xml(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{}</Response>",
            self.0
        )
    }
}

impl IntoResponse for Twiml {
    fn into_response(self) -> Response {
        ([(CONTENT_TYPE, "text/xml; charset=utf-8")], self.xml()).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let doc = Twiml::new()
            .say(Language::ES, "<b>Tom & \"Jerry\"</b>")
            .dial(
                "/d?a=1&b=2",
                "+12135550100",
                20,
                &[Ring {
                    number: "+1<2>",
                    whisper_url: "/w?x=1&y=2",
                }],
            )
            .xml();
        assert!(
            doc.contains("&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;"),
            "{doc}"
        );
        assert!(doc.contains("action=\"/d?a=1&amp;b=2\""), "{doc}");
        assert!(
            doc.contains("url=\"/w?x=1&amp;y=2\">+1&lt;2&gt;</Number>"),
            "{doc}"
        );
        assert!(doc.contains("voice=\"Polly.Lupe\" language=\"es-US\""), "{doc}");
    }

    #[test]
    fn every_language_has_a_listed_voice() {
        for language in Language::all() {
            let (voice, tag) = voice_of(language);
            assert!(voice.starts_with("Polly."), "{language}");
            assert_ne!(tag, "zh-CN", "Twilio has no zh-CN row");
        }
        assert_eq!(voice_of(Language::ZH), ("Polly.Zhiyu", "cmn-CN"));
        assert_eq!(voice_of(Language::KO), ("Polly.Seoyeon", "ko-KR"));
    }
}
