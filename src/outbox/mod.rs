//! The outbox worker: claims due deliveries with a lease, hands each to its channel outside
//! any transaction, and records what happened. Guarantees: every delivery is tried until it is
//! taken, fails permanently, or its alert goes stale; a delivery is sent twice only when the
//! process died between the provider's answer and our write (or the lease ran out meanwhile).

pub mod retry;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tracing::Instrument;

use crate::app::{Core, Shared, Shutdown};
use crate::channels::{Channel, SendError};
use crate::domain::Phone;
use crate::store::deliveries::Claimed;
use crate::store::now_ms;

/// Fallback poll when nobody wakes the worker (retries coming due, other instances).
const POLL: Duration = Duration::from_millis(500);

pub async fn run<C: Channel>(core: Shared, channel: Arc<C>, mut shutdown: Shutdown) {
    let concurrency = core.settings.twilio.concurrency;
    let permits = Arc::new(Semaphore::new(concurrency));
    // A lease outlives any one send (timeout) with room to record the outcome.
    let lease_ms = (core.settings.twilio.timeout_s as i64 + 30) * 1000;
    loop {
        let Ok(first) = permits.clone().acquire_owned().await else {
            return;
        };
        let free = permits.available_permits() + 1;
        let batch = match core.store.claim_deliveries(free as i64, lease_ms, now_ms()).await {
            Ok(batch) => batch,
            Err(e) => {
                tracing::error!(error = %e, "claiming deliveries failed");
                Vec::new()
            }
        };
        if batch.is_empty() {
            drop(first);
            if !crate::app::wait(&core.outbox_wake, POLL, &mut shutdown).await {
                break;
            }
            continue;
        }
        let phones = match core
            .store
            .phones_of(&batch.iter().map(|d| d.volunteer_id).collect::<Vec<_>>())
            .await
        {
            Ok(phones) => phones,
            Err(e) => {
                // The lease runs out and the batch is claimed again.
                tracing::error!(error = %e, "reading recipients failed");
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
            let phone = phones
                .iter()
                .find(|(id, _)| *id == delivery.volunteer_id)
                .map(|(_, p)| p.clone());
            tokio::spawn(send_one(core.clone(), channel.clone(), delivery, phone, permit));
        }
    }
    // Let in-flight sends finish and record their outcome before returning.
    let _ = tokio::time::timeout(
        Duration::from_secs(core.settings.twilio.timeout_s + 5),
        permits.acquire_many(concurrency as u32),
    )
    .await;
}

async fn send_one<C: Channel>(
    core: Shared,
    channel: Arc<C>,
    d: Claimed,
    phone_enc: Option<Vec<u8>>,
    _permit: OwnedSemaphorePermit,
) {
    let span = tracing::info_span!(
        "delivery",
        delivery_id = d.id,
        volunteer_id = d.volunteer_id,
        attempt = d.attempts
    );
    let started = Instant::now();
    let outcome = if now_ms() > d.expires_at {
        Err(SendError::Permanent {
            reason: "alert went stale before it could be sent".into(),
            opted_out: false,
        })
    } else {
        match recipient(&core, phone_enc.as_deref()) {
            Ok(to) => channel.send(&to, &d.body).instrument(span).await,
            Err(reason) => Err(SendError::Permanent {
                reason,
                opted_out: false,
            }),
        }
    };
    let took = started.elapsed().as_millis() as i64;
    let recorded = record(&core, &d, outcome, took).await;
    core.events.publish(crate::events::Event::Deliveries);
    if let Err(e) = recorded {
        // The lease will run out and the delivery be tried again: a possible duplicate, never a loss.
        tracing::error!(delivery_id = d.id, error = %e, "recording a send's outcome failed");
    }
}

fn recipient(core: &Core, phone_enc: Option<&[u8]>) -> Result<Phone, String> {
    let sealed = phone_enc.ok_or("volunteer was removed")?;
    let plain = core.vault.decrypt(sealed).map_err(|e| e.to_string())?;
    Phone::parse(&plain).map_err(|e| format!("stored number {e}"))
}

async fn record(
    core: &Core,
    d: &Claimed,
    outcome: Result<crate::channels::Accepted, SendError>,
    took_ms: i64,
) -> anyhow::Result<()> {
    let now = now_ms();
    match outcome {
        Ok(accepted) => {
            tracing::info!(delivery_id = d.id, took_ms, "delivery handed to provider");
            core.store
                .delivery_submitted(d.id, &accepted.provider_id, took_ms, now)
                .await?;
        }
        Err(SendError::Permanent { reason, opted_out }) => {
            tracing::warn!(delivery_id = d.id, %reason, "delivery failed permanently");
            core.store.delivery_failed(d.id, &reason, took_ms, now).await?;
            if opted_out {
                core.store.set_opted_out(d.volunteer_id, true).await?;
                core.index_set(d.volunteer_id, None);
                tracing::info!(
                    volunteer_id = d.volunteer_id,
                    "volunteer unsubscribed at the provider; marked opted out"
                );
            }
        }
        Err(e @ (SendError::Retryable(_) | SendError::Config(_))) => {
            let next_at = now + retry::backoff(d.attempts, rand::random()).as_millis() as i64;
            if next_at > d.expires_at {
                let reason = format!("gave up after {} attempts, alert stale: {e}", d.attempts);
                tracing::warn!(delivery_id = d.id, %reason, "delivery failed");
                core.store.delivery_failed(d.id, &reason, took_ms, now).await?;
            } else {
                if matches!(e, SendError::Config(_)) {
                    tracing::error!(delivery_id = d.id, error = %e, "Twilio refused our configuration; fix twilio.* settings");
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
