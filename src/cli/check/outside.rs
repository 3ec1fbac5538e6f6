//! The providers' side of `tocsin check`: Twilio (credentials, the numbers' or the Messaging
//! Service's SMS webhook, each number's Voice webhook, the status callback URL) and the Signal
//! bridge (reachable, running the configured account).

use std::time::Duration;

use super::{Line, Mark};
use crate::channels::signal::client::Registration;
use crate::channels::signal::SignalClient;
use crate::channels::twilio::account::{AccountReader, Number, ReadError};
use crate::config::Settings;

const SMS_PATH: &str = "/webhooks/twilio/sms";
const STATUS_PATH: &str = "/webhooks/twilio/status";
const VOICE_PATH: &str = "/webhooks/twilio/voice";

pub(super) async fn twilio(settings: &Settings) -> Vec<Line> {
    let t = &settings.twilio;
    let senders = t.senders();
    let (sid, token) = match (&t.account_sid, &t.auth_token, senders.is_empty()) {
        (None, None, true) => return vec![Line::new(Mark::Skip, "twilio", "not configured: SMS is off")],
        (Some(sid), Some(token), false) => (sid, token),
        (sid, token, _) => {
            let missing: Vec<&str> = [
                (sid.is_none(), "twilio.account_sid"),
                (token.is_none(), "twilio.auth_token"),
                (
                    senders.is_empty(),
                    "twilio.from (or twilio.messaging_service_sid)",
                ),
            ]
            .into_iter()
            .filter_map(|(absent, key)| absent.then_some(key))
            .collect();
            return vec![Line::new(
                Mark::Fail,
                "twilio",
                format!("{} not set: SMS cannot be sent", missing.join(", ")),
            )];
        }
    };
    let mut lines = vec![public_url(settings)];
    let timeout = Duration::from_secs(t.timeout_s.max(1));
    let reader = match AccountReader::new(&t.api_base, sid, token.clone(), timeout) {
        Ok(reader) => reader,
        Err(e) => {
            lines.push(Line::new(Mark::Fail, "twilio credentials", format!("{e:#}")));
            return lines;
        }
    };
    let shown = masked_sid(sid);
    let credentials = match reader.account().await {
        Ok(account) if account.status == "active" => Line::new(
            Mark::Ok,
            "twilio credentials",
            format!("account {shown} active{}", kind(&account.kind)),
        ),
        Ok(account) => Line::new(
            Mark::Fail,
            "twilio credentials",
            format!(
                "account {shown} is {}: Twilio sends nothing for it",
                account.status
            ),
        ),
        Err(ReadError::Refused(what)) => Line::new(
            Mark::Fail,
            "twilio credentials",
            format!("Twilio refused them ({what}): check twilio.account_sid and twilio.auth_token"),
        ),
        Err(ReadError::Unreachable(why)) => Line::new(
            Mark::Fail,
            "twilio credentials",
            format!("cannot reach {} ({why})", t.api_base),
        ),
        Err(ReadError::Answer(what)) => Line::new(
            Mark::Fail,
            "twilio credentials",
            format!("no account from {} ({what})", t.api_base),
        ),
    };
    let usable = credentials.mark == Mark::Ok;
    lines.push(credentials);
    if !usable {
        lines.push(Line::new(Mark::Skip, "sms webhook", "needs working credentials"));
        return lines;
    }
    let expected = format!("{}{SMS_PATH}", settings.public_base());
    match &t.messaging_service_sid {
        Some(service) => lines.push(service_webhook(&reader, service, &expected).await),
        None => {
            let voice = format!("{}{VOICE_PATH}", settings.public_base());
            for number in &t.from {
                lines.extend(match reader.number(number).await {
                    Ok(Some(found)) => vec![number_webhook(&found, &expected), voice_webhook(&found, &voice)],
                    Ok(None) => vec![Line::new(
                        Mark::Fail,
                        "sms number",
                        format!("{number} (twilio.from) is not a number of account {shown}"),
                    )],
                    Err(e) => vec![Line::new(
                        Mark::Fail,
                        "sms webhook",
                        format!("{number}: cannot read it ({e})"),
                    )],
                });
            }
        }
    }
    lines.push(Line::new(
        Mark::Ok,
        "status callback",
        format!("sent with each message: {}{STATUS_PATH}", settings.public_base()),
    ));
    lines
}

fn kind(kind: &str) -> String {
    if kind.is_empty() {
        String::new()
    } else {
        format!(", {kind}")
    }
}

/// `AC…1234`: enough to tell accounts apart, not the whole identifier.
fn masked_sid(sid: &str) -> String {
    let tail: String = sid
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}…{tail}", sid.get(..2).unwrap_or("AC"))
}

/// Whether `url` is where Twilio must post inbound SMS: exactly `expected` (signatures are
/// checked against it), a query string allowed.
fn points_at(url: &str, expected: &str) -> bool {
    url == expected || url.split_once('?').is_some_and(|(base, _)| base == expected)
}

fn number_webhook(number: &Number, expected: &str) -> Line {
    let n = &number.phone_number;
    if let Some(app) = number.sms_application_sid.as_deref().filter(|s| !s.is_empty()) {
        return Line::new(
            Mark::Fail,
            "sms webhook",
            format!(
                "{n} hands its messages to TwiML App {}, expected the URL {expected}",
                masked_sid(app)
            ),
        );
    }
    let url = number.sms_url.as_deref().unwrap_or_default();
    let method = number.sms_method.as_deref().unwrap_or("POST");
    if url.is_empty() {
        Line::new(
            Mark::Fail,
            "sms webhook",
            format!("{n} has no SMS webhook, expected {expected}"),
        )
    } else if !points_at(url, expected) {
        Line::new(
            Mark::Fail,
            "sms webhook",
            format!("{n} points at {url}, expected {expected}"),
        )
    } else if !method.eq_ignore_ascii_case("POST") {
        Line::new(
            Mark::Fail,
            "sms webhook",
            format!("{n} calls it with {method}; tocsin takes POST"),
        )
    } else {
        Line::new(Mark::Ok, "sms webhook", format!("{n} → {url}"))
    }
}

/// Calls are optional: a number without a Voice webhook is noted, one pointing elsewhere fails.
fn voice_webhook(number: &Number, expected: &str) -> Line {
    let n = &number.phone_number;
    let item = "voice webhook";
    if let Some(app) = number.voice_application_sid.as_deref().filter(|s| !s.is_empty()) {
        let app = masked_sid(app);
        return Line::new(
            Mark::Fail,
            item,
            format!("{n} hands its calls to TwiML App {app}, expected {expected}"),
        );
    }
    let url = number.voice_url.as_deref().unwrap_or_default();
    let method = number.voice_method.as_deref().unwrap_or("POST");
    if url.is_empty() {
        let why = format!("{n} has none: calls are not answered by tocsin (to take them: {expected})");
        Line::new(Mark::Skip, item, why)
    } else if !points_at(url, expected) {
        Line::new(
            Mark::Fail,
            item,
            format!("{n} points at {url}, expected {expected}"),
        )
    } else if !method.eq_ignore_ascii_case("POST") {
        Line::new(
            Mark::Fail,
            item,
            format!("{n} calls it with {method}; tocsin takes POST"),
        )
    } else {
        Line::new(Mark::Ok, item, format!("{n} → {url}"))
    }
}

async fn service_webhook(reader: &AccountReader, sid: &str, expected: &str) -> Line {
    let service = match reader.service(sid).await {
        Ok(Some(service)) => service,
        Ok(None) => {
            return Line::new(
                Mark::Fail,
                "sms webhook",
                format!("messaging service {sid} (twilio.messaging_service_sid) is not on the account"),
            )
        }
        Err(e) => {
            return Line::new(
                Mark::Fail,
                "sms webhook",
                format!("messaging service {sid}: cannot read it ({e})"),
            )
        }
    };
    if service.use_inbound_webhook_on_number {
        return Line::new(
            Mark::Skip,
            "sms webhook",
            format!("service {sid} uses each number's own webhook: not checked; set each to {expected}"),
        );
    }
    let url = service.inbound_request_url.unwrap_or_default();
    let method = service.inbound_method.unwrap_or_else(|| "POST".into());
    if !points_at(&url, expected) {
        let now = if url.is_empty() {
            "has no inbound URL (Twilio drops inbound messages)".to_string()
        } else {
            format!("points at {url}")
        };
        Line::new(
            Mark::Fail,
            "sms webhook",
            format!("service {sid} {now}, expected {expected}"),
        )
    } else if !method.eq_ignore_ascii_case("POST") {
        Line::new(
            Mark::Fail,
            "sms webhook",
            format!("service {sid} calls it with {method}; tocsin takes POST"),
        )
    } else {
        Line::new(Mark::Ok, "sms webhook", format!("service {sid} → {url}"))
    }
}

/// Twilio must reach `http.public_url`: not this machine's loopback when Twilio is the real
/// one, and a hostname Twilio accepts in a callback (no underscores).
fn public_url(settings: &Settings) -> Line {
    let public = settings.public_base();
    let host = |u: &str| {
        url::Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    };
    let here = |h: &str| h == "localhost" || h.starts_with("127.") || h == "[::1]";
    let ours = host(public).unwrap_or_default();
    let twilio_remote = host(&settings.twilio.api_base).is_some_and(|h| !here(&h));
    if ours.contains('_') {
        Line::new(
            Mark::Fail,
            "public url",
            format!("{public}: Twilio refuses callback hosts with an underscore"),
        )
    } else if here(&ours) && twilio_remote {
        Line::new(
            Mark::Fail,
            "public url",
            format!("{public} is this machine: Twilio cannot reach it; set http.public_url to the address Twilio calls"),
        )
    } else {
        Line::new(Mark::Ok, "public url", public.to_string())
    }
}

pub(super) async fn signal(settings: &Settings) -> Line {
    let (Some(url), Some(account)) = (&settings.signal.rpc_url, &settings.signal.account) else {
        return Line::new(Mark::Skip, "signal", "not configured");
    };
    let timeout = Duration::from_secs(settings.signal.timeout_s.max(1));
    let client = match SignalClient::new(url, account, timeout) {
        Ok(client) => client,
        Err(e) => return Line::new(Mark::Fail, "signal", format!("{e:#}")),
    };
    if !client.check().await {
        return Line::new(
            Mark::Fail,
            "signal",
            format!("no answer from the bridge at {url}"),
        );
    }
    let version = client
        .version()
        .await
        .map(|v| format!(", signal-cli {v}"))
        .unwrap_or_default();
    match client.registration().await {
        Ok(Registration::Listed) => Line::new(
            Mark::Ok,
            "signal",
            format!("{account} registered on the bridge at {url}{version}"),
        ),
        Ok(Registration::SingleAccount) => Line::new(
            Mark::Ok,
            "signal",
            format!("{account} registered with Signal; the single-account bridge at {url} cannot say it runs it{version}"),
        ),
        Ok(Registration::Missing(others)) => Line::new(
            Mark::Fail,
            "signal",
            format!(
                "the bridge at {url} does not run {account} (signal.account; it runs {} other account(s)): register or link it",
                others.len()
            ),
        ),
        Err(e) => Line::new(Mark::Fail, "signal", format!("the bridge at {url}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_are_shown_by_their_end() {
        assert_eq!(masked_sid("AC0123456789abcdef0123456789abcdef"), "AC…cdef");
    }

    #[test]
    fn a_webhook_with_a_query_still_points_at_us() {
        let us = "https://tocsin.example.org/webhooks/twilio/sms";
        assert!(points_at(us, us));
        assert!(points_at(&format!("{us}?tenant=east"), us));
        assert!(!points_at("https://old.example.org/webhooks/twilio/sms", us));
        assert!(!points_at(&format!("{us}/"), us));
    }
}
