//! Volunteer changes are stamped with an increasing `change_seq` (`store::changes`, migration
//! 0023) and listed after a given stamp, oldest first, so that every instance's geofence index
//! follows them; a stamp seen means every earlier change is visible too.

use tocsin::store::volunteers::{set_opted_out, SelfChange};
use tocsin::store::Store;

use crate::support::{volunteer, wait_for_lock_waiters};
use crate::{on_both_backends, on_postgres};

/// (volunteer, stamp, alertable) of the changes after `after`.
async fn since(store: &Store, after: i64) -> Vec<(i64, i64, bool)> {
    store
        .volunteer_changes_since(after, 100)
        .await
        .unwrap()
        .iter()
        .map(|c| (c.id, c.seq, c.area.is_some()))
        .collect()
}

async fn changes_are_stamped_in_order_and_listed_after_a_stamp(store: Store) {
    let start = store.volunteer_change_head().await.unwrap();
    let a = volunteer(&store, "+13235550101").await;
    let b = volunteer(&store, "+13235550102").await;
    let added = since(&store, start).await;
    assert_eq!(added.iter().map(|c| c.0).collect::<Vec<_>>(), vec![a, b]);
    assert!(added[0].1 > start && added[1].1 > added[0].1, "{added:?}");
    assert!(added.iter().all(|c| c.2), "both alertable");
    let head = store.volunteer_change_head().await.unwrap();
    assert_eq!(head, added[1].1, "the head is the latest stamp");
    assert!(since(&store, head).await.is_empty());

    // A change to A comes after B's, with a new stamp; A is listed once, at its latest.
    assert!(store.set_paused(a, true).await.unwrap());
    let paused = since(&store, head).await;
    assert_eq!(paused.len(), 1);
    assert_eq!(
        (paused[0].0, paused[0].2),
        (a, false),
        "paused: no area for the index"
    );
    assert!(paused[0].1 > head);
    let all = since(&store, start).await;
    assert_eq!(all.iter().map(|c| c.0).collect::<Vec<_>>(), vec![b, a]);

    let head = store.volunteer_change_head().await.unwrap();
    assert!(store
        .change_self(b, SelfChange::Area(r#"{"type":"zone","zone":"Koreatown"}"#))
        .await
        .unwrap());
    let moved = store.volunteer_changes_since(head, 100).await.unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].id, b);
    assert_eq!(
        moved[0].area.as_deref(),
        Some(r#"{"type":"zone","zone":"Koreatown"}"#)
    );

    let head = store.volunteer_change_head().await.unwrap();
    assert!(store.remove_volunteer(b).await.unwrap());
    store.set_opted_out(a, true).await.unwrap();
    let gone = since(&store, head).await;
    assert_eq!(
        gone.iter().map(|c| (c.0, c.2)).collect::<Vec<_>>(),
        vec![(b, false), (a, false)],
        "removed and opted out: out of the index"
    );
    assert_eq!(
        store.volunteer_changes_since(start, 1).await.unwrap().len(),
        1,
        "at most `limit`"
    );
}

/// PostgreSQL: a change not yet committed holds the counter, so a later one cannot commit a
/// higher stamp first and be seen while the earlier one is still to come.
async fn stamps_commit_in_order(store: Store) {
    let a = volunteer(&store, "+13235550101").await;
    let b = volunteer(&store, "+13235550102").await;
    let head = store.volunteer_change_head().await.unwrap();
    let mut first = store.write().await.unwrap();
    set_opted_out(&mut first, a, true).await.unwrap();
    let other = store.clone();
    let second = tokio::spawn(async move { other.set_paused(b, true).await.unwrap() });
    wait_for_lock_waiters(&store, 1).await;
    assert!(since(&store, head).await.is_empty(), "nothing committed yet");
    assert_eq!(store.volunteer_change_head().await.unwrap(), head);
    first.commit().await.unwrap();
    assert!(second.await.unwrap());
    let changes = since(&store, head).await;
    assert_eq!(
        changes,
        vec![(a, head + 1, false), (b, head + 2, false)],
        "committed in the order of their stamps"
    );
}

on_both_backends!(changes_are_stamped_in_order_and_listed_after_a_stamp);
on_postgres!(stamps_commit_in_order);
