//! Public value types of the fake Twilio: configuration, scripted outcomes and the records
//! tests assert on. Plain data; the only behaviour here is the documented defaults.

use std::time::{Duration, Instant};

/// How the fake is set up. Build with [`FakeTwilioConfig::new`], then adjust the public fields
/// or chain the setters below.
#[derive(Clone, Debug)]
pub struct FakeTwilioConfig {
    /// `AC` + 32 hex. Must match the basic-auth user and the SID in the REST path.
    pub account_sid: String,
    /// Basic-auth password, and the key for signing status callbacks and inbound webhooks.
    pub auth_token: String,
    /// Our Twilio numbers; a `From` outside this list is refused with 21606.
    pub numbers: Vec<String>,
    /// The only `MessagingServiceSid` accepted (any other is refused with 21606).
    pub messaging_service_sid: Option<String>,
    /// REST requests in flight above this answer 429 / 20429.
    pub max_concurrent: usize,
    /// Messages accepted per rolling second across the account; beyond, 429 / 20429.
    pub max_mps: Option<u32>,
    /// Delay before the first status callback, and between consecutive ones.
    pub callback_delay: Duration,
    /// `false`: a created message stays at its first status and no callback is posted (a
    /// carrier that never reports back). For benchmarks, which should time tocsin, not this.
    pub status_callbacks: bool,
    /// The SMS webhook every number (and the Messaging Service) posts to until a test sets
    /// another; "" (Twilio's "not set") by default.
    pub sms_url: String,
    /// The Account resource's `status`: `active`, `suspended` or `closed`.
    pub account_status: String,
}

impl FakeTwilioConfig {
    /// Defaults: no messaging service, `max_concurrent` 4, unlimited MPS, 20 ms callback delay.
    pub fn new(account_sid: &str, auth_token: &str, numbers: &[&str]) -> Self {
        Self {
            account_sid: account_sid.to_owned(),
            auth_token: auth_token.to_owned(),
            numbers: numbers.iter().map(|n| (*n).to_owned()).collect(),
            messaging_service_sid: None,
            max_concurrent: 4,
            max_mps: None,
            callback_delay: Duration::from_millis(20),
            status_callbacks: true,
            sms_url: String::new(),
            account_status: "active".to_owned(),
        }
    }

    /// The SMS webhook the numbers point at, as configured in Twilio's console.
    pub fn sms_url(mut self, url: &str) -> Self {
        self.sms_url = url.to_owned();
        self
    }

    /// At most `n` REST requests in flight (`usize::MAX`: no limit).
    pub fn max_concurrent(mut self, n: usize) -> Self {
        self.max_concurrent = n;
        self
    }

    /// At most `mps` messages accepted per rolling second (`None`: no limit).
    pub fn max_mps(mut self, mps: Option<u32>) -> Self {
        self.max_mps = mps;
        self
    }

    /// Whether created messages move on and post status callbacks (default: yes).
    pub fn status_callbacks(mut self, on: bool) -> Self {
        self.status_callbacks = on;
        self
    }
}

/// What happens to a message sent to a given recipient. Scripted per number; default `Delivered`.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Callbacks `sent`, then `delivered`.
    Delivered,
    /// Callbacks `sent`, then `undelivered` with this `ErrorCode` (e.g. 30003).
    Undelivered(u32),
    /// Callback `failed` with this `ErrorCode` (e.g. 30008).
    Failed(u32),
    /// Callback `sent` only: the carrier never returns a delivery receipt.
    NoReceipt,
    /// Synchronous 400 with this code (21211, 21408, 21610, 21612, 21614…); nothing is created.
    Reject(u32),
}

/// Order in which status callbacks are posted. Real Twilio does not guarantee order and may
/// repeat a callback (PROTOCOLS §3.5); these modes let tests prove tocsin copes.
/// The message's stored status always follows the true order (it never regresses).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum CallbackMode {
    /// `sent` then the terminal status, as they happen.
    #[default]
    InOrder,
    /// The same callbacks, posted last-first (e.g. `delivered` before `sent`).
    Reversed,
    /// Every callback is posted twice in a row.
    Duplicated,
}

/// A message the fake created (a 201 answer), as tests see it.
#[derive(Clone, Debug)]
pub struct SentMessage {
    pub sid: String,
    pub to: String,
    /// `From` as requested; `None` when sent through a Messaging Service only.
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
    pub body: String,
    pub status_callback: Option<String>,
    pub validity_period: Option<u32>,
    /// The latest status the fake has moved the message to.
    pub status: String,
    /// Segments per PROTOCOLS §9 (see [`crate::segments`]).
    pub num_segments: u32,
    /// When the fake accepted it (taken under the lock that orders acceptances, so later
    /// messages never have earlier times); benchmarks time sends with it.
    pub accepted_at: Instant,
}

/// One status callback the fake posted.
#[derive(Clone, Debug)]
pub struct CallbackRecord {
    pub url: String,
    /// Form parameters in the order they were sent.
    pub params: Vec<(String, String)>,
    /// HTTP status tocsin answered; `None` = connection error or timeout.
    pub response_status: Option<u16>,
}

/// How an inbound webhook is signed, to test tocsin's signature check.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Signing {
    /// Correct `X-Twilio-Signature` over the exact URL and body.
    Valid,
    /// No `X-Twilio-Signature` header at all.
    Missing,
    /// Signed with a different auth token.
    Wrong,
    /// Signed correctly, then `Body` changed before sending.
    Tampered,
}

/// What tocsin answered to an inbound webhook.
#[derive(Clone, Debug)]
pub struct InboundReply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
    /// The `MessageSid` that was posted (fresh unless given).
    pub message_sid: String,
}
