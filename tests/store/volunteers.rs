//! Volunteers are stored sealed (`store::volunteers`): name, number and home area in no
//! column in clear, found by a keyed hash of the number, one row per number; a removal erases
//! them, and their number on the reports they sent.

use sqlx::any::AnyRow;
use sqlx::Row;
use tocsin::domain::Standing;
use tocsin::store::volunteers::{NewVolunteer, VolunteerEdit};
use tocsin::store::{Store, StoreError};

use crate::on_both_backends;
use crate::support::{holds, new_report, raw_values};

const NAME: &str = "Rosa Quintanilla";
const PHONE: &str = "+13235550144";
const AREA: &str = r#"{"type":"circle","lat":34.0617,"lon":-118.3005,"radius_m":1200}"#;

fn rosa(phone: &str) -> NewVolunteer<'_> {
    NewVolunteer {
        name: NAME,
        phone,
        language: "es",
        trusted: true,
        area: AREA.into(),
        channel: "sms",
        signal: None,
        roles: "verifier".into(),
        standing: Standing::Approved,
    }
}

async fn raw_volunteer(store: &Store, id: i64) -> AnyRow {
    sqlx::query("SELECT * FROM volunteers WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .expect("raw row")
}

async fn a_volunteer_is_stored_sealed_and_found_by_keyed_hash(store: Store) {
    let id = store.insert_volunteer(rosa(PHONE)).await.unwrap();
    let values = raw_values(&raw_volunteer(&store, id).await);
    for needle in [NAME, "Quintanilla", PHONE, "3235550144", "-118.3005", "radius_m"] {
        assert!(
            !holds(&values, needle),
            "{needle:?} is in the volunteers table in clear"
        );
    }
    let read = store.volunteer(id).await.unwrap().expect("read back");
    assert_eq!(
        (read.name.as_str(), read.phone.as_str(), read.area.as_str()),
        (NAME, PHONE, AREA)
    );
    assert_eq!((read.language.as_str(), read.roles.as_str()), ("es", "verifier"));
    assert!(read.trusted && !read.paused && !read.opted_out);
    assert_eq!(read.standing, Standing::Approved);

    let by_hash = store
        .volunteer_by_phone_hash(&store.vault().lookup_hash(PHONE))
        .await
        .unwrap();
    assert_eq!(by_hash.map(|v| v.id), Some(id));
    assert!(
        store.volunteer_by_phone_hash(PHONE).await.unwrap().is_none(),
        "not by the number"
    );
    assert!(
        matches!(
            store.insert_volunteer(rosa(PHONE)).await,
            Err(StoreError::Conflict(_))
        ),
        "one row per number"
    );
    assert_eq!(store.volunteers().await.unwrap().len(), 1);
}

async fn an_edit_is_sealed_too(store: Store) {
    let id = store.insert_volunteer(rosa(PHONE)).await.unwrap();
    let edit = VolunteerEdit {
        name: "Rosa Q. Marquez",
        language: "en",
        trusted: false,
        area: r#"{"type":"zone","zone":"Westlake"}"#.into(),
        channel: "both",
        roles: String::new(),
    };
    assert!(store.update_volunteer(id, edit).await.unwrap());
    let values = raw_volunteer(&store, id).await;
    assert!(!holds(&raw_values(&values), "Marquez") && !holds(&raw_values(&values), "Westlake"));
    let read = store.volunteer(id).await.unwrap().unwrap();
    assert_eq!(read.name, "Rosa Q. Marquez");
    assert_eq!(read.area, r#"{"type":"zone","zone":"Westlake"}"#);
    assert_eq!((read.channel.as_str(), read.trusted), ("both", false));
    assert_eq!(store.search_volunteers("marq").await.unwrap().len(), 1);
}

async fn a_removal_erases_the_volunteer_and_their_number(store: Store) {
    let id = store.insert_volunteer(rosa(PHONE)).await.unwrap();
    let mut tx = store.write().await.unwrap();
    let report = store
        .insert_report(&mut tx, &new_report(&store, "ICE on 3rd", PHONE, 1_000))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    assert!(store.remove_volunteer(id).await.unwrap());
    assert!(!store.remove_volunteer(id).await.unwrap(), "once");
    assert!(store.volunteer(id).await.unwrap().is_none());
    let hash = store.vault().lookup_hash(PHONE);
    assert!(store.volunteer_by_phone_hash(&hash).await.unwrap().is_none());
    let raw = raw_volunteer(&store, id).await;
    for column in ["name_enc", "phone_enc", "area_enc"] {
        assert!(raw.get::<Vec<u8>, _>(column).is_empty(), "{column} erased");
    }
    assert_ne!(raw.get::<String, _>("phone_hash"), hash);
    let raw_report = sqlx::query("SELECT reporter_enc, reporter_hash FROM reports WHERE id = $1")
        .bind(report)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(raw_report.get::<Option<Vec<u8>>, _>("reporter_enc"), None);
    assert_eq!(raw_report.get::<Option<String>, _>("reporter_hash"), None);
    assert_eq!(store.report(report).await.unwrap().unwrap().body, "ICE on 3rd");
    // The number may join again, as someone new.
    let again = store.insert_volunteer(rosa(PHONE)).await.unwrap();
    assert_ne!(again, id);
}

on_both_backends!(
    a_volunteer_is_stored_sealed_and_found_by_keyed_hash,
    an_edit_is_sealed_too,
    a_removal_erases_the_volunteer_and_their_number,
);
