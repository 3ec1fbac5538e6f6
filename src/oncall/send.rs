//! Sending pages: each is claimed with a lease (one instance sends it), written from the
//! incident as it is now, and sent on the dispatcher's channel. A send that may succeed later
//! goes back in the queue with a growing wait; pages are few and urgent, so they do not wait
//! behind a fan-out in the outbox.

use std::collections::HashMap;

use crate::channels::{Channels, SendError};
use crate::domain::PageStatus;
use crate::state::Core;
use crate::store::now_ms;
use crate::store::oncall::Dispatcher;
use crate::store::pages::DuePage;

/// Pages claimed per pass.
const BATCH: i64 = 20;
/// Tries before a page is given up (the re-page to everyone still follows).
const MAX_ATTEMPTS: i64 = 8;

pub(super) async fn due(core: &Core, channels: &Channels) -> anyhow::Result<()> {
    let s = &core.settings;
    let lease_ms = (s.twilio.timeout_s.max(s.signal.timeout_s) as i64 + 10) * 1000;
    let pages = core.store.claim_pages(lease_ms, BATCH).await?;
    if pages.is_empty() {
        return Ok(());
    }
    let dispatchers: HashMap<i64, Dispatcher> = core
        .store
        .dispatchers()
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    for page in pages {
        let outcome = match dispatchers.get(&page.user_id) {
            Some(d) => send_one(core, channels, &page, d).await,
            None => Err(SendError::permanent("the account has no phone any more")),
        };
        record(core, &page, outcome).await?;
    }
    Ok(())
}

async fn send_one(
    core: &Core,
    channels: &Channels,
    page: &DuePage,
    to: &Dispatcher,
) -> Result<String, SendError> {
    let number = to
        .phone
        .as_deref()
        .ok_or_else(|| SendError::permanent("no phone"))?;
    let Some(incident_id) = page.incident_id else {
        // A flood: no incident to take, the held reports to look at.
        let n = core.settings.intake.max_reports_per_hour.to_string();
        let link = format!("{}/reports", core.settings.public_base());
        let body = crate::i18n::text(to.language, "page-flood", &[("n", n), ("link", link)]);
        return channels
            .send(page.channel, number, &body)
            .await
            .map(|a| a.provider_id);
    };
    let incident = core
        .store
        .incident(incident_id)
        .await
        .map_err(|e| SendError::retry(e.to_string()))?
        .ok_or_else(|| SendError::permanent("the incident is gone"))?;
    let words = crate::dispatch::place::reporter_words(core, incident_id)
        .await
        .map_err(|e| SendError::retry(e.to_string()))?;
    let body = super::words::page(to.language, &incident, &words);
    let number = to
        .phone
        .as_deref()
        .ok_or_else(|| SendError::permanent("no phone"))?;
    channels
        .send(page.channel, number, &body)
        .await
        .map(|a| a.provider_id)
}

async fn record(core: &Core, page: &DuePage, outcome: Result<String, SendError>) -> anyhow::Result<()> {
    let store = &core.store;
    match outcome {
        Ok(provider_id) => {
            tracing::info!(page_id = page.id, incident_id = page.incident_id, channel = %page.channel, "page sent");
            core.metrics.page_sent(page.channel.as_str());
            store
                .page_done(page.id, PageStatus::Sent, Some(&provider_id), None, None)
                .await?;
        }
        Err(SendError::Retryable { reason, after }) if page.attempts < MAX_ATTEMPTS => {
            let wait_ms = after
                .map(|a| a.as_millis() as i64)
                .unwrap_or(1000 << page.attempts.clamp(0, 6));
            tracing::warn!(page_id = page.id, %reason, wait_ms, "page not sent; will retry");
            store
                .page_done(
                    page.id,
                    PageStatus::Queued,
                    None,
                    Some(&reason),
                    Some(now_ms() + wait_ms),
                )
                .await?;
        }
        Err(SendError::Config(reason)) if page.attempts < MAX_ATTEMPTS => {
            tracing::error!(page_id = page.id, %reason, "page not sent: the provider's configuration is wrong");
            store
                .page_done(
                    page.id,
                    PageStatus::Queued,
                    None,
                    Some(&reason),
                    Some(now_ms() + 30_000),
                )
                .await?;
        }
        Err(e) => {
            tracing::error!(page_id = page.id, incident_id = page.incident_id, error = %e, "page failed");
            store
                .page_done(page.id, PageStatus::Failed, None, Some(&e.to_string()), None)
                .await?;
        }
    }
    Ok(())
}
