//! The same raid reported twice alerts nobody twice; a flood of reports from one number alerts
//! nobody and loses nothing; a blocked sender's reports are kept and never acted on.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, Backend};
use crate::on_both_backends;

const TRUSTED: &str = "+13235550101";
const SECOND: &str = "+13235550107";
const ANN: &str = "+13235550102";
const FLOODER: &str = "+13235550166";
const WAIT: std::time::Duration = std::time::Duration::from_secs(15);

async fn a_second_report_nearby_joins_the_incident_and_alerts_nobody_new(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.dispatch.merge_m = 300.0).await;
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Sam", SECOND, "en", true, 34.3, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", ANN, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    app.text(TRUSTED, "ICE raid 34.0617, -118.3005").await;
    assert_eq!(app.twilio.wait_for_messages(1, WAIT).await.len(), 1);
    // About 100 m away, a little later, by someone else: the same raid.
    app.text(SECOND, "ICE agents 34.0625, -118.3010").await;
    // Another kind at the same place is another incident (but Ann is alerted for it).
    app.text(SECOND, "eviction happening 34.0617, -118.3005").await;
    app.dispatch_now().await;
    let (_, list) = app.get("/incidents").await;
    let incidents = list["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 2, "{list}");
    let raid = incidents.iter().find(|i| i["kind"] == "raid").unwrap();
    assert_eq!(raid["reporters"], 2, "{raid}");
    let view = app.incident(raid["id"].as_i64().unwrap()).await;
    assert_eq!(view["reports"].as_array().map(Vec::len), Some(2));
    assert!(crate::helpers::eventually(WAIT, || async { app.twilio.messages_to(ANN).len() == 2 }).await);
    let to_ann = app.twilio.messages_to(ANN);
    assert_eq!(
        to_ann.iter().filter(|m| m.body.contains("raid")).count(),
        1,
        "nobody alerted twice for one raid"
    );
    app.stop().await;
}
on_both_backends!(a_second_report_nearby_joins_the_incident_and_alerts_nobody_new);

async fn a_flood_from_one_number_alerts_nobody_and_loses_no_report(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.intake.max_reports_per_number_per_hour = 10).await;
    app.volunteer("Ann", ANN, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    for n in 0..200 {
        let reply = app
            .text(FLOODER, &format!("ICE raid {n} at 34.0617, -118.3005"))
            .await;
        assert_eq!(reply.status, 200);
        // Answered within the limit; beyond it, silence: a flood (or a forged From) must not
        // make the hotline send a flood of paid replies.
        assert_eq!(
            reply.body.contains("Received"),
            n < 10,
            "report {n}: {}",
            reply.body
        );
    }
    app.dispatch_now().await;
    let (_, reports) = app.get("/reports").await;
    let reports = reports["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 200, "every report is stored");
    let held = reports.iter().filter(|r| r["flagged"] == "rate_limited").count();
    assert_eq!(held, 190, "beyond 10 an hour, reports are held");
    assert!(reports
        .iter()
        .filter(|r| r["flagged"] == "rate_limited")
        .all(|r| r["incident_id"].is_null()));
    let (_, incidents) = app.get("/incidents").await;
    assert!(incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["status"] == "unverified"));
    assert!(app.twilio.messages().is_empty(), "no alert");
    app.stop().await;
}
on_both_backends!(a_flood_from_one_number_alerts_nobody_and_loses_no_report);

async fn a_blocked_senders_reports_are_kept_and_never_acted_on(backend: Backend) {
    let app = spawn_app(backend).await;
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", ANN, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    app.text(TRUSTED, "fake raid 34.0617, -118.3005").await;
    let (_, reports) = app.get("/reports").await;
    let report_id = reports["reports"][0]["id"].as_i64().unwrap();
    let (status, body) = app
        .post("/blocklist", json!({"report_id": report_id, "reason": "hoaxes"}))
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.post("/blocklist", json!({"report": 1})).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("report_id")));
    let before = app.twilio.wait_for_messages(1, WAIT).await.len();
    app.text(TRUSTED, "another fake raid 34.0700, -118.3100").await;
    app.dispatch_now().await;
    let (_, reports) = app.get("/reports").await;
    let latest: &Value = &reports["reports"][0];
    assert_eq!(
        (latest["flagged"].as_str(), latest["incident_id"].is_null()),
        (Some("blocked"), true),
        "{latest}"
    );
    assert_eq!(
        app.twilio.messages().len(),
        before,
        "a blocked trusted number alerts nobody"
    );
    let (_, blocked) = app.get("/blocklist").await;
    let id = blocked["blocked"][0]["id"].as_i64().unwrap();
    assert!(
        blocked.to_string().find("3235550101").is_none(),
        "the list shows no numbers"
    );
    let (status, _) = app
        .api(reqwest::Method::DELETE, &format!("/blocklist/{id}"), None)
        .await;
    assert_eq!(status, 204);
    app.stop().await;
}
on_both_backends!(a_blocked_senders_reports_are_kept_and_never_acted_on);
