//! Nobody at the dashboard at 3 a.m. (issue 14): an incident that needs a person pages the
//! dispatchers on duty by SMS or Signal; without an ACK within `oncall.repage_after_s`, or with
//! nobody on duty, every dispatcher with a phone. What needs a person is written by the steps
//! that find it (`dispatch::verifiers`: nobody in reach, nobody answered); this task adds the
//! reports nobody could place, takes the rounds and sends the pages. Everything it does is in
//! the database first, so several instances share it and a restart carries on.

pub mod duty;
mod rounds;
pub mod schedule;
mod send;
pub mod words;

use std::time::Duration;

use crate::channels::Channels;
use crate::state::{Core, Shared, Shutdown};

/// How often the pager looks even when nobody woke it (timers: unplaced, re-paging, retries).
const POLL: Duration = Duration::from_secs(1);

pub async fn run(core: Shared, channels: Channels, mut shutdown: Shutdown) {
    loop {
        if let Err(e) = step(&core, &channels).await {
            tracing::error!(error = %e, "paging step failed; retrying");
        }
        if !crate::state::wait(&core.oncall_wake, POLL, &mut shutdown).await {
            return;
        }
    }
}

/// The hotline is over `intake.max_reports_per_hour`: reports are held, a person must look.
/// Pages those on duty (everyone with a phone, if nobody is) once per hour of flood.
pub async fn flood(core: &Core) {
    if let Err(e) = page_flood(core).await {
        tracing::error!(error = %e, "paging for a flood failed");
    }
}

async fn page_flood(core: &Core) -> anyhow::Result<()> {
    let hour = crate::store::now_ms() / 3_600_000;
    let dispatchers = core.store.dispatchers().await?;
    let (round, to) = rounds::first_round(core, &dispatchers);
    let recipients: Vec<_> = to.iter().map(|d| (d.id, d.channel)).collect();
    let queued = core
        .store
        .page_topic(&format!("flood:{hour}"), round, &recipients)
        .await?;
    if queued > 0 {
        tracing::warn!(
            pages = queued,
            "the hotline is over its limit: paging the dispatchers"
        );
        core.oncall_wake.notify_one();
    }
    Ok(())
}

/// One pass: mark what waits too long unplaced, take the rounds due, send the pages due.
pub async fn step(core: &Core, channels: &Channels) -> anyhow::Result<()> {
    rounds::mark_unplaced(core).await?;
    rounds::take_due(core).await?;
    send::due(core, channels).await?;
    Ok(())
}
