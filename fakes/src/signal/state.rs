//! Shared state of one fake signal-cli daemon: recordings, scripts, the Signal-user registry,
//! the message clock, the rate-limit window and the connected SSE clients.
//! Guarantees: one `std::sync::Mutex`, never held across an `.await`; every change a waiter
//! may care about (send recorded, subscriber connected or gone) wakes `changed()`; message
//! timestamps are strictly increasing; an event reaches exactly the clients connected when it
//! is emitted (nothing is queued for absent clients, as with the real daemon).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use sha1::{Digest, Sha1};
use tokio::sync::{mpsc, Notify};

use super::types::{FakeSignalConfig, SignalOutcome, SignalSent};

/// A Signal address as signal-cli reports it (`recipientAddress`, envelope source).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Address {
    pub number: Option<String>,
    pub uuid: Option<String>,
}

impl Address {
    /// signal-cli's legacy identifier (`source`): the number if known, else the uuid.
    pub fn legacy(&self) -> Option<String> {
        self.number.clone().or_else(|| self.uuid.clone())
    }
}

pub(crate) struct Shared {
    pub config: FakeSignalConfig,
    inner: Mutex<Inner>,
    changed: Notify,
}

pub(crate) struct Inner {
    pub sent: Vec<SignalSent>,
    pub rpc_log: Vec<serde_json::Value>,
    pub outcomes: HashMap<String, SignalOutcome>,
    /// Registered Signal users: number -> uuid and uuid -> number.
    pub uuid_of: HashMap<String, String>,
    pub number_of: HashMap<String, String>,
    subscribers: Vec<(u64, mpsc::UnboundedSender<Bytes>)>,
    next_subscriber: u64,
    last_timestamp: i64,
    /// When recent SUCCESS recipient sends happened (rolling one-minute window).
    pub sends_window: VecDeque<Instant>,
}

/// `8-4-4-4-12` hex digits: an ACI as signal-cli prints it.
pub(crate) fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A stable uuid for a number nobody registered explicitly (same number, same uuid, always).
pub(crate) fn derived_uuid(number: &str) -> String {
    let mut digest = Sha1::digest(format!("tocsin-fake-signal:{number}").as_bytes()).to_vec();
    digest[6] = (digest[6] & 0x0f) | 0x40; // version 4 layout
    digest[8] = (digest[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Exactly signal-cli's SSE frame for one event (`ServerSentEventSender.sendEvent`).
/// `payload` must be one line of JSON (compact serde_json output always is).
pub(crate) fn sse_frame(payload: &str) -> Bytes {
    Bytes::from(format!("event:receive\ndata:{payload}\n\n"))
}

impl Shared {
    pub fn new(config: FakeSignalConfig) -> Self {
        let inner = Inner {
            sent: Vec::new(),
            rpc_log: Vec::new(),
            outcomes: HashMap::new(),
            uuid_of: HashMap::new(),
            number_of: HashMap::new(),
            subscribers: Vec::new(),
            next_subscriber: 0,
            last_timestamp: 0,
            sends_window: VecDeque::new(),
        };
        Self {
            config,
            inner: Mutex::new(inner),
            changed: Notify::new(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the data half-updated in a way that
        // matters to a test double, so recover instead of cascading the panic.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn changed(&self) -> &Notify {
        &self.changed
    }

    pub fn notify(&self) {
        self.changed.notify_waiters();
    }

    /// Sends `payload` (one-line JSON) as one SSE event to every client connected now;
    /// returns how many got it.
    pub fn broadcast(&self, payload: &str) -> usize {
        let frame = sse_frame(payload);
        let mut inner = self.lock();
        let before = inner.subscribers.len();
        inner.subscribers.retain(|(_, tx)| tx.send(frame.clone()).is_ok());
        let delivered = inner.subscribers.len();
        drop(inner);
        if delivered != before {
            self.notify();
        }
        delivered
    }

    pub fn subscribe(&self) -> (u64, mpsc::UnboundedReceiver<Bytes>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut inner = self.lock();
        let id = inner.next_subscriber;
        inner.next_subscriber += 1;
        inner.subscribers.push((id, tx));
        drop(inner);
        self.notify();
        (id, rx)
    }

    pub fn unsubscribe(&self, id: u64) {
        self.lock().subscribers.retain(|(sid, _)| *sid != id);
        self.notify();
    }

    /// Ends every SSE stream (after the events already queued for it).
    pub fn drop_subscribers(&self) {
        self.lock().subscribers.clear();
        self.notify();
    }

    pub fn subscriber_count(&self) -> usize {
        self.lock()
            .subscribers
            .iter()
            .filter(|(_, tx)| !tx.is_closed())
            .count()
    }
}

impl Inner {
    /// A fresh message timestamp: wall-clock ms, but always above the previous one.
    pub fn next_timestamp(&mut self) -> i64 {
        let ts = now_ms().max(self.last_timestamp + 1);
        self.last_timestamp = ts;
        ts
    }

    /// The address signal-cli would report for a recipient named by number or uuid.
    pub fn resolve(&self, identifier: &str) -> Address {
        if is_uuid(identifier) {
            let uuid = identifier.to_ascii_lowercase();
            Address {
                number: self.number_of.get(&uuid).cloned(),
                uuid: Some(uuid),
            }
        } else {
            let uuid = self.uuid_of.get(identifier).cloned();
            Address {
                number: Some(identifier.to_owned()),
                uuid: Some(uuid.unwrap_or_else(|| derived_uuid(identifier))),
            }
        }
    }

    pub fn is_registered(&self, address: &Address) -> bool {
        address
            .number
            .as_ref()
            .is_some_and(|n| self.uuid_of.contains_key(n))
            || address
                .uuid
                .as_ref()
                .is_some_and(|u| self.number_of.contains_key(u))
    }

    /// The scripted outcome for a recipient, looked up by the name used, its number, its uuid.
    pub fn outcome(&self, identifier: &str, address: &Address) -> SignalOutcome {
        [
            Some(identifier),
            address.number.as_deref(),
            address.uuid.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find_map(|key| self.outcomes.get(key).cloned())
        .unwrap_or(SignalOutcome::Success)
    }

    /// Admits one SUCCESS send under `limit` per rolling minute, or returns the seconds
    /// until a slot frees up (ceil, at least 1).
    pub fn admit_send(&mut self, limit: Option<u32>) -> Result<(), u64> {
        let Some(limit) = limit else { return Ok(()) };
        let now = Instant::now();
        let minute = Duration::from_secs(60);
        while self
            .sends_window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= minute)
        {
            self.sends_window.pop_front();
        }
        if self.sends_window.len() >= limit as usize {
            let oldest = self.sends_window.front().copied().unwrap_or(now);
            let wait = minute.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_millis().div_ceil(1000).max(1) as u64);
        }
        self.sends_window.push_back(now);
        Ok(())
    }
}
