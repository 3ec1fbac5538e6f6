//! Crash safety through the real binary: `kill -9` in the middle of a fan-out, a restart on
//! the same database and key, and the fan-out completes. Every targeted volunteer gets the
//! alert; the only duplicates are sends that were in flight at the kill, at most
//! `twilio.concurrency` of them (README, promises).

use std::collections::HashMap;
use std::time::Duration;

use serde_json::json;
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig, Signing};

use crate::binary::{start_with, Server};
use crate::helpers::{eventually, ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, HOTLINE};

const CROWD: usize = 200;
const CONCURRENCY: usize = 4;
const REPORTER: &str = "+13235550181";

fn volunteer_phone(i: usize) -> String {
    format!("+1323555{:04}", 2000 + i)
}

/// Short timeouts so that the leases of the killed process's sends run out within seconds.
const SETTINGS: &[(&str, &str)] = &[
    ("TOCSIN_TWILIO__CONCURRENCY", "4"),
    ("TOCSIN_TWILIO__TIMEOUT_S", "1"),
    ("TOCSIN_SIGNAL__TIMEOUT_S", "1"),
    ("TOCSIN_TWILIO__MPS", "1000"),
    ("TOCSIN_LOG", "info"),
];

async fn add(http: &reqwest::Client, server: &Server, name: &str, phone: &str, trusted: bool, lat: f64) {
    let resp = http
        .post(format!("{}/api/v1/volunteers", server.base))
        .bearer_auth(API_TOKEN)
        .json(
            &json!({"name": name, "phone": phone, "language": "en", "trusted": trusted,
                      "area": {"type": "circle", "lat": lat, "lon": -118.3005, "radius_m": 2000}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap_or_default());
}

/// Deliveries by status, read from the database file (WAL: readers do not block the server).
async fn statuses(dir: &std::path::Path) -> HashMap<String, i64> {
    use sqlx::{Connection, Row};
    let url = format!("sqlite://{}/tocsin.db?mode=ro", dir.display());
    let Ok(mut conn) = sqlx::SqliteConnection::connect(&url).await else {
        return HashMap::new();
    };
    let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status")
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
    rows.iter()
        .map(|r| (r.get::<String, _>("status"), r.get::<i64, _>("n")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_killed_halfway_completes_after_a_restart_with_duplicates_only_from_sends_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]);
    config.max_concurrent = CONCURRENCY;
    let twilio = FakeTwilio::start(config).await.unwrap();
    // Each send takes a while: at the kill, sends are in flight (taken by the fake, unanswered).
    twilio.set_latency(Duration::from_millis(40));
    let http = reqwest::Client::new();
    let mut server = start_with(dir.path(), Some(&twilio), SETTINGS).await;

    add(&http, &server, "Rosa", REPORTER, true, 34.3).await;
    for i in 0..CROWD {
        add(
            &http,
            &server,
            &format!("V{i}"),
            &volunteer_phone(i),
            false,
            34.0617,
        )
        .await;
    }
    let sms_url = format!("{}/webhooks/twilio/sms", server.base);
    let reply = twilio
        .send_inbound_sms(
            &sms_url,
            REPORTER,
            HOTLINE,
            "ICE at 34.0617, -118.3005",
            Signing::Valid,
        )
        .await
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);

    let before = twilio
        .wait_for_messages(CROWD / 4, Duration::from_secs(20))
        .await
        .len();
    assert!(before >= CROWD / 4, "the fan-out started");
    server.child.kill().unwrap(); // SIGKILL: no shutdown, no last writes
    server.child.wait().unwrap();
    let at_kill = twilio.messages().len();
    assert!(
        at_kill < CROWD,
        "killed halfway, not after the end ({at_kill} sent)"
    );

    let _server = start_with(dir.path(), Some(&twilio), SETTINGS).await;
    // Done when no delivery is left queued: the ones the killed process left claimed are sent
    // again once their lease runs out. (Receipts for sends just before the kill were posted to
    // the dead process: those deliveries stay `submitted`.)
    let done = eventually(Duration::from_secs(40), || async {
        let s = statuses(dir.path()).await;
        s.values().sum::<i64>() == CROWD as i64 && !s.contains_key("queued")
    })
    .await;
    let last = statuses(dir.path()).await;
    assert!(done, "the fan-out completed after the restart: {last:?}");
    assert_eq!(last.get("failed"), None, "{last:?}");

    let mut per_volunteer: HashMap<String, usize> = HashMap::new();
    for m in twilio.messages() {
        *per_volunteer.entry(m.to).or_default() += 1;
    }
    assert_eq!(
        per_volunteer.get(REPORTER),
        None,
        "the reporter is outside the area"
    );
    for i in 0..CROWD {
        assert!(
            per_volunteer.get(&volunteer_phone(i)).is_some_and(|n| *n >= 1),
            "volunteer {i} got the alert"
        );
    }
    let duplicates: usize = per_volunteer.values().map(|n| n - 1).sum();
    eprintln!("killed after {at_kill} sends; {duplicates} duplicates");
    assert!(
        duplicates <= CONCURRENCY,
        "{duplicates} duplicates: more than the {CONCURRENCY} sends that can be in flight"
    );
    assert!(twilio.rejected().is_empty(), "{:?}", twilio.rejected());
}
