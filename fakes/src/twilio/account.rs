//! The account-side read endpoints `tocsin check` uses, in Twilio's shapes: the Account
//! (`GET /2010-04-01/Accounts/{Sid}.json`), the account's numbers
//! (`GET …/IncomingPhoneNumbers.json?PhoneNumber=`) with each number's SMS webhook, and a
//! Messaging Service (`GET /v1/Services/{Sid}`, served on messaging.twilio.com by Twilio and
//! here on the same base URL). Same basic auth and error bodies as the rest of the fake.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::Utc;
use serde_json::{json, Value};

use super::error::TwilioError;
use super::resource::rfc2822;
use super::rest::{authenticate, serve_rest};
use super::state::Shared;

/// `GET /2010-04-01/Accounts/{Sid}.json`: the Account resource (it does carry the auth token,
/// as Twilio's does: a client must not print it).
pub(crate) async fn fetch_account(
    State(shared): State<Arc<Shared>>,
    Path(file): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    serve_rest(&shared, || {
        let sid = file
            .strip_suffix(".json")
            .ok_or_else(|| TwilioError::not_found(uri.path()))?;
        authenticate(&shared, sid, &headers)?;
        let created = rfc2822(shared.started);
        let body = json!({
            "auth_token": shared.config.auth_token,
            "date_created": created,
            "date_updated": created,
            "friendly_name": "My first Twilio account",
            "owner_account_sid": sid,
            "sid": sid,
            "status": shared.config.account_status,
            "subresource_uris": {
                "incoming_phone_numbers": format!("/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json"),
                "messages": format!("/2010-04-01/Accounts/{sid}/Messages.json"),
            },
            "type": "Full",
            "uri": format!("/2010-04-01/Accounts/{sid}.json"),
        });
        Ok((StatusCode::OK, body))
    })
    .await
}

/// `GET …/IncomingPhoneNumbers.json[?PhoneNumber=]`: one page of the account's numbers, each
/// with the SMS webhook it posts to (`FakeTwilio::set_sms_url`).
pub(crate) async fn list_numbers(
    State(shared): State<Arc<Shared>>,
    Path(account_sid): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    serve_rest(&shared, || {
        authenticate(&shared, &account_sid, &headers)?;
        let wanted = query.get("PhoneNumber");
        let inner = shared.lock();
        let numbers: Vec<Value> = shared
            .config
            .numbers
            .iter()
            .filter(|n| wanted.is_none_or(|w| w == *n))
            .map(|n| {
                let sms_url = inner
                    .sms_urls
                    .get(n)
                    .cloned()
                    .unwrap_or_else(|| shared.config.sms_url.clone());
                let voice_url = inner.hotline.voice_urls.get(n).map_or("", String::as_str);
                number_json(&account_sid, n, (&sms_url, voice_url), shared.started)
            })
            .collect();
        drop(inner);
        let page_uri = uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |pq| pq.to_string());
        let body = json!({
            "end": numbers.len().saturating_sub(1),
            "first_page_uri": page_uri,
            "incoming_phone_numbers": numbers,
            "next_page_uri": null,
            "page": 0,
            "page_size": 50,
            "previous_page_uri": null,
            "start": 0,
            "uri": page_uri,
        });
        Ok((StatusCode::OK, body))
    })
    .await
}

/// An IncomingPhoneNumber as Twilio lists it (the fields a client may read; unset URLs are ""),
/// with its SMS and Voice webhooks.
fn number_json(account_sid: &str, number: &str, urls: (&str, &str), created: chrono::DateTime<Utc>) -> Value {
    let (sms_url, voice_url) = urls;
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let sid = format!("PN{:0>32}", digits);
    let date = rfc2822(created);
    json!({
        "account_sid": account_sid,
        "address_requirements": "none",
        "address_sid": null,
        "api_version": "2010-04-01",
        "beta": false,
        "bundle_sid": null,
        "capabilities": {"fax": false, "mms": true, "sms": true, "voice": true},
        "date_created": date,
        "date_updated": date,
        "emergency_address_sid": null,
        "emergency_address_status": "unregistered",
        "emergency_status": "Active",
        "friendly_name": number,
        "identity_sid": null,
        "origin": "twilio",
        "phone_number": number,
        "sid": sid,
        "sms_application_sid": "",
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": "POST",
        "sms_url": sms_url,
        "status": "in-use",
        "status_callback": "",
        "status_callback_method": "POST",
        "trunk_sid": null,
        "uri": format!("/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers/{sid}.json"),
        "voice_application_sid": "",
        "voice_caller_id_lookup": false,
        "voice_fallback_method": "POST",
        "voice_fallback_url": "",
        "voice_method": "POST",
        "voice_receive_mode": "voice",
        "voice_url": voice_url,
    })
}

/// `GET /v1/Services/{Sid}`: the Messaging Service, when the fake has one; its
/// `inbound_request_url` is `FakeTwilio::set_service_inbound_url`, else the default SMS URL.
pub(crate) async fn fetch_service(
    State(shared): State<Arc<Shared>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    serve_rest(&shared, || {
        let account_sid = shared.config.account_sid.clone();
        authenticate(&shared, &account_sid, &headers)?;
        if shared.config.messaging_service_sid.as_deref() != Some(sid.as_str()) {
            return Err(TwilioError::not_found(uri.path()));
        }
        let inbound = shared
            .lock()
            .service_inbound_url
            .clone()
            .unwrap_or_else(|| shared.config.sms_url.clone());
        let date = shared.started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let body = json!({
            "account_sid": account_sid,
            "area_code_geomatch": true,
            "date_created": date,
            "date_updated": date,
            "fallback_method": "POST",
            "fallback_to_long_code": true,
            "fallback_url": null,
            "friendly_name": "tocsin",
            "inbound_method": "POST",
            "inbound_request_url": inbound,
            "links": {"phone_numbers": format!("https://messaging.twilio.com/v1/Services/{sid}/PhoneNumbers")},
            "mms_converter": true,
            "scan_message_content": "inherit",
            "sid": sid,
            "smart_encoding": true,
            "status_callback": null,
            "sticky_sender": true,
            "synchronous_validation": true,
            "url": format!("https://messaging.twilio.com/v1/Services/{sid}"),
            "use_inbound_webhook_on_number": false,
            "usecase": "notifications",
            "us_app_to_person_registered": false,
            "validity_period": 14400,
        });
        Ok((StatusCode::OK, body))
    })
    .await
}
