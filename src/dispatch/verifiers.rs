//! Verifiers first: an unverified report with a place is sent, at once and before anyone else,
//! to the `dispatch.verifiers` volunteers with the verifier role whose home areas are nearest
//! (within `dispatch.verifier_max_m`), asking them to go and check. A verifier who was sent
//! `dispatch.max_checks_per_verifier_per_hour` requests in the last hour is passed over for
//! the next nearest, so that a flood of reports cannot bury anyone. With nobody in reach, the
//! dispatcher is told (log and live view) and decides alone.

use std::collections::HashMap;

use ::geo::InteriorPoint;

use crate::dispatch::{in_every_language, message, plan};
use crate::domain::{AlertPurpose, Kind};
use crate::geo::area::haversine_m;
use crate::geo::Area;
use crate::state::Core;
use crate::store::alerts::Audience;
use crate::store::escalation::Available;
use crate::store::incidents::IncidentRow;
use crate::store::now_ms;

/// Where a home area is, for "nearest": a circle's centre, a polygon's interior point.
fn centre(area: &Area) -> Option<(f64, f64)> {
    match area {
        Area::Circle { lat, lon, .. } => Some((*lat, *lon)),
        Area::Polygon(shape) => shape.interior_point().map(|p| (p.y(), p.x())),
    }
}

/// Asks the verifiers of every incident waiting for them: the nearest of those available now
/// (read once). With nobody in reach, the dispatcher is told; in one statement for all of them
/// when a flood of reports meets a network without verifiers.
pub async fn page_all(core: &Core, waiting: Vec<IncidentRow>) -> anyhow::Result<()> {
    if waiting.is_empty() {
        return Ok(());
    }
    let available: Vec<Available> = core
        .store
        .available_volunteers()
        .await?
        .into_iter()
        // Only the vetted verify: an infiltrator must never be the one who says "nothing here".
        .filter(|v| v.vetted && v.has_role("verifier"))
        .collect();
    if available.is_empty() {
        let ids: Vec<i64> = waiting.iter().map(|i| i.id).collect();
        nobody_in_reach(core, &ids).await?;
        return Ok(());
    }
    // Requests each was sent in the last hour, read once and counted on as this pass asks.
    let ids: Vec<i64> = available.iter().map(|v| v.id).collect();
    let mut recent = core.store.checks_since(&ids, now_ms() - HOUR_MS).await?;
    for incident in waiting {
        if let Err(e) = page(core, &incident, &available, &mut recent).await {
            tracing::error!(incident_id = incident.id, error = %e, "asking verifiers failed");
        }
    }
    Ok(())
}

/// Nobody can be asked: the incident needs a dispatcher, who is paged (`oncall`).
async fn nobody_in_reach(core: &Core, ids: &[i64]) -> anyhow::Result<()> {
    let marked = core.store.no_verifier_for(ids, now_ms()).await?;
    core.store
        .mark_needs_person(&marked, crate::domain::NeedsPerson::NoVerifier)
        .await?;
    for incident_id in marked {
        tracing::warn!(incident_id, "no verifier within reach: paging the dispatcher");
        core.events
            .publish(crate::events::Event::Incident { id: incident_id });
    }
    core.oncall_wake.notify_one();
    Ok(())
}

const HOUR_MS: i64 = 3_600_000;

/// Asks the nearest of `available` (the verifiers who can be alerted now) who have not had
/// their hourly share of requests (`recent`, counted on here).
async fn page(
    core: &Core,
    incident: &IncidentRow,
    available: &[Available],
    recent: &mut HashMap<i64, i64>,
) -> anyhow::Result<()> {
    let incident_id = incident.id;
    let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
        return Ok(());
    };
    let d = &core.settings.dispatch;
    let mut near: Vec<(f64, i64)> = available
        .iter()
        // A drill asks only verifiers who are in the drill group.
        .filter(|v| !incident.drill || v.has_role(&d.drill_role))
        .filter_map(|v| {
            let (vlat, vlon) = centre(&core.area_of(&v.area)?)?;
            let m = haversine_m(lat, lon, vlat, vlon);
            (m <= d.verifier_max_m).then_some((m, v.id))
        })
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    let cap = i64::from(d.max_checks_per_verifier_per_hour);
    let (free, busy): (Vec<i64>, Vec<i64>) = near
        .iter()
        .map(|(_, id)| *id)
        .partition(|id| recent.get(id).copied().unwrap_or(0) < cap);
    let chosen: Vec<i64> = free.into_iter().take(d.verifiers).collect();
    if !busy.is_empty() {
        tracing::info!(
            incident_id,
            at_cap = busy.len(),
            "verifiers at their hourly cap of requests passed over"
        );
    }
    if chosen.is_empty() {
        return nobody_in_reach(core, &[incident_id]).await;
    }
    let kind = Kind::parse(&incident.kind).unwrap_or(Kind::Other);
    let bodies = if incident.approximate {
        // Known only roughly: where it may be, and what the reporter said; no exact-looking link.
        let words = crate::dispatch::place::reporter_words(core, incident_id).await?;
        let head = crate::dispatch::place::head_of(incident);
        let place = message::Place {
            lat,
            lon,
            zone: incident.zone.as_deref(),
        };
        in_every_language(|l| message::verify_request_rough(l, &head, kind, &place, &words))
    } else {
        in_every_language(|l| message::verify_request(l, incident_id, incident.drill, kind, lat, lon))
    };
    let audience = Audience::Volunteers {
        ids: &chosen,
        signal_on: core.settings.signal_ready(),
    };
    match plan(core, incident_id, AlertPurpose::Verify, audience, &bodies).await? {
        // Chosen, but none could be written (paused or opted out meanwhile): the dispatcher decides.
        Some(0) => {
            core.store
                .mark_needs_person(&[incident_id], crate::domain::NeedsPerson::NoVerifier)
                .await?;
            tracing::warn!(incident_id, "no verifier could be asked: paging the dispatcher");
            core.events
                .publish(crate::events::Event::Incident { id: incident_id });
            core.oncall_wake.notify_one();
        }
        Some(n) => {
            for id in &chosen {
                *recent.entry(*id).or_insert(0) += 1;
            }
            tracing::info!(incident_id, verifiers = n, "verifiers asked to check")
        }
        None => {}
    }
    Ok(())
}
