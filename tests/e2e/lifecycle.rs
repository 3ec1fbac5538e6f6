//! The incident lifecycle past verification: labels, progressive disclosure, escalation until
//! enough respond, stand-down order, drills, and splitting a wrongly merged report.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

pub(crate) const WAIT: Duration = Duration::from_secs(15);
pub(crate) const LAT: f64 = 34.0617;
pub(crate) const LON: f64 = -118.3005;
const EXACT: &str = "34.06170,-118.30050";

pub(crate) fn phone(i: usize) -> String {
    format!("+1323555{:04}", 3000 + i)
}

/// A volunteer whose home circle is centred `north_m` metres north of the incident.
pub(crate) async fn neighbour(app: &TestApp, i: usize, north_m: f64, roles: &[&str]) -> i64 {
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": format!("N{i}"), "phone": phone(i), "roles": roles,
                   "area": {"type": "circle", "lat": LAT + north_m / 111_195.0, "lon": LON, "radius_m": 500}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().expect("id")
}

/// A sighting entered through the API at the incident's point, confirmed by the dispatcher.
pub(crate) async fn confirmed_sighting(app: &TestApp, extra: Value) -> i64 {
    let mut report = json!({"text": "ICE agents at the corner", "kind": "raid", "lat": LAT, "lon": LON});
    if let (Some(report), Some(extra)) = (report.as_object_mut(), extra.as_object()) {
        report.extend(extra.clone());
    }
    let (status, body) = app.post("/reports", report).await;
    assert_eq!(status, 201, "{body}");
    let id = body["incident_id"].as_i64().expect("incident");
    let (status, body) = app.post(&format!("/incidents/{id}/confirm"), json!({})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("confirmed")),
        "{body}"
    );
    id
}

pub(crate) fn history(view: &Value) -> Vec<String> {
    view["history"]
        .as_array()
        .map(|h| {
            h.iter()
                .map(|t| {
                    format!(
                        "{} <- {}",
                        t["to"].as_str().unwrap_or(""),
                        t["cause"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn the_exact_place_reaches_only_those_who_are_coming(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.dispatch.progressive_disclosure = true).await;
    neighbour(&app, 1, 0.0, &[]).await;
    neighbour(&app, 2, 100.0, &[]).await;
    let id = confirmed_sighting(&app, json!({})).await;
    let sent = app.twilio.wait_for_messages(2, WAIT).await;
    for m in &sent {
        assert!(
            m.body.starts_with(&format!("TOCSIN #{id} CONFIRMED:")),
            "{}",
            m.body
        );
        assert!(
            m.body.contains("around https://maps.google.com/?q=34.06,-118.30"),
            "{}",
            m.body
        );
        assert!(
            !m.body.contains(EXACT),
            "no exact place on a lock screen: {}",
            m.body
        );
    }
    let reply = app.text(&phone(1), "Y").await;
    assert!(
        reply.body.contains(EXACT),
        "the one coming gets the place: {}",
        reply.body
    );
    let reply = app.text(&phone(2), "N").await;
    assert!(!reply.body.contains("maps.google"), "{}", reply.body);
    app.dispatch_now().await;
    assert!(
        app.twilio.messages().iter().all(|m| !m.body.contains(EXACT)),
        "nothing sent through the provider holds the exact place"
    );
    app.stop().await;
}
on_both_backends!(the_exact_place_reaches_only_those_who_are_coming);

async fn a_false_alarm_reaches_those_coming_first(backend: Backend) {
    // One send at a time, so the order the provider sees is the outbox's order.
    let app = spawn_app_with(backend, |s| s.twilio.concurrency = 1).await;
    for i in 1..=6 {
        neighbour(&app, i, 50.0 * i as f64, &[]).await;
    }
    let id = confirmed_sighting(&app, json!({})).await;
    app.twilio.wait_for_messages(6, WAIT).await;
    app.text(&phone(3), "Y").await;
    app.text(&phone(5), "HERE").await;
    let (status, body) = app.post(&format!("/incidents/{id}/false-alarm"), json!({})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("false_alarm")),
        "{body}"
    );
    let sent = app.twilio.wait_for_messages(12, WAIT).await;
    let stand_down = &sent[6..];
    assert!(stand_down
        .iter()
        .all(|m| m.body.contains(&format!("TOCSIN #{id} FALSE ALARM"))));
    let first_two: HashSet<String> = stand_down[..2].iter().map(|m| m.to.clone()).collect();
    assert_eq!(
        first_two,
        HashSet::from([phone(3), phone(5)]),
        "those coming first"
    );
    app.stop().await;
}
on_both_backends!(a_false_alarm_reaches_those_coming_first);

async fn a_second_reporter_raises_it_to_verifying_and_a_wrong_merge_is_split(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.dispatch.merge_m = 300.0).await;
    app.text("+13235550901", "ICE raid at 34.0617, -118.3005").await;
    let id = app.latest_incident_id().await;
    assert_eq!(app.incident(id).await["status"], "unverified");
    // About 50 m away: the same raid, seen by someone else.
    app.text("+13235550902", "ICE raid at 34.0620, -118.3009").await;
    assert_eq!(app.latest_incident_id().await, id, "merged");
    let view = app.incident(id).await;
    assert_eq!(
        (view["status"].as_str(), view["reporters"].as_i64()),
        (Some("verifying"), Some(2)),
        "{view}"
    );
    assert!(
        history(&view).contains(&"verifying <- 2 independent reporters".to_string()),
        "{view}"
    );
    assert!(
        app.twilio.messages().is_empty(),
        "nobody alerted by reports alone"
    );

    let second = view["reports"][1]["id"].as_i64().expect("second report");
    let (status, split) = app
        .post(&format!("/incidents/{id}/split"), json!({"report_id": second}))
        .await;
    assert_eq!(status, 201, "{split}");
    let new_id = split["id"].as_i64().expect("new incident");
    assert_ne!(new_id, id);
    assert_eq!(
        (split["status"].as_str(), split["reporters"].as_i64()),
        (Some("unverified"), Some(1))
    );
    let lines = history(&app.incident(new_id).await);
    assert!(
        lines[0].starts_with(&format!("unverified <- split from #{id} by dispatcher")),
        "{lines:?}"
    );
    assert_eq!(app.incident(id).await["reporters"], 1);

    let first = app.incident(id).await["reports"][0]["id"]
        .as_i64()
        .expect("report");
    let (status, body) = app
        .post(&format!("/incidents/{id}/split"), json!({"report_id": first}))
        .await;
    assert_eq!(status, 409, "its only report stays: {body}");
    let (status, body) = app
        .post(&format!("/incidents/{id}/split"), json!({"report_id": second}))
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("report_id")),
        "{body}"
    );
    app.stop().await;
}
on_both_backends!(a_second_reporter_raises_it_to_verifying_and_a_wrong_merge_is_split);

async fn a_broadcast_nobody_confirmed_says_unconfirmed(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.dispatch.auto_verify = tocsin::config::AutoVerify::All;
    })
    .await;
    neighbour(&app, 1, 0.0, &[]).await;
    app.text("+13235550903", "ICE raid at 34.0617, -118.3005").await;
    let sent = app.twilio.wait_for_messages(1, WAIT).await;
    let id = app.latest_incident_id().await;
    assert!(
        sent[0].body.starts_with(&format!("TOCSIN #{id} UNCONFIRMED:")),
        "{}",
        sent[0].body
    );
    let view = app.incident(id).await;
    assert_eq!(
        (view["status"].as_str(), view["confirmed_by"].as_str()),
        (Some("confirmed"), Some("policy"))
    );
    let (status, _) = app.post(&format!("/incidents/{id}/all-clear"), json!({})).await;
    assert_eq!(status, 200);
    let sent = app.twilio.wait_for_messages(2, WAIT).await;
    assert!(
        sent[1].body.starts_with(&format!("TOCSIN #{id} ALL CLEAR:")),
        "{}",
        sent[1].body
    );
    app.stop().await;
}
on_both_backends!(a_broadcast_nobody_confirmed_says_unconfirmed);

async fn verifiers_sent_to_check_are_stood_down_too(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    neighbour(&app, 1, 800.0, &["verifier"]).await;
    app.text("+13235550904", "ICE raid at 34.0617, -118.3005").await;
    let id = app.latest_incident_id().await;
    let sent = app.twilio.wait_for_messages(1, WAIT).await;
    assert!(sent[0].body.contains("CHECK"), "{}", sent[0].body);
    let (status, body) = app.post(&format!("/incidents/{id}/false-alarm"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let sent = app.twilio.wait_for_messages(2, WAIT).await;
    assert_eq!(sent[1].to, phone(1));
    assert!(
        sent[1].body.starts_with(&format!("TOCSIN #{id} FALSE ALARM")),
        "{}",
        sent[1].body
    );
    app.stop().await;
}
on_both_backends!(verifiers_sent_to_check_are_stood_down_too);

async fn roles_change_after_signup_and_merging_by_hand_counts_reporters(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.dispatch.merge_m = 300.0;
        s.dispatch.merge_any_kind = true;
    })
    .await;
    let v = neighbour(&app, 1, 0.0, &[]).await;
    let (status, body) = app
        .api(
            reqwest::Method::PATCH,
            &format!("/volunteers/{v}"),
            Some(json!({"roles": ["verifier"]})),
        )
        .await;
    assert_eq!((status, &body["roles"]), (200, &json!(["verifier"])), "{body}");
    let (status, body) = app
        .api(
            reqwest::Method::PATCH,
            &format!("/volunteers/{v}"),
            Some(json!({"roles": ["boss"]})),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("roles")), "{body}");

    // Any kind merges when configured: an eviction and a raid report at one spot.
    app.text("+13235550905", "eviction at 34.0617, -118.3005").await;
    let first = app.latest_incident_id().await;
    app.text("+13235550906", "ICE raid at 34.0618, -118.3006").await;
    assert_eq!(app.latest_incident_id().await, first, "merged across kinds");
    // Far apart: two incidents, merged by hand; two reporters make it `verifying`.
    let (_, far) = app
        .post("/reports", json!({"text": "raid", "lat": LAT + 0.1, "lon": LON}))
        .await;
    let far = far["incident_id"].as_i64().expect("incident");
    let (_, lone) = app
        .post("/reports", json!({"text": "raid", "lat": LAT + 0.2, "lon": LON}))
        .await;
    let lone = lone["incident_id"].as_i64().expect("incident");
    assert_eq!(app.incident(lone).await["status"], "unverified");
    let (status, body) = app
        .post(&format!("/incidents/{far}/merge"), json!({"into": lone}))
        .await;
    assert_eq!(status, 200, "{body}");
    let view = app.incident(lone).await;
    assert_eq!(
        (view["status"].as_str(), view["reporters"].as_i64()),
        (Some("verifying"), Some(2)),
        "{view}"
    );
    app.stop().await;
}
on_both_backends!(roles_change_after_signup_and_merging_by_hand_counts_reporters);

async fn reports_of_one_raid_arriving_together_make_one_incident(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.dispatch.merge_m = 300.0).await;
    let texts = (0..8).map(|i| {
        let app = &app;
        async move {
            app.text(
                &format!("+1323555{:04}", 3900 + i),
                "ICE raid at 34.0617, -118.3005",
            )
            .await
        }
    });
    futures_util::future::join_all(texts).await;
    let (_, list) = app.get("/incidents").await;
    let incidents = list["incidents"].as_array().expect("incidents");
    assert_eq!(incidents.len(), 1, "{list}");
    assert_eq!(incidents[0]["reporters"], 8);
    app.stop().await;
}
on_both_backends!(reports_of_one_raid_arriving_together_make_one_incident);
