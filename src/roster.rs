//! The roster of volunteers: adding, changing, pausing and removing them keeps the database and
//! the geofence index in step and writes the audit log. Used by the API, the dashboard and the
//! CLI alike.

use crate::audit::{self, Actor, Subject};
use crate::domain::{CallWhen, Language, Phone, Reach, SignalId, Standing};
use crate::events::Event;
use crate::geo::{Area, AreaError};
use crate::state::Core;
use crate::store::volunteers::{NewVolunteer, VolunteerEdit, VolunteerRow};
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

/// Whether the volunteer belongs in the geofence index: subscribed, not paused by a dispatcher,
/// not waiting for approval.
pub fn alertable(v: &VolunteerRow) -> bool {
    !v.opted_out && !v.paused && v.standing.alertable()
}

/// Who holds a volunteer's pause. A dispatcher's (the `paused` flag, from the dashboard, the
/// CLI or an API token) outranks the volunteer's own: RESUME by text cannot lift it, and it
/// lasts until a dispatcher resumes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PausedBy {
    Volunteer,
    Dispatcher,
}

impl PausedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            PausedBy::Volunteer => "volunteer",
            PausedBy::Dispatcher => "dispatcher",
        }
    }
}

/// A volunteer's pause as it stands at `now`: who holds it and when it ends by itself (None:
/// until resumed). None when they are not paused (a pause by text that has run out is over).
pub fn pause_of(v: &VolunteerRow, now: i64) -> Option<(PausedBy, Option<i64>)> {
    if v.paused {
        return Some((PausedBy::Dispatcher, None));
    }
    match v.paused_until.filter(|u| *u > now)? {
        crate::intake::commands::UNTIL_RESUMED => Some((PausedBy::Volunteer, None)),
        until => Some((PausedBy::Volunteer, Some(until))),
    }
}

/// Adds a volunteer on a dispatcher's or operator's word: approved. A number (or Signal
/// address) already on the roster is a `Conflict`, audited as `volunteer_add_existing`; callers
/// that must not reveal who is a member answer it as they answer a new one.
pub async fn add(core: &Core, actor: &Actor, s: Signup) -> Result<i64, StoreError> {
    insert(core, actor, s, Standing::Approved).await
}

/// Adds a volunteer who joined by text, with the standing `join.approval` gives joiners.
pub async fn join(core: &Core, s: Signup) -> Result<i64, StoreError> {
    let standing = Standing::of_joiner(core.settings.join.approval);
    // Trust never applies to one who is not vetted.
    let s = Signup { trusted: false, ..s };
    insert(core, &Actor::Volunteer, s, standing).await
}

async fn insert(core: &Core, actor: &Actor, s: Signup, standing: Standing) -> Result<i64, StoreError> {
    let inserted = core
        .store
        .insert_volunteer(NewVolunteer {
            name: &s.name,
            phone: s.phone.e164(),
            language: s.language.as_str(),
            trusted: s.trusted,
            area: s.area.to_json().to_string(),
            channel: s.reach.as_str(),
            signal: s.signal_id.as_ref().map(|id| id.as_str()),
            roles: roles_text(&s.roles),
            standing,
        })
        .await;
    let id = match inserted {
        Ok(id) => id,
        Err(StoreError::Conflict(what)) => {
            existing(core, actor, &s).await;
            return Err(StoreError::Conflict(what));
        }
        Err(e) => return Err(e),
    };
    if standing.alertable() {
        core.index_set(id, s.area.resolve(core));
    }
    tracing::info!(
        volunteer_id = id,
        channel = s.reach.as_str(),
        standing = standing.as_str(),
        actor = actor.name(),
        "volunteer added"
    );
    let detail = if standing.vetted() { "" } else { standing.as_str() };
    audit::record(core, actor, "volunteer_add", Subject::Volunteer(id), detail).await;
    if s.trusted {
        audit::record(core, actor, "volunteer_trust", Subject::Volunteer(id), "on").await;
    }
    changed(core);
    Ok(id)
}

/// Someone tried to add a number that is on the roster already: the admins see it in the audit
/// log (with the volunteer it matched), whoever tried does not.
async fn existing(core: &Core, actor: &Actor, s: &Signup) {
    let by_phone = core
        .store
        .volunteer_by_phone_hash(&core.vault.lookup_hash(s.phone.e164()))
        .await;
    let subject = match by_phone {
        Ok(Some(v)) => Subject::Volunteer(v.id),
        _ => Subject::None,
    };
    tracing::info!(
        actor = actor.name(),
        "volunteer added again (already on the roster)"
    );
    audit::record(core, actor, "volunteer_add_existing", subject, "").await;
}

/// Changes name, language, trust and home area; false if there is no such volunteer.
pub async fn edit(core: &Core, actor: &Actor, id: i64, e: Edit) -> Result<bool, StoreError> {
    let Some(before) = core.store.volunteer(id).await? else {
        return Ok(false);
    };
    // Trust never applies to one who is not vetted.
    let trusted = e.trusted && before.standing.vetted();
    let edit = VolunteerEdit {
        name: &e.name,
        language: e.language.as_str(),
        trusted,
        area: e.area.to_json().to_string(),
        channel: e.reach.unwrap_or(before.channel).as_str(),
        roles: roles_text(&e.roles),
    };
    if !core.store.update_volunteer(id, edit).await? {
        return Ok(false);
    }
    if alertable(&before) {
        core.index_set(id, e.area.resolve(core));
    }
    tracing::info!(volunteer_id = id, actor = actor.name(), "volunteer changed");
    audit::record(core, actor, "volunteer_edit", Subject::Volunteer(id), "").await;
    if trusted != before.trusted {
        let detail = if trusted { "on" } else { "off" };
        audit::record(core, actor, "volunteer_trust", Subject::Volunteer(id), detail).await;
    }
    let roles = roles_text(&e.roles);
    if roles != before.roles {
        audit::record(core, actor, "volunteer_roles", Subject::Volunteer(id), &roles).await;
    }
    changed(core);
    Ok(true)
}

/// Sets when the volunteer is called after a confirmed alert's text; false if there is no
/// such volunteer.
pub async fn set_call(core: &Core, actor: &Actor, id: i64, call: CallWhen) -> Result<bool, StoreError> {
    if !core.store.set_call(id, call).await? {
        return Ok(false);
    }
    audit::record(
        core,
        actor,
        "volunteer_call",
        Subject::Volunteer(id),
        call.as_str(),
    )
    .await;
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
    let by = actor.cause();
    if !core.store.set_paused_by(id, paused, Some(&by)).await? {
        return Ok(false);
    }
    if !paused {
        // A dispatcher's resume also lifts a pause the volunteer set by text.
        let clear = crate::store::volunteers::SelfChange::PausedUntil(None);
        core.store.change_self(id, clear).await?;
    }
    let area = match (paused, core.store.volunteer(id).await?) {
        (false, Some(v)) if alertable(&v) => core.area_of(&v.area),
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
            .filter(|v| v.standing.alertable())
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
    if phone == crate::store::UNREADABLE {
        return phone.to_string();
    }
    let skip = phone.chars().count().saturating_sub(4);
    phone.chars().skip(skip).collect()
}
