//! A fake Twilio on 127.0.0.1 that behaves like the real one (PROTOCOLS §1–4, §8.1): basic
//! auth, Twilio's validation codes and error bodies, the §3.2 resource, concurrency and MPS
//! limits, scripted outcomes, signed status callbacks, and signed inbound SMS webhooks.
//! [`FakeTwilio`] is the handle tests hold; cloning it is cheap and every clone sees the same
//! fake. The server stops when the last clone is dropped (or its runtime shuts down).

mod account;
mod callbacks;
mod calls;
mod dialing;
mod error;
mod inbound;
mod recordings;
mod resource;
mod rest;
mod say_voices;
mod segments;
mod send;
mod signature;
mod state;
mod twiml;
mod types;
mod voice_inbound;
mod voice_run;
mod voice_types;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::AbortHandle;
use tokio::time::Instant;

pub use calls::{Pickup, PlacedCall};
pub use inbound::InboundSender;
pub use segments::segments;
pub use signature::sign;
pub use types::{
    CallbackMode, CallbackRecord, FakeTwilioConfig, InboundReply, Outcome, SentMessage, Signing,
};
pub use voice_types::{
    tone_wav, CallRecord, CallScript, DialAnswer, DialRecord, RecordingInfo, Said, Step, VoiceRequest,
};

use state::Shared;

/// Aborts the server task when the last [`FakeTwilio`] clone goes away.
struct ServerTask(AbortHandle);

impl Drop for ServerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Handle to a running fake Twilio.
#[derive(Clone)]
pub struct FakeTwilio {
    shared: Arc<Shared>,
    inbound: InboundSender,
    addr: SocketAddr,
    _server: Arc<ServerTask>,
}

impl FakeTwilio {
    /// Binds `127.0.0.1:0` and serves in a tokio task.
    pub async fn start(config: FakeTwilioConfig) -> anyhow::Result<FakeTwilio> {
        Self::start_on(config, 0).await
    }

    /// Like [`FakeTwilio::start`] on a chosen port (0 = any); for the demo binary.
    pub async fn start_on(config: FakeTwilioConfig, port: u16) -> anyhow::Result<FakeTwilio> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let inbound = InboundSender::new(
            &config.account_sid,
            &config.auth_token,
            config.messaging_service_sid.as_deref(),
        )?;
        let shared = Arc::new(Shared::new(config, inbound::twilio_http_client()?));
        let app = rest::router(shared.clone());
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "fake Twilio server stopped");
            }
        });
        Ok(FakeTwilio {
            shared,
            inbound,
            addr,
            _server: Arc::new(ServerTask(server.abort_handle())),
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash: tocsin's `twilio.api_base`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every message created (201), in creation order, with current statuses.
    pub fn messages(&self) -> Vec<SentMessage> {
        self.shared
            .lock()
            .messages
            .iter()
            .map(|m| m.public.clone())
            .collect()
    }

    /// How many messages were created, without copying them.
    pub fn message_count(&self) -> usize {
        self.shared.lock().messages.len()
    }

    pub fn messages_to(&self, to: &str) -> Vec<SentMessage> {
        self.messages().into_iter().filter(|m| m.to == to).collect()
    }

    /// `(http status, twilio code)` of every refused REST request, in order.
    pub fn rejected(&self) -> Vec<(u16, u32)> {
        self.shared.lock().rejected.clone()
    }

    /// Every status callback posted, in the order the posts completed.
    pub fn callbacks(&self) -> Vec<CallbackRecord> {
        self.shared.lock().callbacks.clone()
    }

    /// Returns as soon as at least `n` messages exist; on timeout returns what there is.
    pub async fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<SentMessage> {
        self.wait_until(timeout, || self.messages(), |m| m.len() >= n)
            .await
    }

    /// Waits until at least `n` messages exist, or until none was created for `idle` (the
    /// sender stalled); returns whether all `n` came. For long runs (benchmarks): it never
    /// gives up while messages keep coming, and copies none.
    pub async fn wait_for_count(&self, n: usize, idle: Duration) -> bool {
        let mut seen = self.message_count();
        let mut deadline = Instant::now() + idle;
        loop {
            let changed = self.shared.changed().notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let now = self.message_count();
            if now >= n {
                return true;
            }
            if now > seen {
                seen = now;
                deadline = Instant::now() + idle;
            }
            // Counts only grow: the same count after the wait means no progress for `idle`.
            if tokio::time::timeout_at(deadline, changed).await.is_err() && self.message_count() == seen {
                return false;
            }
        }
    }

    /// Returns as soon as at least `n` callbacks were posted; on timeout returns what there is.
    pub async fn wait_for_callbacks(&self, n: usize, timeout: Duration) -> Vec<CallbackRecord> {
        self.wait_until(timeout, || self.callbacks(), |c| c.len() >= n)
            .await
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

    /// Scripts what happens to later sends to `to`.
    pub fn set_outcome(&self, to: &str, outcome: Outcome) {
        self.shared.lock().outcomes.insert(to.to_owned(), outcome);
    }

    /// The recipient texted STOP: later sends to `to` answer 400 / 21610.
    pub fn opt_out(&self, to: &str) {
        self.shared.lock().opted_out.insert(to.to_owned());
    }

    /// The recipient texted START: sends to `to` are accepted again.
    pub fn opt_in(&self, to: &str) {
        self.shared.lock().opted_out.remove(to);
    }

    /// The next `n` sends answer `http_status` with code 20500 and create nothing.
    pub fn fail_next(&self, n: usize, http_status: u16) {
        let mut inner = self.shared.lock();
        inner.fail_next = n;
        inner.fail_status = http_status;
    }

    /// Delay added before answering each REST request (the request stays in flight meanwhile).
    pub fn set_latency(&self, latency: Duration) {
        self.shared.lock().latency = latency;
    }

    pub fn set_max_mps(&self, mps: Option<u32>) {
        self.shared.lock().max_mps = mps;
    }

    /// Order in which later messages' status callbacks are posted.
    pub fn set_callback_mode(&self, mode: CallbackMode) {
        self.shared.lock().callback_mode = mode;
    }

    /// Points `number`'s SMS webhook at `url` (as an operator would in Twilio's console).
    pub fn set_sms_url(&self, number: &str, url: &str) {
        self.shared
            .lock()
            .sms_urls
            .insert(number.to_owned(), url.to_owned());
    }

    /// Points the Messaging Service's inbound request URL at `url`.
    pub fn set_service_inbound_url(&self, url: &str) {
        self.shared.lock().service_inbound_url = Some(url.to_owned());
    }

    /// Posts an inbound SMS webhook to `url` (the URL configured in Twilio = what is signed).
    pub async fn send_inbound_sms(
        &self,
        url: &str,
        from: &str,
        to: &str,
        body: &str,
        signing: Signing,
    ) -> anyhow::Result<InboundReply> {
        self.inbound.send(url, from, to, body, None, signing).await
    }

    /// An inbound SMS with parameters a configured account adds (e.g. `OptOutType`).
    pub async fn send_inbound_sms_with(
        &self,
        url: &str,
        from: &str,
        to: &str,
        body: &str,
        extra: &[(&str, &str)],
        signing: Signing,
    ) -> anyhow::Result<InboundReply> {
        self.inbound
            .send_with(url, from, to, body, None, extra, signing)
            .await
    }

    /// Same with an explicit `MessageSid`, to simulate a redelivery.
    pub async fn send_inbound_sms_with_sid(
        &self,
        url: &str,
        from: &str,
        to: &str,
        body: &str,
        message_sid: &str,
        signing: Signing,
    ) -> anyhow::Result<InboundReply> {
        self.inbound
            .send(url, from, to, body, Some(message_sid), signing)
            .await
    }
}
