//! Verifiers first: an unverified report with a place is sent, at once and before anyone else,
//! to the `dispatch.verifiers` volunteers with the verifier role whose home areas are nearest
//! (within `dispatch.verifier_max_m`), asking them to go and check. A verifier who was sent
//! `dispatch.max_checks_per_verifier_per_hour` requests in the last hour is passed over for
//! the next nearest, so that a flood of reports cannot bury anyone. Unanswered within
//! `dispatch.verifier_timeout_s`, the next nearest are asked, up to `dispatch.verifier_rounds`
//! rounds. With nobody in reach, or nobody answering, the dispatchers on duty are paged
//! (`oncall`).

use std::collections::{HashMap, HashSet};

use crate::dispatch::{in_every_language, message, plan_step};
use crate::domain::{AlertPurpose, Kind, NeedsPerson};
use crate::geo::area::haversine_m;
use crate::state::Core;
use crate::store::alerts::Audience;
use crate::store::escalation::Available;
use crate::store::incidents::IncidentRow;
use crate::store::now_ms;

/// The vetted verifiers who can be asked now: an infiltrator must never be the one who says
/// "nothing here".
async fn verifiers(core: &Core) -> anyhow::Result<Vec<Available>> {
    Ok(core
        .store
        .available_volunteers()
        .await?
        .into_iter()
        .filter(|v| v.vetted && v.has_role("verifier"))
        .collect())
}

/// Asks the verifiers of every incident waiting for them: the nearest of those available now
/// (read once). With nobody in reach, the dispatcher is paged; in one statement for all of them
/// when a flood of reports meets a network without verifiers.
pub async fn page_all(core: &Core, waiting: Vec<IncidentRow>) -> anyhow::Result<()> {
    if waiting.is_empty() {
        return Ok(());
    }
    let available = verifiers(core).await?;
    if available.is_empty() {
        let ids: Vec<i64> = waiting.iter().map(|i| i.id).collect();
        nobody_in_reach(core, &ids).await?;
        return Ok(());
    }
    // Requests each was sent in the last hour, read once and counted on as this pass asks.
    let ids: Vec<i64> = available.iter().map(|v| v.id).collect();
    let mut recent = core.store.checks_since(&ids, now_ms() - HOUR_MS).await?;
    for incident in waiting {
        let round = Round {
            step: 0,
            asked: HashSet::new(),
        };
        match page(core, &incident, &available, &mut recent, round).await {
            Ok(Some(0)) => nobody_in_reach(core, &[incident.id]).await?,
            Ok(_) => {}
            Err(e) => tracing::error!(incident_id = incident.id, error = %e, "asking verifiers failed"),
        }
    }
    Ok(())
}

/// Rounds after the first (issue 14 §3): an incident no verifier answered within
/// `dispatch.verifier_timeout_s` is sent to the next nearest verifiers; after
/// `dispatch.verifier_rounds` rounds, or with nobody left to ask, the dispatcher is paged.
pub async fn ask_again(core: &Core) -> anyhow::Result<()> {
    let d = &core.settings.dispatch;
    let due = core
        .store
        .incidents_to_recheck(now_ms() - d.verifier_timeout_s as i64 * 1000)
        .await?;
    if due.is_empty() {
        return Ok(());
    }
    let available = verifiers(core).await?;
    let ids: Vec<i64> = available.iter().map(|v| v.id).collect();
    let mut recent = core.store.checks_since(&ids, now_ms() - HOUR_MS).await?;
    for incident in due {
        let asked = if incident.verifier_rounds < i64::from(d.verifier_rounds) {
            let round = Round {
                step: incident.verifier_rounds,
                asked: core.store.verifiers_asked(incident.id).await?,
            };
            page(core, &incident, &available, &mut recent, round).await?
        } else {
            Some(0)
        };
        if asked == Some(0) {
            let marked = core
                .store
                .mark_needs_person(&[incident.id], NeedsPerson::VerifiersSilent)
                .await?;
            if !marked.is_empty() {
                tracing::warn!(
                    incident_id = incident.id,
                    "no verifier answered: paging the dispatcher"
                );
                core.events
                    .publish(crate::events::Event::Incident { id: incident.id });
                core.oncall_wake.notify_one();
            }
        }
    }
    Ok(())
}

/// Nobody can be asked: the incident is not looked at again, and needs a dispatcher, who is
/// paged (`oncall`).
async fn nobody_in_reach(core: &Core, ids: &[i64]) -> anyhow::Result<()> {
    core.store.no_verifier_for(ids, now_ms()).await?;
    let marked = core.store.mark_needs_person(ids, NeedsPerson::NoVerifier).await?;
    for incident_id in marked {
        tracing::warn!(incident_id, "no verifier within reach: paging the dispatcher");
        core.events
            .publish(crate::events::Event::Incident { id: incident_id });
    }
    core.oncall_wake.notify_one();
    Ok(())
}

const HOUR_MS: i64 = 3_600_000;

/// Which round of verifiers this is (its alert's step, 0 for the first) and who was asked in
/// earlier rounds (never asked again).
struct Round {
    step: i64,
    asked: HashSet<i64>,
}

/// Asks the nearest of `available` (the verifiers who can be alerted now) who were not asked
/// in an earlier round and have not had their hourly share of requests (`recent`, counted on
/// here). How many were asked: 0 when nobody could be (the caller decides what follows);
/// None when another instance asked first or the incident was decided meanwhile.
async fn page(
    core: &Core,
    incident: &IncidentRow,
    available: &[Available],
    recent: &mut HashMap<i64, i64>,
    round: Round,
) -> anyhow::Result<Option<u64>> {
    let incident_id = incident.id;
    let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
        return Ok(None);
    };
    let d = &core.settings.dispatch;
    let mut near: Vec<(f64, i64)> = available
        .iter()
        .filter(|v| !round.asked.contains(&v.id))
        // A drill asks only verifiers who are in the drill group.
        .filter(|v| !incident.drill || v.has_role(&d.drill_role))
        .filter_map(|v| {
            let (vlat, vlon) = core.area_of(&v.area)?.centre()?;
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
        return Ok(Some(0));
    }
    let bodies = request(core, incident, lat, lon).await?;
    let audience = Audience::Volunteers {
        ids: &chosen,
        signal_on: core.settings.signal_ready(),
    };
    let step = round.step;
    match plan_step(core, incident_id, AlertPurpose::Verify, step, audience, &bodies).await? {
        // Chosen, but none could be written (paused or opted out meanwhile).
        Some(0) => Ok(Some(0)),
        Some(n) => {
            for id in &chosen {
                *recent.entry(*id).or_insert(0) += 1;
            }
            if step > 0 {
                let cause = format!("no verifier answered: round {} asked {n} more", step + 1);
                core.store
                    .note_history(incident_id, incident.status, &cause)
                    .await?;
            }
            tracing::info!(
                incident_id,
                verifiers = n,
                round = step + 1,
                "verifiers asked to check"
            );
            Ok(Some(n))
        }
        // Another instance asked, or the incident was decided meanwhile.
        None => Ok(None),
    }
}

/// The request to check, as the verifiers read it.
async fn request(
    core: &Core,
    incident: &IncidentRow,
    lat: f64,
    lon: f64,
) -> anyhow::Result<crate::store::alerts::Bodies> {
    let kind = Kind::parse(&incident.kind).unwrap_or(Kind::Other);
    Ok(if incident.approximate {
        // Known only roughly: where it may be, and what the reporter said; no exact-looking link.
        let words = crate::dispatch::place::reporter_words(core, incident.id).await?;
        let head = crate::dispatch::place::head_of(incident);
        let place = message::Place {
            lat,
            lon,
            zone: incident.zone.as_deref(),
        };
        in_every_language(|l| message::verify_request_rough(l, &head, kind, &place, &words))
    } else {
        in_every_language(|l| message::verify_request(l, incident.id, incident.drill, kind, lat, lon))
    })
}
