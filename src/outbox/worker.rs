//! The long-running outbox: one claim loop per channel, each with `twilio.concurrency` permits
//! of its own, so that SMS waiting for their sender's rate never hold up Signal deliveries
//! (nor the reverse). Each loop claims with `Outbox::claim` and sends with `Outbox::deliver`,
//! the same steps as `Outbox::run_pending`, but keeps claiming while sends are in flight.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};

use super::Outbox;
use crate::channels::Registry;
use crate::domain::Channel;
use crate::state::{Shared, Shutdown};

/// Fallback poll when nobody wakes the worker (retries coming due, other instances).
const POLL: Duration = Duration::from_millis(500);

pub async fn run(core: Shared, registry: Registry, mut shutdown: Shutdown) {
    let outbox = loop {
        match Outbox::new(core.clone(), registry.clone()).await {
            Ok(o) => break o,
            Err(e) => {
                tracing::error!(error = %e, "setting up the senders' pace failed; retrying");
                if !crate::state::wait(&core.outbox_wake, POLL, &mut shutdown).await {
                    return;
                }
            }
        }
    };
    let channels = registry.channels();
    let wakes: Vec<Arc<Notify>> = channels.iter().map(|_| Arc::new(Notify::new())).collect();
    let mut loops = tokio::task::JoinSet::new();
    for (channel, wake) in channels.into_iter().zip(&wakes) {
        let (outbox, wake, mut shutdown) = (outbox.clone(), wake.clone(), shutdown.clone());
        loops.spawn(async move { outbox.claim_loop(channel, &wake, &mut shutdown).await });
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

impl Outbox {
    /// Claims due deliveries of one channel and sends each with one of `twilio.concurrency`
    /// permits of its own.
    async fn claim_loop(&self, channel: Channel, wake: &Notify, shutdown: &mut Shutdown) {
        let concurrency = self.core.settings.twilio.concurrency;
        let permits = Arc::new(Semaphore::new(concurrency));
        while !*shutdown.borrow() {
            let Ok(first) = permits.clone().acquire_owned().await else {
                break;
            };
            let free = permits.available_permits() + 1;
            let limit = free.max(self.ahead(channel));
            let batch = match self.claim(channel, limit).await {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::error!(error = %e, "claiming deliveries failed");
                    Vec::new()
                }
            };
            if batch.is_empty() {
                drop(first);
                if !crate::state::wait(wake, POLL, shutdown).await {
                    break;
                }
                continue;
            }
            let mut first = Some(first);
            for (delivery, to) in batch {
                let permit = match first.take() {
                    Some(p) => p,
                    None => match permits.clone().acquire_owned().await {
                        Ok(p) => p,
                        Err(_) => return,
                    },
                };
                let outbox = self.clone();
                tokio::spawn(async move {
                    outbox.deliver(delivery, to).await;
                    drop(permit);
                });
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
