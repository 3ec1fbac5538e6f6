//! Paging rounds: first the dispatchers on duty; then, with no ACK within
//! `oncall.repage_after_s`, every dispatcher with a phone. With nobody on duty the second
//! round is the first. Each round is one transaction: its pages and a line in the history.

use crate::domain::{NeedsPerson, Round};
use crate::state::Core;
use crate::store::now_ms;
use crate::store::oncall::Dispatcher;
use crate::store::pages::ToPage;

/// Reports still without a place `oncall.page_after_s` after they came in need a person.
pub(super) async fn mark_unplaced(core: &Core) -> anyhow::Result<()> {
    let before = now_ms() - core.settings.oncall.page_after_s as i64 * 1000;
    let ids = core.store.unplaced_since(before).await?;
    if !ids.is_empty() {
        let marked = core.store.mark_needs_person(&ids, NeedsPerson::Unplaced).await?;
        for id in marked {
            tracing::warn!(
                incident_id = id,
                "a report could not be placed: paging a dispatcher"
            );
            core.events.publish(crate::events::Event::Incident { id });
        }
    }
    Ok(())
}

/// Takes every round that is due.
pub(super) async fn take_due(core: &Core) -> anyhow::Result<()> {
    let repage_before = now_ms() - core.settings.oncall.repage_after_s as i64 * 1000;
    let due = core.store.incidents_to_page(repage_before).await?;
    if due.is_empty() {
        return Ok(());
    }
    let dispatchers = core.store.dispatchers().await?;
    for incident in due {
        if let Err(e) = take(core, &incident, &dispatchers).await {
            tracing::error!(incident_id = incident.incident_id, error = %e, "paging failed");
        }
    }
    Ok(())
}

/// Who a first page goes to: those on duty (their switch, or a scheduled shift); with nobody on
/// duty, every dispatcher with a phone at once.
pub(super) fn first_round<'a>(core: &Core, dispatchers: &'a [Dispatcher]) -> (Round, Vec<&'a Dispatcher>) {
    let on_duty: Vec<&Dispatcher> = dispatchers
        .iter()
        .filter(|d| super::duty::is_on_duty(core, &d.name, d.on_duty, d.duty_set_at))
        .collect();
    match on_duty.is_empty() {
        false => (Round::OnDuty, on_duty),
        true => (Round::Everyone, dispatchers.iter().collect()),
    }
}

async fn take(core: &Core, incident: &ToPage, dispatchers: &[Dispatcher]) -> anyhow::Result<()> {
    let (round, to) = match incident.paged_round {
        0 => first_round(core, dispatchers),
        _ => (Round::Everyone, dispatchers.iter().collect()),
    };
    let names: Vec<&str> = to.iter().map(|d| d.name.as_str()).collect();
    let cause = match (round, to.is_empty()) {
        (_, true) => format!(
            "nobody to page ({}): no dispatcher has a phone (tocsin user phone)",
            incident.why.describe()
        ),
        (Round::OnDuty, _) => format!(
            "paged on duty: {} ({})",
            names.join(", "),
            incident.why.describe()
        ),
        (Round::Everyone, _) if incident.paged_round == 0 => format!(
            "nobody on duty; paged every dispatcher: {} ({})",
            names.join(", "),
            incident.why.describe()
        ),
        (Round::Everyone, _) => format!("no ACK; paged every dispatcher: {}", names.join(", ")),
    };
    let recipients: Vec<(i64, crate::domain::Channel)> = to.iter().map(|d| (d.id, d.channel)).collect();
    let taken = core
        .store
        .page_round(
            incident.incident_id,
            incident.paged_round,
            round,
            &recipients,
            &cause,
        )
        .await?;
    if let Some(n) = taken {
        if n == 0 {
            tracing::error!(
                incident_id = incident.incident_id,
                "a report needs a dispatcher and nobody can be paged"
            );
        } else {
            tracing::info!(
                incident_id = incident.incident_id,
                round = round.number(),
                pages = n,
                "dispatchers paged"
            );
        }
        core.events.publish(crate::events::Event::Incident {
            id: incident.incident_id,
        });
    }
    Ok(())
}
