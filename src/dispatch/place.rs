//! An incident's place as volunteers are told it when tocsin knows it only roughly (a zone, a
//! street): the best place known with the reporter's own words; and, once a later report or a
//! dispatcher gives the exact place, that place to those coming and to verifiers still asked.

use crate::dispatch::message::{self, Head, Label, Place};
use crate::dispatch::{in_every_language, plan, quote};
use crate::domain::{AlertPurpose, ConfirmedBy, IncidentStatus, Kind};
use crate::state::Core;
use crate::store::alerts::Audience;
use crate::store::incidents::IncidentRow;
use crate::store::StoreError;

/// How every message about the incident is headed: CONFIRMED once a person (or a trusted
/// reporter) confirmed it, else UNCONFIRMED.
pub(crate) fn head_of(incident: &IncidentRow) -> Head {
    let confirmed = incident.status == IncidentStatus::Confirmed
        && incident.confirmed_by.is_some_and(ConfirmedBy::by_someone);
    Head {
        id: incident.id,
        drill: incident.drill,
        label: if confirmed {
            Label::Confirmed
        } else {
            Label::Unconfirmed
        },
    }
}

/// The words of the incident's first report, as they may be quoted (empty when none).
pub(crate) async fn reporter_words(core: &Core, incident_id: i64) -> Result<String, StoreError> {
    Ok(core
        .store
        .first_report_of(incident_id)
        .await?
        .map(|r| quote::quote(&r.body))
        .unwrap_or_default())
}

/// The rough place of an incident, for its messages.
pub(crate) fn place_of(incident: &IncidentRow) -> Option<Place<'_>> {
    Some(Place {
        lat: incident.lat?,
        lon: incident.lon?,
        zone: incident.zone.as_deref(),
    })
}

/// Sends the exact place of an incident just made exact: to the vetted volunteers coming (or
/// on scene), and, while it is undecided, the request to check again with the place to the
/// verifiers who have not answered. Failures are logged: the dashboard shows the place anyway.
pub async fn tell_exact(core: &Core, incident_id: i64) {
    if let Err(e) = try_tell_exact(core, incident_id).await {
        tracing::error!(incident_id, error = %e, "could not send the exact place");
    }
}

async fn try_tell_exact(core: &Core, incident_id: i64) -> Result<(), StoreError> {
    let Some(incident) = core.store.incident(incident_id).await? else {
        return Ok(());
    };
    let (Some(lat), Some(lon), false) = (incident.lat, incident.lon, incident.approximate) else {
        return Ok(());
    };
    let kind = Kind::parse(&incident.kind).unwrap_or(Kind::Other);
    let head = head_of(&incident);
    let signal_on = core.settings.signal_ready();
    let coming = core.store.coming_vetted(incident_id).await?;
    let verifiers = core.store.undecided_verifiers(incident_id).await?;
    let verify = |l| message::verify_request(l, incident_id, incident.drill, kind, lat, lon);
    let messages = [
        (
            &coming,
            in_every_language(|l| message::place_known(l, &head, kind, lat, lon)),
        ),
        (&verifiers, in_every_language(verify)),
    ];
    for (ids, bodies) in messages.iter().filter(|(ids, _)| !ids.is_empty()) {
        let audience = Audience::Volunteers { ids, signal_on };
        let n = plan(core, incident_id, AlertPurpose::Update, audience, bodies).await?;
        tracing::info!(incident_id, sent = n.unwrap_or(0), "exact place sent");
    }
    Ok(())
}
