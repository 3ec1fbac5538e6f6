//! Planned mobilisations (issue 18): an eviction defence, a court hearing, a lockout, an action,
//! planned ahead with the same volunteers, areas and answers as sudden alerts. A mobilisation is
//! asked for as a `draft` (API, CLI, a CSV row of a hearing list), its place resolved on the
//! network's own map, and stored with its place and text sealed. It owns an incident whose number
//! volunteers answer with (YES31); the dispatch loop's pass (`schedule`) invites its audience
//! (`reach`), reminds, widens and opens its morning, in their languages (`message`, `texts`).
//! The calendar feed (`ics`) lists what is coming for dispatchers.

pub mod draft;
pub mod ics;
pub mod import;
pub mod message;
pub mod reach;
pub mod schedule;
pub mod texts;

use crate::audit::{self, Actor, Subject};
use crate::domain::mobilisation::Place;
use crate::domain::Audience;
use crate::domain::MobilisationStatus;
use crate::state::Core;
use crate::store::mobilisations::{Changed, Changing, MobilisationRow, NewMobilisation};
use crate::store::StoreError;
use draft::{Change, Draft, Invalid, Rules};

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a draft is checked against on this network, now.
pub fn rules(core: &Core) -> Rules<'_> {
    Rules {
        extra_kinds: &core.settings.mobilisations.kinds,
        tz: core.settings.network.tz(),
        now_ms: crate::store::now_ms(),
    }
}

/// A stored mobilisation, or the same one stored before (`same_hash`).
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    New(i64),
    Already,
}

/// Checks the draft against the network (its zones, roles, volunteers), resolves its place to
/// one point, and stores it.
pub async fn create(core: &Core, actor: &Actor, d: &Draft) -> Result<Created, CreateError> {
    audience_known(core, &d.audience).await?;
    let place = place_of(core, &d.place).await?;
    let zone = core
        .zones()
        .containing(place.lat, place.lon)
        .map(|z| z.name.clone());
    // The same hearing of a case, or the same kind at the same place, at the same time is one
    // mobilisation: a list imported twice, a form sent twice. Compared without spacing or case
    // ("24 STUD 0113" = "24stud0113"); the case number itself is not kept.
    let same = match &d.case {
        Some(case) => format!("case/{}", squeezed(case)),
        None => format!("place/{}/{}", d.kind, squeezed(&d.place)),
    };
    let same_hash = Some(core.vault.lookup_hash(&same));
    let stored = core
        .store
        .insert_mobilisation(&NewMobilisation {
            kind: &d.kind,
            starts_at: d.starts_at,
            place: &place,
            zone: zone.as_deref(),
            text: &d.text,
            wanted: d.wanted,
            audience: &d.audience,
            disclose: d.disclose,
            reminders_s: d.reminders_s.as_deref(),
            widen_before_s: d.widen_before_s,
            same_hash,
            created_by: &actor.cause(),
        })
        .await?;
    let Some(id) = stored else {
        return Ok(Created::Already);
    };
    let when = crate::domain::clock::clock(d.starts_at, crate::store::now_ms(), &core.settings.network.tz());
    let detail = format!("mobilisation #{id}: {} at {when}, {} wanted", d.kind, d.wanted);
    audit::record(core, actor, "mobilisation_created", Subject::None, &detail).await;
    // Invitations go out on the dispatch loop's next pass: now.
    core.dispatch_wake.notify_one();
    Ok(Created::New(id))
}

/// Whether the draft would be stored: its audience and place on this network. Nothing is
/// written (a file of drafts is checked whole before any is stored).
pub async fn check(core: &Core, d: &Draft) -> Result<(), CreateError> {
    audience_known(core, &d.audience).await?;
    place_of(core, &d.place).await?;
    Ok(())
}

fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// What is listed (API, calendar, dashboard, CLI): from yesterday on, so that the morning just
/// past stays in view; soonest first, 500 at most.
pub async fn listed(core: &Core) -> Result<Vec<MobilisationRow>, StoreError> {
    core.store
        .mobilisations_from(crate::store::now_ms() - 86_400_000, 500)
        .await
}

/// Cancels it, and everyone invited stands down; false when there is no such mobilisation
/// still planned (a live one ends with the all-clear of its incident).
pub async fn cancel(core: &Core, actor: &Actor, id: i64) -> Result<bool, StoreError> {
    let Some(m) = core.store.mobilisation(id).await? else {
        return Ok(false);
    };
    if m.status != MobilisationStatus::Planned {
        return Ok(false);
    }
    let incident_id = incident_of(core, &m).await?;
    let done = schedule::stand_down(core, &m, incident_id).await?;
    if done {
        audit::record(
            core,
            actor,
            "mobilisation_cancelled",
            Subject::None,
            &format!("mobilisation #{id}"),
        )
        .await;
    }
    Ok(done)
}

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("mobilisation {0} is not planned any more: only a planned one changes")]
    NotPlanned(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Changes a planned mobilisation's time, place, text or number wanted; a new time or place
/// reaches everyone invited (the zone only: YES gives the new address in its reply), and
/// reminders count again from the new time. Whether everyone invited was told; None: there is
/// no such mobilisation.
pub async fn change(core: &Core, actor: &Actor, id: i64, c: &Change) -> Result<Option<bool>, ChangeError> {
    let Some(m) = core.store.mobilisation(id).await? else {
        return Ok(None);
    };
    if m.status != MobilisationStatus::Planned {
        return Err(ChangeError::NotPlanned(id));
    }
    let place = match &c.place {
        Some(words) => Some(place_of(core, words).await?),
        None => m.place.clone(),
    };
    let Some(place) = place else {
        return Err(Invalid {
            field: "place",
            why: "the stored place does not open with this data key: give the place again".into(),
        }
        .into());
    };
    let zone = core
        .zones()
        .containing(place.lat, place.lon)
        .map(|z| z.name.clone());
    let to = Changed {
        starts_at: c.starts_at.unwrap_or(m.starts_at),
        place: &place,
        zone: zone.as_deref(),
        text: c.text.as_deref().unwrap_or(&m.text),
        wanted: c.wanted.unwrap_or(m.wanted),
    };
    match core.store.change_mobilisation(id, &to).await? {
        Changing::Done => {}
        Changing::NotPlanned => return Err(ChangeError::NotPlanned(id)),
        Changing::Taken => {
            return Err(Invalid {
                field: "starts_at",
                why: "the same mobilisation (case, or kind and place) is planned at that time already".into(),
            }
            .into())
        }
    }
    // Only what people must act on is sent: a new time or place (with the text as it is then).
    let moved = c.starts_at.is_some_and(|t| t != m.starts_at) || c.place.is_some();
    let given = [
        (c.starts_at.is_some(), "time"),
        (c.place.is_some(), "place"),
        (c.text.is_some(), "text"),
        (c.wanted.is_some(), "wanted"),
    ];
    let what: Vec<&str> = given.iter().filter(|(g, _)| *g).map(|(_, name)| *name).collect();
    let detail = format!("mobilisation #{id}: {}", what.join(", "));
    audit::record(core, actor, "mobilisation_changed", Subject::None, &detail).await;
    if moved {
        if let Some(now) = core.store.mobilisation(id).await? {
            schedule::changed(core, &now, incident_of(core, &now).await?).await?;
        }
    }
    Ok(Some(moved))
}

/// The incident a mobilisation is answered as (made now for one stored before it had one).
pub(crate) async fn incident_of(core: &Core, m: &MobilisationRow) -> Result<i64, StoreError> {
    match m.incident_id {
        Some(id) => Ok(id),
        None => core.store.ensure_incident(m.id, &m.kind, m.zone.as_deref()).await,
    }
}

/// Alerts a live mobilisation's area as for a raid (a sheriff came early): false when it is not
/// live or its area was alerted already.
pub async fn alert_area(core: &Core, actor: &Actor, m: &MobilisationRow) -> Result<bool, StoreError> {
    let Some(incident_id) = m.incident_id.filter(|_| m.status == MobilisationStatus::Live) else {
        return Ok(false);
    };
    let done = core.store.alert_area(incident_id).await?;
    if done {
        let detail = format!(
            "mobilisation #{}: its area alerted as incident #{incident_id}",
            m.id
        );
        audit::record(
            core,
            actor,
            "mobilisation_area_alerted",
            Subject::Incident(incident_id),
            &detail,
        )
        .await;
        core.dispatch_wake.notify_one();
    }
    Ok(done)
}

/// The one place the words name: an address, a corner, a named place, coordinates, a zone.
async fn place_of(core: &Core, words: &str) -> Result<Place, Invalid> {
    let wrong = |why: String| Invalid { field: "place", why };
    let found = crate::lookup::lookup(core, words).await.map_err(wrong)?;
    let exact: Vec<_> = found.iter().filter(|f| f.uncertainty_m.is_none()).collect();
    let best = match (exact.as_slice(), found.first()) {
        ([one], _) => *one,
        ([], Some(only)) if found.len() == 1 => only,
        ([], None) => {
            return Err(wrong(
                "names no place on this network's map: give an address, a corner (\"Vermont and 3rd\"), a zone or coordinates".into(),
            ))
        }
        _ => {
            let some: Vec<&str> = found.iter().take(3).map(|f| f.label.as_str()).collect();
            return Err(wrong(format!("names several places ({}): be more precise", some.join("; "))));
        }
    };
    Ok(Place {
        typed: words.to_string(),
        lat: best.lat,
        lon: best.lon,
        label: best.label.clone(),
    })
}

/// Zones that exist, a role a volunteer may have, volunteers who are on the roster.
async fn audience_known(core: &Core, audience: &Audience) -> Result<(), CreateError> {
    let wrong = |why: String| {
        CreateError::Invalid(Invalid {
            field: "audience",
            why,
        })
    };
    match audience {
        Audience::RadiusM(_) => Ok(()),
        Audience::Zones(names) => {
            let zones = core.zones();
            match names.iter().find(|n| zones.get(n).is_none()) {
                Some(unknown) => Err(wrong(format!("{unknown:?} is not a zone of this network"))),
                None => Ok(()),
            }
        }
        Audience::Role(role) => crate::roster::check_roles(core, std::slice::from_ref(role)).map_err(wrong),
        Audience::Volunteers(ids) => {
            for id in ids {
                if core.store.volunteer(*id).await?.is_none() {
                    return Err(wrong(format!("there is no volunteer {id}")));
                }
            }
            Ok(())
        }
    }
}
