//! Several instances on one PostgreSQL database: they share a fan-out and never send a
//! delivery twice; a volunteer added through one is in the other's geofence index within a
//! second (LISTEN/NOTIFY), and alerted by a report that the other dispatches.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::helpers::{eventually, spawn_app_with, Backend, TestApp};

const CROWD: usize = 300;
const REPORTER: &str = "+13235550181";

fn phone(i: usize) -> String {
    format!("+1323555{:04}", 3000 + i)
}

async fn pair() -> (TestApp, TestApp) {
    let a = spawn_app_with(Backend::Postgres, |_| {}).await;
    let b = a.second_instance(|_| {}).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_a_fan_out_and_send_nothing_twice() {
    let (a, b) = pair().await;
    for app in [&a, &b] {
        app.twilio.set_latency(Duration::from_millis(20));
    }
    a.volunteer("Rosa", REPORTER, "en", true, 34.3, -118.3005, 500.0)
        .await;
    for i in 0..CROWD {
        a.volunteer(
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
    let reply = b.text(REPORTER, "ICE at 34.0617, -118.3005").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = b.latest_incident_id().await;
    let done = eventually(Duration::from_secs(30), || async {
        a.incident(id).await["counts"]["delivered"] == CROWD
    })
    .await;
    assert!(done, "every delivery went out: {}", a.incident(id).await);

    let (by_a, by_b) = (a.twilio.messages(), b.twilio.messages());
    let mut per_volunteer: HashMap<String, usize> = HashMap::new();
    for m in by_a.iter().chain(&by_b) {
        *per_volunteer.entry(m.to.clone()).or_default() += 1;
    }
    assert_eq!(per_volunteer.len(), CROWD, "everyone in the area, no one else");
    let twice: Vec<_> = per_volunteer.values().filter(|n| **n > 1).collect();
    assert!(twice.is_empty(), "{} volunteers got the alert twice", twice.len());
    assert!(
        !by_a.is_empty() && !by_b.is_empty(),
        "both instances sent part of it: {} and {}",
        by_a.len(),
        by_b.len()
    );
    b.stop().await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_added_through_one_instance_is_alerted_by_the_other_within_a_second() {
    let (a, b) = pair().await;
    a.volunteer("Rosa", REPORTER, "en", true, 34.3, -118.3005, 500.0)
        .await;
    assert!(
        eventually(Duration::from_secs(3), || async {
            b.core().alertable_volunteers() == 1
        })
        .await,
        "b knows the reporter"
    );
    let added = Instant::now();
    a.volunteer("Ann", &phone(0), "en", false, 34.0617, -118.3005, 2000.0)
        .await;
    let seen = eventually(Duration::from_secs(1), || async {
        b.core().alertable_volunteers() == 2
    })
    .await;
    assert!(seen, "b's index saw a's new volunteer within a second");
    let took = added.elapsed();

    let reply = b.text(REPORTER, "ICE at 34.0617, -118.3005").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let to_ann = |app: &TestApp| app.twilio.messages_to(&phone(0)).len();
    let alerted = eventually(Duration::from_secs(10), || async { to_ann(&a) + to_ann(&b) == 1 }).await;
    assert!(
        alerted,
        "Ann got the alert dispatched by b (index fresh after {took:?})"
    );
    b.stop().await;
    a.stop().await;
}
