//! Sending one claimed delivery: wait for its sender's slot, hand it to the channel's provider,
//! and apply what `policy::decide` makes of the answer to the store.

use std::time::Instant;

use tracing::Instrument;

use super::policy::{self, Facts, Next};
use super::{Outbox, Pass};
use crate::channels::{Contact, SendError};
use crate::store::now_ms;
use crate::store::outbox::{Claimed, Handed};

/// A claim older than this when its send starts is renewed first.
const RENEW_AFTER_MS: i64 = 1_000;

/// What became of one claimed delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Applied(Kind),
    /// The claim ran out while it waited, or before its outcome was written; another worker
    /// has the delivery and records the outcome.
    TakenOver,
    /// Writing the outcome failed: the lease runs out and it is tried again.
    Unrecorded,
}

/// Which `Next` was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Submitted,
    Retry,
    Fail,
    OptedOut,
    Stale,
    FailOver,
}

impl Kind {
    /// As `/metrics` labels the delivery's status.
    fn as_str(self) -> &'static str {
        match self {
            Kind::Submitted => "submitted",
            Kind::Retry => "retry",
            Kind::Fail => "failed",
            Kind::OptedOut => "opted_out",
            Kind::Stale => "stale",
            Kind::FailOver => "failed_over",
        }
    }
}

impl Pass {
    pub(super) fn count(&mut self, done: Done) {
        let n = match done {
            Done::Applied(Kind::Submitted) => &mut self.submitted,
            Done::Applied(Kind::Retry) => &mut self.retried,
            Done::Applied(Kind::Fail) => &mut self.failed,
            Done::Applied(Kind::OptedOut) => &mut self.opted_out,
            Done::Applied(Kind::Stale) => &mut self.stale,
            Done::Applied(Kind::FailOver) => &mut self.failed_over,
            Done::TakenOver => &mut self.taken_over,
            Done::Unrecorded => &mut self.unrecorded,
        };
        *n += 1;
    }
}

impl Outbox {
    /// Sends one claimed delivery to `to` (None: the volunteer was removed) and records it.
    pub(super) async fn deliver(&self, d: Claimed, to: Option<Contact>) -> Done {
        let span =
            tracing::info_span!("delivery", delivery_id = d.id, channel = %d.channel, attempt = d.attempts);
        let core = &self.core;
        let facts = Facts {
            channel: d.channel,
            attempts: d.attempts,
            created_at: d.created_at,
            expires_at: d.expires_at,
            failover_after_s: core.settings.signal.failover_after_s,
            jitter: rand::random(),
        };
        let started = Instant::now();
        // The lease we hold, as renewed: the outcome is written only while the claim is still it.
        let mut held = d.claimed_until;
        let outcome = match (
            policy::before_send(&facts, now_ms()),
            self.registry.get(d.channel),
        ) {
            (Err(stale), _) => Err(stale),
            (Ok(()), None) => Err(SendError::Config(format!("{} is not configured", d.channel))),
            (Ok(()), Some(provider)) => match to.as_ref().ok_or("volunteer was removed".to_string()) {
                Err(reason) => Err(SendError::permanent(reason)),
                Ok(to) => match provider.address(to) {
                    Err(reason) => Err(SendError::permanent(reason)),
                    Ok(address) => match self.paced(&d).await {
                        Ok(None) => return Done::TakenOver,
                        Err(e) => Err(SendError::retry(format!("no sending slot: {e}"))),
                        Ok(Some((from, lease))) => {
                            held = lease;
                            let call = Instant::now();
                            let answer = provider
                                .send_delivery(d.id, &from, &address, &d.body)
                                .instrument(span)
                                .await;
                            let channel = d.channel.as_str();
                            core.metrics.send_took(channel, call.elapsed());
                            if let Err(e) = &answer {
                                core.metrics.provider_error(channel, &e.to_string());
                            }
                            answer
                        }
                    },
                },
            },
        };
        let took_ms = started.elapsed().as_millis() as i64;
        let next = policy::decide(outcome, &facts, now_ms());
        let done = match self.apply(&d, held, next, took_ms).await {
            Ok(Some(kind)) => {
                core.metrics.delivery(d.channel.as_str(), kind.as_str());
                Done::Applied(kind)
            }
            Ok(None) => {
                // We stalled past the lease and another worker has the delivery: its outcome
                // decides, ours would release or end its claim.
                tracing::warn!(
                    delivery_id = d.id,
                    "the claim ran out before the outcome was written; dropped"
                );
                Done::TakenOver
            }
            Err(e) => {
                // The lease will run out and the delivery be tried again: a possible duplicate,
                // never a loss.
                tracing::error!(delivery_id = d.id, error = %e, "recording a send's outcome failed");
                Done::Unrecorded
            }
        };
        core.events.publish(crate::events::Event::Deliveries);
        done
    }

    /// Waits for the channel's next sending slot; the sender to send from and the lease now held,
    /// or None when the claim ran out meanwhile and another worker has the delivery.
    async fn paced(&self, d: &Claimed) -> anyhow::Result<Option<(String, i64)>> {
        let sender = match self.pacers.get(&d.channel) {
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
        let claimed_at = d.claimed_until - self.lease_ms;
        let now = now_ms();
        if now - claimed_at <= RENEW_AFTER_MS {
            return Ok(Some((sender, d.claimed_until)));
        }
        let renewed = now + self.lease_ms;
        if !self
            .core
            .store
            .extend_claim(d.id, d.claimed_until, renewed)
            .await?
        {
            return Ok(None);
        }
        Ok(Some((sender, renewed)))
    }

    /// Writes what the policy decided while the claim is still `held`; None when it is not
    /// (nothing written). A submission is recorded whoever holds the claim (see
    /// `Store::deliveries_submitted`).
    async fn apply(&self, d: &Claimed, held: i64, next: Next, took_ms: i64) -> anyhow::Result<Option<Kind>> {
        let (core, now) = (&self.core, now_ms());
        Ok(Some(match next {
            Next::Submitted { provider_id } => {
                tracing::info!(delivery_id = d.id, took_ms, "delivery handed to provider");
                let handed = Handed {
                    id: d.id,
                    channel: d.channel,
                    provider_id,
                    took_ms,
                };
                self.recorder.submitted(handed, d.volunteer_id).await?;
                Kind::Submitted
            }
            Next::Retry {
                at,
                reason,
                misconfigured,
            } => {
                if misconfigured {
                    tracing::error!(delivery_id = d.id, error = %reason, "a provider refused our configuration; fix the settings");
                } else {
                    tracing::warn!(delivery_id = d.id, error = %reason, "send failed; will retry");
                }
                if !core
                    .store
                    .delivery_retry(d.id, held, at, &reason, took_ms, now)
                    .await?
                {
                    return Ok(None);
                }
                Kind::Retry
            }
            Next::Fail { reason } => {
                tracing::warn!(delivery_id = d.id, %reason, "delivery failed permanently");
                if !core
                    .store
                    .delivery_failed(d.id, held, &reason, took_ms, now)
                    .await?
                {
                    return Ok(None);
                }
                Kind::Fail
            }
            Next::OptedOut { reason } => {
                tracing::warn!(delivery_id = d.id, %reason, "delivery failed permanently");
                // The opt-out is the volunteer's whoever holds the claim.
                let ours = core
                    .store
                    .delivery_failed(d.id, held, &reason, took_ms, now)
                    .await?;
                crate::roster::set_opted_out(core, d.volunteer_id, true).await?;
                if !ours {
                    return Ok(None);
                }
                Kind::OptedOut
            }
            Next::Stale { reason } => {
                tracing::warn!(delivery_id = d.id, %reason, "delivery failed");
                if !core
                    .store
                    .delivery_failed(d.id, held, &reason, took_ms, now)
                    .await?
                {
                    return Ok(None);
                }
                Kind::Stale
            }
            Next::FailOver { reason } => {
                let Some(made) = core.store.fail_over(d.id, held, &reason, took_ms, now).await? else {
                    return Ok(None);
                };
                tracing::warn!(delivery_id = d.id, %reason, sms = made, "Signal delivery failed over to SMS");
                core.outbox_wake.notify_one();
                Kind::FailOver
            }
        }))
    }
}
