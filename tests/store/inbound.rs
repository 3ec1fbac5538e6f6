//! A provider's message is applied once (`store::inbound`): its id is recorded in the
//! transaction that applies it, so a redelivery finds it, and a rollback forgets it.

use tocsin::store::inbound::{first_time, signal_message_id};
use tocsin::store::Store;

use crate::support::wait_for_lock_waiters;
use crate::{on_both_backends, on_postgres};

async fn record(store: &Store, provider: &str, id: &str, now: i64) -> bool {
    let mut tx = store.write().await.expect("tx");
    let first = first_time(&mut tx, provider, id, now).await.expect("recorded");
    tx.commit().await.expect("commit");
    first
}

async fn a_message_is_applied_once(store: Store) {
    assert!(!store.inbound_seen("twilio", "SM1").await.unwrap());
    assert!(record(&store, "twilio", "SM1", 1_000).await, "first delivery");
    assert!(store.inbound_seen("twilio", "SM1").await.unwrap());
    assert!(
        !record(&store, "twilio", "SM1", 2_000).await,
        "a redelivery is not applied"
    );
    // Ids are the provider's: the same id from another provider is another message.
    assert!(!store.inbound_seen("signal", "SM1").await.unwrap());
    assert!(record(&store, "signal", "SM1", 2_000).await);
    assert!(record(&store, "twilio", "SM2", 2_000).await);
}

async fn a_message_rolled_back_is_applied_when_it_comes_again(store: Store) {
    let mut tx = store.write().await.expect("tx");
    assert!(first_time(&mut tx, "twilio", "SM9", 1_000).await.unwrap());
    // Seen again within its own transaction: already recorded there.
    assert!(!first_time(&mut tx, "twilio", "SM9", 1_000).await.unwrap());
    drop(tx);
    assert!(!store.inbound_seen("twilio", "SM9").await.unwrap(), "rolled back");
    assert!(
        record(&store, "twilio", "SM9", 1_500).await,
        "the redelivery is applied"
    );
}

async fn concurrent_redeliveries_are_applied_once(store: Store) {
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            record(&store, "twilio", "SMrace", 1_000).await
        }));
    }
    let mut applied = 0;
    for t in tasks {
        applied += usize::from(t.await.expect("task"));
    }
    assert_eq!(applied, 1, "exactly one of six concurrent deliveries applies");
}

async fn a_redelivery_waiting_on_a_rollback_is_applied(store: Store) {
    let mut first = store.write().await.expect("tx");
    assert!(first_time(&mut first, "twilio", "SMwait", 1_000).await.unwrap());
    let other = store.clone();
    let second = tokio::spawn(async move { record(&other, "twilio", "SMwait", 1_000).await });
    // The second waits on the first's uncommitted row; the first then rolls back.
    wait_for_lock_waiters(&store, 1).await;
    drop(first);
    assert!(
        second.await.unwrap(),
        "the first rolled back: the second applies it"
    );
    assert!(!record(&store, "twilio", "SMwait", 1_000).await);
}

async fn ids_are_forgotten_after_retention_only(store: Store) {
    assert!(record(&store, "twilio", "SMold", 1_000).await);
    assert!(record(&store, "twilio", "SMnew", 5_000).await);
    assert_eq!(store.purge_inbound(3_000).await.unwrap(), 1);
    assert!(!store.inbound_seen("twilio", "SMold").await.unwrap());
    assert!(store.inbound_seen("twilio", "SMnew").await.unwrap());
    assert!(!record(&store, "twilio", "SMnew", 6_000).await);
}

async fn signal_ids_name_nobody(store: Store) {
    let id = signal_message_id(store.vault(), "+13235550101", 1_700_000_000_123u64);
    assert_eq!(
        id,
        signal_message_id(store.vault(), "+13235550101", 1_700_000_000_123u64)
    );
    assert_ne!(
        id,
        signal_message_id(store.vault(), "+13235550102", 1_700_000_000_123u64)
    );
    assert_ne!(
        id,
        signal_message_id(store.vault(), "+13235550101", 1_700_000_000_124u64)
    );
    assert!(!id.contains("3235550101"), "{id}");
    // Not the hash that finds a volunteer by number.
    assert!(!id.contains(&store.vault().lookup_hash("+13235550101")), "{id}");
    assert!(record(&store, "signal", &id, 1_000).await);
    assert!(!record(&store, "signal", &id, 1_000).await);
}

on_both_backends!(
    a_message_is_applied_once,
    a_message_rolled_back_is_applied_when_it_comes_again,
    concurrent_redeliveries_are_applied_once,
    ids_are_forgotten_after_retention_only,
    signal_ids_name_nobody,
);

// SQLite has one connection: one transaction at a time, nothing can wait on another.
on_postgres!(a_redelivery_waiting_on_a_rollback_is_applied);
