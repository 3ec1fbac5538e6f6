//! A database written by the version before sealing at rest (migrations up to 0009: names, home
//! areas and report texts in clear; numbers sealed without their row; Signal message ids with
//! the sender's UUID) is sealed when the new version opens it: everything still reads, nothing
//! of it is left in clear, and opening it again changes nothing.

use std::borrow::Cow;
use std::time::Duration;

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde_json::json;
use sqlx::{Connection, Row};

use crate::disk::{self, text};
use crate::helpers::{pg_admin_url, spawn_app_with, Backend};
use crate::on_both_backends;

const KEY: [u8; 32] = [42; 32];
const NAME: &str = "Philippa Okonkwo-Lindqvist";
const PHONE: &str = "+13235550144";
const UUID: &str = "d3b07384-d9a0-4c3e-8f2a-6b1c5e7f9a20";
const AREA: &str = r#"{"lat":34.06789,"lon":-118.29876,"radius_m":1500.0,"type":"circle"}"#;
const BODY: &str = "Marzipan helicopters circling the school";
const REPORTER: &str = "+13235550155";
const JOINER_AREA: &str = r#"{"lat":34.01357,"lon":-118.24680,"radius_m":1500.0,"type":"circle"}"#;
const JOINER_LABEL: &str = "34.0136,-118.2468";
const SIGNAL_SENDER: &str = "7e57ab1e-0000-4000-8000-0000deadbeef";

/// How the old version sealed a value: XChaCha20-Poly1305 under the derived key, with the
/// constant associated data "tocsin".
fn legacy_seal(plain: &str, nonce_byte: u8) -> Vec<u8> {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&KEY).unwrap();
    mac.update(b"tocsin/v1/encrypt");
    let key: [u8; 32] = mac.finalize().into_bytes().into();
    let nonce = [nonce_byte; 24];
    let sealed = XChaCha20Poly1305::new((&key).into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain.as_bytes(),
                aad: b"tocsin",
            },
        )
        .unwrap();
    [nonce.to_vec(), sealed].concat()
}

/// A database as the old version left it; its URL, and the PostgreSQL database to drop.
async fn old_database(backend: Backend, dir: &std::path::Path) -> (String, Option<String>) {
    sqlx::any::install_default_drivers();
    let (url, pg) = match backend {
        Backend::Sqlite => (format!("sqlite://{}", dir.join("old.db").display()), None),
        Backend::Postgres => {
            let name = format!("tocsin_old_{:016x}", random());
            let admin = pg_admin_url();
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin);
            (format!("{base}/{name}"), Some(name))
        }
    };
    let connect = if backend == Backend::Sqlite {
        format!("{url}?mode=rwc")
    } else {
        url.clone()
    };
    let pool = sqlx::AnyPool::connect(&connect).await.unwrap();
    let folder = if backend == Backend::Sqlite {
        "sqlite"
    } else {
        "postgres"
    };
    let path = format!("{}/migrations/{folder}", env!("CARGO_MANIFEST_DIR"));
    let mut migrator = sqlx::migrate::Migrator::new(std::path::Path::new(&path))
        .await
        .unwrap();
    let old: Vec<_> = migrator.iter().filter(|m| m.version <= 9).cloned().collect();
    migrator.migrations = Cow::Owned(old);
    migrator.run(&pool).await.unwrap();

    let vault = tocsin::crypto::Vault::from_key(&KEY);
    let now = tocsin::store::now_ms();
    sqlx::query("INSERT INTO meta (name, value) VALUES ('key_check', $1)")
        .bind(vault.check_value())
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO volunteers (name, phone_enc, phone_hash, language, area, created_at, updated_at, \
         channel, signal_enc, signal_hash) VALUES ($1, $2, $3, 'en', $4, $5, $5, 'both', $6, $7)",
    )
    .bind(NAME)
    .bind(legacy_seal(PHONE, 1))
    .bind(vault.lookup_hash(PHONE))
    .bind(AREA)
    .bind(now)
    .bind(legacy_seal(UUID, 2))
    .bind(vault.lookup_hash(UUID))
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO reports (channel, body, language, reporter_enc, reporter_hash, kind, received_at) \
         VALUES ('sms', $1, 'en', $2, $3, 'other', $4)",
    )
    .bind(BODY)
    .bind(legacy_seal(REPORTER, 3))
    .bind(vault.lookup_hash(REPORTER))
    .bind(now)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO conversations (sender_hash, step, language, area, area_label, started_at, updated_at) \
         VALUES ('joiner', 'confirm', 'en', $1, $2, $3, $3)",
    )
    .bind(JOINER_AREA)
    .bind(JOINER_LABEL)
    .bind(now)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO inbound_messages (provider, message_id, received_at) VALUES ('signal', $1, $2)")
        .bind(format!("{SIGNAL_SENDER}:1700000000123"))
        .bind(now)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    (url, pg)
}

fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::Instant::now().elapsed().as_nanos() ^ u128::from(std::process::id()));
    h.finish()
}

async fn a_database_of_the_old_version_is_sealed_when_opened(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = old_database(backend, dir.path()).await;
    let key = base64::engine::general_purpose::STANDARD.encode(KEY);
    let app = spawn_app_with(backend, |s| {
        s.database.url = url.clone();
        s.crypto.key = Some(key.clone().into());
    })
    .await;

    // Everything still reads: the volunteer, the report, the joiner's choice, the message id.
    let (_, list) = app.get("/volunteers").await;
    let id = list["volunteers"][0]["id"].as_i64().expect("the volunteer");
    let (_, one) = app.get(&format!("/volunteers/{id}")).await;
    assert_eq!(
        (one["name"].as_str(), one["phone"].as_str()),
        (Some(NAME), Some(PHONE)),
        "{one}"
    );
    assert_eq!(one["area"]["lat"], 34.06789, "{one}");
    assert_eq!(one["has_signal_address"], true);
    let (_, reports) = app.get("/reports").await;
    assert_eq!(reports["reports"][0]["text"], BODY);
    let store = &app.core().store;
    let joiner = store
        .conversation("joiner")
        .await
        .unwrap()
        .expect("still joining");
    assert_eq!(
        (joiner.area.as_deref(), joiner.area_label.as_deref()),
        (Some(JOINER_AREA), Some(JOINER_LABEL))
    );
    let seen = tocsin::store::inbound::signal_message_id(&app.core().vault, SIGNAL_SENDER, 1700000000123_i64);
    assert!(
        store.inbound_seen("signal", &seen).await.unwrap(),
        "a redelivery is still known"
    );
    let reporter: Option<Vec<u8>> = sqlx::query("SELECT reporter_enc FROM reports")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("reporter_enc");
    let report_id = reports["reports"][0]["id"].as_i64().unwrap();
    let opened = app.core().vault.open(
        tocsin::crypto::Field::ReportReporter,
        report_id,
        &reporter.unwrap(),
    );
    assert_eq!(
        opened.as_deref(),
        Ok(REPORTER),
        "the reporter's number, bound to its row"
    );

    // Their home area is in the geofence index and their number in the outbox's hands.
    assert_eq!(app.core().targets(34.0679, -118.2988), vec![id]);
    let (_, made) = app
        .post(
            "/reports",
            json!({"text": "raid", "lat": 34.0679, "lon": -118.2988}),
        )
        .await;
    let incident = made["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{incident}/confirm"), json!({}))
        .await;
    let sent = app.twilio.wait_for_messages(1, Duration::from_secs(15)).await;
    assert_eq!(sent.first().map(|m| m.to.as_str()), Some(PHONE));

    // Nothing of it is left in clear, and the plaintext columns are gone.
    let secrets = [
        text("name", NAME),
        text("area", "34.06789"),
        text("report", BODY),
        text("joiner's area", "34.01357"),
        text("joiner's label", JOINER_LABEL),
        text("Signal id", SIGNAL_SENDER),
    ];
    let found = match backend {
        Backend::Sqlite => disk::found_in_files(&disk::files_in(dir.path()), &secrets),
        Backend::Postgres => disk::found_in_rows(&disk::pg_rows_as_text(&app).await, &secrets),
    };
    assert!(found.is_empty(), "left in clear: {found:#?}");
    assert!(sqlx::query("SELECT name FROM volunteers")
        .fetch_all(store.pool())
        .await
        .is_err());

    // Opening it again (another instance) seals nothing twice.
    let again = app.second_instance(|_| {}).await;
    let (_, one) = again.get(&format!("/volunteers/{id}")).await;
    assert_eq!(
        (one["name"].as_str(), one["phone"].as_str()),
        (Some(NAME), Some(PHONE)),
        "{one}"
    );
    again.stop().await;
    app.stop().await;
    if let Some(name) = pg {
        let mut conn = sqlx::PgConnection::connect(&pg_admin_url()).await.unwrap();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }
}
on_both_backends!(a_database_of_the_old_version_is_sealed_when_opened);
