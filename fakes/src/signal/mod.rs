//! A fake signal-cli JSON-RPC daemon (`signal-cli -a +NUMBER daemon --http`) on 127.0.0.1
//! that behaves like the real one (PROTOCOLS §6, §8.2): HTTP status codes and the `Host`
//! check, JSON-RPC 2.0 framing and error codes, `send` with per-recipient results, scripted
//! outcomes and a rate limiter, receipts and inbound messages on a byte-exact SSE stream that
//! queues nothing for absent clients, and "daemon down"/restart on the same port.
//! [`FakeSignal`] is the handle tests hold; clones are cheap and share one fake. The server
//! goes down when the last clone is dropped.

mod envelope;
mod events;
mod methods;
mod rpc;
mod send;
mod server;
mod state;
mod types;

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

pub use types::{FakeSignalConfig, SignalOutcome, SignalSent};

use server::Server;
use state::Shared;

/// Handle to a running fake signal-cli daemon.
#[derive(Clone)]
pub struct FakeSignal {
    shared: Arc<Shared>,
    server: Arc<Server>,
}

impl FakeSignal {
    /// Binds `127.0.0.1:0` and serves in tokio tasks.
    pub async fn start(config: FakeSignalConfig) -> anyhow::Result<FakeSignal> {
        let shared = Arc::new(Shared::new(config));
        let server = Arc::new(Server::start(shared.clone()).await?);
        Ok(FakeSignal { shared, server })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash: tocsin's `signal.rpc_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The account the daemon runs for.
    pub fn account(&self) -> String {
        self.shared.config.account.clone()
    }

    /// Every `send` call that produced a result (all or some recipients SUCCESS), in order.
    pub fn sent(&self) -> Vec<SignalSent> {
        self.shared.lock().sent.clone()
    }

    /// The calls in which `recipient` (a number or uuid, either naming the same user) got SUCCESS.
    pub fn sent_to(&self, recipient: &str) -> Vec<SignalSent> {
        let inner = self.shared.lock();
        let target = inner.resolve(recipient);
        inner
            .sent
            .iter()
            .filter(|call| {
                call.results.iter().any(|(name, kind)| {
                    kind == "SUCCESS" && (name == recipient || inner.resolve(name) == target)
                })
            })
            .cloned()
            .collect()
    }

    /// Returns as soon as at least `n` calls are recorded; on timeout returns what there is.
    pub async fn wait_for_sent(&self, n: usize, timeout: Duration) -> Vec<SignalSent> {
        self.wait_until(timeout, || self.sent(), |s| s.len() >= n).await
    }

    /// Every JSON-RPC request object received, in order (each element of a batch separately;
    /// bodies that are not JSON at all are not logged).
    pub fn rpc_log(&self) -> Vec<serde_json::Value> {
        self.shared.lock().rpc_log.clone()
    }

    /// Scripts what later messages to `recipient` (number or uuid) do.
    pub fn set_outcome(&self, recipient: &str, outcome: SignalOutcome) {
        self.shared.lock().outcomes.insert(recipient.to_owned(), outcome);
    }

    /// Makes `number` a known Signal user with ACI `uuid` (for `getUserStatus`, envelopes,
    /// and sending by uuid). Other numbers get a stable derived uuid but are "not registered".
    pub fn register(&self, number: &str, uuid: &str) {
        let uuid = uuid.to_ascii_lowercase();
        let mut inner = self.shared.lock();
        inner.uuid_of.insert(number.to_owned(), uuid.clone());
        inner.number_of.insert(uuid, number.to_owned());
    }

    /// An inbound text from `from_number`: a receive envelope with `dataMessage` to every SSE
    /// client connected now. With none connected the event is lost (as with the real daemon).
    /// Returns the envelope timestamp.
    pub fn incoming(&self, from_number: &str, text: &str) -> i64 {
        let timestamp = self.shared.lock().next_timestamp();
        self.incoming_with_timestamp(from_number, text, timestamp)
    }

    /// Same with an explicit timestamp, e.g. to redeliver an earlier message.
    pub fn incoming_with_timestamp(&self, from_number: &str, text: &str, timestamp: i64) -> i64 {
        let from = self.shared.lock().resolve(from_number);
        let line = envelope::data_message(&self.shared.config.account, &from, text, timestamp);
        self.shared.broadcast(&line);
        timestamp
    }

    /// Emits an arbitrary payload (`{"account":…,"envelope":…}`, with `exception`, typing,
    /// sync or receipt noise…) as one event to the connected clients.
    pub fn incoming_raw(&self, json: serde_json::Value) {
        self.shared.broadcast(&json.to_string());
    }

    /// SSE clients connected now.
    pub fn subscribers(&self) -> usize {
        self.shared.subscriber_count()
    }

    /// Returns true as soon as at least `n` SSE clients are connected; false on timeout.
    pub async fn wait_for_subscribers(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, || self.subscribers(), |c| *c >= n).await >= n
    }

    /// "Daemon down": the port refuses connections, open connections and SSE streams are cut.
    pub fn go_down(&self) {
        self.server.go_down();
        self.shared.drop_subscribers();
    }

    /// Listens again on the same port (no-op if already up).
    pub async fn come_back(&self) -> anyhow::Result<()> {
        self.server.come_back().await
    }

    /// Ends every SSE stream (a daemon restart as a client sees it); keeps listening.
    pub fn drop_streams(&self) {
        self.shared.drop_subscribers();
    }

    async fn wait_until<T>(&self, timeout: Duration, read: impl Fn() -> T, done: impl Fn(&T) -> bool) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            // Register for the wake-up *before* reading, so a change in between is not missed.
            let changed = self.shared.changed().notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let value = read();
            if done(&value) || tokio::time::timeout_at(deadline, changed).await.is_err() {
                return value;
            }
        }
    }
}
