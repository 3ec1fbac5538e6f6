//! Senders' rates: tocsin never exceeds a sender's messages per second (the fake refuses any
//! send over it with 429 / 20429), also with two instances sharing the sender, and it sends
//! from every number of a pool. Counts are asserted, not timings. tocsin is set 5 % under the
//! fake's limit: the fake measures arrival times, which a test suite loading both cores delays
//! by tens of milliseconds; the pacer's own 2 % margin covers an unloaded machine, where the
//! throughput at exactly the limit is to be measured (not asserted).

use std::collections::HashMap;
use std::time::Duration;

use crate::helpers::{eventually, spawn_app_with, Backend, TestApp, HOTLINE, HOTLINE2};
use crate::on_both_backends;

const REPORTER: &str = "+13235550181";

fn phone(i: usize) -> String {
    format!("+1323555{:04}", 4000 + i)
}

async fn crowd(app: &TestApp, n: usize) {
    app.volunteer("Rosa", REPORTER, "en", true, 34.3, -118.3005, 500.0)
        .await;
    for i in 0..n {
        app.volunteer(
            &format!("V{i}"),
            &phone(i),
            "en",
            false,
            34.0617,
            -118.3005,
            2000.0,
        )
        .await;
    }
}

/// Raises the alert and waits until `n` volunteers got it from the fake `sent_by`.
async fn alert_and_wait(app: &TestApp, sent_by: &TestApp, n: usize) {
    let reply = app.text(REPORTER, "ICE at 34.0617, -118.3005").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    // Generous: what is asserted is that nothing was refused, not how fast (a loaded CI
    // machine runs the whole suite on two cores).
    let all = eventually(Duration::from_secs(90), || async {
        sent_by.twilio.messages().len() >= n
    })
    .await;
    assert!(all, "{} of {n} sent", sent_by.twilio.messages().len());
}

async fn a_sender_at_its_limit_is_never_refused(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.twilio.mps = 19.0).await;
    app.twilio.set_max_mps(Some(20));
    crowd(&app, 60).await;
    alert_and_wait(&app, &app, 60).await;
    assert!(app.twilio.rejected().is_empty(), "{:?}", app.twilio.rejected());
    app.stop().await;
}
on_both_backends!(a_sender_at_its_limit_is_never_refused);

/// A fast sender reserves its slots in blocks (PostgreSQL): still never over the rate.
async fn a_fast_sender_reserving_slots_in_blocks_is_never_refused(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.twilio.mps = 380.0).await;
    app.twilio.set_max_mps(Some(400));
    crowd(&app, 600).await;
    alert_and_wait(&app, &app, 600).await;
    assert!(app.twilio.rejected().is_empty(), "{:?}", app.twilio.rejected());
    app.stop().await;
}
on_both_backends!(a_fast_sender_reserving_slots_in_blocks_is_never_refused);

async fn a_pool_sends_from_every_number(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.twilio.from = vec![HOTLINE.into(), HOTLINE2.into()];
        s.twilio.mps = 9.5;
    })
    .await;
    // The fake limits the account, not each number: the pool's total is 2 × 10.
    app.twilio.set_max_mps(Some(20));
    crowd(&app, 60).await;
    alert_and_wait(&app, &app, 60).await;
    assert!(app.twilio.rejected().is_empty(), "{:?}", app.twilio.rejected());
    let mut per_sender: HashMap<String, usize> = HashMap::new();
    for m in app.twilio.messages() {
        *per_sender.entry(m.from.unwrap_or_default()).or_default() += 1;
        assert_eq!(m.validity_period, Some(900), "alerts carry twilio.validity_s");
    }
    for number in [HOTLINE, HOTLINE2] {
        let n = per_sender.get(number).copied().unwrap_or(0);
        assert!((25..=35).contains(&n), "{number} sent {n} of 60: {per_sender:?}");
    }
    app.stop().await;
}
on_both_backends!(a_pool_sends_from_every_number);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_a_senders_rate() {
    // The fake allows 4 requests in flight per account (as Twilio caps concurrency): the two
    // instances' `twilio.concurrency` must add up to no more.
    let a = spawn_app_with(Backend::Postgres, |s| {
        s.twilio.mps = 19.0;
        s.twilio.concurrency = 2;
    })
    .await;
    let shared = a.twilio.base_url();
    let b = a.second_instance(|s| s.twilio.api_base = shared).await;
    a.twilio.set_max_mps(Some(20));
    a.twilio.set_latency(Duration::from_millis(20));
    crowd(&a, 80).await;
    alert_and_wait(&b, &a, 80).await;
    assert!(a.twilio.rejected().is_empty(), "{:?}", a.twilio.rejected());
    // Each instance's sends name its own callback URL.
    let by_b = a
        .twilio
        .messages()
        .iter()
        .filter(|m| {
            m.status_callback
                .as_deref()
                .is_some_and(|u| u.starts_with(&b.base))
        })
        .count();
    assert!(by_b > 0 && by_b < 80, "both instances sent: b sent {by_b} of 80");
    b.stop().await;
    a.stop().await;
}
