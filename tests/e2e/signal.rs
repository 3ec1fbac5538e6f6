//! Signal: volunteers alerted on the channel they chose, failover to SMS, replies and reports
//! over Signal, receipts, and a bridge that goes away and comes back.

use std::time::Duration;

use serde_json::{json, Value};
use tocsin_fakes::{FakeSignal, SignalOutcome};

use crate::helpers::{eventually, spawn_signal_app, Backend, TestApp};
use crate::on_both_backends;

const TRUSTED: &str = "+13235550101";
const ON_SIGNAL: &str = "+13235550111";
const ON_SMS: &str = "+13235550112";
const ON_BOTH: &str = "+13235550113";
const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;
const WAIT: Duration = Duration::from_secs(15);

async fn volunteer(app: &TestApp, name: &str, phone: &str, channel: &str, trusted: bool, lat: f64) -> i64 {
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": name, "phone": phone, "language": "en", "trusted": trusted, "channel": channel,
                   "area": {"type": "circle", "lat": lat, "lon": LON, "radius_m": 1000}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

fn bridge(app: &TestApp) -> &FakeSignal {
    app.signal.as_ref().expect("signal app")
}

async fn each_volunteer_is_alerted_on_their_channel_and_answers_on_signal(backend: Backend) {
    let app = spawn_signal_app(backend, |_| {}).await;
    volunteer(&app, "Rosa", TRUSTED, "signal", true, 34.3).await;
    volunteer(&app, "Sig", ON_SIGNAL, "signal", false, LAT).await;
    volunteer(&app, "Sam", ON_SMS, "sms", false, LAT).await;
    volunteer(&app, "Bo", ON_BOTH, "both", false, LAT).await;

    // A trusted volunteer reports over Signal, with a shared-location link.
    bridge(&app).incoming(
        TRUSTED,
        "ICE raid here https://maps.google.com/?q=34.0617,-118.3005",
    );
    let sent = bridge(&app).wait_for_sent(3, WAIT).await;
    let ack = sent
        .iter()
        .find(|s| s.recipients == vec![TRUSTED.to_string()])
        .expect("ack on Signal");
    assert!(ack.message.contains("Received"), "{}", ack.message);
    assert_eq!(
        bridge(&app).sent_to(ON_SIGNAL).len(),
        1,
        "Signal volunteer alerted on Signal"
    );
    assert_eq!(bridge(&app).sent_to(ON_BOTH).len(), 1, "both: on Signal");
    let sms = app.twilio.wait_for_messages(2, WAIT).await;
    let mut to: Vec<&str> = sms.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        vec![ON_SMS, ON_BOTH],
        "SMS-only and both on SMS; nobody on Signal gets SMS"
    );

    let incident = app.latest_incident_id().await;
    // Delivery receipts from Signal and Twilio: all four deliveries delivered.
    let view = app
        .wait_incident(incident, "4 delivered", |v| v["counts"]["delivered"] == 4)
        .await;
    assert_eq!(view["counts"]["targeted"], 3, "{view}");

    bridge(&app).incoming(ON_SIGNAL, "Y");
    let view = app
        .wait_incident(incident, "1 coming", |v| v["counts"]["coming"] == 1)
        .await;
    assert_eq!(view["counts"]["coming"], 1);
    assert!(
        eventually(WAIT, || async { bridge(&app).sent_to(ON_SIGNAL).len() == 2 }).await,
        "the confirmation is acknowledged on Signal"
    );
    let (_, list) = app.get("/incidents").await;
    assert_eq!(
        list["incidents"].as_array().map(Vec::len),
        Some(1),
        "a reply is not a report"
    );
    app.stop().await;
}
on_both_backends!(each_volunteer_is_alerted_on_their_channel_and_answers_on_signal);

async fn an_unregistered_signal_volunteer_gets_sms_once(backend: Backend) {
    let app = spawn_signal_app(backend, |_| {}).await;
    volunteer(&app, "Sig", ON_SIGNAL, "signal", false, LAT).await;
    bridge(&app).set_outcome(ON_SIGNAL, SignalOutcome::Unregistered);
    let (_, body) = app
        .post("/reports", json!({"text": "raid", "lat": LAT, "lon": LON}))
        .await;
    let incident = body["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{incident}/verify"), json!({}))
        .await;
    let view = app
        .wait_incident(incident, "failed over and delivered", |v| {
            v["counts"]["failed_over"] == 1 && v["counts"]["delivered"] == 1
        })
        .await;
    assert_eq!(view["counts"]["failed"], 0, "{view}");
    assert_eq!(view["counts"]["targeted"], 1, "{view}");
    assert_eq!(
        app.twilio.messages_to(ON_SIGNAL).len(),
        1,
        "exactly one SMS instead"
    );
    assert!(bridge(&app).sent_to(ON_SIGNAL).is_empty());
    app.stop().await;
}
on_both_backends!(an_unregistered_signal_volunteer_gets_sms_once);

async fn a_rate_limited_signal_alert_is_retried_not_dropped(backend: Backend) {
    let app = spawn_signal_app(backend, |_| {}).await;
    volunteer(&app, "Sig", ON_SIGNAL, "signal", false, LAT).await;
    bridge(&app).set_outcome(
        ON_SIGNAL,
        SignalOutcome::RateLimited {
            retry_after_s: 1,
            token: None,
        },
    );
    let (_, body) = app
        .post("/reports", json!({"text": "raid", "lat": LAT, "lon": LON}))
        .await;
    let incident = body["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{incident}/verify"), json!({}))
        .await;
    let tried = eventually(WAIT, || async {
        bridge(&app).rpc_log().iter().any(|r| r["method"] == "send")
    })
    .await;
    assert!(tried);
    bridge(&app).set_outcome(ON_SIGNAL, SignalOutcome::Success);
    assert_eq!(
        bridge(&app).wait_for_sent(1, WAIT).await.len(),
        1,
        "sent once the limit lifted"
    );
    app.wait_incident(incident, "delivered", |v| v["counts"]["delivered"] == 1)
        .await;
    assert!(
        app.twilio.messages().is_empty(),
        "no failover for a short rate limit"
    );
    app.stop().await;
}
on_both_backends!(a_rate_limited_signal_alert_is_retried_not_dropped);

async fn the_bridge_going_away_fails_over_and_coming_back_loses_nothing(backend: Backend) {
    let app = spawn_signal_app(backend, |s| s.signal.failover_after_s = 1).await;
    volunteer(&app, "Rosa", TRUSTED, "signal", true, 34.3).await;
    volunteer(&app, "Sig", ON_SIGNAL, "signal", false, LAT).await;
    let health = |app: &TestApp| {
        let http = app.http.clone();
        let url = format!("{}/healthz", app.base);
        async move { http.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(health(&app).await["signal"], "up");

    bridge(&app).go_down();
    assert!(eventually(WAIT, || async { health(&app).await["signal"] == "down" }).await);
    let h = health(&app).await;
    assert_eq!(h["status"], "degraded", "{h}");
    assert!(
        h["problems"]
            .as_array()
            .unwrap()
            .contains(&json!("signal bridge down")),
        "{h}"
    );
    let (_, body) = app
        .post("/reports", json!({"text": "raid", "lat": LAT, "lon": LON}))
        .await;
    let incident = body["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{incident}/verify"), json!({}))
        .await;
    let sms = app.twilio.wait_for_messages(1, WAIT).await;
    assert_eq!(
        sms.len(),
        1,
        "with the bridge down the alert went by SMS after failover_after_s"
    );
    assert_eq!(sms[0].to, ON_SIGNAL);

    bridge(&app).come_back().await.unwrap();
    assert!(
        bridge(&app).wait_for_subscribers(1, WAIT).await,
        "tocsin reconnected"
    );
    assert!(eventually(WAIT, || async { health(&app).await["signal"] == "up" }).await);
    // A message, then the same event again after a stream drop: handled once.
    let ts = bridge(&app).incoming(TRUSTED, "Desalojo 34.0700, -118.3000");
    let reported = eventually(WAIT, || async {
        app.get("/incidents").await.1["incidents"]
            .as_array()
            .map(Vec::len)
            == Some(2)
    })
    .await;
    assert!(reported, "the report sent after the bridge came back was handled");
    bridge(&app).drop_streams();
    assert!(bridge(&app).wait_for_subscribers(1, WAIT).await);
    bridge(&app).incoming_with_timestamp(TRUSTED, "Desalojo 34.0700, -118.3000", ts);
    bridge(&app).incoming(TRUSTED, "HELP");
    // HELP is answered after the replayed event was read: by then a duplicate would show.
    assert!(eventually(WAIT, || async { bridge(&app).sent_to(TRUSTED).len() >= 2 }).await);
    let (_, list) = app.get("/incidents").await;
    assert_eq!(
        list["incidents"].as_array().map(Vec::len),
        Some(2),
        "the replayed event was not handled twice"
    );
    app.stop().await;
}
on_both_backends!(the_bridge_going_away_fails_over_and_coming_back_loses_nothing);

/// SMS sender numbers can be forged; Signal accounts cannot. A volunteer on Signal only is
/// trusted, and decides a check, only on Signal.
async fn an_sms_in_a_signal_volunteers_name_carries_no_trust(backend: Backend) {
    const VERA: &str = "+13235550114";
    let app = spawn_signal_app(backend, |_| {}).await;
    volunteer(&app, "Rosa", TRUSTED, "signal", true, 34.3).await;
    volunteer(&app, "Sam", ON_SMS, "sms", false, LAT).await;
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": "Vera", "phone": VERA, "channel": "signal", "roles": ["verifier"],
                   "area": {"type": "circle", "lat": LAT, "lon": LON, "radius_m": 500}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    // A forged SMS in trusted Rosa's name is a stranger's report: the verifier checks first.
    app.text(TRUSTED, "ICE raid at 34.0617, -118.3005").await;
    let incident = app.latest_incident_id().await;
    assert!(
        eventually(WAIT, || async { bridge(&app).sent_to(VERA).len() == 1 }).await,
        "Vera is asked to check, on Signal"
    );
    assert_eq!(app.incident(incident).await["status"], "verifying");
    // A forged CONFIRM in Vera's name decides nothing: applied by the time the webhook is
    // answered, it left the incident as it was, and a dispatcher pass then plans no alert.
    app.text(VERA, "CONFIRM").await;
    app.dispatch_now().await;
    let view = app.incident(incident).await;
    assert_eq!(view["status"], "verifying", "{view}");
    assert_eq!(view["counts"]["targeted"], 0, "nobody alerted: {view}");
    app.send_now().await;
    assert!(app.twilio.messages_to(ON_SMS).is_empty(), "nobody alerted");
    // Vera's own CONFIRM, on Signal, does.
    bridge(&app).incoming(VERA, "CONFIRM");
    app.wait_incident(incident, "confirmed", |v| v["status"] == "confirmed")
        .await;
    assert_eq!(app.twilio.wait_for_messages(1, WAIT).await[0].to, ON_SMS);
    app.stop().await;
}
on_both_backends!(an_sms_in_a_signal_volunteers_name_carries_no_trust);
