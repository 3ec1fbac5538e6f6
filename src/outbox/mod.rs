//! The outbox worker: claims due deliveries with a lease, hands each to its channel outside
//! any transaction, and records what happened. Guarantees: every delivery is tried until it is
//! taken, fails permanently, or its alert goes stale; a delivery is sent twice only when the
//! process died between the provider's answer and our write, or a provider's answer was lost
//! (a timeout after it had taken the message). A Signal delivery that Signal cannot take, or
//! not within `signal.failover_after_s`, is replaced by an SMS delivery, once. Each channel
//! is claimed and sent on its own, with `twilio.concurrency` permits of its own, so that SMS
//! waiting for their sender's rate never hold up Signal deliveries (nor the reverse).

pub mod pace;
pub mod receipts;
mod recorder;
pub mod retry;

#[cfg(test)]
mod channel_tests;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tracing::Instrument;

use crate::app::{Core, Shared, Shutdown};
use crate::channels::signal::SignalClient;
use crate::channels::twilio::TwilioClient;
use crate::channels::{Accepted, Channel, SendError};
use crate::domain::Phone;
use crate::store::now_ms;
use crate::store::outbox::{Claimed, Handed, Recipient};

/// Fallback poll when nobody wakes the worker (retries coming due, other instances).
const POLL: Duration = Duration::from_millis(500);

/// Seconds a claim outlives its send's timeout, to record the outcome.
const LEASE_MARGIN_S: u64 = 10;

/// A claim older than this when its send starts is renewed first.
const RENEW_AFTER_MS: i64 = 1_000;

/// Fast senders: claim what the channel's senders can send in this long, not only one
/// delivery per free permit. Each claim costs queries that grow with the queue, so claiming
/// 4 at a time made a 10,000-volunteer fan-out spend most of its time claiming.
const CLAIM_AHEAD: Duration = Duration::from_millis(250);
const MAX_CLAIM: usize = 256;

/// The providers this instance can send through.
pub struct Channels {
    pub sms: Option<TwilioClient>,
    pub signal: Option<SignalClient>,
}

impl Channels {
    fn names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.sms.is_some() {
            names.push("sms");
        }
        if self.signal.is_some() {
            names.push("signal");
        }
        names
    }
}

/// Each channel's senders and their pace.
struct Pacers {
    sms: Option<pace::Pacer>,
    signal: Option<pace::Pacer>,
    lease_ms: i64,
}

impl Pacers {
    async fn new(core: &Core, channels: &Channels, lease_ms: i64) -> anyhow::Result<Pacers> {
        let sms = match &channels.sms {
            Some(sms) => {
                let senders = sms.senders().to_vec();
                Some(pace::Pacer::new(&core.store, "sms", senders, core.settings.twilio.mps).await?)
            }
            None => None,
        };
        let signal = match (&channels.signal, &core.settings.signal.account) {
            (Some(_), Some(account)) => {
                let senders = vec![account.clone()];
                Some(pace::Pacer::new(&core.store, "signal", senders, core.settings.signal.mps).await?)
            }
            _ => None,
        };
        Ok(Pacers {
            sms,
            signal,
            lease_ms,
        })
    }

    fn of(&self, channel: &str) -> Option<&pace::Pacer> {
        match channel {
            "sms" => self.sms.as_ref(),
            _ => self.signal.as_ref(),
        }
    }

    /// How many deliveries of the channel to claim at once beyond the free permits: what its
    /// senders send in `CLAIM_AHEAD` (0 for slow senders, whose sends wait for slots anyway).
    fn ahead(&self, channel: &str) -> usize {
        let rate = self.of(channel).map_or(0.0, pace::Pacer::rate);
        ((rate * CLAIM_AHEAD.as_secs_f64()) as usize).min(MAX_CLAIM)
    }
}

/// Waits for the channel's next sending slot; the sender to send from, or None when the
/// claim ran out meanwhile and another worker has the delivery.
async fn paced(
    core: &Core,
    pacer: Option<&pace::Pacer>,
    lease_ms: i64,
    d: &Claimed,
) -> anyhow::Result<Option<String>> {
    let sender = match pacer {
        Some(pacer) => {
            let (sender, wait) = pacer.reserve().await?;
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            sender.to_string()
        }
        None => String::new(),
    };
    // Waiting for a permit (deliveries claimed ahead) or a slot eats into the lease, which
    // must still cover the send: renew it. A claim that ran out and was taken over meanwhile
    // (by another instance, or by this one's next claim) is no longer ours: not sent here.
    let claimed_at = d.claimed_until - lease_ms;
    if now_ms() - claimed_at > RENEW_AFTER_MS
        && !core
            .store
            .extend_claim(d.id, d.claimed_until, now_ms() + lease_ms)
            .await?
    {
        return Ok(None);
    }
    Ok(Some(sender))
}

pub async fn run(core: Shared, channels: Arc<Channels>, mut shutdown: Shutdown) {
    // A lease outlives any one send (timeout) with room to record the outcome. It is also how
    // long a killed process's in-flight sends wait before another worker takes them over.
    let timeout_s = core.settings.twilio.timeout_s.max(core.settings.signal.timeout_s);
    let lease_ms = (timeout_s + LEASE_MARGIN_S) as i64 * 1000;
    let pacers = loop {
        match Pacers::new(&core, &channels, lease_ms).await {
            Ok(p) => break Arc::new(p),
            Err(e) => {
                tracing::error!(error = %e, "setting up the senders' pace failed; retrying");
                if !crate::app::wait(&core.outbox_wake, POLL, &mut shutdown).await {
                    return;
                }
            }
        }
    };
    let worker = Worker {
        core: core.clone(),
        channels: channels.clone(),
        pacers,
        recorder: recorder::Recorder::start(core.clone()),
        lease_ms,
        timeout_s,
    };
    // One claim loop per channel, each with its own permits: SMS deliveries waiting for their
    // sender's rate must not hold every permit while Signal deliveries queue behind them.
    let wakes: Vec<Arc<Notify>> = channels.names().iter().map(|_| Arc::new(Notify::new())).collect();
    let mut loops = tokio::task::JoinSet::new();
    for (name, wake) in channels.names().into_iter().zip(&wakes) {
        let (worker, wake, mut shutdown) = (worker.clone(), wake.clone(), shutdown.clone());
        loops.spawn(async move { worker.claim_loop(name, &wake, &mut shutdown).await });
    }
    // `outbox_wake` wakes one waiter: pass each wake-up on to every loop (a loop busy sending
    // keeps it as a permit and claims again at once).
    loop {
        tokio::select! {
            _ = core.outbox_wake.notified() => wakes.iter().for_each(|w| w.notify_one()),
            _ = shutdown.wait_for(|stop| *stop) => break,
        }
    }
    while loops.join_next().await.is_some() {}
}

/// What every claim loop and send shares.
#[derive(Clone)]
struct Worker {
    core: Shared,
    channels: Arc<Channels>,
    pacers: Arc<Pacers>,
    recorder: recorder::Recorder,
    lease_ms: i64,
    timeout_s: u64,
}

impl Worker {
    /// Claims due deliveries of one channel and sends each with one of `twilio.concurrency`
    /// permits of its own.
    async fn claim_loop(&self, channel: &'static str, wake: &Notify, shutdown: &mut Shutdown) {
        let core = &self.core;
        let concurrency = core.settings.twilio.concurrency;
        let permits = Arc::new(Semaphore::new(concurrency));
        while !*shutdown.borrow() {
            let Ok(first) = permits.clone().acquire_owned().await else {
                break;
            };
            let free = permits.available_permits() + 1;
            let limit = free.max(self.pacers.ahead(channel));
            let batch = match core
                .store
                .claim_deliveries(&[channel], limit as i64, self.lease_ms, now_ms())
                .await
            {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::error!(error = %e, "claiming deliveries failed");
                    Vec::new()
                }
            };
            if batch.is_empty() {
                drop(first);
                if !crate::app::wait(wake, POLL, shutdown).await {
                    break;
                }
                continue;
            }
            let ids: Vec<i64> = batch.iter().map(|d| d.volunteer_id).collect();
            let recipients = match core.store.recipients_of(&ids).await {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!(error = %e, "reading recipients failed; giving the batch back");
                    let claimed: Vec<i64> = batch.iter().map(|d| d.id).collect();
                    let _ = core.store.release(&claimed).await;
                    continue;
                }
            };
            let mut first = Some(first);
            for delivery in batch {
                let permit = match first.take() {
                    Some(p) => p,
                    None => match permits.clone().acquire_owned().await {
                        Ok(p) => p,
                        Err(_) => return,
                    },
                };
                let to = recipients.iter().find(|r| r.id == delivery.volunteer_id).cloned();
                let (core, channels, pacers) = (core.clone(), self.channels.clone(), self.pacers.clone());
                let recorder = self.recorder.clone();
                tokio::spawn(send_one(core, channels, pacers, recorder, delivery, to, permit));
            }
        }
        // Let in-flight sends finish and record their outcome before returning.
        let _ = tokio::time::timeout(
            Duration::from_secs(self.timeout_s + 5),
            permits.acquire_many(concurrency as u32),
        )
        .await;
    }
}

async fn send_one(
    core: Shared,
    channels: Arc<Channels>,
    pacers: Arc<Pacers>,
    recorder: recorder::Recorder,
    d: Claimed,
    to: Option<Recipient>,
    _permit: OwnedSemaphorePermit,
) {
    let span =
        tracing::info_span!("delivery", delivery_id = d.id, channel = %d.channel, attempt = d.attempts);
    let started = Instant::now();
    let outcome = if now_ms() > d.expires_at {
        Err(SendError::permanent("alert went stale before it could be sent"))
    } else {
        let pacer = pacers.of(&d.channel);
        let addressed = address(&d.channel, to.as_ref());
        let sender = match &addressed {
            Ok(_) => paced(&core, pacer, pacers.lease_ms, &d).await,
            Err(_) => Ok(Some(String::new())),
        };
        match (addressed, d.channel.as_str(), sender) {
            (_, _, Ok(None)) => return, // another worker took it over; it records the outcome
            (_, _, Err(e)) => Err(SendError::retry(format!("no sending slot: {e}"))),
            (Err(reason), _, _) => Err(SendError::permanent(reason)),
            (Ok(to), "sms", Ok(Some(from))) => match &channels.sms {
                Some(sms) => sms.send_from(&from, &to, &d.body).instrument(span).await,
                None => Err(SendError::Config("SMS is not configured".into())),
            },
            (Ok(to), "signal", _) => match &channels.signal {
                Some(signal) => signal.send(&to, &d.body).instrument(span).await,
                None => Err(SendError::Config("Signal is not configured".into())),
            },
            (Ok(_), other, _) => Err(SendError::permanent(format!("unknown channel {other}"))),
        }
    };
    let took = started.elapsed().as_millis() as i64;
    let recorded = record(&core, &recorder, &d, outcome, took).await;
    core.events.publish(crate::events::Event::Deliveries);
    if let Err(e) = recorded {
        // The lease will run out and the delivery be tried again: a possible duplicate, never a loss.
        tracing::error!(delivery_id = d.id, error = %e, "recording a send's outcome failed");
    }
}

/// The recipient's address on this channel: their number, or for Signal their account id
/// when they gave one.
fn address(channel: &str, to: Option<&Recipient>) -> Result<String, String> {
    let to = to.ok_or("volunteer was removed")?;
    if channel == "signal" {
        if let Some(signal) = &to.signal {
            return signal.clone().map_err(|e| e.to_string());
        }
    }
    let plain = to.phone.clone().map_err(|e| e.to_string())?;
    Phone::parse(&plain)
        .map(|p| p.e164().to_string())
        .map_err(|e| format!("stored number {e}"))
}

async fn record(
    core: &Core,
    recorder: &recorder::Recorder,
    d: &Claimed,
    outcome: Result<Accepted, SendError>,
    took_ms: i64,
) -> anyhow::Result<()> {
    let now = now_ms();
    let signal = d.channel == "signal";
    let failover_at = d.created_at + core.settings.signal.failover_after_s as i64 * 1000;
    match outcome {
        Ok(accepted) => {
            tracing::info!(delivery_id = d.id, took_ms, "delivery handed to provider");
            let handed = Handed {
                id: d.id,
                channel: d.channel.clone(),
                provider_id: Some(accepted.provider_id).filter(|p| !p.is_empty()),
                took_ms,
            };
            recorder.submitted(handed, d.volunteer_id).await?;
        }
        Err(SendError::Permanent { reason, .. }) if signal => {
            fail_over(core, d, &reason, took_ms, now).await?
        }
        Err(SendError::Permanent { reason, opted_out }) => {
            tracing::warn!(delivery_id = d.id, %reason, "delivery failed permanently");
            core.store.delivery_failed(d.id, &reason, took_ms, now).await?;
            if opted_out {
                crate::roster::set_opted_out(core, d.volunteer_id, true).await?;
            }
        }
        Err(e @ (SendError::Retryable { .. } | SendError::Config(_))) => {
            let after = match &e {
                SendError::Retryable {
                    after: Some(after), ..
                } => *after,
                _ => Duration::ZERO,
            };
            let delay = retry::backoff(d.attempts, rand::random()).max(after);
            let mut next_at = now + delay.as_millis() as i64;
            if signal && next_at >= failover_at {
                if now >= failover_at {
                    let reason = format!(
                        "Signal could not take it within {}s: {e}",
                        core.settings.signal.failover_after_s
                    );
                    return fail_over(core, d, &reason, took_ms, now).await;
                }
                // Come back exactly when failing over is due rather than after it.
                next_at = failover_at;
            }
            if next_at > d.expires_at {
                let reason = format!("gave up after {} attempts, alert stale: {e}", d.attempts);
                tracing::warn!(delivery_id = d.id, %reason, "delivery failed");
                core.store.delivery_failed(d.id, &reason, took_ms, now).await?;
            } else {
                if matches!(e, SendError::Config(_)) {
                    tracing::error!(delivery_id = d.id, error = %e, "a provider refused our configuration; fix the settings");
                } else {
                    tracing::warn!(delivery_id = d.id, error = %e, "send failed; will retry");
                }
                core.store
                    .delivery_retry(d.id, next_at, &e.to_string(), took_ms, now)
                    .await?;
            }
        }
    }
    Ok(())
}

async fn fail_over(core: &Core, d: &Claimed, reason: &str, took_ms: i64, now: i64) -> anyhow::Result<()> {
    let made = core.store.fail_over(d.id, reason, took_ms, now).await?;
    tracing::warn!(delivery_id = d.id, %reason, sms = made, "Signal delivery failed over to SMS");
    core.outbox_wake.notify_one();
    Ok(())
}
