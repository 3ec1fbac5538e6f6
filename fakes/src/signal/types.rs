//! Public value types of the fake signal-cli daemon: configuration, scripted per-recipient
//! outcomes and the records tests assert on. Plain data; the only behaviour here is the
//! documented defaults.

use std::time::Duration;

/// How the fake daemon is set up. Build with [`FakeSignalConfig::new`] and adjust the fields.
#[derive(Clone, Debug)]
pub struct FakeSignalConfig {
    /// The account the daemon runs for (`signal-cli -a +NUMBER daemon`). A request whose
    /// `params.account` names another account is refused with -32602, and so is
    /// `GET /api/v1/events?account=` with another account (400).
    pub account: String,
    /// Delay before answering `send` (default 5 ms; the real daemon takes hundreds of ms).
    /// The message is sent (recorded, receipts scheduled) *before* this delay, so a client
    /// that gives up early has still caused the send, as with the real daemon.
    pub send_latency: Duration,
    /// Delay, counted from the `send` answer, before each SUCCESS recipient's delivery
    /// receipt envelope (default 30 ms).
    pub receipt_delay: Duration,
    /// Also emit a read receipt `receipt_delay` after the delivery receipt (default false).
    pub read_receipts: bool,
    /// After this many SUCCESS recipient sends within a rolling minute, further recipients
    /// get `RATE_LIMIT_FAILURE` with `retryAfterSeconds` (default `None` = unlimited).
    pub rate_limit_per_minute: Option<u32>,
    /// Interval of the SSE keep-alive comment (default 15 s, as signal-cli; shorten in tests).
    pub keepalive: Duration,
    /// Answer as a daemon started with `-a NUMBER` really does: `listAccounts` (a
    /// multi-account command) is -32601 "Method not implemented". Default false: it lists
    /// `account`, as a multi-account daemon running only that account would.
    pub single_account: bool,
}

impl FakeSignalConfig {
    pub fn new(account: &str) -> Self {
        Self {
            account: account.to_owned(),
            send_latency: Duration::from_millis(5),
            receipt_delay: Duration::from_millis(30),
            read_receipts: false,
            rate_limit_per_minute: None,
            keepalive: Duration::from_secs(15),
            single_account: false,
        }
    }
}

/// What happens to a message for one recipient (number or ACI uuid). Default `Success`.
#[derive(Clone, Debug, PartialEq)]
pub enum SignalOutcome {
    /// `SUCCESS`, then a delivery receipt envelope (and a read receipt if configured).
    Success,
    /// Not on Signal. Alone in a call: JSON-RPC error -1 "The user <recipient> is not
    /// registered." with `data: null` (signal-cli's `UnregisteredRecipientException` path).
    /// Among other recipients: `UNREGISTERED_FAILURE` in `results` (address `uuid: null`).
    Unregistered,
    /// `IDENTITY_FAILURE` (safety number changed). All recipients so -> error -4.
    IdentityFailure,
    /// `RATE_LIMIT_FAILURE` with `retryAfterSeconds` and, if given, the challenge `token`.
    /// All recipients so -> error -5.
    RateLimited {
        retry_after_s: u64,
        token: Option<String>,
    },
    /// `NETWORK_FAILURE`. All failed otherwise -> error -1 "Failed to send message".
    NetworkFailure,
}

/// One `send` call that produced a result (at least one SUCCESS), as tests see it.
#[derive(Clone, Debug)]
pub struct SignalSent {
    /// The message timestamp returned to the client (the id receipts refer to).
    pub timestamp: i64,
    /// Recipients as the client named them (deduplicated, in request order).
    pub recipients: Vec<String>,
    pub message: String,
    /// `(recipient as named, result type)`, e.g. `("+13235550199", "SUCCESS")`.
    pub results: Vec<(String, String)>,
}
