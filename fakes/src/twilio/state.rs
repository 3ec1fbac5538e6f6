//! Shared state of one fake Twilio: what it has recorded and what tests have scripted.
//! Guarantees: every access goes through one `std::sync::Mutex` that is never held across an
//! `.await`; every change that a waiter may care about (message created, status moved,
//! callback recorded) wakes `wait_for_*`; a message's status never moves backwards.
//! Nothing on the send path scans the messages: a SID finds its message through an index, so
//! a fake that has taken 100,000 messages answers as fast as a fresh one (benchmarks use it).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use super::error::TwilioError;
use super::types::{CallbackMode, CallbackRecord, FakeTwilioConfig, Outcome, SentMessage};

/// State shared by the HTTP handlers, the callback tasks and the test-facing handle.
pub(crate) struct Shared {
    pub config: FakeTwilioConfig,
    /// `config.numbers` as a set: the `From` check.
    numbers: HashSet<String>,
    /// Client for status callbacks (Twilio-like timeout, no proxy, no redirects).
    pub http: reqwest::Client,
    inner: Mutex<Inner>,
    changed: Notify,
    in_flight: AtomicUsize,
    /// When the fake started: the account's and numbers' creation date.
    pub started: DateTime<Utc>,
    /// Calls (PROTOCOLS §11.3), behind their own lock.
    pub calls: super::calls::CallBook,
}

/// Everything behind the mutex.
pub(crate) struct Inner {
    pub messages: Vec<StoredMessage>,
    /// Position in `messages` of each SID.
    by_sid: HashMap<String, usize>,
    pub rejected: Vec<(u16, u32)>,
    pub callbacks: Vec<CallbackRecord>,
    pub outcomes: HashMap<String, Outcome>,
    pub opted_out: HashSet<String>,
    /// Remaining scripted failures and the HTTP status they answer with.
    pub fail_next: usize,
    pub fail_status: u16,
    pub latency: Duration,
    pub max_mps: Option<u32>,
    /// When recently accepted messages were accepted (rolling one-second window).
    pub window: VecDeque<Instant>,
    pub callback_mode: CallbackMode,
    /// A number's SMS webhook as set by a test (else `config.sms_url`).
    pub sms_urls: HashMap<String, String>,
    /// The Messaging Service's inbound URL as set by a test (else `config.sms_url`).
    pub service_inbound_url: Option<String>,
    /// Calls to our numbers, dialled phones and recordings (`voice_inbound`).
    pub hotline: super::voice_inbound::Hotline,
}

/// A created message with the fields the JSON resource needs beyond [`SentMessage`].
#[derive(Clone, Debug)]
pub(crate) struct StoredMessage {
    pub public: SentMessage,
    /// The number the message leaves from: `From`, or a pool pick for a service-only send.
    pub sender: Option<String>,
    pub num_media: u32,
    pub error_code: Option<u32>,
    pub date_created: DateTime<Utc>,
    pub date_sent: Option<DateTime<Utc>>,
    pub date_updated: DateTime<Utc>,
}

/// Progress rank of a status, so that late or reordered updates never move a message back.
fn rank(status: &str) -> u8 {
    match status {
        "accepted" | "scheduled" | "queued" => 0,
        "sending" => 1,
        "sent" => 2,
        _ => 3, // delivered, undelivered, failed, canceled…
    }
}

/// Counts one in-flight REST request; released on drop (also when the client disconnects
/// and axum drops the handler future).
pub(crate) struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shared {
    pub fn new(config: FakeTwilioConfig, http: reqwest::Client) -> Self {
        let inner = Inner {
            messages: Vec::new(),
            by_sid: HashMap::new(),
            rejected: Vec::new(),
            callbacks: Vec::new(),
            outcomes: HashMap::new(),
            opted_out: HashSet::new(),
            fail_next: 0,
            fail_status: 500,
            latency: Duration::ZERO,
            max_mps: config.max_mps,
            window: VecDeque::new(),
            callback_mode: CallbackMode::default(),
            sms_urls: HashMap::new(),
            service_inbound_url: None,
            hotline: Default::default(),
        };
        Self {
            numbers: config.numbers.iter().cloned().collect(),
            config,
            http,
            inner: Mutex::new(inner),
            changed: Notify::new(),
            in_flight: AtomicUsize::new(0),
            started: Utc::now(),
            calls: Default::default(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every change under the lock is a single push or field write: a panic elsewhere while
        // it was held leaves nothing half-done, so carry on rather than fail every later call.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `number` is one of ours (a `From` tocsin may use).
    pub fn is_our_number(&self, number: &str) -> bool {
        self.numbers.contains(number)
    }

    /// Notified whenever messages, statuses or callbacks change.
    pub fn changed(&self) -> &Notify {
        &self.changed
    }

    fn notify(&self) {
        self.changed.notify_waiters();
    }

    /// Admits one more in-flight REST request, or `None` if `max_concurrent` are already in flight.
    pub fn try_enter(&self) -> Option<InFlight<'_>> {
        let before = self.in_flight.fetch_add(1, Ordering::SeqCst);
        let guard = InFlight(&self.in_flight);
        (before < self.config.max_concurrent).then_some(guard)
    }

    pub fn record_rejection(&self, error: &TwilioError) {
        self.lock().rejected.push((error.status, error.code));
    }

    /// Consumes one scripted failure, returning the HTTP status to answer with.
    pub fn take_failure(&self) -> Option<u16> {
        let mut inner = self.lock();
        (inner.fail_next > 0).then(|| {
            inner.fail_next -= 1;
            inner.fail_status
        })
    }

    /// Stores a new message unless that would exceed `max_mps` in the last second, and stamps
    /// its `accepted_at`. Checking and inserting under one lock keeps concurrent sends from
    /// both slipping in, and acceptance times in the order of `messages`.
    pub fn admit(&self, mut message: StoredMessage) -> Result<(), TwilioError> {
        let mut inner = self.lock();
        let now = Instant::now();
        while inner
            .window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            inner.window.pop_front();
        }
        if let Some(mps) = inner.max_mps {
            if inner.window.len() >= mps as usize {
                return Err(TwilioError::too_many_requests());
            }
        }
        inner.window.push_back(now);
        message.public.accepted_at = now;
        let position = inner.messages.len();
        inner.by_sid.insert(message.public.sid.clone(), position);
        inner.messages.push(message);
        drop(inner);
        self.notify();
        Ok(())
    }

    pub fn find(&self, sid: &str) -> Option<StoredMessage> {
        let inner = self.lock();
        let position = *inner.by_sid.get(sid)?;
        inner.messages.get(position).cloned()
    }

    /// Moves a message to `status` (unless it is already further along) and returns it.
    pub fn advance(&self, sid: &str, status: &str, error_code: Option<u32>) -> Option<StoredMessage> {
        let mut inner = self.lock();
        let position = *inner.by_sid.get(sid)?;
        let message = inner.messages.get_mut(position)?;
        if rank(status) >= rank(&message.public.status) {
            let now = Utc::now();
            message.public.status = status.to_owned();
            message.error_code = error_code.or(message.error_code);
            message.date_updated = now;
            if status != "failed" {
                // A failed message never left Twilio, so it keeps `date_sent: null`.
                message.date_sent.get_or_insert(now);
            }
        }
        let snapshot = message.clone();
        drop(inner);
        self.notify();
        Some(snapshot)
    }

    pub fn push_callback(&self, record: CallbackRecord) {
        self.lock().callbacks.push(record);
        self.notify();
    }
}
