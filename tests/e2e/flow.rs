//! The heart of tocsin, end to end: a sighting texted to the hotline reaches exactly the
//! volunteers around it, once each, in their language; their replies are counted; the
//! all-clear reaches everyone who was alerted.

use serde_json::json;

use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;

pub(crate) const TRUSTED: &str = "+13235550101";
pub(crate) const INSIDE_EN: &str = "+13235550102";
pub(crate) const INSIDE_ES: &str = "+13235550103";
const OUTSIDE: &str = "+13235550104";
const REMOVED: &str = "+13235550105";
pub(crate) const POLYGON: &str = "+13235550106";
pub(crate) const STRANGER: &str = "+13235550199";

// 7-Eleven, 3rd & Vermont, Los Angeles.
pub(crate) const LAT: f64 = 34.0617;
pub(crate) const LON: f64 = -118.3005;

async fn a_trusted_sighting_alerts_exactly_the_volunteers_around_it(backend: Backend) {
    let app = spawn_app(backend).await;
    // The reporter lives 20 km away: reporting does not alert yourself.
    app.volunteer("Rosa", TRUSTED, "es", true, 34.2, -118.5, 1000.0)
        .await;
    let en = app
        .volunteer("Ann", INSIDE_EN, "en", false, LAT + 0.005, LON, 1500.0)
        .await;
    app.volunteer("Beto", INSIDE_ES, "es", false, LAT, LON + 0.004, 800.0)
        .await;
    app.volunteer("Far", OUTSIDE, "en", false, 34.10, -118.30, 1000.0)
        .await;
    let gone = app
        .volunteer("Gone", REMOVED, "en", false, LAT, LON, 5000.0)
        .await;
    let (status, poly) = app
        .post(
            "/volunteers",
            json!({"name": "Poly", "phone": POLYGON, "language": "en", "area": {"type": "Polygon",
                "coordinates": [[[-118.31, 34.05], [-118.29, 34.05], [-118.29, 34.07], [-118.31, 34.07], [-118.31, 34.05]]]}}),
        )
        .await;
    assert_eq!(status, 201, "{poly}");
    let (status, _) = app
        .api(reqwest::Method::DELETE, &format!("/volunteers/{gone}"), None)
        .await;
    assert_eq!(status, 204);

    let reply = app
        .text(TRUSTED, "Redada de ICE en el 7-Eleven 34.0617, -118.3005 vengan!")
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.body.contains("<Response><Message>Recibido"),
        "ack in the reporter's language: {}",
        reply.body
    );

    let sent = app
        .twilio
        .wait_for_messages(3, std::time::Duration::from_secs(15))
        .await;
    let mut to: Vec<&str> = sent.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        vec![INSIDE_EN, INSIDE_ES, POLYGON],
        "exactly the volunteers whose area holds the point"
    );
    let ann = &app.twilio.messages_to(INSIDE_EN)[0];
    assert!(
        ann.body.contains("immigration raid")
            && ann
                .body
                .contains(&format!("Y{}=coming", app.latest_incident_id().await)),
        "{}",
        ann.body
    );
    assert!(ann.body.contains("34.06170,-118.30050"), "{}", ann.body);
    assert!(
        app.twilio.messages_to(INSIDE_ES)[0].body.contains("redada"),
        "Spanish for Beto"
    );
    for m in &sent {
        assert_eq!(m.from.as_deref(), Some(crate::helpers::HOTLINE));
        assert!(
            !m.body.contains(TRUSTED) && !m.body.contains("vengan"),
            "nothing about the reporter: {}",
            m.body
        );
        assert_eq!(m.num_segments, 1, "one segment: {}", m.body);
        assert!(m
            .status_callback
            .as_deref()
            .is_some_and(|u| u.ends_with("/webhooks/twilio/status")));
    }

    let incident = app.latest_incident_id().await;
    let view = app
        .wait_incident(incident, "3 delivered", |v| v["counts"]["delivered"] == 3)
        .await;
    assert_eq!(view["status"], "confirmed");
    assert_eq!(view["kind"], "raid");
    assert_eq!(view["counts"]["targeted"], 3);

    // Replies become confirmations of each volunteer's latest alert.
    let ack = app.text(INSIDE_EN, "Y").await;
    assert!(ack.body.contains("coming"), "{}", ack.body);
    let ack = app.text(INSIDE_ES, "Sí!").await;
    assert!(ack.body.contains("Gracias"), "{}", ack.body);
    app.text(POLYGON, "here").await;
    let view = app.incident(incident).await;
    assert_eq!(view["counts"]["coming"], 2, "{view}");
    assert_eq!(view["counts"]["on_scene"], 1, "{view}");
    assert_eq!(view["counts"]["cant"], 0, "{view}");
    // A changed mind counts once, as the latest answer.
    app.text(INSIDE_EN, "n").await;
    let view = app.incident(incident).await;
    assert_eq!(
        (view["counts"]["coming"].as_i64(), view["counts"]["cant"].as_i64()),
        (Some(1), Some(1))
    );

    // The "can't" brought in the nearest volunteer not alerted yet (issue 14 §4); nothing went
    // out twice, and no reply became a new incident.
    app.dispatch_now().await;
    let far = app
        .twilio
        .wait_for_messages(4, std::time::Duration::from_secs(15))
        .await;
    assert_eq!(far.len(), 4);
    assert_eq!(far[3].to, OUTSIDE, "the replacement");
    assert_eq!(
        app.get("/incidents").await.1["incidents"]
            .as_array()
            .map(|a| a.len()),
        Some(1)
    );

    let (status, body) = app
        .post(&format!("/incidents/{incident}/resolve"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let all = app
        .twilio
        .wait_for_messages(8, std::time::Duration::from_secs(15))
        .await;
    assert_eq!(all.len(), 8);
    let clears: Vec<_> = all[4..].iter().collect();
    let mut to: Vec<&str> = clears.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        vec![INSIDE_EN, INSIDE_ES, OUTSIDE, POLYGON],
        "the all-clear reaches everyone alerted"
    );
    assert!(app.twilio.messages_to(INSIDE_EN)[1].body.contains("ALL CLEAR"));
    assert!(app.twilio.messages_to(INSIDE_ES)[1]
        .body
        .contains("FIN DE ALERTA"));
    assert_eq!(app.get(&format!("/volunteers/{en}")).await.1["phone"], INSIDE_EN);
    app.stop().await;
}
on_both_backends!(a_trusted_sighting_alerts_exactly_the_volunteers_around_it);

async fn an_untrusted_report_waits_until_a_dispatcher_verifies_it(backend: Backend) {
    let app = spawn_app(backend).await;
    app.volunteer("Ann", INSIDE_EN, "en", false, LAT, LON, 1000.0)
        .await;
    let reply = app
        .text(
            STRANGER,
            "ICE raid at 3rd and Vermont https://maps.google.com/?q=34.0617,-118.3005",
        )
        .await;
    assert!(reply.body.contains("Received"), "{}", reply.body);
    let incident = app.latest_incident_id().await;
    app.dispatch_now().await;
    let view = app.incident(incident).await;
    assert_eq!(view["status"], "unverified");
    assert_eq!(view["lat"], 34.0617);
    assert_eq!(view["counts"]["targeted"], 0);
    assert!(
        app.twilio.messages().is_empty(),
        "nothing sent before verification"
    );

    let (status, body) = app
        .post(&format!("/incidents/{incident}/verify"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let sent = app
        .twilio
        .wait_for_messages(1, std::time::Duration::from_secs(15))
        .await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, INSIDE_EN);
    let (status, _) = app
        .post(&format!("/incidents/{incident}/verify"), json!({}))
        .await;
    assert_eq!(status, 409, "verifying twice is refused");
    app.stop().await;
}
on_both_backends!(an_untrusted_report_waits_until_a_dispatcher_verifies_it);

async fn an_unlocated_report_is_placed_by_a_dispatcher_then_dispatched(backend: Backend) {
    let app = spawn_app(backend).await;
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", INSIDE_EN, "en", false, LAT, LON, 1000.0)
        .await;
    app.text(TRUSTED, "Eviction happening now at the blue building on Vermont")
        .await;
    let incident = app.latest_incident_id().await;
    let view = app.incident(incident).await;
    assert_eq!(
        (view["status"].as_str(), view["kind"].as_str()),
        (Some("unverified"), Some("eviction"))
    );
    assert!(view["lat"].is_null());

    let (status, body) = app
        .post(
            &format!("/incidents/{incident}/locate"),
            json!({"lat": 95.0, "lon": LON}),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("lat")), "{body}");
    let (status, _) = app
        .post(
            &format!("/incidents/{incident}/locate"),
            json!({"lat": LAT, "lon": LON}),
        )
        .await;
    assert_eq!(status, 200);
    app.post(&format!("/incidents/{incident}/verify"), json!({}))
        .await;
    let sent = app
        .twilio
        .wait_for_messages(1, std::time::Duration::from_secs(15))
        .await;
    assert!(sent[0].body.contains("eviction"), "{}", sent[0].body);
    app.stop().await;
}
on_both_backends!(an_unlocated_report_is_placed_by_a_dispatcher_then_dispatched);

async fn the_verification_policy_decides_what_dispatches_by_itself(backend: Backend) {
    use tocsin::config::AutoVerify;
    for (policy, stranger_dispatches, trusted_dispatches) in
        [(AutoVerify::All, true, true), (AutoVerify::None, false, false)]
    {
        let app = crate::helpers::spawn_app_with(backend, |s| s.dispatch.auto_verify = policy).await;
        app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
            .await;
        app.volunteer("Ann", INSIDE_EN, "en", false, LAT, LON, 1000.0)
            .await;
        app.text(STRANGER, "raid 34.0617, -118.3005").await;
        let stranger = app.latest_incident_id().await;
        app.text(TRUSTED, "raid 34.0617, -118.3005").await;
        let trusted = app.latest_incident_id().await;
        app.dispatch_now().await;
        for (id, expected) in [(stranger, stranger_dispatches), (trusted, trusted_dispatches)] {
            let view = app.incident(id).await;
            let status = if expected { "confirmed" } else { "unverified" };
            assert_eq!(view["status"], status, "{policy:?}: {view}");
            assert_eq!(
                view["counts"]["targeted"],
                if expected { 1 } else { 0 },
                "{policy:?}: {view}"
            );
        }
        app.stop().await;
    }
}
on_both_backends!(the_verification_policy_decides_what_dispatches_by_itself);

async fn merged_incidents_alert_nobody_twice_and_updates_reach_everyone_once(backend: Backend) {
    let app = spawn_app(backend).await;
    app.volunteer("Ann", INSIDE_EN, "en", false, LAT, LON, 1000.0)
        .await;
    app.volunteer("Beto", INSIDE_ES, "es", false, LAT, LON + 0.004, 800.0)
        .await;
    let (_, first) = app
        .post(
            "/reports",
            json!({"text": "raid at the 7-Eleven", "lat": LAT, "lon": LON}),
        )
        .await;
    let alerted = first["incident_id"].as_i64().unwrap();
    let (_, second) = app
        .post(
            "/reports",
            json!({"text": "ICE vans on Vermont", "lat": LAT, "lon": LON + 0.001}),
        )
        .await;
    let duplicate = second["incident_id"].as_i64().unwrap();
    app.post(&format!("/incidents/{alerted}/verify"), json!({})).await;
    app.twilio
        .wait_for_messages(2, std::time::Duration::from_secs(15))
        .await;

    // The alerted one must survive: merging it into the quiet one is refused.
    let (status, body) = app
        .post(&format!("/incidents/{alerted}/merge"), json!({"into": duplicate}))
        .await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = app
        .post(&format!("/incidents/{duplicate}/merge"), json!({"into": alerted}))
        .await;
    assert_eq!(status, 200, "{body}");
    let view = app.incident(alerted).await;
    assert_eq!(view["reports"].as_array().map(|r| r.len()), Some(2), "{view}");
    assert_eq!(app.incident(duplicate).await["status"], "merged");
    let (status, _) = app
        .post(&format!("/incidents/{duplicate}/verify"), json!({}))
        .await;
    assert_eq!(status, 409, "a merged incident is closed");
    app.dispatch_now().await;
    assert_eq!(app.twilio.messages().len(), 2, "nobody alerted twice");

    let (status, body) = app
        .post(&format!("/incidents/{alerted}/update"), json!({"text": ""}))
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("text")), "{body}");
    for text in ["Agents left by 3rd St", "Regroup at the church"] {
        let (status, body) = app
            .post(&format!("/incidents/{alerted}/update"), json!({"text": text}))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let sent = app
        .twilio
        .wait_for_messages(6, std::time::Duration::from_secs(15))
        .await;
    assert_eq!(sent.len(), 6, "two updates to each of the two alerted");
    assert!(app.twilio.messages_to(INSIDE_ES)[1]
        .body
        .contains("novedad: Agents left"));
    app.post(&format!("/incidents/{alerted}/resolve"), json!({}))
        .await;
    app.twilio
        .wait_for_messages(8, std::time::Duration::from_secs(15))
        .await;
    app.dispatch_now().await;
    assert_eq!(app.twilio.messages().len(), 8, "one all-clear each");
    app.stop().await;
}
on_both_backends!(merged_incidents_alert_nobody_twice_and_updates_reach_everyone_once);
