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
        reply
            .content_type
            .as_deref()
            .is_some_and(|c| c.contains("xml")),
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
