//! Erased means unrecoverable, on disk (issue 11, point 4): after reporter retention, a
//! volunteer's removal and a JOIN conversation's end, the database files hold none of the
//! erased bytes (SQLite: the database, its WAL, everything beside it, while it runs and after
//! it stops); on PostgreSQL the rows are gone and the tables were vacuumed.

use std::time::Duration;

use serde_json::json;
use sqlx::Row;

use crate::disk;
use crate::helpers::{eventually, spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

const WAIT: Duration = Duration::from_secs(15);
const REPORTER: &str = "+13235550199";
const VOLUNTEER: &str = "+13235550188";
const VOLUNTEER_NAME: &str = "Wenceslas Abernathy-Okafor";
const VOLUNTEER_UUID: &str = "a7c2e9f4-1b3d-4f5a-8c6e-0d2f4b6a8c1e";
const JOINER: &str = "+13235550166";

/// The stored bytes of one row's columns, labelled (`table.column`).
async fn stored(app: &TestApp, table: &str, key: &str, id: &str, columns: &[&str]) -> Vec<(String, Vec<u8>)> {
    let sql = format!(
        "SELECT {} FROM {table} WHERE CAST({key} AS TEXT) = $1",
        columns.join(", ")
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_one(app.core().store.pool())
        .await
        .unwrap();
    columns
        .iter()
        .map(|c| {
            let bytes = row
                .try_get::<Vec<u8>, _>(*c)
                .or_else(|_| row.try_get::<String, _>(*c).map(String::into_bytes))
                .unwrap_or_else(|e| panic!("{table}.{c}: {e}"));
            assert!(
                !bytes.is_empty(),
                "{table}.{c} holds something before it is erased"
            );
            (format!("{table}.{c}"), bytes)
        })
        .collect()
}

async fn erased_numbers_names_and_areas_leave_no_bytes_in_the_database_files(backend: Backend) {
    let mut app = spawn_app_with(backend, |s| s.privacy.reporter_retention_hours = 0).await;
    let (status, v) = app
        .post(
            "/volunteers",
            json!({"name": VOLUNTEER_NAME, "phone": VOLUNTEER, "language": "en", "channel": "signal",
                   "signal_address": VOLUNTEER_UUID,
                   "area": {"type": "circle", "lat": 34.05, "lon": -118.25, "radius_m": 800}}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let volunteer = v["id"].as_i64().unwrap();
    assert_eq!(app.text(REPORTER, "Agents at the corner store").await.status, 200);
    for answer in ["JOIN", "1", "34.11113,-118.22227"] {
        assert_eq!(app.text(JOINER, answer).await.status, 200);
    }
    let (_, reports) = app.get("/reports").await;
    let report = reports["reports"][0]["id"].as_i64().expect("the report");

    let joiner = app.core().vault.lookup_hash(JOINER);
    let mut erased = stored(
        &app,
        "volunteers",
        "id",
        &volunteer.to_string(),
        &[
            "name_enc",
            "phone_enc",
            "signal_enc",
            "area_enc",
            "phone_hash",
            "signal_hash",
        ],
    )
    .await;
    erased.extend(
        stored(
            &app,
            "reports",
            "id",
            &report.to_string(),
            &["reporter_enc", "reporter_hash"],
        )
        .await,
    );
    erased.extend(
        stored(
            &app,
            "conversations",
            "sender_hash",
            &joiner,
            &["area_enc", "area_label_enc"],
        )
        .await,
    );
    erased.push(disk::text("joiner's key", &joiner));
    for (label, value) in [
        ("number", REPORTER),
        ("number", VOLUNTEER),
        ("name", VOLUNTEER_NAME),
    ] {
        erased.push(disk::text(label, value));
    }
    erased.push(disk::text("Signal id", VOLUNTEER_UUID));

    let db = disk::sqlite_file(&app);
    if let Some(db) = &db {
        let before = disk::found_in_files(&disk::files_in(db.parent().unwrap()), &erased);
        assert!(
            before.iter().any(|f| f.starts_with("volunteers.name_enc")),
            "the scan finds stored bytes before they are erased: {before:?}"
        );
    }

    // Retention (a window of 0 hours), a dispatcher's removal, and STOP ending the JOIN.
    let pass = tocsin::intake::retention::pass(app.core()).await.unwrap();
    assert!(pass.reporters >= 1, "{pass:?}");
    let (status, _) = app
        .api(reqwest::Method::DELETE, &format!("/volunteers/{volunteer}"), None)
        .await;
    assert_eq!(status, 204);
    app.text(JOINER, "STOP").await;
    assert!(app.core().store.conversation(&joiner).await.unwrap().is_none());

    match &db {
        Some(db) => {
            let dir = db.parent().unwrap().to_path_buf();
            let running = disk::found_in_files(&disk::files_in(&dir), &erased);
            assert!(
                running.is_empty(),
                "erased, yet in the files of the running server: {running:#?}"
            );
            app.halt().await;
            let stopped = disk::found_in_files(&disk::files_in(&dir), &erased);
            assert!(
                stopped.is_empty(),
                "erased, yet in the files after it stopped: {stopped:#?}"
            );
        }
        None => {
            let rows = disk::pg_rows_as_text(&app).await;
            let text_needles: Vec<_> = erased
                .iter()
                .filter(|(_, b)| std::str::from_utf8(b).is_ok())
                .cloned()
                .collect();
            let left = disk::found_in_rows(&rows, &text_needles);
            assert!(left.is_empty(), "erased, yet still in a row: {left:#?}");
            let pool = app.core().store.pool();
            for (label, bytes) in &erased {
                let (table, column) = label.split_once('.').unwrap_or(("", ""));
                if column.ends_with("_enc") {
                    let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} = $1");
                    let n: i64 = sqlx::query(&sql)
                        .bind(bytes.clone())
                        .fetch_one(pool)
                        .await
                        .unwrap()
                        .get("n");
                    assert_eq!(n, 0, "{label} is still stored");
                }
            }
            // The dead row versions went with a VACUUM of each table touched.
            for table in ["volunteers", "reports", "conversations"] {
                let vacuumed = eventually(WAIT, || async {
                    let row =
                        sqlx::query("SELECT vacuum_count AS n FROM pg_stat_user_tables WHERE relname = $1")
                            .bind(table)
                            .fetch_one(pool)
                            .await
                            .unwrap();
                    row.get::<i64, _>("n") > 0
                })
                .await;
                assert!(vacuumed, "{table} was vacuumed after the erasure");
            }
        }
    }
    app.stop().await;
}
on_both_backends!(erased_numbers_names_and_areas_leave_no_bytes_in_the_database_files);
