//! `send` and `sendReceipt` on the fake signal-cli daemon (PROTOCOLS §6.4): the result shape,
//! per-recipient scripted outcomes, the all-failed error codes with `data.response`, the
//! single-unregistered shape, the rate limiter, timestamps, and what is recorded.

#[path = "signal_common/mod.rs"]
mod signal_common;

use std::time::Duration;

use serde_json::json;
use signal_common::*;
use tocsin_fakes::SignalOutcome;

#[tokio::test]
async fn success_result_shape() {
    let fake = start().await;
    fake.register(ANA, ANA_UUID);
    let before = chrono::Utc::now().timestamp_millis();
    let response = send(&fake, &[ANA], "Redada en 3rd y Vermont. ¿Puedes ir?").await;
    let result = result(&response);
    let timestamp = result["timestamp"].as_i64().expect("integer ms timestamp");
    assert!(timestamp >= before && timestamp <= chrono::Utc::now().timestamp_millis() + 5);
    assert_eq!(
        result,
        &json!({
            "timestamp": timestamp,
            "results": [{
                "recipientAddress": {"uuid": ANA_UUID, "number": ANA, "username": null},
                "type": "SUCCESS"
            }]
        })
    );
    let sent = fake.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].timestamp, timestamp);
    assert_eq!(sent[0].recipients, vec![ANA.to_owned()]);
    assert_eq!(sent[0].message, "Redada en 3rd y Vermont. ¿Puedes ir?");
    assert_eq!(sent[0].results, vec![(ANA.to_owned(), "SUCCESS".to_owned())]);
    let logged = fake.rpc_log();
    assert_eq!(logged[0]["method"], "send");
    assert_eq!(
        logged[0]["params"]["message"],
        "Redada en 3rd y Vermont. ¿Puedes ir?"
    );
}

#[tokio::test]
async fn recipient_forms_and_addresses() {
    let fake = start().await;
    fake.register(ANA, ANA_UUID);
    // A single string, the plural key, and a uuid recipient.
    let single = call(&fake, "send", json!({"recipient": BEN, "message": "a"})).await;
    let plural = call(
        &fake,
        "send",
        json!({"recipients": [BEN, CARMEN], "message": "b"}),
    )
    .await;
    let by_uuid = call(&fake, "send", json!({"recipient": [ANA_UUID], "message": "c"})).await;
    // Unregistered-with-us numbers still get a stable uuid, the same on every call.
    let ben_uuid = &result(&single)["results"][0]["recipientAddress"]["uuid"];
    assert!(ben_uuid.as_str().is_some_and(|u| u.len() == 36));
    assert_eq!(
        &result(&plural)["results"][0]["recipientAddress"]["uuid"],
        ben_uuid
    );
    assert_eq!(
        result(&plural)["results"][1]["recipientAddress"]["number"],
        CARMEN
    );
    assert_eq!(
        result(&by_uuid)["results"][0]["recipientAddress"],
        json!({"uuid": ANA_UUID, "number": ANA, "username": null})
    );
    // sent_to finds a user by number or uuid.
    assert_eq!(fake.sent_to(ANA).len(), 1);
    assert_eq!(fake.sent_to(ANA_UUID).len(), 1);
    assert_eq!(fake.sent_to(BEN).len(), 2);
    // Duplicates are sent once.
    let dup = send(&fake, &[CARMEN, CARMEN], "d").await;
    assert_eq!(result(&dup)["results"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn invalid_sends_are_user_errors() {
    let fake = start().await;
    let empty = send(&fake, &[ANA], "").await;
    assert_eq!(error(&empty)["code"], -1);
    assert!(error(&empty)["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("Sending empty message")));
    let nobody = call(&fake, "send", json!({"message": "x"})).await;
    assert_eq!(
        error(&nobody),
        &json!({"code": -1, "message": "No recipients given", "data": null})
    );
    let local = send(&fake, &["3235550199"], "x").await;
    assert_eq!(error(&local)["code"], -1);
    assert!(error(&local)["message"]
        .as_str()
        .is_some_and(|m| m.contains("'3235550199'")));
    let group = call(&fake, "send", json!({"groupId": "aGVsbG8=", "message": "x"})).await;
    assert_eq!(error(&group)["code"], -1);
    assert!(fake.sent().is_empty());
}

#[tokio::test]
async fn partial_failure_is_a_normal_result() {
    let fake = start().await;
    fake.set_outcome(BEN, SignalOutcome::IdentityFailure);
    fake.set_outcome(CARMEN, SignalOutcome::NetworkFailure);
    let response = send(&fake, &[ANA, BEN, CARMEN], "alert").await;
    let results = result(&response)["results"].as_array().expect("results").clone();
    let types: Vec<_> = results
        .iter()
        .map(|r| r["type"].as_str().unwrap_or("?").to_owned())
        .collect();
    assert_eq!(types, ["SUCCESS", "IDENTITY_FAILURE", "NETWORK_FAILURE"]);
    let sent = fake.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].results[1],
        (BEN.to_owned(), "IDENTITY_FAILURE".to_owned())
    );
    assert_eq!(fake.sent_to(ANA).len(), 1);
    assert!(fake.sent_to(BEN).is_empty());
}

#[tokio::test]
async fn all_failed_errors_carry_the_result() {
    let fake = start().await;
    fake.set_outcome(ANA, SignalOutcome::IdentityFailure);
    fake.set_outcome(BEN, SignalOutcome::IdentityFailure);
    fake.set_outcome(
        CARMEN,
        SignalOutcome::RateLimited {
            retry_after_s: 90,
            token: Some("tok-1".into()),
        },
    );
    let identity = send(&fake, &[ANA, BEN], "x").await;
    assert_eq!(error(&identity)["code"], -4);
    assert_eq!(
        error(&identity)["message"],
        "Failed to send message due to untrusted identities"
    );
    let response = &error(&identity)["data"]["response"];
    assert!(response["timestamp"].is_i64());
    assert_eq!(response["results"][1]["type"], "IDENTITY_FAILURE");

    let rate = send(&fake, &[CARMEN], "x").await;
    assert_eq!(error(&rate)["code"], -5);
    let line = &error(&rate)["data"]["response"]["results"][0];
    assert_eq!(line["type"], "RATE_LIMIT_FAILURE");
    assert_eq!(line["retryAfterSeconds"], 90);
    assert_eq!(line["token"], "tok-1");

    fake.set_outcome(BEN, SignalOutcome::NetworkFailure);
    let mixed = send(&fake, &[ANA, BEN, CARMEN], "x").await;
    assert_eq!(error(&mixed)["code"], -1);
    assert_eq!(error(&mixed)["message"], "Failed to send message");
    assert_eq!(
        error(&mixed)["data"]["response"]["results"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    // Nothing went out, so nothing is recorded as sent (the requests are in the log).
    assert!(fake.sent().is_empty());
    assert_eq!(fake.rpc_log().len(), 3);
}

#[tokio::test]
async fn unregistered_recipients() {
    let fake = start().await;
    fake.set_outcome(BEN, SignalOutcome::Unregistered);
    // Alone: the early "not registered" error, no data.
    let alone = send(&fake, &[BEN], "x").await;
    assert_eq!(
        error(&alone),
        &json!({"code": -1, "message": format!("The user {BEN} is not registered."), "data": null})
    );
    // With others: UNREGISTERED_FAILURE in the results, no uuid for that number.
    let mixed = send(&fake, &[ANA, BEN], "x").await;
    let line = &result(&mixed)["results"][1];
    assert_eq!(line["type"], "UNREGISTERED_FAILURE");
    assert_eq!(
        line["recipientAddress"],
        json!({"uuid": null, "number": BEN, "username": null})
    );
    // All of several unregistered: -1 "Failed to send message" with the response.
    fake.set_outcome(CARMEN, SignalOutcome::Unregistered);
    let all = send(&fake, &[BEN, CARMEN], "x").await;
    assert_eq!(error(&all)["message"], "Failed to send message");
    assert_eq!(
        error(&all)["data"]["response"]["results"][0]["type"],
        "UNREGISTERED_FAILURE"
    );
}

#[tokio::test]
async fn rate_limiter_counts_successful_recipients_per_minute() {
    let mut config = config();
    config.rate_limit_per_minute = Some(3);
    let fake = start_with(config).await;
    let first = send(&fake, &[ANA, BEN], "1").await;
    assert_eq!(result(&first)["results"][1]["type"], "SUCCESS");
    let second = send(&fake, &[CARMEN, ANA], "2").await;
    let lines = &result(&second)["results"];
    assert_eq!(lines[0]["type"], "SUCCESS");
    assert_eq!(lines[1]["type"], "RATE_LIMIT_FAILURE");
    let retry = lines[1]["retryAfterSeconds"].as_u64().expect("retryAfterSeconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(
        lines[1].get("token").is_none(),
        "no captcha token from the plain limiter"
    );
    let third = send(&fake, &[BEN], "3").await;
    assert_eq!(error(&third)["code"], -5);
    assert_eq!(fake.sent().len(), 2);
}

#[tokio::test]
async fn timestamps_are_distinct_and_increasing() {
    let fake = start().await;
    let mut previous = 0;
    for i in 0..20 {
        let response = send(&fake, &[ANA], &format!("m{i}")).await;
        let ts = result(&response)["timestamp"].as_i64().expect("timestamp");
        assert!(ts > previous, "{ts} after {previous}");
        previous = ts;
    }
    // Concurrent calls get distinct timestamps too.
    let calls = (0..10).map(|i| {
        let fake = fake.clone();
        async move { send(&fake, &[BEN], &format!("c{i}")).await }
    });
    let responses = futures_util::future::join_all(calls).await;
    let mut stamps: Vec<i64> = responses
        .iter()
        .map(|r| result(r)["timestamp"].as_i64().expect("timestamp"))
        .collect();
    stamps.sort_unstable();
    stamps.dedup();
    assert_eq!(stamps.len(), 10);
    assert!(stamps[0] > previous);
    assert_eq!(fake.wait_for_sent(30, WAIT).await.len(), 30);
}

#[tokio::test]
async fn send_happens_before_the_latency() {
    let mut config = config();
    config.send_latency = Duration::from_millis(400);
    let fake = start_with(config).await;
    let request = client()
        .post(format!("{}/api/v1/rpc", fake.base_url()))
        .header("Content-Type", "application/json")
        .timeout(Duration::from_millis(50))
        .body(json!({"jsonrpc": "2.0", "method": "send", "params": {"recipient": ANA, "message": "m"}, "id": 1}).to_string())
        .send()
        .await;
    assert!(request.is_err_and(|e| e.is_timeout()));
    // The client gave up, but the daemon had already sent it.
    assert_eq!(fake.wait_for_sent(1, WAIT).await.len(), 1);
    let started = std::time::Instant::now();
    let response = send(&fake, &[BEN], "slow").await;
    assert!(result(&response)["timestamp"].is_i64());
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn send_receipt() {
    let fake = start().await;
    let response = call(
        &fake,
        "sendReceipt",
        json!({"recipient": ANA, "targetTimestamp": [1763850005000_i64], "type": "read"}),
    )
    .await;
    let result = result(&response);
    assert!(result["timestamp"].is_i64());
    assert_eq!(result["results"][0]["type"], "SUCCESS");
    let single = call(
        &fake,
        "sendReceipt",
        json!({"recipient": ANA, "targetTimestamp": 1763850005000_i64}),
    )
    .await;
    assert!(single.get("result").is_some(), "{single}");
    let bad_type = call(
        &fake,
        "sendReceipt",
        json!({"recipient": ANA, "targetTimestamp": [1], "type": "seen"}),
    )
    .await;
    assert_eq!(error(&bad_type)["code"], -1);
    let no_targets = call(&fake, "sendReceipt", json!({"recipient": ANA})).await;
    assert_eq!(error(&no_targets)["code"], -1);
    // Receipts are not messages.
    assert!(fake.sent().is_empty());
}
