//! The reporter is asked, and hears back (issue 12 §4): a report with no place is asked where
//! and the answer places that same incident; a bare word opens nothing and is asked what and
//! where; Korean and Chinese sightings get their kind; the reporter is told when their report's
//! incident is confirmed and when it ends, unless `intake.tell_reporter = false`.

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{eventually, spawn_app, spawn_app_with, spawn_signal_app, Backend, TestApp};
use crate::on_both_backends;

const REPORTER: &str = "+13235557001";
const OTHER: &str = "+13235557002";
const THIRD: &str = "+13235557003";
const WAIT: Duration = Duration::from_secs(15);
const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;

async fn incidents(app: &TestApp) -> Vec<Value> {
    let (status, body) = app.get("/incidents").await;
    assert_eq!(status, 200, "{body}");
    body["incidents"].as_array().cloned().unwrap_or_default()
}

async fn reports(app: &TestApp) -> Vec<Value> {
    let (status, body) = app.get("/reports").await;
    assert_eq!(status, 200, "{body}");
    body["reports"].as_array().cloned().unwrap_or_default()
}

async fn a_report_without_a_place_is_asked_where_and_the_answer_places_the_same_incident(backend: Backend) {
    let app = spawn_app(backend).await;
    let reply = app
        .text(REPORTER, "ICE agents taking people at the car wash, hurry")
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("Where is it?"), "asked where: {}", reply.body);
    assert!(
        !reply.body.contains("Volunteers are being alerted"),
        "{}",
        reply.body
    );
    // The dispatcher sees it at once, unplaced.
    let open = incidents(&app).await;
    assert_eq!(open.len(), 1, "{open:?}");
    let id = open[0]["id"].as_i64().expect("id");
    assert_eq!(open[0]["kind"], "raid");
    assert!(open[0]["lat"].is_null(), "{}", open[0]);

    let reply = app
        .text(REPORTER, "here https://www.google.com/maps?q=34.0617,-118.3005")
        .await;
    assert!(reply.body.contains("Received, thank you"), "{}", reply.body);
    let open = incidents(&app).await;
    assert_eq!(open.len(), 1, "never a second incident: {open:?}");
    let view = app.incident(id).await;
    assert_eq!(
        (view["lat"].as_f64(), view["lon"].as_f64()),
        (Some(LAT), Some(LON)),
        "{view}"
    );
    assert_eq!(view["located_by"], "link", "how it was placed: {view}");
    assert!(view["uncertainty_m"].is_null(), "a link is exact: {view}");
    assert_eq!(
        view["reports"].as_array().map(Vec::len),
        Some(2),
        "both texts: {view}"
    );
    let causes: Vec<&str> = view["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|t| t["cause"].as_str()).collect())
        .unwrap_or_default();
    for said in ["the reporter was asked where", "placed by the reporter's answer"] {
        assert!(causes.contains(&said), "the dispatcher sees it: {causes:?}");
    }

    // Only the next message answers: a third is a report of its own (merging is off here).
    let reply = app.text(REPORTER, "police now at 34.0700, -118.3000").await;
    assert!(reply.body.contains("Received, thank you"), "{}", reply.body);
    assert_eq!(incidents(&app).await.len(), 2);

    // In Spanish, with plain coordinates; an answer without a place is noted, not asked again.
    let reply = app.text(OTHER, "Redada de la migra en la fabrica, vengan").await;
    assert!(
        reply.body.contains("¿Donde es?"),
        "asked in Spanish: {}",
        reply.body
    );
    let reply = app.text(OTHER, "no se la direccion").await;
    assert!(reply.body.contains("Gracias, lo agregamos"), "{}", reply.body);
    let reply = app.text(OTHER, "34.0617, -118.3005").await;
    assert!(!reply.body.contains("Donde"), "{}", reply.body);
    assert_eq!(incidents(&app).await.len(), 4, "the question was asked once");
    app.stop().await;
}
on_both_backends!(a_report_without_a_place_is_asked_where_and_the_answer_places_the_same_incident);

async fn a_bare_word_opens_nothing_and_is_asked_what_and_where(backend: Backend) {
    let app = spawn_app(backend).await;
    for (from, text) in [(REPORTER, "Hurry!"), (OTHER, "🚨🚨"), (THIRD, "   ")] {
        let reply = app.text(from, text).await;
        assert!(
            reply.body.contains("What is happening, and where?"),
            "{text:?}: {}",
            reply.body
        );
        assert!(
            !reply.body.contains("Volunteers are being alerted"),
            "{}",
            reply.body
        );
    }
    // Nothing to take up again: held on purpose.
    let resumed = tocsin::intake::resume::pass(app.core(), i64::MAX).await.unwrap();
    assert_eq!(resumed, 0);
    assert!(incidents(&app).await.is_empty(), "no incident from a bare word");
    let held = reports(&app).await;
    assert_eq!(held.len(), 3, "stored all the same");
    assert!(
        held.iter()
            .all(|r| r["flagged"] == "asked" && r["incident_id"].is_null()),
        "{held:?}"
    );

    // The answer has a sighting word and a place: one incident with both texts.
    let reply = app.text(REPORTER, "ICE at 34.0617, -118.3005").await;
    assert!(reply.body.contains("Received, thank you"), "{}", reply.body);
    let open = incidents(&app).await;
    assert_eq!(open.len(), 1, "{open:?}");
    let view = app.incident(open[0]["id"].as_i64().expect("id")).await;
    assert_eq!(view["kind"], "raid");
    let texts: Vec<&str> = view["reports"]
        .as_array()
        .map(|r| r.iter().filter_map(|r| r["text"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(texts, vec!["Hurry!", "ICE at 34.0617, -118.3005"], "{view}");

    // A sighting word without a place: the incident opens, and where is asked (in the
    // language of the first question).
    let reply = app.text(OTHER, "la migra esta aqui").await;
    assert!(reply.body.contains("Where is it?"), "{}", reply.body);
    assert_eq!(incidents(&app).await.len(), 2);
    // A bare answer to "what and where" is kept, not asked again.
    let reply = app.text(THIRD, "??").await;
    assert!(reply.body.contains("added to your report"), "{}", reply.body);
    assert_eq!(incidents(&app).await.len(), 2);
    app.stop().await;
}
on_both_backends!(a_bare_word_opens_nothing_and_is_asked_what_and_where);

async fn korean_and_chinese_sightings_get_their_kind(backend: Backend) {
    let app = spawn_app(backend).await;
    for (from, text, kind) in [
        (REPORTER, "이민단속 34.0617, -118.3005", "raid"),
        (OTHER, "移民局突袭 34.0617, -118.3005", "raid"),
        (THIRD, "房东在驱逐我们 34.0617, -118.3005", "eviction"),
    ] {
        let reply = app.text(from, text).await;
        assert!(
            !reply.body.contains("Received"),
            "in their language: {}",
            reply.body
        );
        let id = app.latest_incident_id().await;
        assert_eq!(app.incident(id).await["kind"], kind, "{text}");
    }
    let reply = app.text("+13235557004", "단속반이 왔어요").await;
    assert!(
        reply.body.contains("어디입니까"),
        "asked where in Korean: {}",
        reply.body
    );
    let id = app.latest_incident_id().await;
    assert_eq!(app.incident(id).await["kind"], "raid");
    let reply = app.text("+13235557005", "很多警察").await;
    assert!(
        reply.body.contains("在哪里"),
        "asked where in Chinese: {}",
        reply.body
    );
    let id = app.latest_incident_id().await;
    assert_eq!(app.incident(id).await["kind"], "police");
    app.stop().await;
}
on_both_backends!(korean_and_chinese_sightings_get_their_kind);

async fn wait_for_text(app: &TestApp, to: &str, words: &str) -> bool {
    eventually(WAIT, || async {
        app.twilio.messages_to(to).iter().any(|m| m.body.contains(words))
    })
    .await
}

async fn report_received_at(app: &TestApp, id: i64) -> i64 {
    let all = reports(app).await;
    let report = all.iter().find(|r| r["incident_id"] == id).expect("the report");
    report["received_at"].as_i64().expect("received_at")
}

async fn the_reporter_is_told_when_confirmed_and_when_it_ends(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.intake.tell_reporter = true).await;
    app.text(THIRD, "police at 34.0800, -118.3000").await;
    let third = app.latest_incident_id().await;
    app.text(REPORTER, "ICE raid at 34.0617, -118.3005").await;
    let first = app.latest_incident_id().await;
    app.text(OTHER, "Redada de ICE en 34.0700, -118.3000").await;
    let second = app.latest_incident_id().await;
    assert!(app.twilio.messages().is_empty(), "nothing to tell yet");

    for id in [first, second, third] {
        let (status, body) = app.post(&format!("/incidents/{id}/confirm"), json!({})).await;
        assert_eq!(status, 200, "{body}");
    }
    assert!(wait_for_text(&app, REPORTER, "is confirmed (immigration raid)").await);
    assert!(wait_for_text(&app, OTHER, "esta confirmado").await, "in Spanish");
    assert!(wait_for_text(&app, THIRD, "is confirmed (police action)").await);
    // The third reporter's number is erased (retention): nothing more can reach them.
    let before = report_received_at(&app, first).await;
    app.core().store.erase_reporters(before).await.expect("erase");

    for (id, end) in [
        (third, "all-clear"),
        (first, "all-clear"),
        (second, "false-alarm"),
    ] {
        let (status, body) = app.post(&format!("/incidents/{id}/{end}"), json!({})).await;
        assert_eq!(status, 200, "{body}");
    }
    assert!(wait_for_text(&app, REPORTER, "is over: all clear").await);
    assert!(wait_for_text(&app, OTHER, "falsa alarma").await);
    for (to, n) in [(REPORTER, 2), (OTHER, 2), (THIRD, 1)] {
        let got = app.twilio.messages_to(to);
        assert_eq!(got.len(), n, "one message per news, once: {got:?}");
        assert!(got
            .iter()
            .all(|m| m.from.as_deref() == Some(crate::helpers::HOTLINE)));
    }
    app.stop().await;
}
on_both_backends!(the_reporter_is_told_when_confirmed_and_when_it_ends);

async fn the_reporter_is_not_told_when_tell_reporter_is_false(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.intake.tell_reporter = false).await;
    let volunteer = "+13235557100";
    app.volunteer("Ann", volunteer, "en", false, LAT, LON, 1000.0)
        .await;
    app.text(REPORTER, "ICE raid at 34.0617, -118.3005").await;
    let id = app.latest_incident_id().await;
    let (status, body) = app.post(&format!("/incidents/{id}/confirm"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(wait_for_text(&app, volunteer, "immigration raid").await);
    let (status, body) = app.post(&format!("/incidents/{id}/all-clear"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(wait_for_text(&app, volunteer, "ALL CLEAR").await);
    // The volunteer has heard both: a reporter told would have been told by now.
    let quiet = !eventually(Duration::from_secs(2), || async {
        !app.twilio.messages_to(REPORTER).is_empty()
    })
    .await;
    assert!(quiet, "{:?}", app.twilio.messages_to(REPORTER));
    app.stop().await;
}
on_both_backends!(the_reporter_is_not_told_when_tell_reporter_is_false);

async fn on_signal_the_reporter_is_asked_and_told_on_signal(backend: Backend) {
    let app = spawn_signal_app(backend, |s| s.intake.tell_reporter = true).await;
    let bridge = app.signal.as_ref().expect("signal app");
    let said = |words: &'static str| {
        let bridge = bridge.clone();
        async move {
            eventually(WAIT, || {
                let found = bridge.sent_to(REPORTER).iter().any(|m| m.message.contains(words));
                async move { found }
            })
            .await
        }
    };
    bridge.incoming(REPORTER, "ICE raid at the school");
    assert!(said("Where is it?").await, "{:?}", bridge.sent_to(REPORTER));
    let id = app.latest_incident_id().await;
    bridge.incoming(REPORTER, "https://maps.google.com/?q=34.0617,-118.3005");
    assert!(
        said("Received, thank you").await,
        "{:?}",
        bridge.sent_to(REPORTER)
    );
    let view = app.incident(id).await;
    assert_eq!(view["lat"].as_f64(), Some(LAT), "{view}");
    assert_eq!(incidents(&app).await.len(), 1);

    let (status, body) = app.post(&format!("/incidents/{id}/confirm"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(said("is confirmed").await, "{:?}", bridge.sent_to(REPORTER));
    let (status, body) = app.post(&format!("/incidents/{id}/all-clear"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(said("is over: all clear").await, "{:?}", bridge.sent_to(REPORTER));
    assert!(
        app.twilio.messages_to(REPORTER).is_empty(),
        "on the channel they used"
    );
    // Two texts, one person: each piece of news once.
    let news: Vec<String> = bridge.sent_to(REPORTER).into_iter().map(|m| m.message).collect();
    let count = |w: &str| news.iter().filter(|m| m.contains(w)).count();
    assert_eq!((count("is confirmed"), count("all clear")), (1, 1), "{news:?}");
    app.stop().await;
}
on_both_backends!(on_signal_the_reporter_is_asked_and_told_on_signal);

async fn an_answer_that_places_it_beside_an_open_incident_merges_the_two(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.dispatch.merge_m = 300.0).await;
    app.text(REPORTER, "ICE raid at 34.0617, -118.3005").await;
    let first = app.latest_incident_id().await;
    let reply = app.text(OTHER, "ICE agents at the car wash").await;
    assert!(reply.body.contains("Where is it?"), "{}", reply.body);
    let asked = app.latest_incident_id().await;
    assert_ne!(asked, first, "unplaced: nothing to merge with yet");
    let reply = app.text(OTHER, "34.0618, -118.3004").await;
    assert!(reply.body.contains("Received, thank you"), "{}", reply.body);
    let view = app.incident(asked).await;
    assert_eq!(view["status"], "merged", "{view}");
    let view = app.incident(first).await;
    assert_eq!(
        view["reports"].as_array().map(Vec::len),
        Some(3),
        "every text in one: {view}"
    );
    assert_eq!(view["status"], "verifying", "two independent reporters: {view}");
    app.stop().await;
}
on_both_backends!(an_answer_that_places_it_beside_an_open_incident_merges_the_two);

async fn past_the_window_the_next_message_is_a_report_of_its_own(backend: Backend) {
    let app = spawn_app(backend).await;
    let reply = app.text(REPORTER, "ICE agents at the car wash").await;
    assert!(reply.body.contains("Where is it?"), "{}", reply.body);
    let asked = app.latest_incident_id().await;
    // intake.followup_s (600) passes.
    let key = app.core().vault.lookup_hash(REPORTER);
    let store = &app.core().store;
    let mut question = store.followup(&key).await.expect("read").expect("asked");
    question.asked_at -= 601_000;
    store.save_followup(&question).await.expect("write");
    app.text(REPORTER, "ICE raid at 34.0617, -118.3005").await;
    assert_eq!(incidents(&app).await.len(), 2, "a new report, a new incident");
    assert!(
        app.incident(asked).await["lat"].is_null(),
        "the old one is not placed by it"
    );
    app.stop().await;
}
on_both_backends!(past_the_window_the_next_message_is_a_report_of_its_own);

async fn a_send_that_may_succeed_later_is_tried_again_once_it_does(backend: Backend) {
    // No task: the test steps the passes itself.
    let app = spawn_app(backend).await;
    app.text(REPORTER, "ICE raid at 34.0617, -118.3005").await;
    let id = app.latest_incident_id().await;
    let (status, body) = app.post(&format!("/incidents/{id}/confirm"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let channels = app.core().channels().expect("channels");
    let pass = || tocsin::intake::tell::pass(app.core(), &channels);
    app.twilio.fail_next(1, 503);
    let told = pass().await.expect("pass");
    assert_eq!((told.sent, told.retry), (0, 1));
    let told = pass().await.expect("pass");
    assert_eq!((told.sent, told.retry), (1, 0));
    let told = pass().await.expect("pass");
    assert_eq!((told.sent, told.retry), (0, 0), "told once");
    let got = app.twilio.messages_to(REPORTER);
    assert_eq!(got.len(), 1, "{got:?}");
    app.stop().await;
}
on_both_backends!(a_send_that_may_succeed_later_is_tried_again_once_it_does);
