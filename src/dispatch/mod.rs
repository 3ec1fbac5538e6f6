//! Dispatch: verified, located incidents become alerts. Targeting asks the in-memory geofence
//! index; planning writes the alert and every delivery in one transaction (see `store::deliveries`)
//! and wakes the outbox. The loop works from what the database says, so after a crash it
//! simply carries on where it stopped.

pub mod actions;
pub mod calls;
pub mod escalate;
pub mod follow;
pub mod headcount;
pub mod message;
pub mod place;
pub mod quote;
pub mod responding;
pub mod verifiers;
pub mod versions;

use std::time::Duration;

use crate::domain::{AlertPurpose, ConfirmedBy, IncidentStatus, Kind, Language};
use crate::state::{Core, Shared, Shutdown};
use crate::store::alerts::{Audience, Bodies, Planned, Texts};
use crate::store::incidents::IncidentRow;
use crate::store::now_ms;
use message::{Alert, Head, Label, Place};

/// How often the loop looks even when nobody woke it (other instances, missed wake-ups).
const POLL: Duration = Duration::from_secs(2);

pub async fn run(core: Shared, mut shutdown: Shutdown) {
    loop {
        if let Err(e) = step(&core).await {
            tracing::error!(error = %e, "dispatch step failed; retrying");
        }
        if !crate::state::wait(&core.dispatch_wake, POLL, &mut shutdown).await {
            return;
        }
    }
}

/// One pass: ask verifiers, write due first alerts, escalation steps and all-clears. One item
/// that fails is logged and retried next pass; it does not hold up the others.
pub async fn step(core: &Core) -> anyhow::Result<()> {
    core.refresh_index().await?;
    if let Err(e) = verifiers::page_all(core, core.store.incidents_to_check().await?).await {
        tracing::error!(error = %e, "asking verifiers failed");
    }
    if let Err(e) = verifiers::ask_again(core).await {
        tracing::error!(error = %e, "asking the next verifiers failed");
    }
    // Alerts whose deliveries were not all written (the process stopped between batches).
    for planned in core.store.incomplete_alerts(now_ms() - 10_000).await? {
        if let Err(e) = finish(core, planned).await {
            tracing::error!(alert_id = planned.alert_id, error = %e, "finishing an alert failed");
        }
    }
    for incident in core.store.incidents_to_alert().await? {
        if let Err(e) = first_alert(core, &incident).await {
            tracing::error!(incident_id = incident.id, error = %e, "planning the first alert failed");
        }
    }
    // Answers act at once (a "can't" brings in the next person), before the timer's steps.
    if let Err(e) = responding::due(core).await {
        tracing::error!(error = %e, "acting on answers failed");
    }
    escalate::due(core).await?;
    if let Err(e) = crate::mobilisations::schedule::due(core).await {
        tracing::error!(error = %e, "the mobilisations' pass failed");
    }
    for incident in core.store.incidents_to_all_clear().await? {
        if let Err(e) = all_clear(core, &incident).await {
            tracing::error!(incident_id = incident.id, error = %e, "planning the all-clear failed");
        }
    }
    Ok(())
}

async fn first_alert(core: &Core, incident: &IncidentRow) -> anyhow::Result<()> {
    let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
        return Ok(());
    };
    // The kind's number. Only a live mobilisation's incident has one already (set when a
    // dispatcher alerts its area), and only it has answers before its first alert: those
    // coming are not told again. A raid's first alert asks the database nothing more.
    let (wanted, coming) = match incident.wanted {
        0 => (core.settings.dispatch.wanted_for(&incident.kind), Vec::new()),
        set => (set, core.store.coming_to(incident.id).await?),
    };
    core.store.set_wanted(incident.id, wanted).await?;
    let incident = IncidentRow {
        wanted,
        ..incident.clone()
    };
    let mut targets = area_targets(core, &incident, lat, lon).await?;
    targets.retain(|id| !coming.contains(id));
    let bodies = alert_bodies(core, &incident, lat, lon, coming.len() as i64);
    let audience = Audience::Volunteers {
        ids: &targets,
        signal_on: core.settings.signal_ready(),
    };
    plan(core, incident.id, AlertPurpose::First, audience, &bodies).await?;
    Ok(())
}

/// Who a first alert goes to: the volunteers whose areas hold the point now (of a drill: only
/// those in the drill group).
pub(crate) async fn area_targets(
    core: &Core,
    incident: &IncidentRow,
    lat: f64,
    lon: f64,
) -> anyhow::Result<Vec<i64>> {
    let mut targets = core.targets(lat, lon);
    if incident.drill {
        let group = core
            .store
            .volunteers_with_role(&core.settings.dispatch.drill_role)
            .await?;
        targets.retain(|id| group.contains(id));
    }
    Ok(targets)
}

/// The text of a first alert (and of its escalation steps and replacements, which say how many
/// are `coming` already). Confirmed by a person, it says
/// CONFIRMED; sent under `auto_verify = "all"` without anyone confirming it, UNCONFIRMED.
/// Volunteers not yet vetted get the zone or a rough place only, whatever
/// `dispatch.progressive_disclosure` says.
pub(crate) fn alert_bodies(core: &Core, incident: &IncidentRow, lat: f64, lon: f64, coming: i64) -> Bodies {
    let kind = Kind::parse(&incident.kind).unwrap_or(Kind::Other);
    let place = Place {
        lat,
        lon,
        zone: incident.zone.as_deref(),
    };
    let label = match incident.confirmed_by {
        Some(ConfirmedBy::Policy) => Label::Unconfirmed,
        _ => Label::Confirmed,
    };
    let alert = Alert {
        head: Head {
            id: incident.id,
            drill: incident.drill,
            label,
        },
        kind,
        place: &place,
        wanted: incident.wanted,
        coming,
        exact: !core.settings.dispatch.progressive_disclosure,
        approximate: incident.approximate,
    };
    // Only a confirmed alert wakes anyone up.
    let calls = (label == Label::Confirmed).then(|| calls::calls_for(core, &alert));
    Bodies {
        texts: texts_in_every_language(|l| message::first_alert(l, &alert)),
        unvetted: Some(texts_in_every_language(|l| {
            message::first_alert_unvetted(l, &alert)
        })),
        calls,
    }
}

async fn all_clear(core: &Core, incident: &IncidentRow) -> anyhow::Result<()> {
    let kind = Kind::parse(&incident.kind).unwrap_or(Kind::Other);
    let false_alarm = incident.status == IncidentStatus::FalseAlarm;
    let bodies = in_every_language(|l| message::all_clear(l, incident.id, incident.drill, kind, false_alarm));
    plan(
        core,
        incident.id,
        AlertPurpose::AllClear,
        Audience::ReachedByFirstAlert,
        &bodies,
    )
    .await?;
    Ok(())
}

/// Writes the rest of a first alert's deliveries, to the volunteers its area holds now.
async fn finish(core: &Core, planned: Planned) -> anyhow::Result<()> {
    let planned = Planned {
        expires_at: planned.now + core.settings.dispatch.alert_ttl_s as i64 * 1000,
        ..planned
    };
    let Some(incident) = core.store.incident(planned.incident_id).await? else {
        return Ok(());
    };
    let (Some(lat), Some(lon), AlertPurpose::First) = (incident.lat, incident.lon, planned.purpose) else {
        // Only a first alert has more than one batch; anything else is complete in one.
        core.store
            .finish_alert(
                &planned,
                Audience::Volunteers {
                    ids: &[],
                    signal_on: false,
                },
                &Bodies::same(vec![("en", String::new())]),
            )
            .await?;
        return Ok(());
    };
    let targets = match planned.seq {
        0 => area_targets(core, &incident, lat, lon).await?,
        step => escalate::targets(core, &incident, step)
            .await?
            .unwrap_or_default(),
    };
    let bodies = alert_bodies(core, &incident, lat, lon, 0);
    let audience = Audience::Volunteers {
        ids: &targets,
        signal_on: core.settings.signal_ready(),
    };
    let n = core.store.finish_alert(&planned, audience, &bodies).await?;
    tracing::info!(
        incident_id = incident.id,
        alert_id = planned.alert_id,
        deliveries = n,
        "alert finished after an interruption"
    );
    core.outbox_wake.notify_one();
    Ok(())
}

/// The text in every language tocsin speaks, English first (the fallback).
pub(crate) fn in_every_language(text: impl Fn(Language) -> String) -> Bodies {
    Bodies::same(texts_in_every_language(text))
}

fn texts_in_every_language(text: impl Fn(Language) -> String) -> Texts {
    Language::all()
        .into_iter()
        .map(|l| (l.as_str(), text(l)))
        .collect()
}

/// Writes the alert and its deliveries and wakes the outbox; None when it already existed.
pub(crate) async fn plan(
    core: &Core,
    incident_id: i64,
    purpose: AlertPurpose,
    audience: Audience<'_>,
    bodies: &Bodies,
) -> Result<Option<u64>, crate::store::StoreError> {
    plan_step(core, incident_id, purpose, 0, audience, bodies).await
}

/// `plan`, for a given escalation step of a first alert.
pub(crate) async fn plan_step(
    core: &Core,
    incident_id: i64,
    purpose: AlertPurpose,
    step: i64,
    audience: Audience<'_>,
    bodies: &Bodies,
) -> Result<Option<u64>, crate::store::StoreError> {
    let now = now_ms();
    let expires_at = now + core.settings.dispatch.alert_ttl_s as i64 * 1000;
    let started = std::time::Instant::now();
    let written = core
        .store
        .plan_alert(
            incident_id,
            (purpose, step),
            audience,
            bodies,
            (now, expires_at),
            &|| core.outbox_wake.notify_one(),
        )
        .await?;
    if let Some(n) = written {
        tracing::info!(
            incident_id,
            purpose = purpose.as_str(),
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
