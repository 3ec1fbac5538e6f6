use super::*;
use crate::domain::{Location, Standing};
use crate::store::conversations::Conversation;
use crate::store::reports::NewReport;
use crate::store::volunteers::NewVolunteer;

/// Columns that hold a sealed value or a keyed hash: every `*_enc`, every `*_hash` but the
/// passwords' (argon2) and the tokens' (unkeyed SHA-256 of a random secret).
async fn keyed_columns(store: &Store) -> Vec<String> {
    let tables =
        sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let mut found = Vec::new();
    for t in tables {
        let table: String = t.try_get("name").unwrap();
        let cols = sqlx::query(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .fetch_all(store.pool())
            .await
            .unwrap();
        for c in cols {
            let col: String = c.try_get("name").unwrap();
            let unkeyed = matches!(col.as_str(), "password_hash" | "token_hash");
            if (col.ends_with("_enc") || col.ends_with("_hash")) && !unkeyed {
                found.push(format!("{table}.{col}"));
            }
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn every_sealed_or_keyed_column_is_carried_to_a_new_key() {
    let store = Store::memory().await;
    let mut carried: Vec<String> = CARRIED.iter().map(|c| c.to_string()).collect();
    carried.sort();
    assert_eq!(
        keyed_columns(&store).await,
        carried,
        "a sealed or keyed-hash column was added or removed: teach rotate.rs (and CARRIED) about it"
    );
}

fn volunteer<'a>(name: &'a str, phone: &'a str) -> NewVolunteer<'a> {
    NewVolunteer {
        name,
        phone,
        language: "es",
        trusted: false,
        area: r#"{"type":"Point","coordinates":[-118.29,34.07]}"#.into(),
        channel: "signal",
        signal: Some("f0e1d2c3-0000-4000-8000-000000000001"),
        roles: String::new(),
        standing: Standing::Approved,
    }
}

#[tokio::test]
async fn after_a_rotation_everything_opens_and_is_found_with_the_new_key_only() {
    let mut store = Store::memory().await;
    let old = store.vault().clone();
    let ana = store
        .insert_volunteer(volunteer("Ana", "+13235550101"))
        .await
        .unwrap();
    let mut tx = store.write().await.unwrap();
    let report = NewReport {
        channel: "sms",
        body: "ICE at Vermont and 3rd".into(),
        language: "en".into(),
        reporter: Some("+13235550199".into()),
        reporter_hash: Some(old.lookup_hash("+13235550199")),
        volunteer_id: None,
        location: Location::default(),
        kind: "raid".into(),
        received_at: now_ms(),
        flagged: None,
        drill: false,
        truncated: false,
    };
    let report_id = store.insert_report(&mut tx, &report).await.unwrap();
    tx.commit().await.unwrap();
    store.block_sender_of(report_id, "spam").await.unwrap().unwrap();
    // The report's number erased since: the block still knows whom it blocks.
    sqlx::query("UPDATE reports SET reporter_enc = NULL, reporter_hash = NULL")
        .execute(store.pool())
        .await
        .unwrap();
    store
        .save_conversation(&Conversation {
            sender_hash: old.lookup_hash("+13235550142"),
            step: "area".into(),
            language: Some("ko".into()),
            area: Some("{}".into()),
            area_label: Some("Koreatown".into()),
            failures: 0,
            updated_at: now_ms(),
        })
        .await
        .unwrap();

    let new = Vault::from_key(&[4u8; 32]);
    let done = store.rotate_key(&new).await.unwrap();
    assert_eq!(done.conversations_ended, 1);
    assert_eq!(done.blocks_lifted, 0);
    assert_eq!(done.unreadable, 0);
    // name, phone, area, signal id; the report's body; the block's number.
    assert_eq!(done.sealed, 6);
    // phone, signal id, the block.
    assert_eq!(done.hashed, 3);

    store.vault = new.clone();
    let found = store
        .volunteer_by_phone_hash(&new.lookup_hash("+13235550101"))
        .await
        .unwrap()
        .expect("found by the new hash of their number");
    assert_eq!(
        (found.id, found.name.as_str(), found.phone.as_str()),
        (ana, "Ana", "+13235550101")
    );
    assert!(store
        .volunteer_by_signal_hash(&new.lookup_hash("f0e1d2c3-0000-4000-8000-000000000001"))
        .await
        .unwrap()
        .is_some());
    assert!(store
        .volunteer_by_phone_hash(&old.lookup_hash("+13235550101"))
        .await
        .unwrap()
        .is_none());
    assert!(store.is_blocked(&new.lookup_hash("+13235550199")).await.unwrap());
    assert!(!store.is_blocked(&old.lookup_hash("+13235550199")).await.unwrap());
    assert_eq!(
        store.meta(upgrade::KEY_CHECK).await.unwrap(),
        Some(new.check_value())
    );

    let sealed: Vec<u8> = sqlx::query("SELECT name_enc FROM volunteers WHERE id = $1")
        .bind(ana)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("name_enc")
        .unwrap();
    assert!(
        old.open(Field::VolunteerName, ana, &sealed).is_err(),
        "the old key opens nothing"
    );
    let audit = store.audit_entries(5).await.unwrap();
    assert_eq!(audit[0].action, "data_key_rotated");
}

#[tokio::test]
async fn a_block_whose_number_is_gone_is_lifted_and_counted() {
    let store = Store::memory().await;
    let old = store.vault().clone();
    sqlx::query(
        "INSERT INTO blocked_senders (sender_hash, report_id, reason, created_at) VALUES ($1, NULL, 'spam', 0)",
    )
    .bind(old.lookup_hash("+13235550177"))
    .execute(store.pool())
    .await
    .unwrap();
    let done = store.rotate_key(&Vault::from_key(&[4u8; 32])).await.unwrap();
    assert_eq!(done.blocks_lifted, 1);
    assert!(store.blocked().await.unwrap().is_empty());
}
