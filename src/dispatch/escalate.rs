//! Escalation: a confirmed incident's alert says how many responders are wanted. When fewer
//! than that say they are coming within `dispatch.escalate_after_s` of the latest alert, the
//! alert widens: everyone available whose home area meets a circle of each radius in
//! `dispatch.escalation_radii_m` around the point, then (with `escalate_to_everyone`) everyone
//! available. Each step alerts only people not alerted yet, is written to the incident's history,
//! and counts in `escalation_step`. A drill never reaches beyond the drill group.

use crate::app::Core;
use crate::dispatch::{alert_bodies, plan_step};
use crate::domain::AlertPurpose;
use crate::geo::reach::meets_circle;
use crate::store::alerts::Audience;
use crate::store::incidents::IncidentRow;
use crate::store::now_ms;

/// What step `k` (1-based) reaches.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reach {
    Radius(f64),
    Everyone,
}

fn reach_of(core: &Core, step: i64) -> Option<Reach> {
    let d = &core.settings.dispatch;
    let k = usize::try_from(step).ok()?.checked_sub(1)?;
    match d.escalation_radii_m.get(k) {
        Some(r) => Some(Reach::Radius(*r)),
        None if k == d.escalation_radii_m.len() && d.escalate_to_everyone => Some(Reach::Everyone),
        None => None,
    }
}

/// How many steps there are after the first alert.
fn steps(core: &Core) -> i64 {
    let d = &core.settings.dispatch;
    d.escalation_radii_m.len() as i64 + i64::from(d.escalate_to_everyone)
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
    let responding = counts.coming + counts.on_scene;
    if responding >= incident.wanted {
        return Ok(());
    }
    let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
        return Ok(());
    };
    let bodies = alert_bodies(core, incident, lat, lon);
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
            _ => "everyone available".into(),
        };
        let group = if incident.drill { " of the drill group" } else { "" };
        let cause = format!(
            "escalation step {step}: {responding} of {} responding; {reach}{group}, {n} more alerts",
            incident.wanted
        );
        core.store.note_history(incident.id, "confirmed", &cause).await?;
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
        })
        .map(|v| v.id)
        .collect();
    Ok(Some(ids))
}
