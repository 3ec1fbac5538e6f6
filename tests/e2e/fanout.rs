//! Large alerts are written in batches, and an alert interrupted between batches is finished.

use serde_json::json;

use crate::helpers::{spawn_app_with, Backend};
use crate::on_both_backends;

const VOLUNTEERS: i64 = 2_500;

async fn a_large_alert_is_written_in_batches_and_an_interrupted_one_is_finished(backend: Backend) {
    // No provider: deliveries stay queued, which is all this test counts.
    let app = spawn_app_with(backend, |s| {
        s.twilio.account_sid = None;
        s.twilio.auth_token = None;
    })
    .await;
    let pool = app.core().store.pool().clone();
    let area = json!({"type": "circle", "lat": 34.0617, "lon": -118.3005, "radius_m": 1000}).to_string();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO volunteers (phone_enc, phone_hash, language, created_at, updated_at) \
         SELECT $2, 'hash-' || CAST(i AS TEXT), 'en', 1, 1 FROM n",
    )
    .bind(VOLUNTEERS)
    .bind(vec![0u8; 40])
    .execute(&pool)
    .await
    .unwrap();
    // Home areas are sealed, each bound to its volunteer's row.
    let vault = &app.core().vault;
    let mut tx = pool.begin().await.unwrap();
    for id in 1..=VOLUNTEERS {
        sqlx::query("UPDATE volunteers SET area_enc = $2, updated_at = 2 WHERE id = $1")
            .bind(id)
            .bind(vault.seal(tocsin::crypto::Field::VolunteerArea, id, &area))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    app.dispatch_now().await; // sees the new volunteers
    let (_, body) = app
        .post(
            "/reports",
            json!({"text": "raid", "lat": 34.0617, "lon": -118.3005}),
        )
        .await;
    let incident = body["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{incident}/verify"), json!({}))
        .await;
    let view = app
        .wait_incident(incident, "everyone queued", |v| {
            v["counts"]["queued"] == VOLUNTEERS
        })
        .await;
    assert_eq!(view["counts"]["targeted"], VOLUNTEERS);

    // As if the process had stopped after the first batch, a while ago.
    sqlx::query("UPDATE alerts SET complete = FALSE, created_at = created_at - 60000")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM deliveries WHERE volunteer_id > 1000")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(app.incident(incident).await["counts"]["targeted"], 1000);
    app.dispatch_now().await;
    let view = app.incident(incident).await;
    assert_eq!(
        view["counts"]["targeted"], VOLUNTEERS,
        "the interrupted alert was finished"
    );
    let row: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM alerts WHERE NOT complete")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.0, 0);
    app.stop().await;
}
on_both_backends!(a_large_alert_is_written_in_batches_and_an_interrupted_one_is_finished);
