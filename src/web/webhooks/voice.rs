//! The hotline's Voice webhook (issue 17 §1; PROTOCOLS.md §11): every request signed like an
//! SMS webhook (403 and nothing changed otherwise), answered at once with TwiML. A caller hears
//! the network's languages and chooses one (1, 2 ...; 9 or silence: text instead); with anyone
//! on duty the call is a report and rings the on-duty dispatchers' phones at once, showing our
//! number (never the caller's) and telling whoever answers the incident's number; with nobody
//! on duty, or nobody answering, the caller leaves a voice message, which becomes the report.
//! The work (fetching the audio, paging) happens after the answer, in the background.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OriginalUri, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use super::twilio::{verify, Signed};
use super::voice_twiml::{Ring, Twiml};
use crate::domain::{Language, Phone};
use crate::i18n::text;
use crate::intake::voice::{self, CallReport, Caller};
use crate::state::{Core, Shared};
use crate::store::StoreError;

const BASE: &str = "/webhooks/twilio/voice";
/// Seconds the caller has to press a key after the greeting.
const GATHER_TIMEOUT_S: u32 = 6;
/// Seconds the dispatchers' phones ring before the caller is asked for a message instead.
const DIAL_TIMEOUT_S: u32 = 20;
/// The key that asks for a text instead; languages take 1 to 8.
const TEXT_KEY: &str = "9";
const MAX_LANGUAGES: usize = 8;

pub fn router() -> Router<Shared> {
    Router::new()
        .route(BASE, post(incoming))
        .route("/webhooks/twilio/voice/menu", post(menu))
        .route("/webhooks/twilio/voice/dialled", post(dialled))
        .route("/webhooks/twilio/voice/recorded", post(recorded))
        .route("/webhooks/twilio/voice/text", post(text_us))
        .route("/webhooks/twilio/voice/whisper", post(whisper))
}

/// A signed request about a call, and the language the caller chose (`lang` in our own URLs).
struct Call {
    signed: Signed,
    language: Option<Language>,
}

impl Call {
    fn caller(&self, language: Language) -> Option<Caller<'_>> {
        Some(Caller {
            call_sid: self.signed.get("CallSid")?,
            from: self.signed.get("From")?,
            language,
        })
    }

    fn language(&self) -> Language {
        self.language.unwrap_or(Language::EN)
    }
}

/// Every request about a call is read so: signed (403 otherwise, as `verify` answers), with
/// its CallSid and From (400 otherwise).
impl FromRequest<Shared> for Call {
    type Rejection = Response;

    async fn from_request(request: Request, core: &Shared) -> Result<Call, Response> {
        let (mut parts, body) = request.into_parts();
        let uri = OriginalUri::from_request_parts(&mut parts, core)
            .await
            .map_err(IntoResponse::into_response)?;
        let Query(query) = Query::<HashMap<String, String>>::from_request_parts(&mut parts, core)
            .await
            .map_err(IntoResponse::into_response)?;
        let headers = parts.headers.clone();
        let body = Bytes::from_request(Request::from_parts(parts, body), core)
            .await
            .map_err(IntoResponse::into_response)?;
        read(core, &uri, &query, &headers, &body)
    }
}

// The refusal is axum's Response, as `verify` gives it.
#[allow(clippy::result_large_err)]
fn read(
    core: &Shared,
    uri: &OriginalUri,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Call, Response> {
    let signed = verify(core, uri, headers, body)?;
    if signed.get("CallSid").is_none() || signed.get("From").is_none() {
        return Err((StatusCode::BAD_REQUEST, "CallSid and From are required").into_response());
    }
    let language = query.get("lang").and_then(|l| Language::parse(l));
    Ok(Call { signed, language })
}

/// One of our URLs on this call, remembering the caller's language. Absolute, from
/// `http.public_url` (which may have a path of its own), as Twilio signs what it requests.
fn url(core: &Core, path: &str, language: Language) -> String {
    format!(
        "{}{BASE}{path}?lang={}",
        core.settings.public_base(),
        language.as_str()
    )
}

fn failed(e: StoreError) -> Response {
    // A 5xx: Twilio says "an application error has occurred" and the caller can call again.
    tracing::error!(error = %e, "a call to the hotline could not be handled");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The call arrives: the languages on offer, each in its own voice.
async fn incoming(State(core): State<Shared>, call: Call) -> Response {
    tracing::info!(call_sid = call.signed.get("CallSid"), "a call to the hotline");
    greeting(&core).into_response()
}

fn greeting(core: &Core) -> Twiml {
    let mut prompt = Twiml::new();
    for (i, language) in Language::all().into_iter().take(MAX_LANGUAGES).enumerate() {
        let words = text(language, "voice-choose", &[("digit", (i + 1).to_string())]);
        prompt = prompt.say(language, &words);
    }
    let menu = format!("{}{BASE}/menu", core.settings.public_base());
    // Gather always requests its action here; the Redirect is for a Twilio that would not.
    Twiml::new()
        .gather(&menu, GATHER_TIMEOUT_S, prompt)
        .redirect(&menu)
}

/// The caller's key: a language, 9 or nothing (text instead), or another key (the menu again).
async fn menu(State(core): State<Shared>, call: Call) -> Response {
    let digits = call.signed.get("Digits").unwrap_or("").trim();
    let chosen = digits
        .parse::<usize>()
        .ok()
        .filter(|d| (1..=MAX_LANGUAGES).contains(d))
        .and_then(|d| Language::all().get(d - 1).copied());
    let answer = match (chosen, digits) {
        (Some(language), _) => put_through(&core, &call, language).await,
        (None, "" | TEXT_KEY) => text_instead(&core, &call).await,
        (None, _) => Ok(greeting(&core)),
    };
    answer.map_or_else(failed, IntoResponse::into_response)
}

/// Rings the dispatchers on duty (the call is a report first, so that the guard applies and
/// whoever answers hears its incident's number); with nobody on duty, a voice message.
async fn put_through(core: &Core, call: &Call, language: Language) -> Result<Twiml, StoreError> {
    let Some(caller) = call.caller(language) else {
        return Ok(Twiml::new().hangup());
    };
    let numbers = voice::on_duty_numbers(core).await?;
    // The number the dispatchers' phones show: ours, never the caller's.
    let ours = call
        .signed
        .get("To")
        .and_then(|to| Phone::parse(to).ok())
        .map(|p| p.e164().to_string())
        .or_else(|| core.settings.twilio.from.first().cloned());
    if let (false, Some(ours)) = (numbers.is_empty(), ours) {
        let what = "[phone call to the hotline, put through to the dispatchers on duty]";
        // A report the guard holds (blocked, over a limit) opens no incident and rings nobody.
        if let Some(CallReport {
            incident_id: Some(id),
            ..
        }) = voice::report(core, &caller, what).await?
        {
            tracing::info!(
                incident_id = id,
                phones = numbers.len(),
                "a call is put through to the dispatchers on duty"
            );
            let base = core.settings.public_base();
            let whisper = format!("{base}{BASE}/whisper?incident={id}&lang={}", language.as_str());
            let rings: Vec<Ring> = numbers
                .iter()
                .map(|n| Ring {
                    number: n,
                    whisper_url: &whisper,
                })
                .collect();
            return Ok(Twiml::new()
                .say(language, &text(language, "voice-connecting", &[]))
                .dial(&url(core, "/dialled", language), &ours, DIAL_TIMEOUT_S, &rings));
        }
    }
    Ok(leave_message(core, language, None))
}

/// Asks for a voice message; if nothing is recorded, the caller is asked to text instead.
fn leave_message(core: &Core, language: Language, before: Option<&str>) -> Twiml {
    let mut doc = Twiml::new();
    if let Some(key) = before {
        doc = doc.say(language, &text(language, key, &[]));
    }
    doc.say(language, &text(language, "voice-record", &[]))
        .record(
            &url(core, "/recorded", language),
            core.settings.voice.max_record_s,
        )
        .redirect(&url(core, "/text", language))
}

/// Nobody took the call (no answer, busy, failed): a voice message instead.
async fn dialled(State(core): State<Shared>, call: Call) -> Response {
    let status = call.signed.get("DialCallStatus").unwrap_or("");
    tracing::info!(status, "a call put through to the dispatchers ended");
    if matches!(status, "completed" | "answered") {
        return Twiml::new().hangup().into_response();
    }
    leave_message(&core, call.language(), Some("voice-no-answer")).into_response()
}

/// The caller left a message: it becomes (or joins) the call's report; its audio is fetched later.
async fn recorded(State(core): State<Shared>, call: Call) -> Response {
    let language = call.language();
    // Record's action may lack RecordingSid (§11.2): the sid ends RecordingUrl.
    let sid = call
        .signed
        .get("RecordingSid")
        .or_else(|| call.signed.get("RecordingUrl").and_then(|u| u.rsplit('/').next()))
        .filter(|sid| voice::is_recording_sid(sid));
    let seconds = call
        .signed
        .get("RecordingDuration")
        .and_then(|d| d.trim().parse::<i64>().ok())
        .filter(|d| *d > 0);
    let (Some(sid), Some(seconds), Some(caller)) = (sid, seconds, call.caller(language)) else {
        return text_instead(&core, &call)
            .await
            .map_or_else(failed, IntoResponse::into_response);
    };
    match voice::recorded(&core, &caller, sid, seconds).await {
        Ok(_) => Twiml::new()
            .say(language, &text(language, "voice-thanks", &[]))
            .hangup()
            .into_response(),
        Err(e) => failed(e),
    }
}

/// Nothing was recorded: text instead.
async fn text_us(State(core): State<Shared>, call: Call) -> Response {
    text_instead(&core, &call)
        .await
        .map_or_else(failed, IntoResponse::into_response)
}

/// Asks the caller to text instead (in every language when they chose none) and texts them the
/// hotline's instructions, when their number can take a text.
async fn text_instead(core: &Core, call: &Call) -> Result<Twiml, StoreError> {
    let language = call.language();
    let sent = match (call.caller(language), core.channels()) {
        (Some(caller), Ok(channels)) => voice::text_instead(core, channels, &caller).await?,
        _ => false,
    };
    let key = if sent { "voice-text-sent" } else { "voice-text" };
    let languages = match call.language {
        Some(l) => vec![l],
        None => Language::all(),
    };
    let mut doc = Twiml::new();
    for l in languages {
        doc = doc.say(l, &text(l, key, &[]));
    }
    Ok(doc.hangup())
}

/// What the dispatcher who answers hears before being connected, in their own language: the
/// incident's number and the caller's language, never the caller's number. They now have the
/// incident (as with ACK).
async fn whisper(
    State(core): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
    call: Call,
) -> Response {
    let Some(id) = query.get("incident").and_then(|i| i.parse::<i64>().ok()) else {
        return (StatusCode::BAD_REQUEST, "incident is required").into_response();
    };
    let answering = call.signed.get("To").and_then(|to| Phone::parse(to).ok());
    let dispatchers = match core.store.dispatchers().await {
        Ok(all) => all,
        Err(e) => return failed(e),
    };
    let answered = dispatchers
        .iter()
        .find(|d| d.phone.as_deref() == answering.as_ref().map(|p| p.e164()));
    // Whoever answered has the incident, as if they had sent ACK: nobody is paged for it.
    if let Some(d) = answered {
        if let Err(e) = core.store.ack(d.id, &d.name, Some(id)).await {
            tracing::warn!(incident_id = id, error = %e, "could not note who took the call");
        }
        core.events.publish(crate::events::Event::Incident { id });
    }
    let theirs = answered.map_or(Language::EN, |d| d.language);
    let args = [
        ("network", core.settings.network.name.clone()),
        ("id", id.to_string()),
        ("language", call.language().name()),
    ];
    Twiml::new()
        .say(theirs, &text(theirs, "voice-whisper", &args))
        .into_response()
}
