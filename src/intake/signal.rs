//! Follows the Signal bridge's event stream: messages to the network's number go through the
//! same intake as SMS (answers, keywords, reports) and are acknowledged on Signal; receipts
//! move deliveries. The stream is reconnected with backoff whenever it drops; events the
//! daemon emits while nobody listens are lost by the daemon itself, so reconnection is fast.
//! A message is handled once, however often it is seen (a keyed hash of the sender and the
//! timestamp is remembered, never the sender in clear). A receipt moves only a delivery to
//! whoever sent it: one from anyone else changes nothing.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};

use crate::channels::signal::events::{parse, Sender, SignalEvent, SseReader};
use crate::channels::signal::SignalClient;
use crate::domain::Channel;
use crate::domain::{DeliveryStatus, Phone, SignalId};
use crate::intake::message::{self, Inbound};
use crate::state::{Core, Shared, Shutdown};
use crate::store::inbound::signal_message_id;
use crate::store::receipts::Receipt;

const MAX_BACKOFF: Duration = Duration::from_secs(5);

pub async fn run(core: Shared, client: Arc<SignalClient>, mut shutdown: Shutdown) {
    // No overall timeout: the stream lives for hours. The daemon sends a keep-alive every 15 s,
    // so a silent minute means the connection is dead.
    let http = match reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .read_timeout(Duration::from_secs(60))
        .no_proxy()
        .build()
    {
        Ok(http) => http,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the Signal event client");
            return;
        }
    };
    let mut backoff = Duration::from_millis(100);
    loop {
        let result = follow(&core, &client, &http, &mut shutdown, &mut backoff).await;
        core.signal_up.store(false, Ordering::Relaxed);
        match result {
            Ok(()) => return,
            Err(e) => tracing::warn!(error = format!("{e:#}"), "Signal event stream lost; reconnecting"),
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = shutdown.changed() => return,
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Reads the stream until it ends (Err) or shutdown (Ok).
async fn follow(
    core: &Shared,
    client: &Arc<SignalClient>,
    http: &reqwest::Client,
    shutdown: &mut Shutdown,
    backoff: &mut Duration,
) -> anyhow::Result<()> {
    let mut response = http
        .get(client.events_url())
        .header("accept", "text/event-stream")
        .send()
        .await
        .context("connecting to the bridge")?;
    if !response.status().is_success() {
        bail!("the bridge answered HTTP {}", response.status().as_u16());
    }
    core.signal_up.store(true, Ordering::Relaxed);
    *backoff = Duration::from_millis(100);
    tracing::info!("following the Signal bridge's events");
    let mut reader = SseReader::default();
    loop {
        let chunk = tokio::select! {
            chunk = response.chunk() => chunk.context("reading events")?,
            _ = shutdown.changed() => return Ok(()),
        };
        let Some(bytes) = chunk else {
            bail!("the bridge closed the stream")
        };
        for (event, data) in reader.feed(&bytes) {
            if event == "receive" {
                if let Err(e) = handle(core, client, parse(&data)).await {
                    // Not acknowledged to anyone: the message stays unhandled, and is logged.
                    tracing::error!(error = %e, "a Signal event could not be handled");
                }
            }
        }
    }
}

async fn handle(core: &Shared, client: &Arc<SignalClient>, event: SignalEvent) -> anyhow::Result<()> {
    match event {
        SignalEvent::Message {
            sender,
            timestamp,
            text,
        } => {
            let Some(key) = sender.uuid.clone().or_else(|| sender.number.clone()) else {
                return Ok(());
            };
            let inbound = Inbound {
                via: Channel::Signal,
                sender: key.clone(),
                carrier_keyword: None,
                phone: sender.number.as_deref().and_then(|n| Phone::parse(n).ok()),
                signal_id: sender.uuid.as_deref().and_then(|u| SignalId::parse(u).ok()),
                body: text,
                message_id: signal_message_id(&core.vault, &key, timestamp),
            };
            if let Some(reply) = message::handle(core, inbound).await? {
                // Answer on Signal, off the stream's path; by number when they show it.
                let to = sender.number.clone().unwrap_or(key);
                let client = client.clone();
                tokio::spawn(async move {
                    if let Err(e) = client.send(&to, &reply).await {
                        tracing::warn!(error = %e, "Signal acknowledgement not sent");
                    }
                });
            }
        }
        SignalEvent::Receipt {
            sender,
            read,
            timestamps,
        } => {
            // Signal timestamps are not unique: only the recipient's receipt says anything.
            let Some(volunteer) = volunteer_of(core, &sender).await? else {
                tracing::debug!("a Signal receipt from someone who is no volunteer: ignored");
                return Ok(());
            };
            let status = if read {
                DeliveryStatus::Read
            } else {
                DeliveryStatus::Delivered
            };
            for ts in timestamps {
                let receipt = Receipt { status, error: None };
                crate::outbox::receipts::apply(
                    core,
                    crate::domain::Channel::Signal,
                    &ts.to_string(),
                    Some(volunteer),
                    receipt,
                )
                .await?;
            }
        }
        SignalEvent::Ignored => {}
    }
    Ok(())
}

async fn volunteer_of(core: &Core, sender: &Sender) -> anyhow::Result<Option<i64>> {
    if let Some(number) = sender.number.as_deref().and_then(|n| Phone::parse(n).ok()) {
        if let Some(v) = core
            .store
            .volunteer_by_phone_hash(&core.vault.lookup_hash(number.e164()))
            .await?
        {
            return Ok(Some(v.id));
        }
    }
    if let Some(id) = sender.uuid.as_deref().and_then(|u| SignalId::parse(u).ok()) {
        if let Some(v) = core
            .store
            .volunteer_by_signal_hash(&core.vault.lookup_hash(id.as_str()))
            .await?
        {
            return Ok(Some(v.id));
        }
    }
    Ok(None)
}
