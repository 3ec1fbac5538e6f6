//! One outbound call, once it leaves the CPS queue (PROTOCOLS §11.3, §11.6): `initiated`,
//! `ringing`, then what the callee's script says. Answered, the call fetches its `Url` (signed,
//! `CallStatus=in-progress`, `Direction=outbound-api`) or runs its inline `Twiml`, speaks each
//! `<Say>`, gives each `<Gather>` the next scripted key and POSTs it to the Gather's `action`,
//! follows `<Redirect>`, stops at `<Hangup>` or the end. Every subscribed event is POSTed to
//! `StatusCallback`, signed, with `SequenceNumber`, `Timestamp`, `CallbackSource`, and on the
//! terminal one `CallDuration`, `Duration` and (when not completed) `SipResponseCode`.
//! Steps are `callback_delay` apart: time is scaled, a ringing `Timeout` takes one step.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::header;
use chrono::Utc;

use super::calls::Pickup;
use super::resource::rfc2822;
use super::signature::sign;
use super::state::Shared;
use super::twiml::{self, Node};
use super::types::CallbackRecord;

/// A callee stuck in a loop of prompts hangs up after this many documents.
const MOST_DOCUMENTS: usize = 20;

pub(crate) fn spawn(shared: Arc<Shared>, sid: String, slot: Instant, pickup: Pickup, _timeout: Duration) {
    tokio::spawn(async move {
        let mut call = Dialled {
            shared,
            sid,
            sequence: 0,
            answered_at: None,
        };
        call.run(slot, pickup).await;
    });
}

struct Dialled {
    shared: Arc<Shared>,
    sid: String,
    sequence: u32,
    answered_at: Option<Instant>,
}

impl Dialled {
    async fn run(&mut self, slot: Instant, pickup: Pickup) {
        tokio::time::sleep_until(slot.into()).await;
        // Canceled while queued: no callback at all.
        if !self.set_status("queued", Some("initiated")) {
            return;
        }
        self.event("initiated", "initiated", None).await;
        let step = self.shared.config.callback_delay;
        tokio::time::sleep(step).await;
        if !self.set_status("initiated", Some("ringing")) {
            return self.end("canceled", Some(487)).await;
        }
        self.event("ringing", "ringing", None).await;
        tokio::time::sleep(step).await;
        let keys = match pickup {
            Pickup::NoAnswer => return self.end("no-answer", Some(487)).await,
            Pickup::Busy => return self.end("busy", Some(486)).await,
            Pickup::Failed | Pickup::Reject(_) => return self.end("failed", Some(404)).await,
            Pickup::Answer(keys) => keys,
        };
        if !self.set_status("ringing", Some("in-progress")) {
            return self.end("canceled", Some(487)).await;
        }
        self.answered_at = Some(Instant::now());
        self.event("answered", "in-progress", None).await;
        self.converse(keys).await;
        self.end("completed", None).await;
    }

    /// Moves the call from `from` to `to` (None: only checks it is still `from`); false when
    /// it moved otherwise meanwhile (canceled or completed through the API). `initiated` is
    /// only an event: the resource stays `queued` until it rings.
    fn set_status(&self, from: &str, to: Option<&str>) -> bool {
        let mut book = self.shared.calls.lock();
        let Some(call) = book.get_mut(&self.sid) else {
            return false;
        };
        let current = if call.status == "queued" && call.dialed_at.is_some() {
            "initiated"
        } else {
            call.status.as_str()
        };
        if current != from {
            return false;
        }
        match to {
            Some("initiated") => call.dialed_at = Some(Instant::now()),
            Some(to) => call.status = to.to_owned(),
            None => {}
        }
        drop(book);
        self.shared.changed().notify_waiters();
        true
    }

    /// The parameters every request about the call carries.
    fn base(&self, status: &str) -> Vec<(String, String)> {
        let book = self.shared.calls.lock();
        let (to, from) = book
            .calls
            .iter()
            .find(|c| c.sid == self.sid)
            .map(|c| (c.to.clone(), c.from.clone()))
            .unwrap_or_default();
        [
            ("AccountSid", self.shared.config.account_sid.clone()),
            ("ApiVersion", "2010-04-01".to_owned()),
            ("CallSid", self.sid.clone()),
            ("CallStatus", status.to_owned()),
            ("Called", to.clone()),
            ("Caller", from.clone()),
            ("Direction", "outbound-api".to_owned()),
            ("From", from),
            ("To", to),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Ends the call with a terminal status and its callback.
    async fn end(&mut self, status: &str, sip: Option<u16>) {
        {
            let mut book = self.shared.calls.lock();
            if let Some(call) = book.get_mut(&self.sid) {
                if call.status == "canceled" && status != "canceled" {
                    return;
                }
                call.status = status.to_owned();
            }
        }
        self.shared.changed().notify_waiters();
        let duration = self.answered_at.map_or(0, |t| t.elapsed().as_secs());
        let mut extra = vec![
            ("CallDuration".to_owned(), duration.to_string()),
            ("Duration".to_owned(), duration.div_ceil(60).to_string()),
        ];
        if let Some(sip) = sip {
            extra.push(("SipResponseCode".to_owned(), sip.to_string()));
        }
        self.event("completed", status, Some(extra)).await;
    }

    /// POSTs a status callback when the event is subscribed.
    async fn event(&mut self, event: &str, status: &str, extra: Option<Vec<(String, String)>>) {
        let (url, subscribed) = {
            let book = self.shared.calls.lock();
            match book.calls.iter().find(|c| c.sid == self.sid) {
                Some(c) => (c.status_callback.clone(), c.events.iter().any(|e| e == event)),
                None => (None, false),
            }
        };
        let Some(url) = url.filter(|_| subscribed) else {
            return;
        };
        let mut params = self.base(status);
        params.extend([
            ("CallbackSource".to_owned(), "call-progress-events".to_owned()),
            ("SequenceNumber".to_owned(), self.sequence.to_string()),
            ("Timestamp".to_owned(), rfc2822(Utc::now())),
        ]);
        params.extend(extra.unwrap_or_default());
        self.sequence += 1;
        let response_status = post(&self.shared, &url, &params).await.map(|(s, _)| s);
        tracing::info!(sid = %self.sid, status, ?response_status, "call status callback posted");
        self.shared.push_callback(CallbackRecord {
            url,
            params,
            response_status,
        });
    }

    /// Runs the call's TwiML, document after document.
    async fn converse(&mut self, keys: Vec<String>) {
        let mut keys = keys.into_iter();
        let (url, inline) = {
            let book = self.shared.calls.lock();
            match book.calls.iter().find(|c| c.sid == self.sid) {
                Some(c) => (c.url.clone(), c.twiml.clone()),
                None => return,
            }
        };
        let mut next = match (url, inline) {
            (Some(url), _) => self.fetch(&url, Vec::new()).await,
            (None, Some(doc)) => self.read(None, doc),
            (None, None) => None,
        };
        let mut documents = 0;
        while let Some((base, doc)) = next.take() {
            documents += 1;
            if documents > MOST_DOCUMENTS {
                return;
            }
            for verb in &doc.children {
                match verb.name.as_str() {
                    "Say" => self.heard(verb),
                    "Gather" => {
                        verb.children
                            .iter()
                            .filter(|e| e.name == "Say")
                            .for_each(|s| self.heard(s));
                        let key = keys.next().unwrap_or_default();
                        let action = verb.attr("action").map(str::to_owned).or(base.clone());
                        let on_empty = verb.attr("actionOnEmptyResult") == Some("true");
                        if key.is_empty() && !on_empty {
                            continue;
                        }
                        let Some(target) = action.and_then(|a| self.resolve(base.as_deref(), &a)) else {
                            return;
                        };
                        let mut extra = Vec::new();
                        if !key.is_empty() {
                            self.note(|c| c.pressed.push(key.clone()));
                            extra.push(("Digits".to_owned(), key));
                        }
                        next = self.fetch(&target, extra).await;
                        break;
                    }
                    "Redirect" => {
                        let Some(target) = self.resolve(base.as_deref(), &verb.text) else {
                            return;
                        };
                        next = self.fetch(&target, Vec::new()).await;
                        break;
                    }
                    "Hangup" | "Reject" => return,
                    // Pause, Play, Record, Dial: nothing the callee of a wake-up call meets.
                    _ => {}
                }
            }
        }
    }

    fn heard(&self, say: &Node) {
        let text = say.text.clone();
        self.note(|c| c.said.push(text.clone()));
    }

    fn note(&self, change: impl FnOnce(&mut super::calls::PlacedCall)) {
        if let Some(call) = self.shared.calls.lock().get_mut(&self.sid) {
            change(call);
        }
        self.shared.changed().notify_waiters();
    }

    /// An absolute URL, or one relative to the current document's (none for inline TwiML:
    /// error 11200, as Twilio cannot fetch it).
    fn resolve(&self, base: Option<&str>, url: &str) -> Option<String> {
        let resolved = match reqwest::Url::parse(url) {
            Ok(u) => Some(u),
            Err(_) => base.and_then(|b| reqwest::Url::parse(b).ok()?.join(url).ok()),
        };
        if resolved.is_none() {
            self.note(|c| c.errors.push(11200));
        }
        resolved.map(String::from)
    }

    /// POSTs to `url` (signed, `in-progress` and `extra`) and reads the TwiML it answers.
    async fn fetch(&mut self, url: &str, extra: Vec<(String, String)>) -> Option<(Option<String>, Node)> {
        let mut params = self.base("in-progress");
        params.extend(extra);
        match post(&self.shared, url, &params).await {
            Some((200, body)) => self.read(Some(url.to_owned()), body),
            _ => {
                self.note(|c| c.errors.push(11200));
                None
            }
        }
    }

    fn read(&self, base: Option<String>, doc: String) -> Option<(Option<String>, Node)> {
        self.note(|c| c.documents.push(doc.clone()));
        match twiml::parse(&doc) {
            Ok(root) => Some((base, root)),
            Err(e) => {
                self.note(|c| c.errors.push(e.code()));
                None
            }
        }
    }
}

/// POSTs one signed form; the status and body, or None on a connection error or timeout.
async fn post(shared: &Shared, url: &str, params: &[(String, String)]) -> Option<(u16, String)> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let response = shared
        .http
        .post(url)
        .header("X-Twilio-Signature", sign(&shared.config.auth_token, url, params))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    Some((status, response.text().await.unwrap_or_default()))
}
