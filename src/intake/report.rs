//! A sighting becomes a stored report, then an incident (located, kind guessed, verified by
//! policy). The two steps are two transactions: if the second fails, the report is still there
//! and the dispatcher picks it up again.

use crate::app::Core;
use crate::config::AutoVerify;
use crate::domain::{IncidentStatus, Kind, Language};
use crate::geo::locate_text;
use crate::intake::words::guess_kind;
use crate::store::reports::{self, NewReport, ReportRow};
use crate::store::{inbound, incidents, now_ms, StoreError};

/// One sighting as it arrived.
pub struct Sighting {
    pub channel: &'static str,
    pub text: String,
    pub language: Language,
    /// Where it is, when the sender said so outside the text (API).
    pub point: Option<(f64, f64)>,
    pub kind: Option<Kind>,
    /// The reporter's number or Signal account id (kept encrypted, erased after retention).
    pub reporter: Option<String>,
    /// The reporter, when their number is a volunteer's.
    pub volunteer: Option<(i64, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Received {
    pub report_id: i64,
    pub incident_id: Option<i64>,
}

/// Stores the sighting (once per `dedupe` key, if given) and turns it into an incident.
/// `Ok(None)`: this provider message was already received.
pub async fn receive(
    core: &Core,
    sighting: Sighting,
    dedupe: Option<(&str, &str)>,
) -> Result<Option<Received>, StoreError> {
    let now = now_ms();
    let (lat, lon) = match sighting.point.or_else(|| locate_text(&sighting.text)) {
        Some((lat, lon)) => (Some(lat), Some(lon)),
        None => (None, None),
    };
    let kind = sighting.kind.unwrap_or_else(|| guess_kind(&sighting.text));
    let new = NewReport {
        channel: sighting.channel,
        body: sighting.text,
        language: sighting.language.as_str().to_string(),
        reporter_enc: sighting.reporter.as_deref().map(|r| core.vault.encrypt(r)),
        reporter_hash: sighting.reporter.as_deref().map(|r| core.vault.lookup_hash(r)),

        volunteer_id: sighting.volunteer.map(|(id, _)| id),
        lat,
        lon,
        kind: kind.as_str().to_string(),
        received_at: now,
    };
    let mut tx = core.store.begin().await?;
    if let Some((provider, message_id)) = dedupe {
        if !inbound::first_time(&mut tx, provider, message_id, now).await? {
            return Ok(None);
        }
    }
    let report_id = reports::insert(&mut tx, &new).await?;
    tx.commit().await?;
    tracing::info!(report_id, channel = new.channel, located = lat.is_some(), kind = %kind, "report stored");

    let trusted = sighting.volunteer.is_some_and(|(_, trusted)| trusted);
    let incident_id = match open_incident(core, report_id, &new.kind, lat.zip(lon), trusted).await {
        Ok(id) => Some(id),
        Err(e) => {
            // The report is safe; the dispatcher retries this step.
            tracing::error!(report_id, error = %e, "could not open an incident for the report");
            None
        }
    };
    core.events.publish(crate::events::Event::Report {
        report_id,
        incident_id,
    });
    Ok(Some(Received {
        report_id,
        incident_id,
    }))
}

/// Opens the incident of a stored report that has none yet (after a crash between the steps).
pub async fn resume(core: &Core, report: &ReportRow) -> Result<i64, StoreError> {
    let trusted = match report.volunteer_id {
        Some(id) => core.store.volunteer(id).await?.is_some_and(|v| v.trusted),
        None => false,
    };
    open_incident(core, report.id, &report.kind, report.lat.zip(report.lon), trusted).await
}

async fn open_incident(
    core: &Core,
    report_id: i64,
    kind: &str,
    point: Option<(f64, f64)>,
    trusted: bool,
) -> Result<i64, StoreError> {
    let verified = point.is_some()
        && match core.settings.dispatch.auto_verify {
            AutoVerify::All => true,
            AutoVerify::Trusted => trusted,
            AutoVerify::None => false,
        };
    let status = if verified {
        IncidentStatus::Verified
    } else {
        IncidentStatus::Unverified
    };
    let mut tx = core.store.begin().await?;
    let (lat, lon) = (point.map(|p| p.0), point.map(|p| p.1));
    let incident_id = incidents::create(&mut tx, kind, status.as_str(), lat, lon).await?;
    if !reports::set_incident(&mut tx, report_id, incident_id).await? {
        drop(tx); // rolls back the incident made for nothing
        let existing = core.store.report(report_id).await?.and_then(|r| r.incident_id);
        return Ok(existing.unwrap_or(incident_id));
    }
    tx.commit().await?;

    tracing::info!(incident_id, report_id, status = %status, "incident opened");
    if verified {
        core.dispatch_wake.notify_one();
    }
    Ok(incident_id)
}
