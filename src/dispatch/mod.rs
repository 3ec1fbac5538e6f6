//! Dispatch: verified, located incidents become alerts. Targeting asks the in-memory geofence
//! index; planning writes the alert and every delivery in one transaction (see `store::deliveries`)
//! and wakes the outbox. The loop works from what the database says, so after a crash it
//! simply carries on where it stopped.

pub mod actions;
pub mod message;

use std::time::Duration;

use crate::app::{Core, Shared, Shutdown};
use crate::domain::{AlertPurpose, Kind, Language};
use crate::store::deliveries::Bodies;
use crate::store::incidents::IncidentRow;
use crate::store::now_ms;

/// How often the loop looks even when nobody woke it (other instances, missed wake-ups).
const POLL: Duration = Duration::from_secs(2);

pub async fn run(core: Shared, mut shutdown: Shutdown) {
    loop {
        if let Err(e) = step(&core).await {
            tracing::error!(error = %e, "dispatch step failed; retrying");
        }
        if !crate::app::wait(&core.dispatch_wake, POLL, &mut shutdown).await {
            return;
        }
    }
}

/// One pass: finish interrupted intake, write due first alerts and all-clears.
pub async fn step(core: &Core) -> anyhow::Result<()> {
    core.refresh_index().await?;
    // Reports older than a few seconds without an incident were interrupted mid-intake.
    for report in core.store.unprocessed_reports(now_ms() - 5_000).await? {
        crate::intake::report::resume(core, &report).await?;
    }
    for incident in core.store.incidents_to_alert().await? {
        first_alert(core, &incident).await?;
    }
    for incident in core.store.incidents_to_all_clear().await? {
        all_clear(core, &incident).await?;
    }
    Ok(())
}

async fn first_alert(core: &Core, incident: &IncidentRow) -> anyhow::Result<()> {
    let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
        return Ok(());
    };
    let kind = Kind::parse(&incident.kind).unwrap_or(Kind::Other);
    let targets = core.targets(lat, lon);
    let en = message::first_alert(Language::En, incident.id, kind, lat, lon);
    let es = message::first_alert(Language::Es, incident.id, kind, lat, lon);
    let bodies = Bodies { en: &en, es: &es };
    plan(core, incident.id, AlertPurpose::First, &targets, &bodies).await?;
    Ok(())
}

async fn all_clear(core: &Core, incident: &IncidentRow) -> anyhow::Result<()> {
    let kind = Kind::parse(&incident.kind).unwrap_or(Kind::Other);
    let targets = core.store.reached_by_first_alert(incident.id).await?;
    let en = message::all_clear(Language::En, incident.id, kind);
    let es = message::all_clear(Language::Es, incident.id, kind);
    let bodies = Bodies { en: &en, es: &es };
    plan(core, incident.id, AlertPurpose::AllClear, &targets, &bodies).await?;
    Ok(())
}

/// Writes the alert and its deliveries and wakes the outbox; None when it already existed.
pub(crate) async fn plan(
    core: &Core,
    incident_id: i64,
    purpose: AlertPurpose,
    targets: &[i64],
    bodies: &Bodies<'_>,
) -> Result<Option<u64>, crate::store::StoreError> {
    let now = now_ms();
    let expires_at = now + core.settings.dispatch.alert_ttl_s as i64 * 1000;
    let started = std::time::Instant::now();
    let written = core
        .store
        .plan_alert(incident_id, purpose, targets, bodies, now, expires_at)
        .await?;
    if let Some(n) = written {
        tracing::info!(
            incident_id,
            purpose = purpose.as_str(),
            targeted = targets.len(),
            deliveries = n,
            took_ms = started.elapsed().as_millis() as u64,
            "alert planned"
        );
        core.outbox_wake.notify_one();
        core.events
            .publish(crate::events::Event::Incident { id: incident_id });
    }
    Ok(written)
}
