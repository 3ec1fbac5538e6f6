//! API tokens, dashboard accounts and shared sending slots: the basics callers rely on.

use tocsin::store::tokens::Revoked;
use tocsin::store::{Backend, Store, StoreError};

use crate::{on_both_backends, on_postgres};

async fn tokens_are_found_by_hash_and_revoked_by_name(store: Store) {
    let id = store.insert_token("ops", "dispatch", "hash-ops").await.unwrap();
    assert!(matches!(
        store.insert_token("ops", "read", "hash-other").await,
        Err(StoreError::Conflict(_))
    ));
    let found = store.token_by_hash("hash-ops").await.unwrap().expect("found");
    assert_eq!(
        (found.id, found.name.as_str(), found.scope.as_str()),
        (id, "ops", "dispatch")
    );
    assert_eq!((found.last_used_at, found.revoked_at), (None, None));
    assert!(store.token_by_hash("hash-none").await.unwrap().is_none());

    store.touch_token(id, 60_000).await.unwrap();
    let used = store
        .token_by_hash("hash-ops")
        .await
        .unwrap()
        .unwrap()
        .last_used_at;
    assert!(used.is_some());
    store.touch_token(id, 60_000).await.unwrap();
    let again = store
        .token_by_hash("hash-ops")
        .await
        .unwrap()
        .unwrap()
        .last_used_at;
    assert_eq!(again, used, "not written again within `stale_ms`");

    assert_eq!(store.revoke_token("ops").await.unwrap(), Revoked::Now);
    assert_eq!(store.revoke_token("ops").await.unwrap(), Revoked::Already);
    assert_eq!(store.revoke_token("nobody").await.unwrap(), Revoked::Unknown);
    let revoked = store
        .token_by_hash("hash-ops")
        .await
        .unwrap()
        .expect("the row stays");
    assert!(revoked.revoked_at.is_some());
    assert!(
        matches!(
            store.insert_token("ops", "read", "hash-new").await,
            Err(StoreError::Conflict(_))
        ),
        "a revoked token's name is still taken"
    );
    assert_eq!(store.tokens().await.unwrap().len(), 1);
}

async fn accounts_lock_after_failures_and_sessions_end_with_them(store: Store) {
    let id = store
        .insert_user("maria", "dispatcher", "$argon2id$x")
        .await
        .unwrap();
    assert!(matches!(
        store.insert_user("maria", "admin", "$argon2id$y").await,
        Err(StoreError::Conflict(_))
    ));
    let until = tocsin::store::now_ms() + 60_000;
    assert!(!store.login_failed(id, 3, until).await.unwrap());
    assert!(!store.login_failed(id, 3, until).await.unwrap());
    assert!(
        store.login_failed(id, 3, until).await.unwrap(),
        "the third locks it"
    );
    let user = store.user_by_name("maria").await.unwrap().unwrap();
    assert_eq!((user.failed_logins, user.locked_until), (0, Some(until)));
    assert!(user.locked_at(until - 1) && !user.locked_at(until));
    assert!(store.unlock_user("maria").await.unwrap());
    assert_eq!(
        store.user_by_name("maria").await.unwrap().unwrap().locked_until,
        None
    );

    store
        .insert_session("session-hash", id, "csrf", until)
        .await
        .unwrap();
    let session = store.session("session-hash").await.unwrap().expect("live");
    assert_eq!((session.user.id, session.csrf.as_str()), (id, "csrf"));
    assert!(store.remove_user("maria").await.unwrap());
    assert!(
        store.session("session-hash").await.unwrap().is_none(),
        "gone with the account"
    );
    assert!(!store.remove_user("maria").await.unwrap());
}

async fn sending_slots_are_shared_only_on_postgres(store: Store) {
    let senders = vec!["+12135550100".to_string()];
    let shared = store.share_senders(&senders).await.unwrap();
    assert_eq!(shared, store.backend() == Backend::Postgres);
}

/// PostgreSQL: instances take turns on the least busy sender, and each slot of one sender
/// comes a whole interval after the one before it.
async fn slots_spread_over_senders_and_keep_the_rate(store: Store) {
    let senders = vec!["+12135550100".to_string(), "+12135550101".to_string()];
    assert!(store.share_senders(&senders).await.unwrap());
    assert!(store.share_senders(&senders).await.unwrap(), "twice is harmless");
    let interval = 10_000_000; // 10 s
    let mut taken = Vec::new();
    for _ in 0..4 {
        taken.push(
            store
                .reserve_slot(&senders, interval, 1)
                .await
                .unwrap()
                .expect("a slot"),
        );
    }
    let first: Vec<&str> = taken[..2].iter().map(|(s, _)| s.as_str()).collect();
    assert!(
        first.contains(&"+12135550100") && first.contains(&"+12135550101"),
        "{taken:?}"
    );
    assert!(
        taken[..2].iter().all(|(_, wait)| *wait == 0),
        "idle senders: now: {taken:?}"
    );
    for (_, wait) in &taken[2..] {
        assert!(
            *wait > interval * 9 / 10 && *wait <= interval,
            "one interval later: {taken:?}"
        );
    }
    assert_eq!(
        store
            .reserve_slot(&["+1999".to_string()], interval, 1)
            .await
            .unwrap(),
        None
    );
}

on_both_backends!(
    tokens_are_found_by_hash_and_revoked_by_name,
    accounts_lock_after_failures_and_sessions_end_with_them,
    sending_slots_are_shared_only_on_postgres,
);
on_postgres!(slots_spread_over_senders_and_keep_the_rate);
