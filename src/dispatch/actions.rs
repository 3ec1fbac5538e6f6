//! What a dispatcher can do to an incident. The JSON API and the dashboard both call these, so
//! there is one path, with one set of checks, for every action.

use crate::app::Core;
use crate::domain::{IncidentStatus, Kind};
use crate::events::Event;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("incident not found")]
    NotFound,
    /// The incident is in a state where this action makes no sense; the text says why.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn status_of(core: &Core, id: i64) -> Result<String, ActionError> {
    Ok(core
        .store
        .incident(id)
        .await?
        .ok_or(ActionError::NotFound)?
        .status)
}

fn changed(core: &Core, id: i64, dispatch: bool) {
    core.events.publish(Event::Incident { id });
    if dispatch {
        core.dispatch_wake.notify_one();
    }
}

pub async fn set_kind(core: &Core, id: i64, kind: Kind) -> Result<(), ActionError> {
    if !core.store.set_incident_kind(id, kind.as_str()).await? {
        return Err(ActionError::NotFound);
    }
    tracing::info!(incident_id = id, kind = %kind, "incident kind changed by dispatcher");
    changed(core, id, false);
    Ok(())
}

pub async fn locate(core: &Core, id: i64, lat: f64, lon: f64) -> Result<(), ActionError> {
    let status = status_of(core, id).await?;
    if !core.store.locate_incident(id, lat, lon).await? {
        return Err(ActionError::Conflict(format!(
            "the incident is {status} and already alerted or closed; it cannot be moved"
        )));
    }
    tracing::info!(incident_id = id, "incident located by dispatcher");
    changed(core, id, true);
    Ok(())
}

pub async fn verify(core: &Core, id: i64) -> Result<(), ActionError> {
    let status = status_of(core, id).await?;
    if !core.store.verify_incident(id).await? {
        return Err(ActionError::Conflict(format!(
            "the incident is {status}, not unverified"
        )));
    }
    tracing::info!(incident_id = id, "incident verified by dispatcher");
    changed(core, id, true);
    Ok(())
}

/// Resolves it or marks it a false alarm: queued alerts are cancelled and everyone already
/// alerted gets the all-clear.
pub async fn close(core: &Core, id: i64, status: IncidentStatus) -> Result<(), ActionError> {
    debug_assert!(!status.is_open());
    let current = status_of(core, id).await?;
    if !core.store.close_incident(id, status.as_str()).await? {
        return Err(ActionError::Conflict(format!(
            "the incident is already {current}"
        )));
    }
    tracing::info!(incident_id = id, status = %status, "incident closed by dispatcher");
    changed(core, id, true);
    Ok(())
}
