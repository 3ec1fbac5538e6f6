//! The Calls API (PROTOCOLS §11.3, §11.5, §11.6): `POST …/Calls.json` validated in Twilio's
//! order with its codes, answered 201 with a call resource that starts `queued`; calls are
//! started at the account's CPS (queued, never refused: `queue_time` says how long each waits);
//! `GET …/Calls/{Sid}.json` and `POST …/Calls/{Sid}.json` with `Status=canceled|completed`.
//! What happens once a call is dialled is `dialing`'s. Never logs a number or what is said.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};

use super::error::TwilioError;
use super::resource::{new_sid, rfc2822};
use super::rest::{authenticate, serve_rest, RestResult};
use super::state::Shared;
use super::{dialing, FakeTwilio};

/// Longest inline `Twiml` Twilio takes.
const MAX_TWIML: usize = 4000;

/// What the callee does when a call to them is dialled; scripted per number, one per call in
/// turn (the last one stays). Default: they answer and press nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum Pickup {
    /// Answers; each `<Gather>` in turn gets the next of these keys ("" = silence).
    Answer(Vec<String>),
    /// Rings until `Timeout`: `no-answer`.
    NoAnswer,
    Busy,
    /// The carrier could not connect it: `failed`.
    Failed,
    /// `POST /Calls.json` itself is refused, 400 with this code (21210, 21216, 21217).
    Reject(u32),
}

impl Pickup {
    /// Answers and presses `key` at the first `<Gather>`.
    pub fn press(key: &str) -> Pickup {
        Pickup::Answer(vec![key.to_owned()])
    }
}

/// A call the fake created (201), as tests see it.
#[derive(Clone, Debug)]
pub struct PlacedCall {
    pub sid: String,
    pub to: String,
    pub from: String,
    pub url: Option<String>,
    pub twiml: Option<String>,
    pub status_callback: Option<String>,
    /// Subscribed events (`initiated ringing answered completed`).
    pub events: Vec<String>,
    /// queued → ringing → in-progress → completed | busy | no-answer | failed | canceled.
    pub status: String,
    pub created_at: Instant,
    /// When it left the CPS queue and was dialled.
    pub dialed_at: Option<Instant>,
    /// Every `<Say>` heard, in order.
    pub said: Vec<String>,
    /// Every TwiML document run, as fetched (or inline).
    pub documents: Vec<String>,
    /// Keys pressed, in order.
    pub pressed: Vec<String>,
    /// Twilio error codes met (11200 fetch failed, 12100 bad XML...).
    pub errors: Vec<u32>,
    pub(crate) date_created: DateTime<Utc>,
    pub(crate) queue_ms: u64,
}

#[derive(Default)]
pub(crate) struct CallsInner {
    pub calls: Vec<PlacedCall>,
    pub scripts: HashMap<String, VecDeque<Pickup>>,
    /// When the next call may be dialled (CPS).
    next_dial: Option<Instant>,
    cps: Option<f64>,
}

/// Calls made on the account, behind their own lock (never held across an await).
#[derive(Default)]
pub(crate) struct CallBook {
    inner: Mutex<CallsInner>,
}

impl CallBook {
    pub fn lock(&self) -> MutexGuard<'_, CallsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl CallsInner {
    /// Calls per second the account dials (default 1, PROTOCOLS §11.5).
    fn cps(&self) -> f64 {
        self.cps.unwrap_or(1.0).max(0.001)
    }

    fn script_for(&mut self, to: &str) -> Pickup {
        match self.scripts.get_mut(to) {
            Some(q) if q.len() > 1 => q.pop_front().unwrap_or(Pickup::Answer(Vec::new())),
            Some(q) => q.front().cloned().unwrap_or(Pickup::Answer(Vec::new())),
            None => Pickup::Answer(Vec::new()),
        }
    }

    pub fn get_mut(&mut self, sid: &str) -> Option<&mut PlacedCall> {
        self.calls.iter_mut().find(|c| c.sid == sid)
    }
}

pub(crate) async fn create_call(
    State(shared): State<Arc<Shared>>,
    Path(account_sid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve_rest(&shared, || create(&shared, &account_sid, &headers, &body)).await
}

fn get<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

/// Absolute http(s), a host without `_` (PROTOCOLS §11.3).
fn is_url(url: &str) -> bool {
    url.len() <= 4000
        && reqwest::Url::parse(url).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.contains('_'))
        })
}

fn create(shared: &Arc<Shared>, account_sid: &str, headers: &HeaderMap, body: &Bytes) -> RestResult {
    authenticate(shared, account_sid, headers)?;
    if let Some(status) = shared.take_failure() {
        return Err(TwilioError::internal(status));
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let to =
        get(&form, "To").ok_or_else(|| TwilioError::bad_request(21201, "No 'To' number is specified"))?;
    let from =
        get(&form, "From").ok_or_else(|| TwilioError::bad_request(21213, "No 'From' number is specified"))?;
    if !is_e164(to) {
        return Err(TwilioError::bad_request(
            21217,
            format!("Phone number is not a valid phone number: {to}"),
        ));
    }
    if !shared.is_our_number(from) {
        return Err(TwilioError::bad_request(
            21210,
            format!("The source phone number provided, {from}, is not yet verified for your account."),
        ));
    }
    let url = get(&form, "Url");
    let twiml = get(&form, "Twiml");
    match (url, twiml) {
        (Some(u), _) if !is_url(u) => {
            return Err(TwilioError::bad_request(
                21205,
                format!("Url is not a valid URL: {u}"),
            ))
        }
        (None, Some(t)) if t.chars().count() > MAX_TWIML => {
            return Err(TwilioError::bad_request(
                21205,
                "Twiml is longer than 4000 characters",
            ))
        }
        (None, None) => {
            return Err(TwilioError::bad_request(
                21205,
                "Url, Twiml or ApplicationSid is required",
            ))
        }
        _ => {}
    }
    let callback = get(&form, "StatusCallback");
    if callback.is_some_and(|u| !is_url(u)) {
        return Err(TwilioError::bad_request(21609, "Invalid StatusCallback"));
    }
    let events: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "StatusCallbackEvent")
        .flat_map(|(_, v)| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let timeout = get(&form, "Timeout")
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(60)
        .min(600);
    let mut book = shared.calls.lock();
    let pickup = book.script_for(to);
    if let Pickup::Reject(code) = pickup {
        return Err(TwilioError::bad_request(code, format!("Twilio error {code}")));
    }
    // Queued, not refused: dialled at the next free CPS slot.
    let now = Instant::now();
    let slot = book.next_dial.map_or(now, |n| n.max(now));
    book.next_dial = Some(slot + Duration::from_secs_f64(1.0 / book.cps()));
    let call = PlacedCall {
        sid: new_sid("CA"),
        to: to.to_owned(),
        from: from.to_owned(),
        // `Twiml` is ignored when `Url` is given too.
        twiml: url.is_none().then(|| twiml.map(str::to_owned)).flatten(),
        url: url.map(str::to_owned),
        status_callback: callback.map(str::to_owned),
        events: if events.is_empty() {
            vec!["completed".into()]
        } else {
            events
        },
        status: "queued".into(),
        created_at: now,
        dialed_at: None,
        said: Vec::new(),
        documents: Vec::new(),
        pressed: Vec::new(),
        errors: Vec::new(),
        date_created: Utc::now(),
        queue_ms: slot.duration_since(now).as_millis() as u64,
    };
    let json = call_json(account_sid, &call);
    tracing::info!(sid = %call.sid, queue_ms = call.queue_ms, "call created");
    let sid = call.sid.clone();
    book.calls.push(call);
    drop(book);
    shared.changed().notify_waiters();
    dialing::spawn(shared.clone(), sid, slot, pickup, Duration::from_secs(timeout));
    Ok((StatusCode::CREATED, json))
}

/// The call resource (PROTOCOLS §11.3), keys in Twilio's order.
pub(crate) fn call_json(account_sid: &str, c: &PlacedCall) -> serde_json::Value {
    let ended = matches!(
        c.status.as_str(),
        "completed" | "busy" | "failed" | "no-answer" | "canceled"
    );
    serde_json::json!({
        "account_sid": account_sid,
        "annotation": null,
        "answered_by": null,
        "api_version": "2010-04-01",
        "caller_name": null,
        "date_created": rfc2822(c.date_created),
        "date_updated": rfc2822(Utc::now()),
        "direction": "outbound-api",
        "duration": if ended { Some("0") } else { None },
        "end_time": if ended { Some(rfc2822(Utc::now())) } else { None },
        "forwarded_from": null,
        "from": c.from,
        "from_formatted": c.from,
        "group_sid": null,
        "parent_call_sid": null,
        "phone_number_sid": null,
        "price": null,
        "price_unit": "USD",
        "queue_time": c.queue_ms.to_string(),
        "sid": c.sid,
        "start_time": c.dialed_at.map(|_| rfc2822(Utc::now())),
        "status": c.status,
        "to": c.to,
        "to_formatted": c.to,
        "trunk_sid": null,
        "uri": format!("/2010-04-01/Accounts/{account_sid}/Calls/{}.json", c.sid),
    })
}

/// `GET …/Calls/{Sid}.json`.
pub(crate) async fn fetch_call(
    State(shared): State<Arc<Shared>>,
    Path((account_sid, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    serve_rest(&shared, || {
        authenticate(&shared, &account_sid, &headers)?;
        let book = shared.calls.lock();
        let call = file
            .strip_suffix(".json")
            .and_then(|sid| book.calls.iter().find(|c| c.sid == sid))
            .ok_or_else(|| TwilioError::not_found(uri.path()))?;
        Ok((StatusCode::OK, call_json(&account_sid, call)))
    })
    .await
}

/// `POST …/Calls/{Sid}.json` with `Status=canceled` (queued or ringing) or `completed`.
pub(crate) async fn update_call(
    State(shared): State<Arc<Shared>>,
    Path((account_sid, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    serve_rest(&shared, || {
        authenticate(&shared, &account_sid, &headers)?;
        let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
        let mut book = shared.calls.lock();
        let call = file
            .strip_suffix(".json")
            .and_then(|sid| book.get_mut(sid))
            .ok_or_else(|| TwilioError::not_found(uri.path()))?;
        match (get(&form, "Status"), call.status.as_str()) {
            (Some("canceled"), "queued" | "ringing")
            | (Some("completed"), "queued" | "ringing" | "in-progress") => {
                call.status = get(&form, "Status").unwrap_or("canceled").to_owned();
            }
            (Some("canceled" | "completed"), _) => {}
            _ => return Err(TwilioError::bad_request(21218, "Invalid Status")),
        }
        let json = call_json(&account_sid, call);
        drop(book);
        shared.changed().notify_waiters();
        Ok((StatusCode::OK, json))
    })
    .await
}

impl FakeTwilio {
    /// Every call created (201), in creation order, as it stands now.
    pub fn calls(&self) -> Vec<PlacedCall> {
        self.shared.calls.lock().calls.clone()
    }

    pub fn calls_to(&self, to: &str) -> Vec<PlacedCall> {
        self.calls().into_iter().filter(|c| c.to == to).collect()
    }

    /// What the callee at `to` does on their next calls, one `Pickup` per call in turn; the
    /// last one stays for any later call.
    pub fn script_calls(&self, to: &str, pickups: &[Pickup]) {
        self.shared
            .calls
            .lock()
            .scripts
            .insert(to.to_owned(), pickups.iter().cloned().collect());
    }

    /// Calls dialled per second across the account (default 1).
    pub fn set_cps(&self, cps: f64) {
        self.shared.calls.lock().cps = Some(cps);
    }

    /// Waits until `done` holds for the calls (or `timeout`); returns them either way.
    pub async fn wait_for_calls(
        &self,
        timeout: Duration,
        done: impl Fn(&[PlacedCall]) -> bool,
    ) -> Vec<PlacedCall> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let changed = self.shared.changed().notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let calls = self.calls();
            if done(&calls) || tokio::time::timeout_at(deadline, changed).await.is_err() {
                return calls;
            }
        }
    }
}
