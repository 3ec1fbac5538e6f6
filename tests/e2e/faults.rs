//! Twilio misbehaving, through the real server and the fake: bursts of 5xx, 429s from a sender
//! pushed past its rate, answers slower than the timeout, an outage longer than an alert lives.
//! No alert is lost, and none is sent twice beyond the sends in flight at a timeout.

use std::collections::HashMap;
use std::time::Duration;

use crate::helpers::{eventually, spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

const TRUSTED: &str = "+13235550301";
const WAIT: Duration = Duration::from_secs(20);

fn resident(i: usize) -> String {
    format!("+1323555{:04}", 3100 + i)
}

/// `n` residents around the point and a trusted reporter elsewhere; the reporter's sighting
/// alerts them at once. Returns the incident.
async fn alert_residents(app: &TestApp, n: usize) -> i64 {
    app.volunteer("Rosa", TRUSTED, "en", true, 34.3, -118.3, 500.0)
        .await;
    for i in 0..n {
        app.volunteer("R", &resident(i), "en", false, 34.0617, -118.3005, 1500.0)
            .await;
    }
    app.text(TRUSTED, "ICE raid at 34.0617, -118.3005").await;
    app.latest_incident_id().await
}

fn sends_per_resident(app: &TestApp) -> HashMap<String, usize> {
    let mut per = HashMap::new();
    for m in app.twilio.messages() {
        *per.entry(m.to).or_insert(0) += 1;
    }
    per
}

async fn a_burst_of_server_errors_is_retried_until_everyone_has_the_alert(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    // The first five requests (every first try and some second ones) answer 503.
    app.twilio.fail_next(5, 503);
    let id = alert_residents(&app, 4).await;
    let view = app
        .wait_incident(id, "4 handed over", |v| {
            v["counts"]["queued"] == 0 && v["counts"]["targeted"] == 4
        })
        .await;
    assert_eq!(view["counts"]["failed"], 0, "{view}");
    let per = sends_per_resident(&app);
    assert_eq!(per.len(), 4, "{per:?}");
    assert!(
        per.values().all(|n| *n == 1),
        "a refused request created nothing to repeat: {per:?}"
    );
    app.stop().await;
}
on_both_backends!(a_burst_of_server_errors_is_retried_until_everyone_has_the_alert);

async fn a_sender_answering_429_is_retried_and_nothing_is_lost_or_doubled(backend: Backend) {
    // tocsin is told the sender takes 1000/s; the provider actually takes 2/s and says 429.
    let app = spawn_app_with(backend, |_| {}).await;
    app.twilio.set_max_mps(Some(2));
    let id = alert_residents(&app, 8).await;
    let view = app
        .wait_incident(id, "8 handed over", |v| {
            v["counts"]["queued"] == 0 && v["counts"]["targeted"] == 8
        })
        .await;
    assert_eq!(view["counts"]["failed"], 0, "{view}");
    let per = sends_per_resident(&app);
    assert_eq!(per.len(), 8, "{per:?}");
    assert!(per.values().all(|n| *n == 1), "{per:?}");
    app.stop().await;
}
on_both_backends!(a_sender_answering_429_is_retried_and_nothing_is_lost_or_doubled);

/// Sends tocsin gave up waiting for (and will try again).
async fn timed_out(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM delivery_attempts WHERE outcome = 'retry' AND detail LIKE '%timeout%'",
    )
    .fetch_one(app.core().store.pool())
    .await
    .expect("attempts")
}

async fn sends_that_time_out_are_retried_with_duplicates_only_from_those_in_flight(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.twilio.timeout_s = 1;
        s.twilio.concurrency = 2;
    })
    .await;
    // Twilio answers after 1.5 s for a while: tocsin gives up on those sends (which Twilio may
    // still have taken) and tries again once it is fast again.
    app.twilio.set_latency(Duration::from_millis(1500));
    let id = alert_residents(&app, 5).await;
    let slow = eventually(WAIT, || async { timed_out(&app).await >= 1 }).await;
    assert!(slow, "the latency made sends time out");
    app.twilio.set_latency(Duration::ZERO);
    app.wait_incident(id, "5 handed over", |v| {
        v["counts"]["queued"] == 0 && v["counts"]["targeted"] == 5
    })
    .await;
    let everyone = eventually(WAIT, || async { sends_per_resident(&app).len() == 5 }).await;
    assert!(everyone, "{:?}", sends_per_resident(&app));
    // Twilio may have taken a send whose answer came too late: each timed-out send can be one
    // duplicate, and nothing else can (the bound the README states).
    let timed_out = timed_out(&app).await;
    let extra: usize = sends_per_resident(&app).values().map(|n| n - 1).sum();
    assert!(
        extra as i64 <= timed_out,
        "{timed_out} timed out; sends per resident {:?}",
        sends_per_resident(&app)
    );
    app.stop().await;
}
on_both_backends!(sends_that_time_out_are_retried_with_duplicates_only_from_those_in_flight);

async fn an_outage_longer_than_an_alert_lives_gives_it_up_as_stale(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.dispatch.alert_ttl_s = 2).await;
    app.twilio.fail_next(1000, 500);
    let id = alert_residents(&app, 2).await;
    let view = app
        .wait_incident(id, "both given up", |v| v["counts"]["failed"] == 2)
        .await;
    assert_eq!(view["counts"]["queued"], 0, "{view}");
    assert!(app.twilio.messages().is_empty(), "a stale alert is not sent late");
    app.stop().await;
}
on_both_backends!(an_outage_longer_than_an_alert_lives_gives_it_up_as_stale);
