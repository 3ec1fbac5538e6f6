//! Status callbacks arrive at a real HTTP receiver, signed over the exact StatusCallback URL,
//! with Twilio's parameters, in the scripted order; non-2xx is recorded and not retried.

mod common;

use std::time::Duration;

use common::*;
use tocsin_fakes::{CallbackMode, FakeTwilio, Outcome};

/// Sends one message to `to` with a StatusCallback on `receiver`; returns (sid, callback URL).
async fn send_with_callback(fake: &FakeTwilio, receiver: &Receiver, to: &str) -> (String, String) {
    // A query string must be signed as part of the URL, byte for byte.
    let url = format!("{}/webhooks/twilio/status?tenant=east&x=%27", receiver.base_url);
    let answer = send(
        fake,
        &[
            ("To", to),
            ("From", OUR_NUMBER),
            ("Body", "alert"),
            ("StatusCallback", &url),
        ],
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    (answer.json()["sid"].as_str().expect("sid").to_owned(), url)
}

fn statuses(requests: &[Captured]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r.param("MessageStatus").unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn delivered_sends_signed_sent_then_delivered() {
    let fake = start().await;
    let receiver = Receiver::start(200).await;
    let (sid, url) = send_with_callback(&fake, &receiver, VOLUNTEER).await;

    let requests = receiver.wait_for(2).await;
    assert_eq!(statuses(&requests), ["sent", "delivered"]);
    for request in &requests {
        assert!(request.signature_valid(&url), "signed over the exact URL");
        assert_eq!(
            request.path_and_query,
            "/webhooks/twilio/status?tenant=east&x=%27"
        );
        assert_eq!(
            request.header("content-type").as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        let names: Vec<String> = request.params().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            [
                "SmsSid",
                "SmsStatus",
                "MessageStatus",
                "To",
                "MessageSid",
                "AccountSid",
                "From",
                "ApiVersion"
            ]
        );
        assert_eq!(request.param("MessageSid").as_deref(), Some(sid.as_str()));
        assert_eq!(request.param("SmsSid").as_deref(), Some(sid.as_str()));
        assert_eq!(request.param("SmsStatus"), request.param("MessageStatus"));
        assert_eq!(request.param("AccountSid").as_deref(), Some(ACCOUNT_SID));
        assert_eq!(request.param("From").as_deref(), Some(OUR_NUMBER));
        assert_eq!(request.param("To").as_deref(), Some(VOLUNTEER));
        assert_eq!(request.param("ApiVersion").as_deref(), Some("2010-04-01"));
    }

    let records = fake.wait_for_callbacks(2, WAIT).await;
    assert_eq!(records.len(), 2);
    assert!(records
        .iter()
        .all(|r| r.url == url && r.response_status == Some(200)));
    assert_eq!(fake.messages()[0].status, "delivered");
    let fetched = get(&format!(
        "{}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        fake.base_url()
    ))
    .await;
    assert_eq!(fetched.json()["status"], "delivered");
    assert!(fetched.json()["date_sent"].is_string());
}

#[tokio::test]
async fn undelivered_and_failed_carry_error_code() {
    let fake = start().await;
    let receiver = Receiver::start(200).await;
    fake.set_outcome("+13235550111", Outcome::Undelivered(30003));
    let (undelivered_sid, url) = send_with_callback(&fake, &receiver, "+13235550111").await;
    let requests = receiver.wait_for(2).await;
    assert_eq!(statuses(&requests), ["sent", "undelivered"]);
    assert_eq!(requests[0].param("ErrorCode"), None, "no ErrorCode on sent");
    assert_eq!(requests[1].param("ErrorCode").as_deref(), Some("30003"));
    assert!(requests.iter().all(|r| r.signature_valid(&url)));

    fake.set_outcome("+13235550112", Outcome::Failed(30008));
    let (failed_sid, _) = send_with_callback(&fake, &receiver, "+13235550112").await;
    let requests = receiver.wait_for(3).await;
    assert_eq!(statuses(&requests[2..]), ["failed"]);
    assert_eq!(requests[2].param("ErrorCode").as_deref(), Some("30008"));

    let fetch = |sid: String| {
        format!(
            "{}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
            fake.base_url()
        )
    };
    let undelivered = get(&fetch(undelivered_sid)).await.json();
    assert_eq!(
        (undelivered["status"].as_str(), undelivered["error_code"].as_u64()),
        (Some("undelivered"), Some(30003))
    );
    let failed = get(&fetch(failed_sid)).await.json();
    assert_eq!(
        (failed["status"].as_str(), failed["error_code"].as_u64()),
        (Some("failed"), Some(30008))
    );
    assert!(failed["date_sent"].is_null(), "a failed message was never sent");
}

#[tokio::test]
async fn no_receipt_stops_at_sent() {
    let fake = start().await;
    let receiver = Receiver::start(200).await;
    fake.set_outcome(VOLUNTEER, Outcome::NoReceipt);
    let (sid, _) = send_with_callback(&fake, &receiver, VOLUNTEER).await;
    receiver.wait_for(1).await;
    // A later message, delivered: statuses come one `callback_delay` apart, so a further status
    // of the first would be posted before the later one's first.
    let (later, _) = send_with_callback(&fake, &receiver, "+13235550111").await;
    let requests = receiver.wait_for(3).await;
    let of = |sid: &str| -> Vec<Captured> {
        let sid = Some(sid.to_owned());
        requests
            .iter()
            .filter(|r| r.param("MessageSid") == sid)
            .cloned()
            .collect()
    };
    assert_eq!(statuses(&of(&sid)), ["sent"]);
    assert_eq!(statuses(&of(&later)), ["sent", "delivered"]);
    assert_eq!(fake.messages()[0].status, "sent");
}

#[tokio::test]
async fn status_progresses_without_callback_url() {
    let fake = start().await;
    send(&fake, &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", "x")]).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while fake.messages()[0].status != "delivered" && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(fake.messages()[0].status, "delivered");
    assert!(fake.callbacks().is_empty());
}

#[tokio::test]
async fn errors_from_tocsin_are_recorded_not_retried() {
    let fake = start().await;
    let failing = Receiver::start(500).await;
    send_with_callback(&fake, &failing, VOLUNTEER).await;
    let records = fake.wait_for_callbacks(2, WAIT).await;
    assert_eq!(
        records.iter().map(|r| r.response_status).collect::<Vec<_>>(),
        [Some(500), Some(500)]
    );

    // Nobody listening: a connection error is recorded as `None`.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let dead_url = format!("http://{}/status", closed.local_addr().expect("addr"));
    drop(closed);
    let form = [
        ("To", VOLUNTEER),
        ("From", OUR_NUMBER),
        ("Body", "x"),
        ("StatusCallback", dead_url.as_str()),
    ];
    send(&fake, &form).await;
    let records = fake.wait_for_callbacks(4, WAIT).await;
    assert_eq!(records[2].response_status, None);
    // The later message's statuses were posted after the first's: a retry would have come first.
    assert_eq!(
        records.iter().map(|r| r.response_status).collect::<Vec<_>>(),
        [Some(500), Some(500), None, None]
    );
    assert_eq!(failing.requests().len(), 2, "one post per status, no retries");
}

#[tokio::test]
async fn messaging_service_callbacks_name_service_and_sender() {
    let fake = start().await;
    let receiver = Receiver::start(200).await;
    let url = format!("{}/status", receiver.base_url);
    let form = [
        ("To", VOLUNTEER),
        ("MessagingServiceSid", SERVICE_SID),
        ("Body", "x"),
        ("StatusCallback", &url),
    ];
    assert_eq!(send(&fake, &form).await.status, 201);
    let requests = receiver.wait_for(2).await;
    assert_eq!(statuses(&requests), ["sent", "delivered"]);
    for request in &requests {
        assert!(request.signature_valid(&url));
        assert_eq!(request.param("MessagingServiceSid").as_deref(), Some(SERVICE_SID));
        assert_eq!(
            request.param("From").as_deref(),
            Some(OUR_NUMBER),
            "the pool picked our number"
        );
    }
}

#[tokio::test]
async fn reordered_and_duplicated_modes() {
    let fake = start().await;
    let receiver = Receiver::start(200).await;
    fake.set_callback_mode(CallbackMode::Reversed);
    send_with_callback(&fake, &receiver, VOLUNTEER).await;
    assert_eq!(statuses(&receiver.wait_for(2).await), ["delivered", "sent"]);
    assert_eq!(fake.messages()[0].status, "delivered", "status never regresses");

    fake.set_callback_mode(CallbackMode::Duplicated);
    send_with_callback(&fake, &receiver, "+13235550111").await;
    let requests = receiver.wait_for(6).await;
    assert_eq!(
        statuses(&requests[2..]),
        ["sent", "sent", "delivered", "delivered"]
    );
}
