//! An incident's status moves only as the domain allows (`IncidentStatus::may_become`): the
//! store refuses every other move, records every move it makes in the history, and lists
//! incidents by the domain's open and undecided sets.

use tocsin::domain::{ConfirmedBy, IncidentStatus};
use tocsin::store::Store;

use crate::on_both_backends;
use crate::support::incident;

/// Asks the store to move incident `id` to `to` by the one function that makes that move;
/// None for `unverified`, which nothing moves to.
async fn move_to(store: &Store, id: i64, to: IncidentStatus) -> Option<bool> {
    use IncidentStatus::*;
    Some(match to {
        // Nothing moves to these but a mobilisation (store::invitations), tested there.
        Unverified | Planned | Cancelled => return None,
        Verifying => store.mark_verifying(id, "second reporter").await.unwrap(),
        Confirmed => store
            .confirm_incident(id, ConfirmedBy::Dispatcher, "dispatcher confirmed")
            .await
            .unwrap(),
        NotFound | FalseAlarm | AllClear => store.close_incident(id, to, "test").await.unwrap(),
        Merged => {
            let survivor = incident(store, Confirmed).await;
            store.merge_incidents(id, survivor).await.unwrap()
        }
    })
}

async fn only_the_transitions_the_domain_allows_pass(store: Store) {
    let mut checked = 0;
    for &from in IncidentStatus::ALL {
        for &to in IncidentStatus::ALL {
            let id = incident(&store, from).await;
            let Some(moved) = move_to(&store, id, to).await else {
                assert!(to.reached_from().is_empty(), "nothing moves to {to}");
                continue;
            };
            assert_eq!(moved, from.may_become(to), "{from} -> {to}");
            let now = store.incident(id).await.unwrap().unwrap().status;
            let history = store.incident_history(id).await.unwrap();
            let last = history.last().expect("the opening is in the history");
            if moved {
                assert_eq!(now, to, "{from} -> {to}");
                assert_eq!(
                    (last.from.as_deref(), last.to.as_str()),
                    (Some(from.as_str()), to.as_str()),
                    "{from} -> {to} is in the history"
                );
            } else {
                assert_eq!(now, from, "{from} -> {to} refused, nothing changed");
                assert_eq!(history.len(), 1, "{from} -> {to}: only the opening: {history:?}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 9 * 6);
}

async fn a_dispatcher_may_confirm_what_verifiers_did_not_find(store: Store) {
    // The one way back from a closed status (see `IncidentStatus::reached_from`).
    for &from in IncidentStatus::ALL {
        let id = incident(&store, from).await;
        let moved = store
            .confirm_not_found(id, ConfirmedBy::Dispatcher, "dispatcher confirmed")
            .await
            .unwrap();
        assert_eq!(moved, from == IncidentStatus::NotFound, "{from}");
        let row = store.incident(id).await.unwrap().unwrap();
        if moved {
            assert_eq!(row.status, IncidentStatus::Confirmed);
            assert_eq!(row.confirmed_by, Some(ConfirmedBy::Dispatcher));
        }
    }
}

async fn a_confirmation_says_who_confirmed(store: Store) {
    let id = incident(&store, IncidentStatus::Verifying).await;
    assert_eq!(store.incident(id).await.unwrap().unwrap().confirmed_by, None);
    assert!(store
        .confirm_incident(id, ConfirmedBy::Verifier, "CONFIRM from a verifier")
        .await
        .unwrap());
    assert!(!store
        .confirm_incident(id, ConfirmedBy::Dispatcher, "again")
        .await
        .unwrap());
    let row = store.incident(id).await.unwrap().unwrap();
    assert_eq!(
        row.confirmed_by,
        Some(ConfirmedBy::Verifier),
        "the first one counts"
    );
    let causes: Vec<String> = store
        .incident_history(id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.cause)
        .collect();
    assert_eq!(causes.last().map(String::as_str), Some("CONFIRM from a verifier"));
}

async fn lists_follow_the_open_and_undecided_sets(store: Store) {
    let mut by_status = Vec::new();
    for &status in IncidentStatus::ALL {
        by_status.push((status, incident(&store, status).await));
    }
    let open: Vec<i64> = store
        .open_incidents(100)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    let closed: Vec<i64> = store
        .closed_incidents(100)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    let to_check: Vec<i64> = store
        .incidents_to_check()
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    let to_alert: Vec<i64> = store
        .incidents_to_alert()
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    for (status, id) in &by_status {
        assert_eq!(open.contains(id), status.is_open(), "{status} open");
        // A planned mobilisation's incident is ahead, not closed: the Planned page lists it.
        let closed_list = !status.is_open() && *status != IncidentStatus::Planned;
        assert_eq!(closed.contains(id), closed_list, "{status} closed");
        assert_eq!(to_check.contains(id), status.is_pending(), "{status} to check");
        assert_eq!(
            to_alert.contains(id),
            *status == IncidentStatus::Confirmed,
            "{status} to alert"
        );
    }
    // The dispatcher's queue: being verified first, then unverified, then confirmed.
    let id_of = |s: IncidentStatus| by_status.iter().find(|(st, _)| *st == s).unwrap().1;
    assert_eq!(
        open,
        vec![
            id_of(IncidentStatus::Verifying),
            id_of(IncidentStatus::Unverified),
            id_of(IncidentStatus::Confirmed)
        ]
    );
}

on_both_backends!(
    only_the_transitions_the_domain_allows_pass,
    a_dispatcher_may_confirm_what_verifiers_did_not_find,
    a_confirmation_says_who_confirmed,
    lists_follow_the_open_and_undecided_sets,
);
