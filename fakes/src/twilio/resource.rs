//! The Message resource JSON exactly as PROTOCOLS §3.2 shows it: keys in Twilio's
//! (alphabetical) order, `num_media`/`num_segments` as strings, `price` null, RFC 2822 dates
//! in GMT, `from` null and `num_segments` "0" while a service-only send has no sender yet.

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;

use super::state::StoredMessage;

/// `prefix` + 32 lowercase hex, the shape of every Twilio SID (`SM…`, `MG…`, `AC…`).
pub(crate) fn new_sid(prefix: &str) -> String {
    format!("{prefix}{:032x}", rand::thread_rng().gen::<u128>())
}

/// RFC 2822 as Twilio writes it: `Thu, 24 Aug 2023 05:01:45 +0000`.
pub(crate) fn rfc2822(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

#[derive(Serialize)]
struct SubresourceUris {
    media: String,
}

/// Field order is serialization order; it matches Twilio's.
#[derive(Serialize)]
struct MessageResource<'a> {
    account_sid: &'a str,
    api_version: &'static str,
    body: &'a str,
    date_created: String,
    date_sent: Option<String>,
    date_updated: String,
    direction: &'static str,
    error_code: Option<u32>,
    error_message: Option<String>,
    from: Option<&'a str>,
    messaging_service_sid: Option<&'a str>,
    num_media: String,
    num_segments: String,
    price: Option<String>,
    price_unit: Option<String>,
    sid: &'a str,
    status: &'a str,
    subresource_uris: SubresourceUris,
    to: &'a str,
    uri: String,
}

/// The JSON value of one message (used by create, fetch and list).
pub(crate) fn message_json(account_sid: &str, message: &StoredMessage) -> serde_json::Value {
    let m = &message.public;
    // Through a Messaging Service Twilio has not picked a sender while the message is
    // `accepted`: `from` is null and the segment count is "0" until then.
    let unassigned = m.status == "accepted" && m.from.is_none();
    let base = format!("/2010-04-01/Accounts/{account_sid}/Messages/{}", m.sid);
    let resource = MessageResource {
        account_sid,
        api_version: "2010-04-01",
        body: &m.body,
        date_created: rfc2822(message.date_created),
        date_sent: message.date_sent.map(rfc2822),
        date_updated: rfc2822(message.date_updated),
        direction: "outbound-api",
        error_code: message.error_code,
        error_message: None,
        from: if unassigned {
            None
        } else {
            message.sender.as_deref()
        },
        messaging_service_sid: m.messaging_service_sid.as_deref(),
        num_media: message.num_media.to_string(),
        num_segments: if unassigned {
            "0".to_owned()
        } else {
            m.num_segments.to_string()
        },
        price: None,
        price_unit: None,
        sid: &m.sid,
        status: &m.status,
        subresource_uris: SubresourceUris {
            media: format!("{base}/Media.json"),
        },
        to: &m.to,
        uri: format!("{base}.json"),
    };
    // A struct of strings, integers and options always serializes.
    serde_json::to_value(resource).unwrap_or_default()
}
