//! What a planned mobilisation does as its time comes, on each pass of the dispatch loop:
//! invite its audience; remind those who said yes or maybe at each of `reminders_s` before the
//! start; widen the invitation (new people only) when fewer than `wanted` said yes
//! `widen_before_s` before it; and at the start time become a live incident for those who said
//! yes. Everything is read from the database and each alert is claimed where it is written, so
//! a pass repeated (a restart, two instances) sends nothing twice.

use crate::domain::{AlertPurpose, Answer};
use crate::mobilisations::message;
use crate::mobilisations::texts::{bodies, Say};
use crate::state::Core;
use crate::store::alerts::{Audience, Bodies};
use crate::store::invitations::Morning;
use crate::store::invitations::Pick;
use crate::store::mobilisations::MobilisationRow;
use crate::store::{now_ms, StoreError};

/// A reminder's `seq`: per version of the time and place, per offset.
fn reminder_seq(version: i64, k: usize) -> i64 {
    version * 1000 + k as i64
}

/// One pass over every planned mobilisation, and the live ones whose incident ended.
pub async fn due(core: &Core) -> anyhow::Result<()> {
    core.store.end_finished_mobilisations().await?;
    for m in core.store.planned_mobilisations().await? {
        if let Err(e) = step(core, &m).await {
            tracing::error!(mobilisation_id = m.id, error = %e, "a mobilisation's step failed");
        }
    }
    Ok(())
}

async fn step(core: &Core, m: &MobilisationRow) -> anyhow::Result<()> {
    let incident_id = super::incident_of(core, m).await?;
    let Some(place) = &m.place else {
        tracing::error!(
            mobilisation_id = m.id,
            "a mobilisation's place does not open: check crypto.key_file"
        );
        return Ok(());
    };
    let now = now_ms();
    if now >= m.starts_at {
        let morning = Morning {
            lat: place.lat,
            lon: place.lon,
            zone: m.zone.as_deref(),
        };
        let texts = bodies(core, m, incident_id, true, message::live);
        let to = Audience::Invited(Pick::Said(&[Answer::Coming]));
        let sent = send(
            core,
            m,
            incident_id,
            (AlertPurpose::Live, 0),
            Some(&morning),
            to,
            &texts,
        )
        .await?;
        if sent.is_some() {
            tracing::info!(
                mobilisation_id = m.id,
                incident_id,
                "a mobilisation began: live incident"
            );
        }
        return Ok(());
    }
    let invites = core
        .store
        .alerts_written(incident_id, AlertPurpose::Invite)
        .await?;
    let Some(invited_at) = invites.get(&0).copied() else {
        return widen(core, m, incident_id, 0).await;
    };
    remind(core, m, incident_id, invited_at.max(m.changed_at.unwrap_or(0))).await?;
    let before_ms = m
        .widen_before_s
        .unwrap_or(core.settings.mobilisations.widen_before_s)
        * 1000;
    let last = invites
        .iter()
        .max_by_key(|(seq, _)| **seq)
        .map(|(s, at)| (*s, *at));
    if let Some((last_step, last_at)) = last {
        let pause = core.settings.dispatch.escalate_after_s as i64 * 1000;
        if now >= m.starts_at - before_ms && now - last_at >= pause {
            let rsvp = core.store.rsvps(&[incident_id]).await?;
            let coming = rsvp.get(&incident_id).map_or(0, |r| r.coming());
            if coming < m.wanted {
                widen(core, m, incident_id, last_step + 1).await?;
            }
        }
    }
    Ok(())
}

/// Invites step `step` of the audience (0: the audience itself), new people only; a step that
/// finds nobody new is recorded and the next taken at once.
async fn widen(core: &Core, m: &MobilisationRow, incident_id: i64, step: i64) -> anyhow::Result<()> {
    let (Some(audience), Some(place)) = (&m.audience, &m.place) else {
        return Ok(());
    };
    let already = core.store.invited(incident_id).await?;
    let texts = bodies(core, m, incident_id, place_to_all(m), message::invitation);
    let mut step = step;
    while let Some(ids) = super::reach::targets(core, audience, place, step, &already).await? {
        let to = Audience::Volunteers {
            ids: &ids,
            signal_on: core.settings.signal_ready(),
        };
        let Some(n) = send(
            core,
            m,
            incident_id,
            (AlertPurpose::Invite, step),
            None,
            to,
            &texts,
        )
        .await?
        else {
            return Ok(());
        };
        tracing::info!(
            mobilisation_id = m.id,
            incident_id,
            step,
            invitations = n,
            "mobilisation invited"
        );
        if n > 0 || step == 0 {
            break;
        }
        step += 1;
    }
    Ok(())
}

/// Each reminder whose time has come since the invitation (or the latest change) went out.
async fn remind(core: &Core, m: &MobilisationRow, incident_id: i64, since: i64) -> anyhow::Result<()> {
    let now = now_ms();
    let mut offsets = m
        .reminders_s
        .clone()
        .unwrap_or_else(|| core.settings.mobilisations.reminders_s.clone());
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    let written = core
        .store
        .alerts_written(incident_id, AlertPurpose::Reminder)
        .await?;
    for (k, offset) in offsets.iter().enumerate() {
        let at = m.starts_at - offset * 1000;
        if now < at || since >= at || written.contains_key(&reminder_seq(m.version, k)) {
            continue;
        }
        // The zone only, to yes and maybe alike: the exact place is given in the reply to YES
        // (never stored), not in a text the outbox keeps in clear before the morning.
        let texts = bodies(core, m, incident_id, place_to_all(m), message::reminder);
        let to = Audience::Invited(Pick::Said(&[Answer::Coming, Answer::Maybe]));
        let seq = reminder_seq(m.version, k);
        send(
            core,
            m,
            incident_id,
            (AlertPurpose::Reminder, seq),
            None,
            to,
            &texts,
        )
        .await?;
        tracing::info!(
            mobilisation_id = m.id,
            incident_id,
            offset_s = offset,
            "mobilisation reminded"
        );
    }
    Ok(())
}

/// A change of time or place (`seq`: its version), to everyone invited, with the zone only
/// (the place when it is disclosed to all): whoever replies YES gets the new address in the
/// reply, as with the invitation.
pub async fn changed(core: &Core, m: &MobilisationRow, incident_id: i64) -> Result<(), StoreError> {
    let texts = bodies(core, m, incident_id, place_to_all(m), message::changed);
    let to = Audience::Invited(Pick::All);
    send(
        core,
        m,
        incident_id,
        (AlertPurpose::Change, m.version),
        None,
        to,
        &texts,
    )
    .await?;
    Ok(())
}

/// Whether everyone invited may be told the exact place (`disclose = "all"`).
fn place_to_all(m: &MobilisationRow) -> bool {
    m.disclose == crate::domain::Disclose::All
}

/// Calls it off: everyone invited stands down. False when it was no longer planned.
pub async fn stand_down(core: &Core, m: &MobilisationRow, incident_id: i64) -> Result<bool, StoreError> {
    let say: Say = message::cancelled;
    let texts = bodies(core, m, incident_id, false, say);
    let to = Audience::Invited(Pick::All);
    Ok(
        send(core, m, incident_id, (AlertPurpose::Cancel, 0), None, to, &texts)
            .await?
            .is_some(),
    )
}

/// Writes one alert (its deliveries stale at the start time, or an hour after for the morning's
/// own) and wakes the outbox; None when it was written already or the mobilisation moved on.
async fn send(
    core: &Core,
    m: &MobilisationRow,
    incident_id: i64,
    (purpose, seq): (AlertPurpose, i64),
    morning: Option<&Morning<'_>>,
    audience: Audience<'_>,
    texts: &Bodies,
) -> Result<Option<u64>, StoreError> {
    let now = now_ms();
    let ttl = core.settings.dispatch.alert_ttl_s as i64 * 1000;
    let expires_at = match purpose {
        AlertPurpose::Invite | AlertPurpose::Reminder | AlertPurpose::Change => m.starts_at.max(now + ttl),
        _ => now + ttl,
    };
    let written = core
        .store
        .plan_mobilisation_alert(
            incident_id,
            (purpose, seq),
            morning,
            audience,
            texts,
            (now, expires_at),
            &|| core.outbox_wake.notify_one(),
        )
        .await?;
    if written.is_some() {
        core.outbox_wake.notify_one();
        core.events
            .publish(crate::events::Event::Incident { id: incident_id });
    }
    Ok(written)
}
