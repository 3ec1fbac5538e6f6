//! The hotline's guard against floods and abuse: a sender over the per-number limit, everyone
//! over the global limit, or a blocked sender still gets a report *stored* (nothing is lost)
//! but flagged, and it never opens an incident or alerts anyone by itself. A sender who keeps
//! reporting the same place is flagged for the dispatcher but handled normally. Every hotline
//! sender is counted and can be blocked by the keyed hash of what the provider called them,
//! whether or not that is a valid number (a short code, an alphanumeric id, a number missing
//! from libphonenumber's data); blocked senders and those past their own limit get no replies.

use crate::audit::{self, Actor, Subject};
use crate::domain::Location;
use crate::geo::area::haversine_m;
use crate::state::Core;
use crate::store::StoreError;

const HOUR_MS: i64 = 3_600_000;
/// Reports of one sender within this distance and day count as "the same place".
const SAME_PLACE_M: f64 = 200.0;
const SAME_PLACE_WINDOW_MS: i64 = 24 * HOUR_MS;
/// From the third report of the same place on, it is flagged.
const SAME_PLACE_EARLIER: usize = 2;

/// Why a report is held (stored, shown, never acting by itself) or noted for the dispatcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// The dispatcher blocked this sender.
    Blocked,
    /// This sender is over `intake.max_reports_per_number_per_hour`.
    OverSenderLimit,
    /// The hotline as a whole is over `intake.max_reports_per_hour`.
    OverHotlineLimit,
    /// The sender keeps reporting the same place: handled, but noted.
    Repeat,
    /// A volunteer's message that is no answer, command nor sighting (issue 12): kept and shown
    /// to the dispatcher, never an incident.
    Unclear,
}

impl Flag {
    /// As stored and shown (`flagged` in the API): `blocked`, `rate_limited` or `repeat`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Blocked => "blocked",
            Flag::OverSenderLimit | Flag::OverHotlineLimit => "rate_limited",
            Flag::Repeat => "repeat",
            Flag::Unclear => "unclear",
        }
    }

    /// Whether a report so flagged may open (or join) an incident.
    pub fn may_act(self) -> bool {
        self == Flag::Repeat
    }

    /// Whether the sender is answered. Not a blocked sender, nor one past their own limit: a
    /// flood from one sender (or from a forged `From`) must not become a flood of replies.
    pub fn answered(self) -> bool {
        matches!(self, Flag::OverHotlineLimit | Flag::Repeat | Flag::Unclear)
    }
}

/// Whether (and why) a new report is flagged. `sender_hash` is the keyed hash of whoever sent it
/// (a number, a Signal account, or whatever `From` the provider gave, valid number or not);
/// None only for reports entered by dispatchers, which are never held.
pub async fn check(
    core: &Core,
    sender_hash: Option<&str>,
    location: &Location,
    now: i64,
) -> Result<Option<Flag>, StoreError> {
    let Some(hash) = sender_hash else { return Ok(None) };
    let limits = &core.settings.intake;
    if core.store.is_blocked(hash).await? {
        return Ok(Some(Flag::Blocked));
    }
    let per_number = i64::from(limits.max_reports_per_number_per_hour);
    if core
        .store
        .reports_since(Some(hash), now - HOUR_MS, per_number)
        .await?
        >= per_number
    {
        return Ok(Some(Flag::OverSenderLimit));
    }
    let everyone = i64::from(limits.max_reports_per_hour);
    if core.store.reports_since(None, now - HOUR_MS, everyone).await? >= everyone {
        return Ok(Some(Flag::OverHotlineLimit));
    }
    if let Some((lat, lon)) = location.point.filter(|_| !location.approximate) {
        let earlier = core
            .store
            .points_reported_since(hash, now - SAME_PLACE_WINDOW_MS)
            .await?;
        let same = earlier
            .iter()
            .filter(|(a, b)| haversine_m(lat, lon, *a, *b) <= SAME_PLACE_M)
            .count();
        if same >= SAME_PLACE_EARLIER {
            return Ok(Some(Flag::Repeat));
        }
    }
    Ok(None)
}

/// Blocks whoever sent this report (the dispatcher never sees the number); written to the audit
/// log. None: the report has no known sender (entered by a dispatcher, or erased by retention).
pub async fn block(
    core: &Core,
    actor: &Actor,
    report_id: i64,
    reason: &str,
) -> Result<Option<i64>, StoreError> {
    let reason: String = reason.trim().chars().take(200).collect();
    let Some(id) = core.store.block_sender_of(report_id, &reason).await? else {
        return Ok(None);
    };
    tracing::info!(block_id = id, report_id, actor = actor.name(), "sender blocked");
    audit::record(
        core,
        actor,
        "block",
        Subject::None,
        &format!("sender of report {report_id}"),
    )
    .await;
    Ok(Some(id))
}

/// Lifts a block; false when there is no such block.
pub async fn unblock(core: &Core, actor: &Actor, id: i64) -> Result<bool, StoreError> {
    if !core.store.unblock(id).await? {
        return Ok(false);
    }
    tracing::info!(block_id = id, actor = actor.name(), "sender unblocked");
    audit::record(core, actor, "unblock", Subject::None, &format!("block {id}")).await;
    Ok(true)
}
