//! A copied database names nobody and locates nobody's home (issue 11, point 5): names, home
//! areas, report texts, a joiner's chosen area and Signal ids are sealed at rest, each bound to
//! its row; the files are private to their owner.

use std::time::Duration;

use serde_json::json;

use crate::disk::{self, text};
use crate::helpers::{eventually, spawn_signal_app, Backend, TestApp};
use crate::on_both_backends;

const WAIT: Duration = Duration::from_secs(15);
const CIRCLE_NAME: &str = "Xiomara Quetzalcoatl-Brandt";
const POLYGON_NAME: &str = "Yolanda Oyelaran-Fitzwilliam";
const SIGNAL_NAME: &str = "Ignatius Vandermeer-Osei";
const VOLUNTEER_UUID: &str = "e4a1f7c3-8b2d-4c6e-9f01-3a5b7d9e1c24";
const REPORTER_UUID: &str = "5b9e7c1a-2f4d-4e8b-9a3c-71d0e6f8b245";
const SMS_WORDS: &str = "Zephyrine glockenspiel vans idling";
const SIGNAL_WORDS: &str = "Obsidian tricycles blocking the clinic";
const JOINER: &str = "+13235550166";

/// What must not be readable in a copy of the database.
fn secrets() -> Vec<(String, Vec<u8>)> {
    vec![
        text("name", CIRCLE_NAME),
        text("name", POLYGON_NAME),
        text("name", SIGNAL_NAME),
        // Home areas as the API writes them in JSON.
        text("circle centre", "34.08123"),
        text("circle centre", "-118.27456"),
        text("polygon corner", "-118.21987"),
        text("polygon corner", "34.03321"),
        text("joiner's area", "34.09871"),
        text("joiner's area label", "34.0987,-118.3123"),
        text("Signal id", VOLUNTEER_UUID),
        text("Signal id", &VOLUNTEER_UUID.to_uppercase()),
        text("Signal id", REPORTER_UUID),
        text("report", SMS_WORDS),
        text("report", SIGNAL_WORDS),
    ]
}

async fn a_network(app: &TestApp) -> [i64; 3] {
    let circle = app
        .volunteer(
            CIRCLE_NAME,
            "+13235550181",
            "en",
            false,
            34.08123,
            -118.27456,
            1200.0,
        )
        .await;
    let (status, polygon) = app
        .post(
            "/volunteers",
            json!({"name": POLYGON_NAME, "phone": "+13235550182", "language": "es", "area": {"type": "Polygon",
                "coordinates": [[[-118.21987, 34.03321], [-118.20456, 34.03321], [-118.20456, 34.04789],
                                 [-118.21987, 34.04789], [-118.21987, 34.03321]]]}}),
        )
        .await;
    assert_eq!(status, 201, "{polygon}");
    let (status, signal) = app
        .post(
            "/volunteers",
            json!({"name": SIGNAL_NAME, "phone": "+13235550183", "language": "en", "channel": "signal",
                   "signal_address": VOLUNTEER_UUID,
                   "area": {"type": "circle", "lat": 34.4, "lon": -118.6, "radius_m": 500}}),
        )
        .await;
    assert_eq!(status, 201, "{signal}");
    [
        circle,
        polygon["id"].as_i64().unwrap(),
        signal["id"].as_i64().unwrap(),
    ]
}

async fn a_copied_database_names_nobody_and_locates_no_home(backend: Backend) {
    let app = spawn_signal_app(backend, |_| {}).await;
    let bridge = app.signal.as_ref().expect("bridge");
    let ids = a_network(&app).await;
    app.text("+13235550190", &format!("{SMS_WORDS} behind the laundromat"))
        .await;
    bridge.register("+13235550177", REPORTER_UUID);
    bridge.incoming("+13235550177", &format!("{SIGNAL_WORDS} door"));
    // A joiner who has chosen a home area by shared location but not said YES yet.
    for answer in ["JOIN", "1", "34.09871,-118.31234"] {
        assert_eq!(app.text(JOINER, answer).await.status, 200);
    }
    let both_reports = eventually(WAIT, || async {
        app.get("/reports").await.1["reports"].as_array().map(Vec::len) == Some(2)
    })
    .await;
    assert!(both_reports, "the SMS and the Signal report are stored");

    // Everything still reads, through the API and the dashboard's search.
    let (_, one) = app.get(&format!("/volunteers/{}", ids[0])).await;
    assert_eq!(one["name"], CIRCLE_NAME);
    assert_eq!(one["area"]["lat"], 34.08123, "{one}");
    let (_, list) = app.get("/reports").await;
    let texts: Vec<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["text"].as_str())
        .collect();
    assert!(texts.iter().any(|t| t.starts_with(SMS_WORDS)), "{texts:?}");
    let found = app.core().store.search_volunteers("quetzal").await.unwrap();
    assert_eq!(found.iter().map(|v| v.id).collect::<Vec<_>>(), vec![ids[0]]);
    let joiner_key = app.core().vault.lookup_hash(JOINER);
    let conversation = app
        .core()
        .store
        .conversation(&joiner_key)
        .await
        .unwrap()
        .expect("joining");
    assert!(conversation.area.unwrap_or_default().contains("34.09871"));

    // The geofence index was built from the opened areas: a sighting inside the polygon reaches
    // its volunteer.
    assert_eq!(app.core().targets(34.04, -118.21), vec![ids[1]]);

    let found = match disk::sqlite_file(&app) {
        // While it runs, as a copy of the disk would find it: the database and its WAL.
        Some(db) => disk::found_in_files(&disk::files_in(db.parent().unwrap()), &secrets()),
        None => disk::found_in_rows(&disk::pg_rows_as_text(&app).await, &secrets()),
    };
    assert!(found.is_empty(), "readable in a copy of the database: {found:#?}");
    app.stop().await;
}
on_both_backends!(a_copied_database_names_nobody_and_locates_no_home);

async fn a_value_moved_to_another_volunteer_reads_as_unreadable_and_alerts_nobody(backend: Backend) {
    let app = spawn_signal_app(backend, |_| {}).await;
    let [circle, polygon, _] = a_network(&app).await;
    assert_eq!(app.core().alertable_volunteers(), 3);
    // Someone with write access to the database gives the circle volunteer the other's
    // number and home area.
    let pool = app.core().store.pool();
    for column in ["phone_enc", "area_enc"] {
        let sql = format!(
            "UPDATE volunteers SET {column} = (SELECT {column} FROM volunteers WHERE id = $2), \
             updated_at = $3 WHERE id = $1"
        );
        let now = tocsin::store::now_ms() + 1;
        sqlx::query(&sql)
            .bind(circle)
            .bind(polygon)
            .bind(now)
            .execute(pool)
            .await
            .unwrap();
    }
    let (status, one) = app.get(&format!("/volunteers/{circle}")).await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["phone_last4"], "(unreadable)", "{one}");
    assert_ne!(one["phone"], "+13235550182", "{one}");
    assert_eq!(one["name"], CIRCLE_NAME, "what was not moved still reads");
    let (status, _) = app.get("/volunteers").await;
    assert_eq!(status, 200, "the list still answers");
    app.core().refresh_index().await.unwrap();
    assert_eq!(
        app.core().alertable_volunteers(),
        2,
        "an area that does not open alerts nobody"
    );
    assert!(app.core().targets(34.08123, -118.27456).is_empty());
    app.stop().await;
}
on_both_backends!(a_value_moved_to_another_volunteer_reads_as_unreadable_and_alerts_nobody);

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_its_wal_and_the_key_file_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    app.volunteer("Ann", "+13235550102", "en", false, 34.0, -118.0, 500.0)
        .await;
    let db = disk::sqlite_file(&app).expect("SQLite");
    let dir = db.parent().unwrap();
    let mut seen = Vec::new();
    for (name, _) in disk::files_in(dir) {
        let mode = std::fs::metadata(dir.join(&name)).unwrap().permissions().mode() & 0o777;
        seen.push(name.clone());
        assert_eq!(mode, 0o600, "{name} is mode {mode:o}");
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "tocsin.db",
            "tocsin.db-shm",
            "tocsin.db-wal",
            "tocsin.db.lock",
            "tocsin.key"
        ],
        "every file was looked at"
    );
    app.stop().await;
}
