//! Zones as a use case: importing them (from a GeoJSON collection or an extract's boundaries),
//! and removing one, keep the database, this instance's index and the audit log in step. Used
//! by the API, the CLI and `places import --zones` alike (as `roster` is for volunteers).

use crate::audit::{self, Actor, Subject};
use crate::geo::zones::{parse_collection, Zone};
use crate::state::Core;
use crate::store::zones::ZoneRow;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ZoningError {
    /// The collection is not usable: why (it names the feature and field).
    #[error("{0}")]
    Invalid(String),
    /// Volunteers have it as their home area: removing it would silently stop their alerts.
    #[error("{0} volunteers cover this zone: give them another area first")]
    InUse(i64),
    #[error("no such zone")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Stored, but this instance could not reload them (the others will within a pass).
    #[error("the zones were stored but could not be loaded: {0}")]
    Reload(anyhow::Error),
}

/// Imports a GeoJSON FeatureCollection of zones (a zone of the same name is replaced); how many.
pub async fn import_collection(
    core: &Core,
    actor: &Actor,
    json: &serde_json::Value,
) -> Result<usize, ZoningError> {
    let zones = parse_collection(json).map_err(ZoningError::Invalid)?;
    import(core, actor, &zones).await
}

/// Imports zones already read and checked (an extract's boundaries); how many.
pub async fn import(core: &Core, actor: &Actor, zones: &[Zone]) -> Result<usize, ZoningError> {
    let rows = ZoneRow::from_zones(zones);
    core.store.upsert_zones(&rows).await?;
    core.refresh_index().await.map_err(ZoningError::Reload)?;
    tracing::info!(zones = rows.len(), "zones imported");
    let detail = audit::zones_detail(&rows);
    audit::record(core, actor, "zones_import", Subject::None, &detail).await;
    Ok(rows.len())
}

/// Removes a zone nobody has as their home area.
pub async fn remove(core: &Core, actor: &Actor, name: &str) -> Result<(), ZoningError> {
    let users = core.store.zone_users(name).await?;
    if users > 0 {
        return Err(ZoningError::InUse(users));
    }
    if !core.store.remove_zone(name).await? {
        return Err(ZoningError::NotFound);
    }
    core.refresh_index().await.map_err(ZoningError::Reload)?;
    audit::record(core, actor, "zone_remove", Subject::None, name).await;
    Ok(())
}
