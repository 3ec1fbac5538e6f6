//! Verifiers first: an unknown reporter's sighting asks the nearest verifiers to check before
//! anyone else is called; CONFIRM calls the area, NOTHING from two of them closes it quietly;
//! a flood of reports cannot bury a verifier under requests to check.

use serde_json::json;

use crate::helpers::{eventually, spawn_app, spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

const STRANGER: &str = "+13235550199";
const NEAR: [&str; 3] = ["+13235550141", "+13235550142", "+13235550143"];
const FAR_VERIFIER: &str = "+13235550144";
const RESIDENT: &str = "+13235550145";
const WAIT: std::time::Duration = std::time::Duration::from_secs(15);

async fn verifier(app: &TestApp, phone: &str, lat: f64, lon: f64) {
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": "V", "phone": phone, "roles": ["verifier"],
            "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": 300}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["roles"], json!(["verifier"]));
}

async fn the_nearest_verifiers_check_first_and_decide(backend: Backend) {
    let app = spawn_app(backend).await;
    // Three verifiers within about 1 km, a fourth 2.5 km away, and a resident who is not one.
    verifier(&app, NEAR[0], 34.0620, -118.3000).await;
    verifier(&app, NEAR[1], 34.0650, -118.3050).await;
    verifier(&app, NEAR[2], 34.0560, -118.2950).await;
    verifier(&app, FAR_VERIFIER, 34.0840, -118.3000).await;
    app.volunteer("Res", RESIDENT, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": "X", "phone": "+13235550146", "roles": ["boss"],
        "area": {"type": "circle", "lat": 34.0, "lon": -118.0, "radius_m": 300}}),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("roles")));

    app.text(STRANGER, "ICE raid at 34.0617, -118.3005").await;
    let sent = app.twilio.wait_for_messages(3, WAIT).await;
    let mut to: Vec<&str> = sent.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, NEAR.to_vec(), "only the three nearest verifiers, nobody else");
    assert!(
        sent[0].body.contains("CHECK") && sent[0].body.contains("CONFIRM"),
        "{}",
        sent[0].body
    );
    let first = app.latest_incident_id().await;
    let view = app.incident(first).await;
    assert_eq!(view["status"], "verifying", "checking: {view}");
    assert!(sent[0].body.contains("UNCONFIRMED"), "{}", sent[0].body);

    // One NOTHING waits for another verifier's; the second closes it (issue 11).
    let reply = app.text(NEAR[1], "NADA").await;
    assert!(reply.body.contains("Waiting for another check"), "{}", reply.body);
    assert_eq!(app.incident(first).await["status"], "verifying");
    // The number may be glued to the word, as in `Y26`.
    let reply = app.text(NEAR[2], &format!("NOTHING{first}")).await;
    assert!(reply.body.contains("not found"), "{}", reply.body);
    let view = app.incident(first).await;
    assert_eq!(view["status"], "not_found");
    assert_eq!(view["counts"]["targeted"], 0, "nobody was called");
    let reply = app.text(NEAR[0], "CONFIRM").await;
    assert!(
        reply.body.contains("decided already") || reply.body.contains("no open alert"),
        "{}",
        reply.body
    );

    // A second sighting: this time a verifier confirms and the area is called.
    app.text(STRANGER, "eviction at 34.0617, -118.3005").await;
    app.twilio.wait_for_messages(6, WAIT).await;
    let second = app.latest_incident_id().await;
    let reply = app.text(NEAR[2], &format!("#{second} confirm")).await;
    assert!(reply.body.contains("confirmed"), "{}", reply.body);
    // The area: the resident and the one verifier whose own home area holds the point.
    let view = app
        .wait_incident(second, "the area alerted", |v| v["counts"]["targeted"] == 2)
        .await;
    assert_eq!(view["status"], "confirmed");
    assert_eq!(view["confirmed_by"], "verifier");
    assert!(
        eventually(WAIT, || async { app.twilio.messages_to(RESIDENT).len() == 1 }).await,
        "the resident is called"
    );
    let alert = &app.twilio.messages_to(RESIDENT)[0].body;
    assert!(alert.contains(&format!("TOCSIN #{second} CONFIRMED:")), "{alert}");
    // Its history: reported, verifiers asked, confirmed by the verifier who answered.
    let (_, full) = app.get(&format!("/incidents/{second}")).await;
    let steps: Vec<(&str, &str)> = full["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| (h["to"].as_str().unwrap_or(""), h["cause"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(steps[0], ("unverified", "reported"), "{full}");
    assert_eq!(steps[1], ("verifying", "verifiers asked to check"), "{full}");
    assert_eq!(steps[2].0, "confirmed", "{full}");
    assert!(steps[2].1.starts_with("verifier (volunteer #"), "{full}");
    // A later NOTHING from another verifier does not undo a confirmed, alerted incident.
    // (NEAR[1]'s home area does not hold the point: their latest message is the request to check.)
    let reply = app.text(NEAR[1], "NADA").await;
    assert!(reply.body.contains("decided already"), "{}", reply.body);
    assert_eq!(app.incident(second).await["status"], "confirmed");
    let (status, body) = app.post(&format!("/incidents/{second}/dismiss"), json!({})).await;
    assert_eq!(
        status, 409,
        "an alerted incident ends with all clear or false alarm: {body}"
    );
    assert!(
        app.twilio.messages_to(FAR_VERIFIER).len() <= 1,
        "the far verifier only as a resident"
    );
    app.stop().await;
}
on_both_backends!(the_nearest_verifiers_check_first_and_decide);

async fn with_no_verifier_in_reach_the_dispatcher_decides(backend: Backend) {
    let app = spawn_app(backend).await;
    verifier(&app, FAR_VERIFIER, 35.0, -119.0).await;
    app.text(STRANGER, "ICE raid at 34.0617, -118.3005").await;
    app.dispatch_now().await;
    app.dispatch_now().await;
    assert!(app.twilio.messages().is_empty(), "nobody in reach, nobody paged");
    let id = app.latest_incident_id().await;
    assert_eq!(app.incident(id).await["status"], "unverified");
    let (status, body) = app.post(&format!("/incidents/{id}/dismiss"), json!({})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("not_found")),
        "{body}"
    );
    // A dispatcher's decision always wins, even over their own dismissal (issue 11).
    let (status, body) = app.post(&format!("/incidents/{id}/confirm"), json!({})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("confirmed")),
        "{body}"
    );
    app.stop().await;
}
on_both_backends!(with_no_verifier_in_reach_the_dispatcher_decides);

async fn a_flood_of_reports_asks_the_next_verifiers_past_the_hourly_cap(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.dispatch.verifiers = 1;
        s.dispatch.max_checks_per_verifier_per_hour = 1;
    })
    .await;
    for (phone, lat, lon) in [
        (NEAR[0], 34.0620, -118.3000),
        (NEAR[1], 34.0650, -118.3050),
        (NEAR[2], 34.0560, -118.2950),
    ] {
        verifier(&app, phone, lat, lon).await;
    }
    for i in 0..4 {
        app.text(&format!("+1323555018{i}"), "ICE raid at 34.0617, -118.3005")
            .await;
    }
    app.twilio.wait_for_messages(3, WAIT).await;
    app.dispatch_now().await;
    app.dispatch_now().await;
    let sent = app.twilio.messages();
    let mut to: Vec<&str> = sent.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, NEAR.to_vec(), "one request each: {sent:?}");
    let (_, list) = app.get("/incidents").await;
    let mut rows: Vec<(i64, String)> = list["incidents"]
        .as_array()
        .expect("incidents")
        .iter()
        .map(|i| {
            (
                i["id"].as_i64().unwrap_or(0),
                i["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    rows.sort();
    let statuses: Vec<&str> = rows.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        statuses,
        ["verifying", "verifying", "verifying", "unverified"],
        "the last waits for a dispatcher"
    );
    let nearest = &app.twilio.messages_to(NEAR[0])[0].body;
    assert!(
        nearest.contains(&format!("#{} ", rows[0].0)),
        "the first report asks the nearest: {nearest}"
    );
    app.stop().await;
}
on_both_backends!(a_flood_of_reports_asks_the_next_verifiers_past_the_hourly_cap);
