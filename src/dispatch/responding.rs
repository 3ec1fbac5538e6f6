//! Escalation driven by answers (issue 14 §4): every "can't" brings in one replacement at once,
//! the nearest available volunteer not alerted yet within the widest escalation radius; once
//! `wanted` are coming, everyone alerted who has not answered is told to stand by
//! (`dispatch.enough_notice`), and escalation stops until someone drops out. The replacement's
//! alert says how many are still needed.

use crate::dispatch::{alert_bodies, in_every_language, plan, plan_step};
use crate::domain::{AlertPurpose, IncidentStatus, Language};
use crate::geo::area::haversine_m;
use crate::geo::reach::meets_circle;
use crate::i18n::text;
use crate::state::Core;
use crate::store::alerts::Audience;
use crate::store::incidents::IncidentRow;
use crate::store::now_ms;
use crate::store::responding::{Tally, REPLACEMENT_SEQ};

/// Without escalation radii, a replacement is looked for this far (metres).
const DEFAULT_REACH_M: f64 = 5000.0;

/// Acts on every confirmed incident's answers: replacements first, then the stand-by notice.
pub async fn due(core: &Core) -> anyhow::Result<()> {
    for tally in core.store.tallies().await? {
        if let Err(e) = act(core, &tally).await {
            tracing::error!(incident_id = tally.incident_id, error = %e, "acting on answers failed");
        }
    }
    Ok(())
}

async fn act(core: &Core, tally: &Tally) -> anyhow::Result<()> {
    if tally.responding >= tally.wanted {
        if core.settings.dispatch.enough_notice && !tally.told_enough {
            enough(core, tally).await?;
        }
        return Ok(());
    }
    if tally.cant > tally.replacements {
        replace(core, tally).await?;
    }
    Ok(())
}

/// One more volunteer for one who can't (one per pass: the next pass takes the next).
async fn replace(core: &Core, tally: &Tally) -> anyhow::Result<()> {
    let Some(incident) = core.store.incident(tally.incident_id).await? else {
        return Ok(());
    };
    let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
        return Ok(());
    };
    let next = nearest_not_alerted(core, &incident, lat, lon).await?;
    let step = REPLACEMENT_SEQ + tally.replacements + 1;
    let ids: Vec<i64> = next.into_iter().collect();
    let audience = Audience::Volunteers {
        ids: &ids,
        signal_on: core.settings.signal_ready(),
    };
    let bodies = alert_bodies(core, &incident, lat, lon, tally.responding);
    // Nobody left to ask is recorded too: the "can't" is not looked at again.
    let Some(n) = plan_step(core, incident.id, AlertPurpose::First, step, audience, &bodies).await? else {
        return Ok(());
    };
    let cause = match n {
        0 => "a volunteer can't come: nobody else within reach to ask".to_string(),
        _ => format!(
            "a volunteer can't come: the next nearest alerted ({} of {} responding)",
            tally.responding, tally.wanted
        ),
    };
    core.store
        .note_history(incident.id, IncidentStatus::Confirmed, &cause)
        .await?;
    tracing::info!(incident_id = incident.id, deliveries = n, "replacement alerted");
    Ok(())
}

/// The available volunteer nearest the point whose home area meets the widest escalation
/// circle and who was not alerted for the incident yet (of a drill: in the drill group).
async fn nearest_not_alerted(
    core: &Core,
    incident: &IncidentRow,
    lat: f64,
    lon: f64,
) -> anyhow::Result<Option<i64>> {
    let d = &core.settings.dispatch;
    let reach = d.escalation_radii_m.iter().copied().fold(0.0, f64::max);
    let reach = if reach > 0.0 { reach } else { DEFAULT_REACH_M };
    let alerted = core.store.alerted_for(incident.id).await?;
    let mut best: Option<(f64, i64)> = None;
    for v in core.store.available_volunteers().await? {
        if alerted.contains(&v.id) || (incident.drill && !v.has_role(&d.drill_role)) {
            continue;
        }
        let Some(area) = core.area_of(&v.area) else {
            continue;
        };
        if !meets_circle(&area, lat, lon, reach) {
            continue;
        }
        let Some((vlat, vlon)) = area.centre() else {
            continue;
        };
        let m = haversine_m(lat, lon, vlat, vlon);
        if best.is_none_or(|(b, _)| m < b) {
            best = Some((m, v.id));
        }
    }
    Ok(best.map(|(_, id)| id))
}

/// Everyone alerted who has not answered: enough are coming, stand by.
async fn enough(core: &Core, tally: &Tally) -> anyhow::Result<()> {
    if !core.store.claim_enough(tally.incident_id, now_ms()).await? {
        return Ok(());
    }
    let silent = core.store.alerted_silent(tally.incident_id).await?;
    let id = tally.incident_id;
    let mut cause = format!(
        "{} of {} coming: escalation stops",
        tally.responding, tally.wanted
    );
    if !silent.is_empty() {
        let bodies = in_every_language(|l: Language| text(l, "enough", &[("id", id.to_string())]));
        let audience = Audience::Volunteers {
            ids: &silent,
            signal_on: core.settings.signal_ready(),
        };
        let n = plan(core, id, AlertPurpose::Update, audience, &bodies).await?;
        cause.push_str(&format!("; {} told to stand by", n.unwrap_or(0)));
    }
    core.store
        .note_history(id, IncidentStatus::Confirmed, &cause)
        .await?;
    tracing::info!(incident_id = id, silent = silent.len(), "enough are coming");
    Ok(())
}

/// Surplus redirected (issue 14 §5): a volunteer who says they are coming to an incident that
/// already has `wanted` coming is offered the nearest confirmed incident within
/// `dispatch.surplus_m` that is short, in the same reply ("#12 has enough. #14, 2 km away,
/// needs 3: reply Y14"). Only the vetted are offered (only they count). None: nothing to offer.
pub async fn surplus_offer(
    core: &Core,
    incident_id: i64,
    volunteer_id: i64,
    channel: crate::domain::Channel,
    language: Language,
) -> anyhow::Result<Option<String>> {
    let d = &core.settings.dispatch;
    if d.surplus_m <= 0.0 {
        return Ok(None);
    }
    let tallies = core.store.tallies().await?;
    let Some(own) = tallies.iter().find(|t| t.incident_id == incident_id) else {
        return Ok(None);
    };
    // Their own Y is counted already: more than wanted means they are one too many.
    if own.responding <= own.wanted {
        return Ok(None);
    }
    let Some(here) = core.store.incident(incident_id).await? else {
        return Ok(None);
    };
    let (Some(lat), Some(lon)) = (here.lat, here.lon) else {
        return Ok(None);
    };
    let mut best: Option<(f64, IncidentRow, i64)> = None;
    for t in tallies
        .iter()
        .filter(|t| t.incident_id != incident_id && t.responding < t.wanted)
    {
        let Some(other) = core.store.incident(t.incident_id).await? else {
            continue;
        };
        let (Some(olat), Some(olon)) = (other.lat, other.lon) else {
            continue;
        };
        let m = haversine_m(lat, lon, olat, olon);
        if m <= d.surplus_m && other.drill == here.drill && best.as_ref().is_none_or(|(b, _, _)| m < *b) {
            best = Some((m, other, t.wanted - t.responding));
        }
    }
    let Some((m, other, short)) = best else {
        return Ok(None);
    };
    let km = format!("{:.1}", m / 1000.0);
    let args = [
        ("id", incident_id.to_string()),
        ("other", other.id.to_string()),
        ("km", km),
        ("n", short.to_string()),
    ];
    let offer = text(language, "surplus", &args);
    if !core
        .store
        .record_offer(other.id, volunteer_id, channel.as_str(), &offer, now_ms())
        .await?
    {
        return Ok(None);
    }
    core.store
        .note_history(
            other.id,
            IncidentStatus::Confirmed,
            &format!("a volunteer with #{incident_id}, which has enough, was offered this one"),
        )
        .await?;
    core.events
        .publish(crate::events::Event::Incident { id: other.id });
    Ok(Some(offer))
}
