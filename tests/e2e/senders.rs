//! The boundary with senders: whoever a message claims to come from (a valid number or not) is
//! counted, held and blockable; a long message is kept cut, never refused; people stop and
//! restart messages with the words of their own language.

use std::time::Duration;

use serde_json::{json, Value};
use tocsin_fakes::Signing;

use crate::helpers::{eventually, spawn_app_with, spawn_signal_app, Backend, TestApp, HOTLINE};
use crate::on_both_backends;

const TRUSTED: &str = "+13235550101";
const ANN: &str = "+13235550102";
const LUPE: &str = "+13235550103";
const WEI: &str = "+13235550104";
const MIN: &str = "+13235550105";
const WAIT: Duration = Duration::from_secs(15);

/// The text of a TwiML reply, or None for an empty `<Response/>`.
pub(crate) fn said(body: &str) -> Option<&str> {
    let start = body.find("<Message>")? + "<Message>".len();
    let end = body.find("</Message>")?;
    Some(&body[start..end])
}

async fn reports(app: &TestApp) -> Vec<Value> {
    let (status, body) = app.get("/reports").await;
    assert_eq!(status, 200, "{body}");
    body["reports"].as_array().cloned().unwrap_or_default()
}

async fn senders_that_are_no_valid_number_are_limited_held_and_blockable(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.intake.max_reports_per_number_per_hour = 3;
        s.intake.max_reports_per_hour = 8;
    })
    .await;
    // A short code, an alphanumeric sender id, a number no country has.
    for n in 0..5 {
        let reply = app
            .text("72345", &format!("ICE raid {n} at 34.0617, -118.3005"))
            .await;
        assert_eq!(reply.status, 200);
        let answered = said(&reply.body).is_some_and(|t| t.contains("Received"));
        assert_eq!(
            answered,
            n < 3,
            "report {n}: answered only within the limit: {}",
            reply.body
        );
    }
    let list = reports(&app).await;
    let held: Vec<&Value> = list.iter().filter(|r| r["flagged"] == "rate_limited").collect();
    assert_eq!(
        held.len(),
        2,
        "past 3 an hour a short code is held like a number: {list:?}"
    );
    assert!(held.iter().all(|r| r["incident_id"].is_null()));

    // A sender id that is no number can be blocked by one of its reports.
    app.text("ACME-ALERTS", "ICE at the car wash 34.0617, -118.3005")
        .await;
    let report_id = reports(&app).await[0]["id"].as_i64().unwrap();
    let (status, body) = app
        .post("/blocklist", json!({"report_id": report_id, "reason": "spoofed"}))
        .await;
    assert_eq!(status, 201, "an alphanumeric sender is blockable: {body}");
    let reply = app.text("ACME-ALERTS", "ICE again 34.0700, -118.3100").await;
    assert_eq!(said(&reply.body), None, "a blocked sender gets no answer");
    assert_eq!(reports(&app).await[0]["flagged"], "blocked");

    // The hotline's cap counts every sender: 7 reports so far, the 8th fills it, the 9th is held
    // whoever sends it (a number libphonenumber rejects).
    app.text("+99912345678", "raid 34.0617, -118.3005").await;
    assert!(reports(&app).await[0]["flagged"].is_null());
    let reply = app.text("+99912345679", "raid 34.0617, -118.3005").await;
    let latest = &reports(&app).await[0];
    assert_eq!(latest["flagged"], "rate_limited", "{latest}");
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("Received")),
        "a sender held only by the hotline's cap is still answered: {}",
        reply.body
    );
    let text = serde_json::to_string(&reports(&app).await).unwrap();
    assert!(
        !text.contains("72345") && !text.contains("ACME"),
        "senders are never shown"
    );
    app.stop().await;
}
on_both_backends!(senders_that_are_no_valid_number_are_limited_held_and_blockable);

async fn a_message_over_1600_characters_is_kept_cut_and_handled(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", ANN, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    let long = format!(
        "ICE raid at 34.0617, -118.3005 {}",
        "agents everywhere ".repeat(150)
    );
    assert!(long.chars().count() > 2500);
    let reply = app.text(TRUSTED, &long).await;
    assert_eq!(reply.status, 200);
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("Received")),
        "{}",
        reply.body
    );
    let latest = reports(&app).await[0].clone();
    assert_eq!(latest["truncated"], true, "{latest}");
    assert_eq!(latest["text"].as_str().unwrap().chars().count(), 1600);
    assert!(long.starts_with(latest["text"].as_str().unwrap()));
    // Handled like any report: placed, confirmed (trusted reporter) and alerted.
    let sent = app.twilio.wait_for_messages(1, WAIT).await;
    assert_eq!(sent[0].to, ANN);
    let short = reports(&app).await;
    app.text(ANN, "police at 34.0617, -118.3005").await;
    let again = reports(&app).await;
    assert_eq!(again.len(), short.len() + 1);
    assert_eq!(again[0]["truncated"], false);
    app.stop().await;
}
on_both_backends!(a_message_over_1600_characters_is_kept_cut_and_handled);

async fn volunteer(app: &TestApp, name: &str, phone: &str, language: &str, channel: &str) -> i64 {
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": name, "phone": phone, "language": language, "channel": channel,
                   "area": {"type": "circle", "lat": 34.0617, "lon": -118.3005, "radius_m": 1500}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

async fn opted_out(app: &TestApp, id: i64) -> bool {
    app.get(&format!("/volunteers/{id}")).await.1["opted_out"] == true
}

async fn opt_out_words_in_each_language_stop_and_restart_messages(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    let lupe = volunteer(&app, "Lupe", LUPE, "es", "sms").await;
    let wei = volunteer(&app, "Wei", WEI, "en", "sms").await;
    let min = volunteer(&app, "Min", MIN, "ko", "sms").await;
    let ann = volunteer(&app, "Ann", ANN, "en", "sms").await;

    // Carriers do not know these words: tocsin stops and confirms, in the word's language.
    let reply = app.text(LUPE, " Baja. ").await;
    let text = said(&reply.body).unwrap_or_default().to_string();
    assert!(text.contains("No recibiras") && text.contains("ALTA"), "{text}");
    let reply = app.text(WEI, "停止").await;
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("不再")),
        "{}",
        reply.body
    );
    let reply = app.text(MIN, "중지").await;
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("받지 않습니다")),
        "{}",
        reply.body
    );
    for id in [lupe, wei, min] {
        assert!(opted_out(&app, id).await, "volunteer {id} is opted out");
    }
    // Advanced Opt-Out: Twilio recognised an operator's word and answered it; tocsin mirrors the
    // opt-out and does not answer a second time.
    let reply = app
        .twilio
        .send_inbound_sms_with(
            &app.sms_url(),
            ANN,
            HOTLINE,
            "ARRET",
            &[("OptOutType", "STOP")],
            Signing::Valid,
        )
        .await
        .unwrap();
    assert_eq!(said(&reply.body), None, "{}", reply.body);
    assert!(opted_out(&app, ann).await);

    // Nobody who stopped is alerted.
    app.text(TRUSTED, "ICE raid at 34.0617, -118.3005").await;
    app.dispatch_now().await;
    let id = app.latest_incident_id().await;
    app.wait_incident(id, "alert planned", |v| v["status"] == "confirmed")
        .await;
    app.dispatch_now().await;
    assert!(app.twilio.messages().is_empty(), "{:?}", app.twilio.messages());

    // The matching words restart them.
    let reply = app.text(LUPE, "ALTA").await;
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("Bienvenido")),
        "{}",
        reply.body
    );
    let reply = app.text(WEI, "开始").await;
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("欢迎")),
        "{}",
        reply.body
    );
    assert!(!opted_out(&app, lupe).await && !opted_out(&app, wei).await);
    assert!(opted_out(&app, min).await, "Min did not restart");
    // A sentence holding the word is no keyword: it is a report.
    let reply = app.text("+13235550177", "baja la policia en la esquina").await;
    assert!(
        said(&reply.body).is_some_and(|t| t.contains("Recibido")),
        "{}",
        reply.body
    );
    app.stop().await;
}
on_both_backends!(opt_out_words_in_each_language_stop_and_restart_messages);

async fn opt_out_words_work_on_signal_too(backend: Backend) {
    let app = spawn_signal_app(backend, |_| {}).await;
    let lupe = volunteer(&app, "Lupe", LUPE, "es", "signal").await;
    let bridge = app.signal.as_ref().unwrap();
    bridge.incoming(LUPE, "CANCELAR");
    assert!(eventually(WAIT, || async { opted_out(&app, lupe).await }).await);
    let acks = bridge.wait_for_sent(1, WAIT).await;
    assert!(acks[0].message.contains("ALTA"), "{:?}", acks[0]);
    bridge.incoming(LUPE, "alta");
    assert!(eventually(WAIT, || async { !opted_out(&app, lupe).await }).await);
    app.stop().await;
}
on_both_backends!(opt_out_words_work_on_signal_too);
