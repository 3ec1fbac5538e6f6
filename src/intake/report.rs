//! A sighting becomes a stored report, then an incident (located, kind guessed, verified by
//! policy). The two steps are two transactions: if the second fails, the report is still there
//! and the dispatcher picks it up again.

use crate::config::AutoVerify;
use crate::domain::{ConfirmedBy, IncidentStatus, Kind, Language, LocatedBy};
use crate::intake::followup;
use crate::intake::guard;
pub(crate) use crate::intake::merging::Opening;
use crate::intake::placing::{locate, locate_remote};
use crate::intake::words::guess_kind;
use crate::state::Core;
use crate::store::followups::{Asked, Followup};
use crate::store::incidents::{IncidentRow, NewIncident};
use crate::store::reports::{self, NewReport};
use crate::store::{inbound, incidents, now_ms, StoreError};

/// One sighting as it arrived.
pub struct Sighting {
    pub channel: &'static str,
    pub text: String,
    pub language: Language,
    /// Where it is, when the sender said so outside the text (API).
    pub point: Option<(f64, f64)>,
    pub kind: Option<Kind>,
    /// Who sent it: their number, Signal account id, or whatever the provider called them
    /// (kept encrypted, erased after retention; limits and blocks key on it). None: entered by
    /// a dispatcher.
    pub reporter: Option<String>,
    /// The reporter, when their number is a volunteer's.
    pub volunteer: Option<(i64, bool)>,
    /// A drill (API only): labelled DRILL everywhere, alerting only the drill group.
    pub drill: bool,
    /// The message was longer than `domain::body::MAX_CHARS` and was cut there.
    pub truncated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Received {
    pub report_id: i64,
    pub incident_id: Option<i64>,
    /// Whether the sender should be answered (not blocked, not past their own limit).
    pub answered: bool,
    /// The report has a place (exact or approximate).
    pub placed: bool,
    /// A bare word with no sighting word and no place: held (flagged `asked`), no incident.
    pub held: bool,
}

/// Stores the sighting (once per `dedupe` key, if given) and turns it into an incident.
/// `Ok(None)`: this provider message was already received.
pub async fn receive(
    core: &Core,
    sighting: Sighting,
    dedupe: Option<(&str, &str)>,
) -> Result<Option<Received>, StoreError> {
    receive_as(core, sighting, dedupe, None, false).await
}

/// Stores a volunteer's unclear message as a report flagged `unclear` (unless the guard holds
/// it for a stronger reason): shown to the dispatcher, never an incident.
pub async fn receive_unclear(
    core: &Core,
    sighting: Sighting,
    dedupe: Option<(&str, &str)>,
) -> Result<Option<Received>, StoreError> {
    receive_as(core, sighting, dedupe, None, true).await
}

/// Stores and acts on a report. `answering`: the question its sender was asked, which it
/// answers (an answer to "where" places that question's incident rather than opening
/// another); `unclear`: a volunteer's message that is no answer, command nor sighting.
pub(crate) async fn receive_as(
    core: &Core,
    sighting: Sighting,
    dedupe: Option<(&str, &str)>,
    answering: Option<&Followup>,
    unclear: bool,
) -> Result<Option<Received>, StoreError> {
    let now = now_ms();
    let mut location = locate(core, sighting.point, &sighting.text);
    if location.point.is_none() {
        location = locate_remote(core, &sighting.text).await.unwrap_or(location);
    }
    let kind = sighting.kind.unwrap_or_else(|| guess_kind(&sighting.text));
    let reporter_hash = sighting.reporter.as_deref().map(|r| core.vault.lookup_hash(r));
    let mut flagged = guard::check(core, reporter_hash.as_deref(), &location, now).await?;
    if unclear && flagged.is_none_or(|f| f == guard::Flag::Repeat) {
        flagged = Some(guard::Flag::Unclear);
    }
    let asked_where = answering
        .filter(|f| f.asked == Asked::Where)
        .and_then(|f| f.incident_id);
    // A bare word from the hotline is kept but opens nothing: its sender is asked what and where.
    let held = flagged.is_none()
        && sighting.reporter.is_some()
        && asked_where.is_none()
        && location.point.is_none()
        && kind == Kind::Other
        && followup::is_bare(&sighting.text);
    let new = NewReport {
        channel: sighting.channel,
        body: sighting.text,
        language: sighting.language.as_str().to_string(),
        reporter: sighting.reporter,
        reporter_hash,
        volunteer_id: sighting.volunteer.map(|(id, _)| id),
        location: location.clone(),
        kind: kind.as_str().to_string(),
        received_at: now,
        flagged: flagged
            .map(guard::Flag::as_str)
            .or(held.then_some(followup::HELD)),
        drill: sighting.drill,
        truncated: sighting.truncated,
    };
    let mut tx = core.store.write().await?;
    if let Some((provider, message_id)) = dedupe {
        if !inbound::first_time(&mut tx, provider, message_id, now).await? {
            return Ok(None);
        }
    }
    let report_id = core.store.insert_report(&mut tx, &new).await?;
    tx.commit().await?;
    let located = location.located_by.map_or("no", LocatedBy::as_str);
    tracing::info!(report_id, channel = new.channel, located, kind = %kind, flagged = new.flagged, truncated = new.truncated, "report stored");
    core.metrics.report_received(new.channel, new.flagged);
    if flagged == Some(guard::Flag::OverHotlineLimit) {
        crate::oncall::flood(core).await;
    }
    let answered = flagged.is_none_or(guard::Flag::answered);
    let placed = location.point.is_some();
    if held || !flagged.is_none_or(guard::Flag::may_act) {
        // Kept for the dispatcher; it alerts nobody by itself.
        core.events.publish(crate::events::Event::Report {
            report_id,
            incident_id: None,
        });
        return Ok(Some(Received {
            report_id,
            incident_id: None,
            answered,
            placed,
            held,
        }));
    }

    let trusted = sighting.volunteer.is_some_and(|(_, trusted)| trusted);
    let opening = Opening {
        report_id,
        kind: &new.kind,
        location: &location,
        trusted,
        drill: new.drill,
    };
    let opened = match asked_where {
        Some(id) => followup::place(core, &opening, id).await,
        None => open_incident(core, &opening).await,
    };
    let incident_id = match opened {
        Ok(id) => Some(id),
        Err(e) => {
            // The report is safe; the dispatcher retries this step.
            tracing::error!(report_id, error = %e, "could not open an incident for the report");
            None
        }
    };
    if incident_id.is_some() {
        // Joined an incident already confirmed: its acknowledgement says so; no news to tell.
        if let Err(e) = core.store.told_if_confirmed(report_id, now_ms()).await {
            tracing::warn!(report_id, error = %e, "could not note the reporter as told");
        }
    }
    core.events.publish(crate::events::Event::Report {
        report_id,
        incident_id,
    });
    Ok(Some(Received {
        report_id,
        incident_id,
        answered,
        placed,
        held: false,
    }))
}

/// Who confirms a report as it arrives, under `dispatch.auto_verify`: a trusted reporter, or
/// the policy itself ("all": broadcast unconfirmed); None: it waits for verification.
pub(crate) fn confirmed_by(core: &Core, trusted: bool) -> Option<ConfirmedBy> {
    match core.settings.dispatch.auto_verify {
        AutoVerify::Trusted | AutoVerify::All if trusted => Some(ConfirmedBy::Trusted),
        AutoVerify::All => Some(ConfirmedBy::Policy),
        AutoVerify::Trusted | AutoVerify::None => None,
    }
}

pub(crate) async fn open_incident(core: &Core, o: &Opening<'_>) -> Result<i64, StoreError> {
    let Opening {
        report_id,
        kind,
        location,
        drill,
        ..
    } = *o;
    // Finding a nearby incident and opening one happen in one transaction, serialised with every
    // other report's: five people reporting one raid in the same second make one incident.
    let mut tx = core.store.write().await?;
    core.store.serialise_intake(&mut tx).await?;
    let near = crate::intake::merging::nearby(core, &mut tx, o).await?;
    let confirmed_by = confirmed_by(core, o.trusted).filter(|_| location.point.is_some());
    let incident_id = match &near {
        Some((_, incident)) => incident.id,
        None => {
            let (status, cause) = match confirmed_by {
                Some(ConfirmedBy::Trusted) => (IncidentStatus::Confirmed, "reported by a trusted volunteer"),
                Some(_) => (
                    IncidentStatus::Confirmed,
                    "auto_verify = all (nobody confirmed it)",
                ),
                None => (IncidentStatus::Unverified, "reported"),
            };
            let new = NewIncident {
                kind,
                status,
                cause,
                confirmed_by,
                drill,
                point: location.point,
                zone: location.zone.as_deref(),
                approximate: location.approximate,
                located_by: location.located_by,
                uncertainty_m: location.uncertainty_m,
            };
            incidents::create(&mut tx, &new).await?
        }
    };
    if !reports::set_incident(&mut tx, report_id, incident_id).await? {
        drop(tx); // rolls back an incident made for nothing
        let existing = core.store.report(report_id).await?.and_then(|r| r.incident_id);
        return Ok(existing.unwrap_or(incident_id));
    }
    tx.commit().await?;
    match near {
        Some((metres, incident)) => {
            tracing::info!(
                incident_id,
                report_id,
                metres = metres as u64,
                "report joined an open incident"
            );
            joined(core, o, &incident).await?;
            let why = "placed exactly by a later report";
            crate::intake::merging::sharpen(core, &incident, o, why).await;
        }
        None => {
            tracing::info!(
                incident_id,
                report_id,
                confirmed = confirmed_by.is_some(),
                "incident opened"
            );
            if confirmed_by.is_some() {
                core.dispatch_wake.notify_one();
            }
        }
    }
    Ok(incident_id)
}

/// After a report joined an incident: a trusted reporter's report confirms it (under the
/// `trusted` or `all` policy); a second independent reporter makes it `verifying`.
pub(crate) async fn joined(core: &Core, o: &Opening<'_>, incident: &IncidentRow) -> Result<(), StoreError> {
    let pending = incident.status.is_pending();
    match confirmed_by(core, o.trusted) {
        Some(by) if pending => {
            let cause = match by {
                ConfirmedBy::Trusted => "a trusted volunteer reported it too",
                _ => "auto_verify = all (nobody confirmed it)",
            };
            if core.store.confirm_incident(incident.id, by, cause).await? {
                tracing::info!(
                    incident_id = incident.id,
                    by = by.as_str(),
                    "incident confirmed by a joining report"
                );
                core.dispatch_wake.notify_one();
            }
        }
        // A second independent reporter: it is being verified, ahead of single reports. Counted
        // only while unverified: a flood joining one incident must not recount it every time.
        _ if incident.status == IncidentStatus::Unverified => {
            let reporters = core.store.reporters_of(incident.id).await?;
            if reporters >= 2
                && core
                    .store
                    .mark_verifying(incident.id, &format!("{reporters} independent reporters"))
                    .await?
            {
                tracing::info!(incident_id = incident.id, reporters, "incident is being verified");
            }
        }
        _ => {}
    }
    core.events
        .publish(crate::events::Event::Incident { id: incident.id });
    Ok(())
}
