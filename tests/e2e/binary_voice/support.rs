//! What the hotline scenario needs beside the binary: a call placed through the fake Twilio,
//! the reports as the API lists them, and the stored audio as whoever copied the database reads it.

use serde_json::Value;
use tocsin_fakes::{CallRecord, CallScript, Step};

use crate::binary_net::Net;
use crate::helpers::HOTLINE;

pub(super) async fn call(net: &Net<'_>, from: &str, steps: Vec<Step>) -> CallRecord {
    let record = net
        .twilio
        .call(CallScript::new(from, HOTLINE, steps))
        .await
        .expect("the call ran");
    assert_eq!(record.status, "completed", "{record:#?}");
    // Every document parsed, every Say in a voice Twilio lists for its language, every Dial valid.
    assert!(record.errors.is_empty(), "Twilio would log errors: {record:#?}");
    record
}

pub(super) async fn reports(net: &Net<'_>) -> Vec<Value> {
    net.get("/reports").await["reports"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The audio stored for the report, as whoever copied the database would read it.
pub(super) async fn stored_audio(pg_url: Option<&str>, dir: &std::path::Path) -> Vec<Vec<u8>> {
    use sqlx::{Connection, Row};
    let sql = "SELECT audio_enc FROM voice_calls WHERE audio_enc IS NOT NULL";
    let rows = match pg_url {
        Some(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("PostgreSQL");
            sqlx::query(sql)
                .fetch_all(&mut conn)
                .await
                .expect("voice_calls")
                .iter()
                .map(|r| r.get::<Vec<u8>, _>(0))
                .collect()
        }
        None => {
            let url = format!("sqlite://{}/tocsin.db", dir.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("SQLite");
            sqlx::query(sql)
                .fetch_all(&mut conn)
                .await
                .expect("voice_calls")
                .iter()
                .map(|r| r.get::<Vec<u8>, _>(0))
                .collect()
        }
    };
    rows
}
