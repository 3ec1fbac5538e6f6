//! TwiML answers to Twilio's webhooks: `<Response/>`, or one `<Message>` with escaped text.

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

pub fn reply(text: Option<&str>) -> Response {
    let body = match text {
        Some(text) => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{}</Message></Response>",
            escape(text)
        ),
        None => "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".to_string(),
    };
    ([(CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<b>&'\"\u{1}"), "&lt;b&gt;&amp;&apos;&quot;");
    }
}
