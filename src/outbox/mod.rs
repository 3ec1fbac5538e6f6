//! The outbox: claims due deliveries with a lease, hands each to its channel's provider outside
//! any transaction, and records what happened. Guarantees: every delivery is tried until it is
//! taken, fails permanently, or its alert goes stale; a delivery is sent twice only when the
//! process died between the provider's answer and our write, or a provider's answer was lost
//! (a timeout after it had taken the message). A Signal delivery that Signal cannot take, or
//! not within `signal.failover_after_s`, is replaced by an SMS delivery, once.
//!
//! Map: `policy` decides what a try's outcome means (pure); `deliver` sends one claimed
//! delivery and applies that decision; `worker` is the long-running loop; `run_pending`
//! here is one pass that tests and tools can step. Providers come from a
//! `channels::Registry`: nothing here names one.

mod deliver;
pub mod pace;
pub mod policy;
pub mod receipts;
mod recorder;
pub mod retry;
mod worker;

#[cfg(test)]
mod channel_tests;
#[cfg(test)]
mod pass_tests;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::channels::{Contact, Registry};
use crate::domain::Channel;
use crate::state::Shared;
use crate::store::now_ms;
use crate::store::outbox::Claimed;

pub use worker::run;

/// Seconds a claim outlives its send's timeout, to record the outcome.
const LEASE_MARGIN_S: u64 = 10;

/// Fast senders: claim what the channel's senders can send in this long, not only one
/// delivery per free permit. Each claim costs queries that grow with the queue, so claiming
/// 4 at a time made a 10,000-volunteer fan-out spend most of its time claiming.
const CLAIM_AHEAD: Duration = Duration::from_millis(250);
const MAX_CLAIM: usize = 256;

/// What one pass did, delivery by delivery.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub claimed: usize,
    pub submitted: usize,
    pub retried: usize,
    pub failed: usize,
    pub opted_out: usize,
    pub stale: usize,
    pub failed_over: usize,
    /// Claims that ran out while waiting to send, or before the outcome was written: another
    /// worker has those deliveries.
    pub taken_over: usize,
    /// Outcomes that could not be written: their lease runs out and they are tried again.
    pub unrecorded: usize,
}

/// Everything the sends share: the providers, each channel's pace, the recorder.
#[derive(Clone)]
pub struct Outbox {
    core: Shared,
    registry: Registry,
    pacers: Arc<BTreeMap<Channel, pace::Pacer>>,
    recorder: recorder::Recorder,
    /// A lease outlives any one send (timeout) with room to record the outcome. It is also how
    /// long a killed process's in-flight sends wait before another worker takes them over.
    lease_ms: i64,
    timeout_s: u64,
}

impl Outbox {
    /// Sets up each registered provider's pace (in the database when it is shared).
    pub async fn new(core: Shared, registry: Registry) -> anyhow::Result<Outbox> {
        let timeout_s = core.settings.twilio.timeout_s.max(core.settings.signal.timeout_s);
        let mut pacers = BTreeMap::new();
        for channel in registry.channels() {
            if let Some(p) = registry.get(channel) {
                pacers.insert(
                    channel,
                    pace::Pacer::new(&core.store, channel, p.senders(), p.mps()).await?,
                );
            }
        }
        Ok(Outbox {
            recorder: recorder::Recorder::start(core.clone()),
            core,
            registry,
            pacers: Arc::new(pacers),
            lease_ms: (timeout_s + LEASE_MARGIN_S) as i64 * 1000,
            timeout_s,
        })
    }

    /// How many deliveries of the channel to claim at once beyond the free permits: what its
    /// senders send in `CLAIM_AHEAD` (0 for slow senders, whose sends wait for slots anyway).
    fn ahead(&self, channel: Channel) -> usize {
        let rate = self.pacers.get(&channel).map_or(0.0, pace::Pacer::rate);
        ((rate * CLAIM_AHEAD.as_secs_f64()) as usize).min(MAX_CLAIM)
    }

    /// Claims up to `limit` due deliveries of one channel, each with where its volunteer can be
    /// reached (None: removed since). If the recipients cannot be read the claims are given back.
    async fn claim(&self, channel: Channel, limit: usize) -> anyhow::Result<Vec<(Claimed, Option<Contact>)>> {
        let store = &self.core.store;
        let batch = store
            .claim_deliveries(&[channel], limit as i64, self.lease_ms, now_ms())
            .await?;
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = batch.iter().map(|d| d.volunteer_id).collect();
        let recipients = match store.recipients_of(&ids).await {
            Ok(r) => r,
            Err(e) => {
                let _ = store.release(&batch).await;
                return Err(anyhow::anyhow!(
                    "reading recipients failed; batch given back: {e}"
                ));
            }
        };
        Ok(batch
            .into_iter()
            .map(|d| {
                let to = recipients
                    .iter()
                    .find(|r| r.id == d.volunteer_id)
                    .map(|r| Contact {
                        phone: r.phone.clone().map_err(|e| e.to_string()),
                        signal: r.signal.clone().map(|s| s.map_err(|e| e.to_string())),
                    });
                (d, to)
            })
            .collect())
    }

    /// One pass: claims what is due on every channel, sends it, records the outcomes, and
    /// again until nothing is due (a failed-over delivery is due at once). Waits for each
    /// send's pacing slot, so a slow sender makes a long pass.
    pub async fn run_pending(&self) -> anyhow::Result<Pass> {
        let mut pass = Pass::default();
        loop {
            let before = pass.claimed;
            for channel in self.registry.channels() {
                let batch = self.claim(channel, MAX_CLAIM).await?;
                pass.claimed += batch.len();
                let sends = batch.into_iter().map(|(d, to)| self.deliver(d, to));
                for done in futures_util::future::join_all(sends).await {
                    pass.count(done);
                }
            }
            if pass.claimed == before {
                return Ok(pass);
            }
        }
    }
}

/// One pass of the outbox with this instance's configured providers, for tests and tools:
/// what was due is sent (or retried, failed, failed over) when it returns.
pub async fn run_pending_deliveries(core: &Shared) -> anyhow::Result<Pass> {
    let registry = Registry::from(core.channels()?);
    Outbox::new(core.clone(), registry).await?.run_pending().await
}
