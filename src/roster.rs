//! The roster of volunteers: adding, changing, pausing and removing them keeps the database and
//! the geofence index in step and writes the audit log. Used by the API, the dashboard and the
//! CLI alike.

use crate::app::Core;
use crate::audit::{self, Actor, Subject};
use crate::domain::{Language, Phone, Reach, SignalId};
use crate::events::Event;
use crate::geo::{Area, AreaError};
use crate::store::volunteers::{NewVolunteer, VolunteerEdit};
use crate::store::StoreError;

/// A volunteer as given, already parsed and valid.
pub struct Signup {
    pub name: String,
    pub phone: Phone,
    pub language: Language,
    pub trusted: bool,
    pub area: HomeArea,
    pub reach: Reach,
    /// Their Signal account id, when it is not their phone number.
    pub signal_id: Option<SignalId>,
    /// `verifier`: asked to check unverified reports near them before anyone else is called;
    /// the drill role (`dispatch.drill_role`): alerted by drills. Checked by `check_roles`.
    pub roles: Vec<String>,
}

/// Roles from the two yes/no choices the CLI and the dashboard offer: verifier, drill group.
pub fn roles_of(core: &Core, verifier: bool, drill: bool) -> Vec<String> {
    let mut roles = Vec::new();
    if verifier {
        roles.push("verifier".to_string());
    }
    if drill {
        roles.push(core.settings.dispatch.drill_role.clone());
    }
    roles
}

/// The roles a volunteer may have: `verifier`, and the drill group's role. Err: why not.
pub fn check_roles(core: &Core, roles: &[String]) -> Result<(), String> {
    let drill = &core.settings.dispatch.drill_role;
    match roles.iter().find(|r| r.as_str() != "verifier" && *r != drill) {
        Some(bad) => Err(format!(
            "{bad:?} is not a role; roles are \"verifier\" and {drill:?}"
        )),
        None => Ok(()),
    }
}

/// What can change about a volunteer, already parsed and valid.
pub struct Edit {
    pub name: String,
    pub language: Language,
    pub trusted: bool,
    pub area: HomeArea,
    /// None: the channel stays as it is.
    pub reach: Option<Reach>,
    /// Checked by `check_roles`.
    pub roles: Vec<String>,
}

fn roles_text(roles: &[String]) -> String {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    roles.join(",")
}

fn changed(core: &Core) {
    core.events.publish(Event::Volunteers);
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
            channel: s.reach.as_str(),
            signal_enc: s.signal_id.as_ref().map(|id| core.vault.encrypt(id.as_str())),
            signal_hash: s.signal_id.as_ref().map(|id| core.vault.lookup_hash(id.as_str())),
            roles: roles_text(&s.roles),
        })
        .await?;
    core.index_set(id, s.area.resolve(core));
    tracing::info!(
        volunteer_id = id,
        channel = s.reach.as_str(),
        actor = actor.name(),
        "volunteer added"
    );
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
        channel: e.reach.map(Reach::as_str).unwrap_or(&before.channel),
        roles: roles_text(&e.roles),
    };
    if !core.store.update_volunteer(id, edit).await? {
        return Ok(false);
    }
    if !before.opted_out && !before.paused {
        core.index_set(id, e.area.resolve(core));
    }
    tracing::info!(volunteer_id = id, actor = actor.name(), "volunteer changed");
    audit::record(core, actor, "volunteer_edit", Subject::Volunteer(id), "").await;
    changed(core);
    Ok(true)
}

/// Replaces a volunteer's roles (checked by `check_roles`); false if there is no such volunteer.
pub async fn set_roles(core: &Core, actor: &Actor, id: i64, roles: &[String]) -> Result<bool, StoreError> {
    let roles = roles_text(roles);
    if !core.store.set_roles(id, &roles).await? {
        return Ok(false);
    }
    tracing::info!(volunteer_id = id, actor = actor.name(), "volunteer roles changed");
    audit::record(core, actor, "volunteer_roles", Subject::Volunteer(id), &roles).await;
    changed(core);
    Ok(true)
}

/// A paused volunteer is not alerted until un-paused; false if there is no such volunteer.
pub async fn set_paused(core: &Core, actor: &Actor, id: i64, paused: bool) -> Result<bool, StoreError> {
    if !core.store.set_paused(id, paused).await? {
        return Ok(false);
    }
    if !paused {
        // A dispatcher's resume also lifts a pause the volunteer set by text.
        let clear = crate::store::volunteers::SelfChange::PausedUntil(None);
        core.store.change_self(id, clear).await?;
    }
    let area = match (paused, core.store.volunteer(id).await?) {
        (false, Some(v)) if !v.opted_out => core.area_of(&v.area),
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

/// Records a carrier opt-out (STOP, Twilio 21610) or opt-in (START), and takes the volunteer
/// out of (or back into) the geofence index.
pub async fn set_opted_out(core: &Core, id: i64, opted_out: bool) -> Result<(), StoreError> {
    core.store.set_opted_out(id, opted_out).await?;
    index_subscription(core, id, opted_out).await
}

/// The index side of an opt-out or opt-in already stored.
pub async fn index_subscription(core: &Core, id: i64, opted_out: bool) -> Result<(), StoreError> {
    let area = if opted_out {
        None
    } else {
        core.store
            .volunteer(id)
            .await?
            .and_then(|v| core.area_of(&v.area))
    };
    core.index_set(id, area);
    tracing::info!(volunteer_id = id, opted_out, "volunteer subscription changed");
    core.events.publish(Event::Volunteers);
    Ok(())
}

/// Where a volunteer covers: a circle or polygon, or a named zone (which follows the zone's
/// shape when it is re-imported).
#[derive(Debug, Clone)]
pub enum HomeArea {
    Shape(Area),
    Zone(String),
}

impl HomeArea {
    /// `{"type":"zone","zone":"<name or alias>"}`, a circle, or a GeoJSON geometry.
    pub fn from_json(core: &Core, v: &serde_json::Value) -> Result<HomeArea, AreaError> {
        if v.get("type").and_then(|t| t.as_str()) != Some("zone") {
            return Area::from_json(v).map(HomeArea::Shape);
        }
        let name = v.get("zone").and_then(|z| z.as_str()).unwrap_or("");
        match core.zones().get(name) {
            Some(zone) => Ok(HomeArea::Zone(zone.name.clone())),
            None => Err(AreaError {
                field: "area.zone".into(),
                reason: format!("unknown zone {name:?}"),
            }),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            HomeArea::Shape(area) => area.to_json(),
            HomeArea::Zone(name) => serde_json::json!({"type": "zone", "zone": name}),
        }
    }

    pub fn resolve(&self, core: &Core) -> Option<Area> {
        match self {
            HomeArea::Shape(area) => Some(area.clone()),
            HomeArea::Zone(name) => core.zones().get(name).map(|z| z.area()),
        }
    }
}

/// What a stored home area is, in a few words for the volunteer (STATUS) and the dashboard.
pub fn describe_area(json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    match v.get("type").and_then(|t| t.as_str()) {
        Some("zone") => v.get("zone").and_then(|z| z.as_str()).unwrap_or("?").to_string(),
        Some("circle") => {
            let r = v.get("radius_m").and_then(|r| r.as_f64()).unwrap_or(0.0);
            let lat = v.get("lat").and_then(|r| r.as_f64()).unwrap_or(0.0);
            let lon = v.get("lon").and_then(|r| r.as_f64()).unwrap_or(0.0);
            format!("{r:.0} m around {lat:.4},{lon:.4}")
        }
        _ => "a drawn area".to_string(),
    }
}

/// A name: 1 to 100 characters once trimmed.
pub fn parse_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err("name must be 1 to 100 characters");
    }
    Ok(name.to_string())
}

/// The last four digits, all a list needs to tell people apart.
pub fn last4(phone: &str) -> String {
    let skip = phone.chars().count().saturating_sub(4);
    phone.chars().skip(skip).collect()
}
