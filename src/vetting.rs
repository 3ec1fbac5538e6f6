//! Vetting joiners (issue 11): an admin approves a volunteer who joined by text (pending:
//! alertable from then on; unvetted: exact places and counted among responders from then on),
//! or rejects them (erased like a removal, and not told). Both are audited. Who may do it is
//! the caller's to check: admins on the dashboard, the API's token holder.

use crate::audit::{self, Actor, Subject};
use crate::domain::Standing;
use crate::events::Event;
use crate::state::Core;
use crate::store::StoreError;

/// What came of approving or rejecting a joiner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vetting {
    Done,
    NoSuchVolunteer,
    /// Approved already: nothing to approve; an approved volunteer is removed, not rejected.
    AlreadyApproved,
}

/// Approves a pending or unvetted volunteer: alertable at once (pending), exact places and
/// counted among responders from now on. Audited (`volunteer_approve`, with what they were).
pub async fn approve(core: &Core, actor: &Actor, id: i64) -> Result<Vetting, StoreError> {
    let Some(before) = core.store.volunteer(id).await? else {
        return Ok(Vetting::NoSuchVolunteer);
    };
    if !before.standing.can_become(Standing::Approved) || !core.store.approve_volunteer(id).await? {
        return Ok(Vetting::AlreadyApproved);
    }
    if let Some(v) = core.store.volunteer(id).await?.filter(crate::roster::alertable) {
        core.index_set(id, core.area_of(&v.area));
    }
    tracing::info!(volunteer_id = id, actor = actor.name(), "volunteer approved");
    let detail = format!("was {}", before.standing);
    audit::record(core, actor, "volunteer_approve", Subject::Volunteer(id), &detail).await;
    core.events.publish(Event::Volunteers);
    Ok(Vetting::Done)
}

/// Rejects a joiner who is pending or unvetted: erased like a removal, and not told anything.
/// Audited (`volunteer_reject`).
pub async fn reject(core: &Core, actor: &Actor, id: i64) -> Result<Vetting, StoreError> {
    let Some(before) = core.store.volunteer(id).await? else {
        return Ok(Vetting::NoSuchVolunteer);
    };
    if before.standing.vetted() {
        return Ok(Vetting::AlreadyApproved);
    }
    if !core.store.remove_volunteer(id).await? {
        return Ok(Vetting::NoSuchVolunteer);
    }
    core.index_set(id, None);
    tracing::info!(volunteer_id = id, actor = actor.name(), "volunteer rejected");
    let detail = format!("was {}", before.standing);
    audit::record(core, actor, "volunteer_reject", Subject::Volunteer(id), &detail).await;
    core.events.publish(Event::Volunteers);
    Ok(Vetting::Done)
}
