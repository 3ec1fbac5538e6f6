//! Zones and self-service by text: reports placed by a neighbourhood's name, volunteers who
//! join, pause, move and leave by text, in their language; keywords never become reports.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

const TRUSTED: &str = "+13235550101";
const INSIDE: &str = "+13235550102";
const OUTSIDE: &str = "+13235550104";
const NEWCOMER: &str = "+13235550120";
const WAIT: std::time::Duration = std::time::Duration::from_secs(15);

async fn with_zones(backend: Backend) -> TestApp {
    let app = spawn_app(backend).await;
    let zones: Value =
        serde_json::from_str(include_str!("../../examples/zones-los-angeles.geojson")).unwrap();
    let (status, body) = app.post("/zones", zones).await;
    assert_eq!(status, 201, "{body}");
    app
}

async fn a_spanish_report_naming_a_zone_alias_alerts_that_zone(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", TRUSTED, "es", true, 34.2, -118.5, 1000.0)
        .await;
    // One volunteer covers the zone by name (through an alias), one by a circle inside it.
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": "Ana", "phone": INSIDE, "language": "es",
                                     "area": {"type": "zone", "zone": "k-town"}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["area"], json!({"type": "zone", "zone": "Koreatown"}));
    app.volunteer("Lejos", OUTSIDE, "en", false, 34.03, -118.21, 800.0)
        .await;
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": "X", "phone": "+13235550130", "area": {"type": "zone", "zone": "Narnia"}}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("area.zone")),
        "{body}"
    );

    app.text(TRUSTED, "la migra en la 3rd y Vermont, en K-town!")
        .await;
    let sent = app.twilio.wait_for_messages(1, WAIT).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].to, INSIDE);
    assert!(sent[0].body.contains("cerca de Koreatown"), "{}", sent[0].body);
    let incident = app.incident(app.latest_incident_id().await).await;
    assert_eq!(
        (incident["zone"].as_str(), incident["approximate"].as_bool()),
        (Some("Koreatown"), Some(true))
    );
    assert_eq!(incident["kind"], "raid");
    app.stop().await;
}
on_both_backends!(a_spanish_report_naming_a_zone_alias_alerts_that_zone);

async fn a_korean_join_conversation_makes_a_volunteer_who_is_alerted_once_approved(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    let reply = app.text(NEWCOMER, "가입").await;
    assert!(
        reply.body.contains("한국어") && reply.body.contains("1 English"),
        "{}",
        reply.body
    );
    let reply = app.text(NEWCOMER, "7").await;
    assert!(
        reply.body.contains("번호"),
        "an unclear answer is asked again: {}",
        reply.body
    );
    let reply = app.text(NEWCOMER, "3").await;
    assert!(
        reply.body.contains("지역"),
        "asks for the area in Korean: {}",
        reply.body
    );
    let reply = app.text(NEWCOMER, "코리아타운").await;
    assert!(
        reply.body.contains("Koreatown") && reply.body.contains("네"),
        "{}",
        reply.body
    );
    let (_, list) = app.get("/volunteers").await;
    assert_eq!(
        list["volunteers"].as_array().map(Vec::len),
        Some(1),
        "nobody is active before YES"
    );
    let reply = app.text(NEWCOMER, "네").await;
    assert!(
        reply.body.contains("자원봉사자") && reply.body.contains("승인"),
        "told in Korean to wait for approval: {}",
        reply.body
    );
    let (_, list) = app.get("/volunteers").await;
    let joined: Vec<&Value> = list["volunteers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["phone_last4"] == "0120")
        .collect();
    assert_eq!(joined.len(), 1, "{list}");
    assert_eq!(joined[0]["language"], "ko");
    // Joining is vetted (issue 11): alerted once an admin approves them.
    assert_eq!(joined[0]["status"], "pending");
    let id = joined[0]["id"].as_i64().unwrap();
    let (status, body) = app.post(&format!("/volunteers/{id}/approve"), json!({})).await;
    assert_eq!(status, 200, "{body}");

    app.text(TRUSTED, "ICE raid at Vermont and 6th, Koreatown").await;
    let sent = app.twilio.wait_for_messages(1, WAIT).await;
    assert_eq!(sent[0].to, NEWCOMER);
    assert!(
        sent[0].body.contains("이민 단속"),
        "the alert is in Korean: {}",
        sent[0].body
    );
    let (_, incidents) = app.get("/incidents").await;
    assert_eq!(
        incidents["incidents"].as_array().map(Vec::len),
        Some(1),
        "the conversation made no report"
    );
    app.stop().await;
}
on_both_backends!(a_korean_join_conversation_makes_a_volunteer_who_is_alerted_once_approved);

async fn stop_pause_and_their_opposites_decide_who_is_alerted(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", INSIDE, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    let report = |n: usize| format!("raid number {n} at 34.0617, -118.3005");
    let alerts_to_ann = |app: &TestApp| app.twilio.messages_to(INSIDE).len();

    app.text(INSIDE, "STOP").await;
    app.text(TRUSTED, &report(1)).await;
    app.dispatch_now().await;
    assert_eq!(alerts_to_ann(&app), 0, "STOP silences completely");
    app.text(INSIDE, "START").await;
    app.text(TRUSTED, &report(2)).await;
    app.twilio.wait_for_messages(1, WAIT).await;
    assert_eq!(alerts_to_ann(&app), 1, "START brings them back");

    let reply = app.text(INSIDE, "PAUSE 1h").await;
    assert!(reply.body.contains("paused until"), "{}", reply.body);
    let reply = app.text(INSIDE, "STATUS").await;
    assert!(
        reply.body.contains("Paused until") && !reply.body.contains("UTC"),
        "{}",
        reply.body
    );
    app.text(TRUSTED, &report(3)).await;
    app.dispatch_now().await;
    assert_eq!(
        alerts_to_ann(&app),
        1,
        "PAUSE 1h excludes them from the next alert"
    );
    let reply = app.text(INSIDE, "resume").await;
    assert!(reply.body.contains("resumed"), "{}", reply.body);
    app.text(TRUSTED, &report(4)).await;
    app.twilio.wait_for_messages(2, WAIT).await;
    assert_eq!(alerts_to_ann(&app), 2);

    let reply = app.text(INSIDE, "AREA Boyle Heights").await;
    assert!(reply.body.contains("Boyle Heights"), "{}", reply.body);
    let reply = app.text(INSIDE, "LANG es").await;
    assert!(reply.body.contains("espanol"), "{}", reply.body);
    let reply = app.text(INSIDE, "status").await;
    assert!(reply.body.contains("Zona: Boyle Heights"), "{}", reply.body);
    app.stop().await;
}
on_both_backends!(stop_pause_and_their_opposites_decide_who_is_alerted);

async fn keyword_texts_never_become_reports(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Ann", INSIDE, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    for (from, text) in [
        (INSIDE, "PAUSE"),
        (INSIDE, "RESUME"),
        (INSIDE, "STATUS"),
        (INSIDE, "AREA Westlake"),
        (INSIDE, "LANG zh"),
        (INSIDE, "JOIN"),
        (INSIDE, "HELP"),
        (OUTSIDE, "STATUS"),
        (OUTSIDE, "PAUSE 8h"),
        (OUTSIDE, "HELP"),
        (OUTSIDE, "STOP"),
        (OUTSIDE, "START"),
        (OUTSIDE, "UNIRSE"),
        (OUTSIDE, "1"),
        (OUTSIDE, "Westlake"),
        (OUTSIDE, "no"),
        (OUTSIDE, "no"),
        (OUTSIDE, "no"),
    ] {
        let reply = app.text(from, text).await;
        assert_eq!(reply.status, 200, "{text}");
    }
    let (_, incidents) = app.get("/incidents").await;
    assert_eq!(incidents["incidents"], json!([]), "no keyword became a report");
    // After three unclear answers the conversation is over: the next text is a report again.
    app.text(
        OUTSIDE,
        "ICE van parked outside the school on Alvarado in Westlake",
    )
    .await;
    let count = |v: &Value| v["incidents"].as_array().map(Vec::len);
    assert_eq!(count(&app.get("/incidents").await.1), Some(1));
    // Keywords with an argument that is not a zone or a language are reports, not commands.
    app.text(INSIDE, "Area near 3rd has agents").await;
    app.text(OUTSIDE, "Zona escolar llena de migra").await;
    assert_eq!(
        count(&app.get("/incidents").await.1),
        Some(3),
        "never lost to a keyword"
    );
    // A sighting in the middle of a JOIN conversation is a report, not an answer.
    app.text(NEWCOMER, "JOIN").await;
    let r = app.text(NEWCOMER, "ICE in Koreatown").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let seen = app.get("/reports").await.1;
    assert_eq!(
        count(&app.get("/incidents").await.1),
        Some(4),
        "a sighting ends the conversation: {seen}"
    );
    // "1" is no longer read as a language: it is stored as a report, and (a bare word) opens
    // nothing by itself.
    let reports = |v: &Value| v["reports"].as_array().map(Vec::len);
    let before = reports(&app.get("/reports").await.1).unwrap_or(0);
    app.text(NEWCOMER, "1").await;
    assert_eq!(
        reports(&app.get("/reports").await.1),
        Some(before + 1),
        "the conversation is over"
    );
    assert_eq!(count(&app.get("/incidents").await.1), Some(4));
    app.stop().await;
}
on_both_backends!(keyword_texts_never_become_reports);
