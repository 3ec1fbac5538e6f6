//! Before a dispatcher's action texts anyone, how many it will text and on which channels:
//! the same audience the send will plan (a first alert: the volunteers whose areas hold the
//! point; an update or the end: everyone the first alert may have reached).

use crate::state::Core;
use crate::store::audience::Headcount;
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
}

impl Sends {
    pub fn headcount(&self) -> Headcount {
        match self {
            Sends::FirstAlert(h) | Sends::ToReached(h) => h.clone(),
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
            let targets = super::area_targets(core, &incident, lat, lon)
                .await
                .map_err(|e| match e.downcast::<StoreError>() {
                    Ok(e) => e,
                    Err(e) => StoreError::from(sqlx::Error::Protocol(e.to_string())),
                })?;
            let signal_on = core.settings.signal_ready();
            let h = core
                .store
                .reach_of_volunteers(&targets, signal_on, now_ms())
                .await?;
            Ok(Some(Sends::FirstAlert(h)))
        }
        "update" | "correction" | "resolve" | "false_alarm" => {
            // Nobody alerted nor asked to check: no deliveries, nobody counted.
            let h = core.store.reach_of_first_alert(id).await?;
            Ok(Some(Sends::ToReached(h)))
        }
        _ => Ok(None),
    }
}
