//! Escalation: too few coming widens the alert, step by step (radii, then the zones around the
//! incident's), to new people only; a drill never leaves the drill group.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::helpers::{eventually, spawn_app_with, Backend};
use crate::lifecycle::{confirmed_sighting, history, neighbour, phone, LAT, LON, WAIT};
use crate::on_both_backends;

async fn too_few_coming_widens_the_alert_to_new_people_only(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.dispatch.wanted = 2;
        s.dispatch.escalate_after_s = 1;
        s.dispatch.escalation_radii_m = vec![3000.0];
        s.dispatch.escalate_to_neighbouring_zones = false;
        s.dispatch.escalate_to_everyone = false;
    })
    .await;
    // Two whose areas hold the point, one whose area comes within 3 km of it, one far away.
    neighbour(&app, 1, 0.0, &[]).await;
    neighbour(&app, 2, 200.0, &[]).await;
    neighbour(&app, 3, 2000.0, &[]).await;
    neighbour(&app, 4, 20_000.0, &[]).await;
    let id = confirmed_sighting(&app, json!({})).await;
    let first = app.twilio.wait_for_messages(2, WAIT).await;
    let to: HashSet<String> = first.iter().map(|m| m.to.clone()).collect();
    assert_eq!(to, HashSet::from([phone(1), phone(2)]));
    assert!(first[0].body.contains("Need 2."), "{}", first[0].body);
    app.text(&phone(1), "Y").await;

    // One of two wanted is coming: after escalate_after_s the 3 km ring is alerted.
    let view = app
        .wait_incident(id, "escalated once", |v| v["escalation_step"] == 1)
        .await;
    assert!(
        eventually(WAIT, || async { app.twilio.messages_to(&phone(3)).len() == 1 }).await,
        "the volunteer within 3 km is alerted"
    );
    assert!(app.twilio.messages_to(&phone(3))[0]
        .body
        .contains(&format!("#{id} CONFIRMED")));
    let lines = history(&app.incident(id).await);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("escalation step 1: 1 of 2 responding; within 3000 m, 1 more alerts")),
        "{lines:?} {view}"
    );
    // No step is left: even long past escalate_after_s, nobody else, and nobody twice.
    sqlx::query("UPDATE incidents SET escalated_at = escalated_at - 60000 WHERE id = $1")
        .bind(id)
        .execute(app.core().store.pool())
        .await
        .expect("the last step moved back a minute");
    app.dispatch_now().await;
    let view = app.incident(id).await;
    assert_eq!(view["escalation_step"], 1, "{view}");
    assert_eq!(view["counts"]["targeted"], 3, "nobody else planned: {view}");
    app.send_now().await;
    assert!(
        app.twilio.messages_to(&phone(4)).is_empty(),
        "the far one is not reached"
    );
    for i in 1..=3 {
        assert_eq!(app.twilio.messages_to(&phone(i)).len(), 1, "{}", phone(i));
    }
    app.stop().await;
}
on_both_backends!(too_few_coming_widens_the_alert_to_new_people_only);

async fn a_drill_says_so_and_never_leaves_the_drill_group(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.dispatch.wanted = 3;
        s.dispatch.escalate_after_s = 1;
        s.dispatch.escalation_radii_m = vec![3000.0];
        s.dispatch.escalate_to_everyone = true;
    })
    .await;
    neighbour(&app, 1, 0.0, &["drill"]).await;
    neighbour(&app, 2, 0.0, &[]).await;
    neighbour(&app, 3, 2000.0, &["drill", "verifier"]).await;
    neighbour(&app, 4, 50_000.0, &[]).await;
    let id = confirmed_sighting(&app, json!({"drill": true})).await;
    let view = app.incident(id).await;
    assert_eq!(view["drill"], true, "{view}");
    let sent = app.twilio.wait_for_messages(1, WAIT).await;
    assert_eq!(sent[0].to, phone(1));
    assert!(
        sent[0]
            .body
            .starts_with(&format!("DRILL TOCSIN #{id} CONFIRMED:")),
        "{}",
        sent[0].body
    );
    // Nobody answers: every step is taken, and only the drill group is ever reached.
    app.wait_incident(id, "all steps taken", |v| v["escalation_step"] == 3)
        .await;
    app.dispatch_now().await;
    let to: HashSet<String> = app.twilio.messages().iter().map(|m| m.to.clone()).collect();
    assert_eq!(to, HashSet::from([phone(1), phone(3)]), "drill group only");
    let (_, status) = app.get("/status").await;
    assert_eq!(status["drills"]["confirmed"], 1, "{status}");
    // A real incident and a drill are never one.
    let (_, real) = app
        .post("/reports", json!({"text": "raid", "lat": LAT, "lon": LON}))
        .await;
    let real = real["incident_id"].as_i64().expect("incident");
    let (code, body) = app
        .post(&format!("/incidents/{real}/merge"), json!({"into": id}))
        .await;
    assert_eq!(code, 409, "{body}");
    assert!(
        status["incidents"].get("confirmed").is_none(),
        "drills are counted apart: {status}"
    );
    app.stop().await;
}
on_both_backends!(a_drill_says_so_and_never_leaves_the_drill_group);

fn square(name: &str, west: f64, south: f64) -> Value {
    let (east, north) = (west + 0.02, south + 0.02);
    json!({"type": "Feature", "properties": {"name": name},
           "geometry": {"type": "Polygon",
                        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}})
}

async fn after_the_radii_the_neighbouring_zones_are_alerted(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.dispatch.wanted = 1;
        s.dispatch.escalate_after_s = 1;
        s.dispatch.escalation_radii_m = vec![];
        s.dispatch.escalate_to_neighbouring_zones = true;
        s.dispatch.escalate_to_everyone = false;
    })
    .await;
    // The incident's zone, one touching it on the east, one well apart.
    let zones = json!({"type": "FeatureCollection", "features": [
        square("Here", LON - 0.01, LAT - 0.01), square("Next door", LON + 0.01, LAT - 0.01),
        square("Far off", LON + 0.2, LAT - 0.01)]});
    let (status, body) = app.post("/zones", zones).await;
    assert_eq!(status, 201, "{body}");
    neighbour(&app, 1, 0.0, &[]).await;
    for (i, zone) in [(2, "Next door"), (3, "Far off")] {
        let (status, body) = app
            .post(
                "/volunteers",
                json!({"name": zone, "phone": phone(i), "area": {"type": "zone", "zone": zone}}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let id = confirmed_sighting(&app, json!({})).await;
    assert_eq!(app.incident(id).await["zone"], "Here");
    app.twilio.wait_for_messages(1, WAIT).await;
    app.wait_incident(id, "the zones step", |v| v["escalation_step"] == 1)
        .await;
    assert!(
        eventually(WAIT, || async { app.twilio.messages_to(&phone(2)).len() == 1 }).await,
        "next door is alerted"
    );
    app.dispatch_now().await;
    assert!(
        app.twilio.messages_to(&phone(3)).is_empty(),
        "a zone apart is not"
    );
    app.stop().await;
}
on_both_backends!(after_the_radii_the_neighbouring_zones_are_alerted);
