//! Signal leaves no clear trail (issue 11, point 6): inbound message ids hold a keyed hash of
//! the sender, not their number or UUID, and go with the retention window; a receipt from
//! anyone who is not the recipient of that delivery changes nothing.

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::Row;
use tocsin_fakes::FakeSignal;

use crate::helpers::{eventually, spawn_signal_app, Backend, TestApp, HOTLINE};
use crate::on_both_backends;

const WAIT: Duration = Duration::from_secs(15);
const SENDER: &str = "+13235550177";
const SENDER_UUID: &str = "5b9e7c1a-2f4d-4e8b-9a3c-71d0e6f8b245";
const RECIPIENT: &str = "+13235550111";
const OTHER_VOLUNTEER: &str = "+13235550112";
const OTHER_UUID: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const STRANGER: &str = "+13235550133";
const STRANGER_UUID: &str = "9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e6f";
const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;

fn bridge(app: &TestApp) -> &FakeSignal {
    app.signal.as_ref().expect("signal app")
}

async fn message_ids(app: &TestApp) -> Vec<String> {
    sqlx::query("SELECT message_id FROM inbound_messages WHERE provider = 'signal'")
        .fetch_all(app.core().store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("message_id"))
        .collect()
}

async fn signal_message_ids_hold_no_sender_and_go_with_retention(backend: Backend) {
    let app = spawn_signal_app(backend, |s| s.privacy.reporter_retention_hours = 0).await;
    bridge(&app).register(SENDER, SENDER_UUID);
    bridge(&app).register(STRANGER, STRANGER_UUID);
    let ts = bridge(&app).incoming(SENDER, "Agents at the bus depot");
    assert!(eventually(WAIT, || async { !message_ids(&app).await.is_empty() }).await);
    let ids = message_ids(&app).await;
    assert_eq!(ids.len(), 1, "{ids:?}");
    let id = &ids[0];
    assert!(id.ends_with(&format!(":{ts}")), "{id}");
    let upper = SENDER_UUID.to_uppercase();
    for clear in [SENDER, SENDER_UUID, &SENDER[1..], upper.as_str()] {
        assert!(!id.contains(clear), "the message id names its sender: {id}");
    }

    // Within the window a redelivery is still known...
    bridge(&app).incoming_with_timestamp(SENDER, "Agents at the bus depot", ts);
    bridge(&app).incoming(STRANGER, "HELP");
    assert!(eventually(WAIT, || async { !bridge(&app).sent_to(STRANGER).is_empty() }).await);
    let (_, reports) = app.get("/reports").await;
    assert_eq!(
        reports["reports"].as_array().map(Vec::len),
        Some(1),
        "handled once"
    );

    // ...and the retention pass (a window of 0 hours here) forgets it.
    let pass = tocsin::intake::retention::pass(app.core()).await.unwrap();
    assert!(pass.message_ids >= 2, "{pass:?}");
    assert!(message_ids(&app).await.is_empty());
    let (_, n) = app.get("/reports").await;
    assert_eq!(
        n["reports"][0]["text"], "Agents at the bus depot",
        "the report stays"
    );
    app.stop().await;
}
on_both_backends!(signal_message_ids_hold_no_sender_and_go_with_retention);

/// A read receipt as signal-cli emits it, from `number`/`uuid`, for our sends at `timestamps`.
fn read_receipt(number: &str, uuid: &str, timestamps: &[i64]) -> Value {
    let now = tocsin::store::now_ms();
    json!({"account": HOTLINE, "envelope": {
        "source": number, "sourceNumber": number, "sourceUuid": uuid, "sourceName": null,
        "sourceDevice": 1, "timestamp": now, "serverReceivedTimestamp": now,
        "serverDeliveredTimestamp": now + 3,
        "receiptMessage": {"when": now, "isDelivery": false, "isRead": true, "isViewed": false,
                           "timestamps": timestamps}}})
}

/// Every event sent before this one has been handled once its answer is out.
async fn settle(app: &TestApp, n: usize) {
    bridge(app).incoming(STRANGER, "HELP");
    let answered = eventually(WAIT, || async { bridge(app).sent_to(STRANGER).len() >= n }).await;
    assert!(answered, "the stream was read up to here");
}

async fn a_signal_receipt_from_anyone_but_the_recipient_changes_nothing(backend: Backend) {
    let app = spawn_signal_app(backend, |_| {}).await;
    for (number, uuid) in [
        (RECIPIENT, "11111111-2222-4333-8444-555555555555"),
        (OTHER_VOLUNTEER, OTHER_UUID),
        (STRANGER, STRANGER_UUID),
    ] {
        bridge(&app).register(number, uuid);
    }
    for (name, phone, lat) in [("Sig", RECIPIENT, LAT), ("Other", OTHER_VOLUNTEER, 34.4)] {
        let (status, body) = app
            .post(
                "/volunteers",
                json!({"name": name, "phone": phone, "language": "en", "channel": "signal",
                       "area": {"type": "circle", "lat": lat, "lon": LON, "radius_m": 1000}}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (_, body) = app
        .post("/reports", json!({"text": "raid", "lat": LAT, "lon": LON}))
        .await;
    let incident = body["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{incident}/confirm"), json!({}))
        .await;
    app.wait_incident(incident, "delivered", |v| v["counts"]["delivered"] == 1)
        .await;
    let sent = bridge(&app).sent_to(RECIPIENT);
    assert_eq!(sent.len(), 1);

    // Someone else claims to have read it: another volunteer, then a stranger.
    bridge(&app).incoming_raw(read_receipt(OTHER_VOLUNTEER, OTHER_UUID, &[sent[0].timestamp]));
    bridge(&app).incoming_raw(read_receipt(STRANGER, STRANGER_UUID, &[sent[0].timestamp]));
    settle(&app, 1).await;
    let view = app.incident(incident).await;
    assert_eq!(
        (
            view["counts"]["read"].as_i64(),
            view["counts"]["delivered"].as_i64()
        ),
        (Some(0), Some(1)),
        "{view}"
    );

    // The recipient's own read receipt does move it.
    let uuid = "11111111-2222-4333-8444-555555555555";
    bridge(&app).incoming_raw(read_receipt(RECIPIENT, uuid, &[sent[0].timestamp]));
    app.wait_incident(incident, "read", |v| v["counts"]["read"] == 1)
        .await;
    app.stop().await;
}
on_both_backends!(a_signal_receipt_from_anyone_but_the_recipient_changes_nothing);
