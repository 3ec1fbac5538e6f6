//! Before a dispatcher's action texts anyone, how many it will text and on which channels:
//! the same audience the send will plan (a first alert: the volunteers whose areas hold the
//! point; an update or the end: everyone the first alert may have reached).

use crate::domain::IncidentStatus;
use crate::state::Core;
use crate::store::audience::Headcount;
use crate::store::incidents::IncidentRow;
use crate::store::now_ms;
use crate::store::StoreError;

/// What an action would send, counted now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sends {
    /// A first alert (confirming): these people.
    FirstAlert(Headcount),
    /// Confirming an incident not yet placed: nothing until it is placed.
    NotPlacedYet,
    /// An update, a correction, the all clear or the false alarm: these people.
    ToReached(Headcount),
    /// Placing (or merging into) an incident known only roughly: the exact place to these
    /// people (those coming, verifiers still asked).
    ExactPlace(Headcount),
}

impl Sends {
    pub fn headcount(&self) -> Headcount {
        match self {
            Sends::FirstAlert(h) | Sends::ToReached(h) | Sends::ExactPlace(h) => h.clone(),
            Sends::NotPlacedYet => Headcount::default(),
        }
    }
}

/// What `action` (a dashboard action's name) would send about incident `id`; None for an
/// action that texts nobody, or an incident that does not exist.
pub async fn of_action(core: &Core, id: i64, action: &str) -> Result<Option<Sends>, StoreError> {
    let Some(incident) = core.store.incident(id).await? else {
        return Ok(None);
    };
    match action {
        "verify" => {
            let (Some(lat), Some(lon)) = (incident.lat, incident.lon) else {
                return Ok(Some(Sends::NotPlacedYet));
            };
            Ok(Some(Sends::FirstAlert(
                first_alert_at(core, &incident, lat, lon).await?,
            )))
        }
        "update" | "correction" | "resolve" | "false_alarm" => {
            // Nobody alerted nor asked to check: no deliveries, nobody counted.
            let h = core.store.reach_of_first_alert(id).await?;
            Ok(Some(Sends::ToReached(h)))
        }
        _ => Ok(None),
    }
}

/// Who a first alert at (`lat`, `lon`) would reach now.
async fn first_alert_at(
    core: &Core,
    incident: &IncidentRow,
    lat: f64,
    lon: f64,
) -> Result<Headcount, StoreError> {
    let targets = super::area_targets(core, incident, lat, lon).await.map_err(|e| {
        match e.downcast::<StoreError>() {
            Ok(e) => e,
            Err(e) => StoreError::from(sqlx::Error::Protocol(e.to_string())),
        }
    })?;
    let signal_on = core.settings.signal_ready();
    core.store
        .reach_of_volunteers(&targets, signal_on, now_ms())
        .await
}

/// Who is sent the exact place of an incident known only roughly until now (`place::tell_exact`).
async fn exact_place(core: &Core, incident_id: i64) -> Result<Option<Sends>, StoreError> {
    let mut ids = core.store.coming_vetted(incident_id).await?;
    ids.extend(core.store.undecided_verifiers(incident_id).await?);
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(None);
    }
    let signal_on = core.settings.signal_ready();
    let h = core.store.reach_of_volunteers(&ids, signal_on, now_ms()).await?;
    Ok((h.people > 0).then_some(Sends::ExactPlace(h)))
}

/// What placing incident `id` at (`lat`, `lon`) would send, mirroring `actions::locate`: a
/// confirmed incident not placed yet is alerted there (asked even when nobody is in reach, as
/// confirming is); one known only roughly sends the exact place to those coming. None when
/// placing texts nobody (an undecided incident: its verifiers are asked as usual).
pub async fn of_place(core: &Core, id: i64, lat: f64, lon: f64) -> Result<Option<Sends>, StoreError> {
    let Some(incident) = core.store.incident(id).await? else {
        return Ok(None);
    };
    if incident.approximate {
        return exact_place(core, id).await;
    }
    if incident.status == IncidentStatus::Confirmed && incident.lat.is_none() {
        return Ok(Some(Sends::FirstAlert(
            first_alert_at(core, &incident, lat, lon).await?,
        )));
    }
    Ok(None)
}

/// What merging incident `from` into `into` would send, mirroring `actions::merge`: the exact
/// place, when `into` was known only roughly and `from` exactly.
pub async fn of_merge(core: &Core, from: i64, into: i64) -> Result<Option<Sends>, StoreError> {
    let (Some(source), Some(target)) = (core.store.incident(from).await?, core.store.incident(into).await?)
    else {
        return Ok(None);
    };
    if target.approximate && !source.approximate && source.lat.is_some() {
        return exact_place(core, into).await;
    }
    Ok(None)
}
