//! The roster of volunteers: adding, changing, pausing and removing them keeps the database and
//! the geofence index in step and writes the audit log. Used by the API, the dashboard and the
//! CLI alike.

use crate::app::Core;
use crate::audit::{self, Actor, Subject};
use crate::domain::{Language, Phone};
use crate::geo::Area;
use crate::store::volunteers::{NewVolunteer, VolunteerEdit};
use crate::store::StoreError;

/// A volunteer as given, already parsed and valid.
pub struct Signup {
    pub name: String,
    pub phone: Phone,
    pub language: Language,
    pub trusted: bool,
    pub area: Area,
}

/// What can change about a volunteer, already parsed and valid.
pub struct Edit {
    pub name: String,
    pub language: Language,
    pub trusted: bool,
    pub area: Area,
}

fn changed(core: &Core) {
    core.events.publish(crate::events::Event::Volunteers);
}

pub async fn add(core: &Core, actor: &Actor, s: Signup) -> Result<i64, StoreError> {
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
    tracing::info!(volunteer_id = id, actor = actor.name(), "volunteer added");
    audit::record(core, actor, "volunteer_add", Subject::Volunteer(id), "").await;
    changed(core);
    Ok(id)
}

/// Changes name, language, trust and home area; false if there is no such volunteer.
pub async fn edit(core: &Core, actor: &Actor, id: i64, e: Edit) -> Result<bool, StoreError> {
    let Some(before) = core.store.volunteer(id).await? else {
        return Ok(false);
    };
    let edit = VolunteerEdit {
        name: &e.name,
        language: e.language.as_str(),
        trusted: e.trusted,
        area: e.area.to_json().to_string(),
    };
    if !core.store.update_volunteer(id, edit).await? {
        return Ok(false);
    }
    if !before.opted_out && !before.paused {
        core.index_set(id, Some(e.area));
    }
    tracing::info!(volunteer_id = id, actor = actor.name(), "volunteer changed");
    audit::record(core, actor, "volunteer_edit", Subject::Volunteer(id), "").await;
    changed(core);
    Ok(true)
}

/// A paused volunteer is not alerted until un-paused; false if there is no such volunteer.
pub async fn set_paused(core: &Core, actor: &Actor, id: i64, paused: bool) -> Result<bool, StoreError> {
    if !core.store.set_paused(id, paused).await? {
        return Ok(false);
    }
    let area = match (paused, core.store.volunteer(id).await?) {
        (false, Some(v)) if !v.opted_out => serde_json::from_str(&v.area)
            .ok()
            .and_then(|a| Area::from_json(&a).ok()),
        _ => None,
    };
    core.index_set(id, area);
    tracing::info!(
        volunteer_id = id,
        paused,
        actor = actor.name(),
        "volunteer pause changed"
    );
    let action = if paused {
        "volunteer_pause"
    } else {
        "volunteer_resume"
    };
    audit::record(core, actor, action, Subject::Volunteer(id), "").await;
    changed(core);
    Ok(true)
}

/// Erases the volunteer's personal data; false if there was no such volunteer.
pub async fn remove(core: &Core, actor: &Actor, id: i64) -> Result<bool, StoreError> {
    let removed = core.store.remove_volunteer(id).await?;
    if removed {
        core.index_set(id, None);
        tracing::info!(volunteer_id = id, actor = actor.name(), "volunteer removed");
        audit::record(core, actor, "volunteer_remove", Subject::Volunteer(id), "").await;
        changed(core);
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
