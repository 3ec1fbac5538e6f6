//! The roster of volunteers: adding and removing them keeps the database and the geofence
//! index in step. Used by the API and the CLI alike.

use crate::app::Core;
use crate::domain::{Language, Phone};
use crate::geo::Area;
use crate::store::volunteers::NewVolunteer;
use crate::store::StoreError;

/// A volunteer as given, already parsed and valid.
pub struct Signup {
    pub name: String,
    pub phone: Phone,
    pub language: Language,
    pub trusted: bool,
    pub area: Area,
}

pub async fn add(core: &Core, s: Signup) -> Result<i64, StoreError> {
    let id = core
        .store
        .insert_volunteer(NewVolunteer {
            name: &s.name,
            phone_enc: core.vault.encrypt(s.phone.e164()),
            phone_hash: core.vault.lookup_hash(s.phone.e164()),
            language: s.language.as_str(),
            trusted: s.trusted,
            area: s.area.to_json().to_string(),
        })
        .await?;
    core.index_set(id, Some(s.area));
    tracing::info!(volunteer_id = id, "volunteer added");
    core.events.publish(crate::events::Event::Volunteers);
    Ok(id)
}

/// Erases the volunteer's personal data; false if there was no such volunteer.
pub async fn remove(core: &Core, id: i64) -> Result<bool, StoreError> {
    let removed = core.store.remove_volunteer(id).await?;
    if removed {
        core.index_set(id, None);
        tracing::info!(volunteer_id = id, "volunteer removed");
        core.events.publish(crate::events::Event::Volunteers);
    }
    Ok(removed)
}

/// A name: 1 to 100 characters once trimmed.
pub fn parse_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err("name must be 1 to 100 characters");
    }
    Ok(name.to_string())
}
