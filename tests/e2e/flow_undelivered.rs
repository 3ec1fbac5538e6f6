//! When alerts do not arrive: failed and unsubscribed deliveries are counted and remembered,
//! a carrier's opt-out in a status callback stops further alerts, and without Twilio
//! credentials alerts wait in the queue rather than being lost. The people and the place are
//! the main flow's (`flow.rs`).

use std::time::Duration;

use serde_json::json;
use tocsin_fakes::Outcome;

use crate::flow::{INSIDE_EN, INSIDE_ES, LAT, LON, POLYGON, STRANGER, TRUSTED};
use crate::helpers::{eventually, spawn_app, spawn_app_with, Backend};
use crate::lifecycle::confirmed_sighting;
use crate::on_both_backends;

async fn failed_and_unsubscribed_deliveries_are_counted_and_remembered(backend: Backend) {
    let app = spawn_app(backend).await;
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", INSIDE_EN, "en", false, LAT, LON, 1000.0)
        .await;
    let beto = app
        .volunteer("Beto", INSIDE_ES, "es", false, LAT, LON, 1000.0)
        .await;
    app.volunteer("Poly", POLYGON, "en", false, LAT, LON, 1000.0)
        .await;
    app.twilio.set_outcome(INSIDE_EN, Outcome::Undelivered(30003));
    app.twilio.opt_out(INSIDE_ES);

    app.text(TRUSTED, "police raid 34.0617, -118.3005").await;
    let incident = app.latest_incident_id().await;
    let view = app
        .wait_incident(incident, "1 delivered, 2 failed", |v| {
            v["counts"]["delivered"] == 1 && v["counts"]["failed"] == 2
        })
        .await;
    assert_eq!(view["counts"]["targeted"], 3);
    // Twilio said 21610: Beto unsubscribed, and is no longer alerted.
    let (_, beto_view) = app.get(&format!("/volunteers/{beto}")).await;
    assert_eq!(beto_view["opted_out"], true, "{beto_view}");
    app.text(STRANGER, "second raid 34.0618, -118.3004").await;
    let second = app.latest_incident_id().await;
    app.post(&format!("/incidents/{second}/verify"), json!({})).await;
    app.wait_incident(second, "2 targeted", |v| v["counts"]["targeted"] == 2)
        .await;
    app.stop().await;
}
on_both_backends!(failed_and_unsubscribed_deliveries_are_counted_and_remembered);

async fn without_twilio_credentials_alerts_wait_and_are_not_lost(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.twilio.account_sid = None;
        s.twilio.auth_token = None;
        s.http.health_backlog_s = 1;
    })
    .await;
    let resp = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let health: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(health["sms"], "not configured");
    app.volunteer("Ann", INSIDE_EN, "en", false, LAT, LON, 1000.0)
        .await;
    let incident = confirmed_sighting(&app, json!({})).await;
    let view = app
        .wait_incident(incident, "1 queued", |v| v["counts"]["queued"] == 1)
        .await;
    assert_eq!(view["counts"]["targeted"], 1);
    assert!(app.twilio.messages().is_empty());
    // Health tells the truth: degraded (still 200), naming SMS and the waiting outbox, no count.
    let problems = |app: &crate::helpers::TestApp| {
        let (http, url) = (app.http.clone(), format!("{}/healthz", app.base));
        async move {
            let resp = http.get(url).send().await.unwrap();
            assert_eq!(resp.status(), 200);
            resp.json::<serde_json::Value>().await.unwrap()
        }
    };
    let stuck = eventually(Duration::from_secs(10), || async {
        let h = problems(&app).await;
        h["status"] == "degraded"
            && h["problems"].as_array().is_some_and(|p| {
                p.iter()
                    .any(|x| x.as_str().is_some_and(|x| x.starts_with("outbox backlog")))
            })
    })
    .await;
    let h = problems(&app).await;
    assert!(stuck, "{h}");
    assert!(
        h["problems"]
            .as_array()
            .unwrap()
            .contains(&json!("sms not configured")),
        "{h}"
    );
    assert!(h.get("outbox").is_none(), "no counts in public: {h}");
    let (_, status) = app.get("/status").await;
    assert_eq!(status["outbox"]["due"], 1, "counts for a token holder: {status}");
    app.stop().await;
}
on_both_backends!(without_twilio_credentials_alerts_wait_and_are_not_lost);

async fn a_carrier_opt_out_in_a_status_callback_stops_alerts(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app
        .volunteer("Ann", INSIDE_EN, "en", false, LAT, LON, 1000.0)
        .await;
    // The carrier reports the volunteer unsubscribed only after the send (ErrorCode 21610).
    app.twilio.set_outcome(INSIDE_EN, Outcome::Undelivered(21610));
    let first = confirmed_sighting(&app, json!({})).await;
    app.wait_incident(first, "1 failed", |v| v["counts"]["failed"] == 1)
        .await;
    // The opt-out is written just after the receipt that carries it.
    let opted_out = eventually(Duration::from_secs(5), || async {
        app.get(&format!("/volunteers/{ann}")).await.1["opted_out"] == true
    })
    .await;
    assert!(opted_out, "Ann is opted out");
    let second = confirmed_sighting(&app, json!({})).await;
    app.dispatch_now().await;
    assert_eq!(app.incident(second).await["counts"]["targeted"], 0);
    app.stop().await;
}
on_both_backends!(a_carrier_opt_out_in_a_status_callback_stops_alerts);
