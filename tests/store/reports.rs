//! Reports are stored sealed (`store::reports`): the text and the reporter's number are in
//! no column in clear, each sealed value opens only in its own row, and the row reads back
//! as written. A report is written in its caller's transaction, with the message's id.

use sqlx::any::AnyRow;
use sqlx::Row;
use tocsin::domain::IncidentStatus;
use tocsin::store::inbound::first_time;
use tocsin::store::reports::set_incident;
use tocsin::store::{Store, UNREADABLE};

use crate::on_both_backends;
use crate::support::{holds, incident, new_report, raw_values};

const BODY: &str = "ICE van outside the Zion Market on Vermont, two agents";
const REPORTER: &str = "+13235550177";

async fn store_report(store: &Store, body: &str, reporter: &str, at: i64) -> i64 {
    let mut tx = store.write().await.expect("tx");
    let id = store
        .insert_report(&mut tx, &new_report(store, body, reporter, at))
        .await
        .expect("report stored");
    tx.commit().await.expect("commit");
    id
}

async fn raw_report(store: &Store, id: i64) -> AnyRow {
    sqlx::query("SELECT * FROM reports WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .expect("raw row")
}

async fn a_report_is_stored_sealed_and_read_back(store: Store) {
    let id = store_report(&store, BODY, REPORTER, 1_000).await;

    let raw = raw_report(&store, id).await;
    let values = raw_values(&raw);
    assert!(values.len() >= 5, "the text columns were read: {}", values.len());
    for needle in [BODY, "Zion Market", REPORTER, "3235550177", "5550177"] {
        assert!(
            !holds(&values, needle),
            "{needle:?} is in the reports table in clear"
        );
    }
    let body_enc: Vec<u8> = raw.get("body_enc");
    let reporter_enc: Option<Vec<u8>> = raw.get("reporter_enc");
    assert!(
        body_enc.len() > BODY.len(),
        "the text is sealed (nonce and tag added)"
    );
    assert!(
        reporter_enc.is_some_and(|r| !r.is_empty()),
        "the number is sealed"
    );

    let read = store.report(id).await.unwrap().expect("read back");
    assert_eq!(read.id, id);
    assert_eq!(read.body, BODY);
    assert_eq!(read.kind, "raid");
    assert_eq!(read.language, "en");
    assert_eq!(read.received_at, 1_000);
    assert_eq!(read.location.point, Some((34.0617, -118.3005)));
    assert_eq!(read.incident_id, None);
    assert_eq!(read.flagged, None);
    assert!(!read.drill && !read.truncated);
    assert_eq!(store.report(id + 1000).await.unwrap().map(|r| r.id), None);
}

async fn a_sealed_text_opens_only_in_its_own_row(store: Store) {
    let a = store_report(&store, "first sighting", REPORTER, 1_000).await;
    let b = store_report(&store, "second sighting", "+13235550178", 1_000).await;
    // Someone who can write to the database moves A's sealed text into B's row.
    sqlx::query("UPDATE reports SET body_enc = (SELECT body_enc FROM reports WHERE id = $1) WHERE id = $2")
        .bind(a)
        .bind(b)
        .execute(store.pool())
        .await
        .unwrap();
    assert_eq!(store.report(b).await.unwrap().unwrap().body, UNREADABLE);
    assert_eq!(store.report(a).await.unwrap().unwrap().body, "first sighting");
}

async fn a_report_and_its_message_id_commit_together(store: Store) {
    let mut tx = store.write().await.expect("tx");
    assert!(first_time(&mut tx, "twilio", "SMr1", 1_000).await.unwrap());
    let id = store
        .insert_report(&mut tx, &new_report(&store, BODY, REPORTER, 1_000))
        .await
        .unwrap();
    drop(tx);
    assert!(
        store.report(id).await.unwrap().is_none(),
        "rolled back: no report"
    );
    assert!(!store.inbound_seen("twilio", "SMr1").await.unwrap(), "nor its id");
    assert!(store.recent_reports(10).await.unwrap().is_empty());

    let mut tx = store.write().await.expect("tx");
    assert!(first_time(&mut tx, "twilio", "SMr1", 1_000).await.unwrap());
    let id = store
        .insert_report(&mut tx, &new_report(&store, BODY, REPORTER, 1_000))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.report(id).await.unwrap().unwrap().body, BODY);
    assert!(store.inbound_seen("twilio", "SMr1").await.unwrap());
}

async fn a_report_joins_one_open_incident_once(store: Store) {
    let report = store_report(&store, BODY, REPORTER, 1_000).await;
    let closed = incident(&store, IncidentStatus::AllClear).await;
    let open = incident(&store, IncidentStatus::Unverified).await;
    let other = incident(&store, IncidentStatus::Unverified).await;
    let mut tx = store.write().await.unwrap();
    assert!(
        !set_incident(&mut tx, report, closed).await.unwrap(),
        "not to a closed one"
    );
    assert!(set_incident(&mut tx, report, open).await.unwrap());
    assert!(
        !set_incident(&mut tx, report, other).await.unwrap(),
        "it has one already"
    );
    tx.commit().await.unwrap();
    assert_eq!(
        store.report(report).await.unwrap().unwrap().incident_id,
        Some(open)
    );
    let of_open: Vec<i64> = store
        .reports_of_incident(open)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(of_open, vec![report]);
    assert!(store.unprocessed_reports(i64::MAX).await.unwrap().is_empty());
}

async fn erasing_reporters_drops_old_numbers_only(store: Store) {
    let old = store_report(&store, "old sighting", REPORTER, 1_000).await;
    let new = store_report(&store, "new sighting", "+13235550178", 9_000).await;
    assert_eq!(store.erase_reporters(5_000).await.unwrap(), 1);
    let reporter = |id: i64| {
        let store = store.clone();
        async move {
            let raw = raw_report(&store, id).await;
            let enc: Option<Vec<u8>> = raw.get("reporter_enc");
            let hash: Option<String> = raw.get("reporter_hash");
            (enc.is_some(), hash.is_some())
        }
    };
    assert_eq!(reporter(old).await, (false, false));
    assert_eq!(reporter(new).await, (true, true));
    // The text stays readable: only the number goes.
    assert_eq!(store.report(old).await.unwrap().unwrap().body, "old sighting");
    assert_eq!(
        store.erase_reporters(5_000).await.unwrap(),
        0,
        "nothing left to erase"
    );
}

on_both_backends!(
    a_report_is_stored_sealed_and_read_back,
    a_sealed_text_opens_only_in_its_own_row,
    a_report_and_its_message_id_commit_together,
    a_report_joins_one_open_incident_once,
    erasing_reporters_drops_old_numbers_only,
);
