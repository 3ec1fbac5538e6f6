//! What a dispatcher can do to an incident. The JSON API and the dashboard both call these, so
//! there is one path, with one set of checks, for every action; each is written to the audit
//! log with who did it.

use crate::audit::{self, Actor, Subject};
use crate::dispatch::versions::Versions;
use crate::domain::{AlertPurpose, IncidentStatus, Kind};
use crate::events::Event;
use crate::state::Core;
use crate::store::alerts::{Audience, Bodies};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("incident not found")]
    NotFound,
    /// The incident is in a state where this action makes no sense; the text says why.
    #[error("{0}")]
    Conflict(String),
    /// A value given with the action is wrong: (field, why).
    #[error("{0}: {1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn status_of(core: &Core, id: i64) -> Result<IncidentStatus, ActionError> {
    Ok(core
        .store
        .incident(id)
        .await?
        .ok_or(ActionError::NotFound)?
        .status)
}

async fn changed(core: &Core, actor: &Actor, id: i64, action: &str, detail: &str, dispatch: bool) {
    audit::record(core, actor, action, Subject::Incident(id), detail).await;
    core.events.publish(Event::Incident { id });
    if dispatch {
        core.dispatch_wake.notify_one();
    }
}

pub async fn set_kind(core: &Core, actor: &Actor, id: i64, kind: Kind) -> Result<(), ActionError> {
    if !core.store.set_incident_kind(id, kind.as_str()).await? {
        return Err(ActionError::NotFound);
    }
    tracing::info!(incident_id = id, kind = %kind, actor = actor.name(), "incident kind changed");
    changed(core, actor, id, "set_kind", kind.as_str(), false).await;
    Ok(())
}

pub async fn locate(core: &Core, actor: &Actor, id: i64, lat: f64, lon: f64) -> Result<(), ActionError> {
    if !(-90.0..=90.0).contains(&lat) {
        return Err(ActionError::Invalid(
            "lat",
            format!("lat {lat} is outside -90..90"),
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(ActionError::Invalid(
            "lon",
            format!("lon {lon} is outside -180..180"),
        ));
    }
    let before = core.store.incident(id).await?.ok_or(ActionError::NotFound)?;
    let zones = core.zones();
    let zone = zones.containing(lat, lon).map(|z| z.name.as_str());
    if !core.store.locate_incident(id, (lat, lon), zone).await? {
        return Err(ActionError::Conflict(format!(
            "the incident is {} and already alerted or closed; it cannot be moved",
            before.status
        )));
    }
    tracing::info!(incident_id = id, actor = actor.name(), "incident located");
    changed(core, actor, id, "locate", &format!("{lat:.5}, {lon:.5}"), true).await;
    if before.approximate {
        // Known only roughly until now: those coming, and verifiers still asked, get the place.
        crate::dispatch::place::tell_exact(core, id).await;
    }
    Ok(())
}

/// Confirms an undecided incident. A dispatcher's decision wins over verifiers': a dispatcher
/// also confirms an incident closed as `not_found`, which is then alerted.
pub async fn verify(core: &Core, actor: &Actor, id: i64) -> Result<(), ActionError> {
    let status = status_of(core, id).await?;
    let cause = actor.cause();
    let by = actor.confirms_as();
    let dispatcher = !matches!(actor, Actor::Verifier(_));
    let done = core.store.confirm_incident(id, by, &cause).await?
        || (dispatcher
            && status == IncidentStatus::NotFound
            && core
                .store
                .confirm_not_found(id, by, &format!("{cause}, over not found"))
                .await?);
    if !done {
        let which = if dispatcher {
            "an unverified, verifying or not_found"
        } else {
            "an unverified or verifying"
        };
        return Err(ActionError::Conflict(format!(
            "the incident is {status}; only {which} incident can be confirmed"
        )));
    }
    tracing::info!(incident_id = id, actor = actor.name(), "incident confirmed");
    changed(core, actor, id, "confirm", "", true).await;
    Ok(())
}

/// Ends it as all clear, false alarm or not found: queued alerts are cancelled and everyone
/// already alerted is told (ALL CLEAR, or FALSE ALARM: stand down), those coming first.
/// All clear ends a confirmed incident; one not confirmed yet is dismissed or a false alarm.
pub async fn close(core: &Core, actor: &Actor, id: i64, status: IncidentStatus) -> Result<(), ActionError> {
    if status.is_open() || status == IncidentStatus::Merged {
        return Err(ActionError::Invalid(
            "status",
            "must be all_clear, false_alarm or not_found".into(),
        ));
    }
    let current = status_of(core, id).await?;
    if !core.store.close_incident(id, status, &actor.cause()).await? {
        let why = if status == IncidentStatus::AllClear && current != IncidentStatus::AllClear {
            format!("the incident is {current}; all clear ends a confirmed incident (dismiss or false-alarm it instead)")
        } else if status == IncidentStatus::NotFound && current == IncidentStatus::Confirmed {
            "the incident is confirmed and alerted; end it with all clear or false alarm".to_string()
        } else {
            format!("the incident is already {current}")
        };
        return Err(ActionError::Conflict(why));
    }
    tracing::info!(incident_id = id, status = %status, actor = actor.name(), "incident closed");
    changed(core, actor, id, status.as_str(), "", true).await;
    Ok(())
}

/// Folds incident `from` into `into` (see `Store::merge_incidents` for what moves). When only
/// one of them has alerted volunteers, it must be `into`: nobody is alerted twice.
pub async fn merge(core: &Core, actor: &Actor, from: i64, into: i64) -> Result<(), ActionError> {
    if from == into {
        return Err(ActionError::Invalid(
            "into",
            "an incident cannot be merged into itself".into(),
        ));
    }
    let source = core.store.incident(from).await?.ok_or(ActionError::NotFound)?;
    let target = core
        .store
        .incident(into)
        .await?
        .ok_or_else(|| ActionError::Invalid("into", format!("there is no incident #{into}")))?;
    for row in [&source, &target] {
        if !row.status.is_open() {
            return Err(ActionError::Conflict(format!(
                "incident #{} is {}; only open incidents can be merged",
                row.id, row.status
            )));
        }
    }
    if source.drill != target.drill {
        return Err(ActionError::Conflict(
            "a drill and a real incident cannot be merged".into(),
        ));
    }
    if source.first_alert_at.is_some() && target.first_alert_at.is_none() {
        return Err(ActionError::Conflict(format!(
            "#{from} has alerted volunteers and #{into} has not: merge #{into} into #{from} instead"
        )));
    }
    if !core.store.merge_incidents(from, into).await? {
        return Err(ActionError::Conflict(
            "one of the incidents changed meanwhile; reload and try again".into(),
        ));
    }
    tracing::info!(
        incident_id = into,
        merged = from,
        actor = actor.name(),
        "incidents merged"
    );
    audit::record(
        core,
        actor,
        "merged_into",
        Subject::Incident(from),
        &format!("into #{into}"),
    )
    .await;
    // Two independent reporters now: an undecided incident is being verified.
    let reporters = core.store.reporters_of(into).await?;
    if reporters >= 2 {
        core.store
            .mark_verifying(
                into,
                &format!("{reporters} independent reporters (#{from} merged in)"),
            )
            .await?;
    }
    changed(core, actor, into, "merge", &format!("#{from} merged in"), true).await;
    if target.approximate && !source.approximate && source.lat.is_some() {
        // Its rough place became the merged one's exact place.
        crate::dispatch::place::tell_exact(core, into).await;
    }
    core.events.publish(Event::Incident { id: from });
    Ok(())
}

/// Moves a report wrongly merged into incident `id` out into a new incident of its own, which
/// is verified like any new report. Returns the new incident's id.
pub async fn split(core: &Core, actor: &Actor, id: i64, report_id: i64) -> Result<i64, ActionError> {
    let current = status_of(core, id).await?;
    let report = core
        .store
        .report(report_id)
        .await?
        .filter(|r| r.incident_id == Some(id))
        .ok_or_else(|| {
            ActionError::Invalid(
                "report_id",
                format!("report {report_id} is not one of incident #{id}'s"),
            )
        })?;
    let cause = format!("split from #{id} by {}", actor.cause());
    let Some(new_id) = core.store.split_report(id, &report, &cause).await? else {
        return Err(ActionError::Conflict(format!(
            "the incident is {current}; a report can be split only from an open incident that has others"
        )));
    };
    tracing::info!(
        incident_id = id,
        new_incident_id = new_id,
        report_id,
        actor = actor.name(),
        "report split out"
    );
    audit::record(
        core,
        actor,
        "split",
        Subject::Incident(new_id),
        &format!("report {report_id} from #{id}"),
    )
    .await;
    changed(
        core,
        actor,
        id,
        "split",
        &format!("report {report_id} to #{new_id}"),
        true,
    )
    .await;
    core.events.publish(Event::Incident { id: new_id });
    Ok(new_id)
}

/// Sends the dispatcher's update to every volunteer the incident's first alert reached, once
/// each, through the outbox: each in their language's version, else English (`Versions`).
/// Returns how many it goes to.
pub async fn send_update(
    core: &Core,
    actor: &Actor,
    id: i64,
    versions: &Versions,
) -> Result<u64, ActionError> {
    let incident = core.store.incident(id).await?.ok_or(ActionError::NotFound)?;
    let status = incident.status;
    if !status.is_open() {
        return Err(ActionError::Conflict(format!(
            "the incident is {status}; updates go to open incidents"
        )));
    }
    let head = crate::dispatch::place::head_of(&incident);
    let targets = core.store.reached_by_first_alert(id).await?;
    if targets.is_empty() {
        return Err(ActionError::Conflict(
            "nobody has been alerted about this incident yet".into(),
        ));
    }
    let bodies = Bodies::same(versions.bodies(&head));
    let audience = Audience::ReachedByFirstAlert;
    let written = crate::dispatch::plan(core, id, AlertPurpose::Update, audience, &bodies)
        .await?
        .ok_or_else(|| {
            ActionError::Conflict("another update was sent at the same moment; try again".into())
        })?;
    tracing::info!(
        incident_id = id,
        recipients = written,
        actor = actor.name(),
        "update sent"
    );
    changed(
        core,
        actor,
        id,
        if versions.is_correction() {
            "correction"
        } else {
            "update"
        },
        &format!("to {written} volunteers{}", own_versions(versions)),
        false,
    )
    .await;
    Ok(written)
}

/// For the audit log: which languages had a version of their own (", own versions: es, ko").
fn own_versions(versions: &Versions) -> String {
    let own = versions.own_languages();
    if own.is_empty() {
        return String::new();
    }
    let codes: Vec<&str> = own.iter().map(|l| l.as_str()).collect();
    format!(", own versions: {}", codes.join(", "))
}
