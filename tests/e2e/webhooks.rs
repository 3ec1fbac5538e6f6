//! Webhooks refuse what Twilio did not sign, and apply what it did exactly once.

use serde_json::json;
use tocsin_fakes::Signing;

use crate::helpers::{spawn_app, Backend, HOTLINE};
use crate::on_both_backends;

const REPORTER: &str = "+13235550199";

async fn unsigned_or_forged_webhooks_get_403_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    for signing in [Signing::Missing, Signing::Wrong, Signing::Tampered] {
        let reply = app
            .twilio
            .send_inbound_sms(
                &app.sms_url(),
                REPORTER,
                HOTLINE,
                "ICE raid 34.0617, -118.3005",
                signing,
            )
            .await
            .unwrap();
        assert_eq!(reply.status, 403, "{signing:?}");
    }
    // Signed for another URL (a different path) is forged too.
    let elsewhere = format!("{}/webhooks/twilio/sms?tenant=other", app.base);
    let reply = app
        .twilio
        .send_inbound_sms(&elsewhere, REPORTER, HOTLINE, "ICE raid", Signing::Valid)
        .await
        .unwrap();
    assert_eq!(
        reply.status, 200,
        "a query string is part of the signed URL and still valid"
    );
    let before = app.get("/incidents").await.1["incidents"]
        .as_array()
        .map(|a| a.len());
    assert_eq!(before, Some(1), "only the validly signed one was stored");

    let status = app
        .http
        .post(format!("{}/webhooks/twilio/status", app.base))
        .form(&[
            ("MessageSid", "SM0123456789abcdef0123456789abcdef"),
            ("MessageStatus", "delivered"),
        ])
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 403);
    app.stop().await;
}
on_both_backends!(unsigned_or_forged_webhooks_get_403_and_change_nothing);

async fn a_redelivered_sms_is_stored_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let sid = "SM00000000000000000000000000000042";
    for _ in 0..3 {
        let reply = app
            .twilio
            .send_inbound_sms_with_sid(
                &app.sms_url(),
                REPORTER,
                HOTLINE,
                "Desalojo en 34.0617,-118.3005",
                sid,
                Signing::Valid,
            )
            .await
            .unwrap();
        assert_eq!(reply.status, 200);
        assert!(
            reply.body.starts_with("<?xml") && reply.body.contains("<Response"),
            "{}",
            reply.body
        );
    }
    let (_, list) = app.get("/incidents").await;
    let incidents = list["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{list}");
    assert_eq!(incidents[0]["kind"], "eviction");
    app.stop().await;
}
on_both_backends!(a_redelivered_sms_is_stored_once);

async fn the_acknowledgement_escapes_and_the_report_keeps_the_text(backend: Backend) {
    let app = spawn_app(backend).await;
    let text = "<script>alert(1)</script> & ICE at 3rd";
    let reply = app.text(REPORTER, text).await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.as_deref().is_some_and(|c| c.contains("xml")),
        "{:?}",
        reply.content_type
    );
    assert!(!reply.body.contains("<script>"));
    let id = app.latest_incident_id().await;
    let view = app.incident(id).await;
    assert_eq!(view["reports"][0]["text"], json!(text), "stored as it came");
    assert!(view["lat"].is_null());
    app.stop().await;
}
on_both_backends!(the_acknowledgement_escapes_and_the_report_keeps_the_text);

async fn receipts_out_of_order_or_twice_never_move_a_delivery_backwards(backend: Backend) {
    use tocsin_fakes::CallbackMode;
    let app = spawn_app(backend).await;
    app.volunteer("Ann", "+13235550102", "en", false, 34.0617, -118.3005, 1000.0)
        .await;
    app.volunteer("Bo", "+13235550103", "en", false, 34.0617, -118.3005, 1000.0)
        .await;
    app.twilio.set_callback_mode(CallbackMode::Reversed);
    let (_, body) = app
        .post(
            "/reports",
            json!({"text": "raid", "lat": 34.0617, "lon": -118.3005}),
        )
        .await;
    let id = body["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{id}/verify"), json!({})).await;
    // Reversed: `delivered` arrives before `sent`; the late `sent` must not undo it.
    let callbacks = app
        .twilio
        .wait_for_callbacks(4, std::time::Duration::from_secs(15))
        .await;
    assert_eq!(callbacks.len(), 4);
    assert!(
        callbacks.iter().all(|c| c.response_status == Some(200)),
        "{callbacks:?}"
    );
    // A receipt that came before its send was recorded is applied right after the recording
    // commits, which may be a moment after Twilio had its 200.
    let view = app
        .wait_incident(id, "both delivered", |v| v["counts"]["delivered"] == 2)
        .await;
    assert_eq!(view["counts"]["sent"], 0, "{view}");

    app.twilio.set_callback_mode(CallbackMode::Duplicated);
    app.volunteer("Cy", "+13235550104", "en", false, 34.0617, -118.3005, 1000.0)
        .await;
    let (_, body) = app
        .post(
            "/reports",
            json!({"text": "raid again", "lat": 34.0617, "lon": -118.3005}),
        )
        .await;
    let second = body["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{second}/verify"), json!({})).await;
    app.wait_incident(second, "3 delivered", |v| v["counts"]["delivered"] == 3)
        .await;
    app.stop().await;
}
on_both_backends!(receipts_out_of_order_or_twice_never_move_a_delivery_backwards);
