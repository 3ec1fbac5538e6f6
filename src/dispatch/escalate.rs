//! Escalation: a confirmed incident's alert says how many responders are wanted. When fewer
//! than that say they are coming within `dispatch.escalate_after_s` of the latest alert, the
//! alert widens: everyone available whose home area meets a circle of each radius in
//! `dispatch.escalation_radii_m` around the point, then (with `escalate_to_neighbouring_zones`)
//! everyone whose home area meets the incident's zone or a zone touching it, then (with
//! `escalate_to_everyone`) everyone available. Each step alerts only people not alerted yet, is written to the incident's history,
//! and counts in `escalation_step`. A drill never reaches beyond the drill group.

use crate::dispatch::{alert_bodies, plan_step};
use crate::domain::{AlertPurpose, IncidentStatus};
use crate::geo::reach::{areas_meet, meets_circle};
use crate::geo::Area;
use crate::state::Core;
use crate::store::alerts::Audience;
use crate::store::incidents::IncidentRow;
use crate::store::now_ms;

/// What step `k` (1-based) reaches.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reach {
    Radius(f64),
    Zones,
    Everyone,
}

/// The steps after the first alert, in order.
fn plan(core: &Core) -> Vec<Reach> {
    let d = &core.settings.dispatch;
    let mut steps: Vec<Reach> = d.escalation_radii_m.iter().map(|r| Reach::Radius(*r)).collect();
    if d.escalate_to_neighbouring_zones {
        steps.push(Reach::Zones);
    }
    if d.escalate_to_everyone {
        steps.push(Reach::Everyone);
    }
    steps
}

fn reach_of(core: &Core, step: i64) -> Option<Reach> {
    let k = usize::try_from(step).ok()?.checked_sub(1)?;
    plan(core).get(k).copied()
}

fn steps(core: &Core) -> i64 {
    plan(core).len() as i64
}

/// The incident's zone and every zone touching it; empty when it is in no zone.
fn zone_and_neighbours(core: &Core, incident: &IncidentRow) -> Vec<Area> {
    let own: Vec<&str> = incident.zone.as_deref().into_iter().collect();
    core.zones().around(&own).into_iter().map(|z| z.area()).collect()
}

/// Takes the next step of every incident that is due for one.
pub async fn due(core: &Core) -> anyhow::Result<()> {
    let after_ms = core.settings.dispatch.escalate_after_s as i64 * 1000;
    for incident in core
        .store
        .incidents_to_escalate(now_ms() - after_ms, steps(core))
        .await?
    {
        if let Err(e) = escalate(core, &incident).await {
            tracing::error!(incident_id = incident.id, error = %e, "escalating failed");
        }
    }
    Ok(())
}

async fn escalate(core: &Core, incident: &IncidentRow) -> anyhow::Result<()> {
    let counts = core.store.incident_counts(incident.id).await?;
    // Vetted responders only: an unvetted volunteer's Y is shown, never counted.
    let responding = counts.coming + counts.on_scene;
    if responding >= incident.wanted {
        return Ok(());
    }
    let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
        return Ok(());
    };
    let bodies = alert_bodies(core, incident, lat, lon, responding);
    // A step that finds nobody new is recorded and the next one is taken at once.
    let mut step = incident.escalation_step;
    while step < steps(core) {
        step += 1;
        let Some(targets) = targets(core, incident, step).await? else {
            break;
        };
        let audience = Audience::Volunteers {
            ids: &targets,
            signal_on: core.settings.signal_ready(),
        };
        let Some(n) = plan_step(core, incident.id, AlertPurpose::First, step, audience, &bodies).await?
        else {
            // Another instance took this step, or the incident closed meanwhile.
            return Ok(());
        };
        let reach = match reach_of(core, step) {
            Some(Reach::Radius(r)) => format!("within {r:.0} m"),
            Some(Reach::Zones) => "its zone and the zones around it".into(),
            _ => "everyone available".into(),
        };
        let group = if incident.drill { " of the drill group" } else { "" };
        let cause = format!(
            "escalation step {step}: {responding} of {} responding; {reach}{group}, {n} more alerts",
            incident.wanted
        );
        core.store
            .note_history(incident.id, IncidentStatus::Confirmed, &cause)
            .await?;
        tracing::info!(
            incident_id = incident.id,
            step,
            deliveries = n,
            responding,
            "alert widened"
        );
        if n > 0 {
            break;
        }
    }
    Ok(())
}

/// Who step `step` adds: available volunteers it reaches who were not alerted yet (of a drill:
/// only the drill group). None when there is no such step.
pub async fn targets(core: &Core, incident: &IncidentRow, step: i64) -> anyhow::Result<Option<Vec<i64>>> {
    let Some(reach) = reach_of(core, step) else {
        return Ok(None);
    };
    let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
        return Ok(None);
    };
    let alerted = core.store.alerted_for(incident.id).await?;
    let zones = match reach {
        Reach::Zones => zone_and_neighbours(core, incident),
        _ => Vec::new(),
    };
    let drill_role = &core.settings.dispatch.drill_role;
    let ids = core
        .store
        .available_volunteers()
        .await?
        .into_iter()
        .filter(|v| !alerted.contains(&v.id))
        .filter(|v| !incident.drill || v.has_role(drill_role))
        .filter(|v| match reach {
            Reach::Everyone => true,
            Reach::Radius(r) => core
                .area_of(&v.area)
                .is_some_and(|area| meets_circle(&area, lat, lon, r)),
            Reach::Zones => core
                .area_of(&v.area)
                .is_some_and(|area| zones.iter().any(|z| areas_meet(&area, z, 0.0))),
        })
        .map(|v| v.id)
        .collect();
    Ok(Some(ids))
}
