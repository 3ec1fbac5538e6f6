//! The fake signal-cli daemon's event stream (PROTOCOLS §6.2, §6.6): byte-exact SSE framing,
//! keep-alives, receipts after a send, inbound messages, and that nothing is queued for
//! clients that are not connected.

#[path = "signal_common/mod.rs"]
mod signal_common;

use std::time::Duration;

use serde_json::json;
use signal_common::*;

#[tokio::test]
async fn stream_headers_and_exact_event_bytes() {
    let fake = start().await;
    fake.register(ANA, ANA_UUID);
    let mut sse = Sse::connect(&fake).await;
    assert_eq!(sse.status, 200);
    assert_eq!(sse.content_type.as_deref(), Some("text/event-stream"));
    assert!(fake.wait_for_subscribers(1, WAIT).await);

    let ts = fake.incoming(ANA, "Sí\nvoy");
    let frame = sse.next_frame(WAIT).await.expect("event frame");
    // Exactly `event:receive\ndata:<one line>\n\n`: no spaces after the colons, no id line.
    let data = frame
        .strip_prefix("event:receive\ndata:")
        .and_then(|f| f.strip_suffix("\n\n"))
        .unwrap_or_else(|| panic!("framing: {frame:?}"));
    assert!(!data.contains('\n'));
    let payload: serde_json::Value = serde_json::from_str(data).expect("JSON");
    let env = &payload["envelope"];
    let received = env["serverReceivedTimestamp"]
        .as_i64()
        .expect("serverReceivedTimestamp");
    let delivered = env["serverDeliveredTimestamp"]
        .as_i64()
        .expect("serverDeliveredTimestamp");
    assert!(received >= ts && delivered >= received);
    // The whole line, keys in signal-cli's order, null scalars present.
    let expected = format!(
        concat!(
            r#"{{"account":"{acct}","envelope":{{"source":"{ana}","sourceNumber":"{ana}","#,
            r#""sourceUuid":"{uuid}","sourceName":null,"sourceDevice":1,"timestamp":{ts},"#,
            r#""serverReceivedTimestamp":{rcv},"serverDeliveredTimestamp":{dlv},"#,
            r#""dataMessage":{{"timestamp":{ts},"message":"Sí\nvoy","expiresInSeconds":0,"viewOnce":false}}}}}}"#
        ),
        acct = ACCOUNT,
        ana = ANA,
        uuid = ANA_UUID,
        ts = ts,
        rcv = received,
        dlv = delivered,
    );
    assert_eq!(data, expected);
}

#[tokio::test]
async fn keepalive_comment_line() {
    let mut config = config();
    config.keepalive = Duration::from_millis(60);
    let fake = start_with(config).await;
    let mut sse = Sse::connect(&fake).await;
    assert_eq!(sse.next_frame(WAIT).await.as_deref(), Some(":\n"));
    assert_eq!(sse.next_frame(WAIT).await.as_deref(), Some(":\n"));
    // Events still interleave correctly with keep-alives.
    fake.incoming(BEN, "HERE");
    let event = sse.next_event(WAIT).await.expect("event");
    assert_eq!(event["envelope"]["dataMessage"]["message"], "HERE");
}

#[tokio::test]
async fn no_keepalive_before_the_interval() {
    let fake = start().await; // 15 s default
    let mut sse = Sse::connect(&fake).await;
    assert_eq!(sse.next_frame(Duration::from_millis(300)).await, None);
}

#[tokio::test]
async fn delivery_then_read_receipt_refer_to_the_send() {
    let mut config = config();
    config.read_receipts = true;
    let fake = start_with(config).await;
    fake.register(ANA, ANA_UUID);
    let mut sse = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(1, WAIT).await);
    let response = send(&fake, &[ANA], "alert").await;
    let ts = result(&response)["timestamp"].as_i64().expect("timestamp");

    let delivery = sse.next_event(WAIT).await.expect("delivery receipt");
    assert_eq!(delivery["account"], ACCOUNT);
    let env = &delivery["envelope"];
    assert_eq!(env["source"], ANA);
    assert_eq!(env["sourceNumber"], ANA);
    assert_eq!(env["sourceUuid"], ANA_UUID);
    assert_eq!(env["sourceName"], json!(null));
    assert_eq!(env["sourceDevice"], 1);
    assert!(env.get("dataMessage").is_none());
    let receipt = &env["receiptMessage"];
    assert_eq!(receipt["isDelivery"], true);
    assert_eq!(receipt["isRead"], false);
    assert_eq!(receipt["isViewed"], false);
    assert_eq!(receipt["timestamps"], json!([ts]));
    assert!(receipt["when"].as_i64().is_some_and(|w| w >= ts));

    let read = sse.next_event(WAIT).await.expect("read receipt");
    assert_eq!(read["envelope"]["receiptMessage"]["isRead"], true);
    assert_eq!(read["envelope"]["receiptMessage"]["isDelivery"], false);
    assert_eq!(read["envelope"]["receiptMessage"]["timestamps"], json!([ts]));
}

#[tokio::test]
async fn receipts_only_for_successful_recipients() {
    let fake = start().await;
    fake.set_outcome(BEN, tocsin_fakes::SignalOutcome::NetworkFailure);
    let mut sse = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(1, WAIT).await);
    let response = send(&fake, &[ANA, BEN], "alert").await;
    let ts = result(&response)["timestamp"].as_i64().expect("timestamp");
    let receipt = sse.next_event(WAIT).await.expect("receipt");
    assert_eq!(receipt["envelope"]["sourceNumber"], ANA);
    assert_eq!(receipt["envelope"]["receiptMessage"]["timestamps"], json!([ts]));
    assert_eq!(sse.next_event(Duration::from_millis(300)).await, None);
}

#[tokio::test]
async fn events_reach_every_client_and_are_lost_without_one() {
    let fake = start().await;
    assert_eq!(fake.subscribers(), 0);
    fake.incoming(ANA, "lost: nobody listening");
    let mut first = Sse::connect(&fake).await;
    let mut second = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(2, WAIT).await);
    let ts = fake.incoming(BEN, "Y");
    for sse in [&mut first, &mut second] {
        let event = sse.next_event(WAIT).await.expect("event");
        assert_eq!(event["envelope"]["dataMessage"]["message"], "Y");
        assert_eq!(event["envelope"]["timestamp"], ts);
        assert_eq!(sse.next_event(Duration::from_millis(100)).await, None);
    }
    // A redelivery keeps the given timestamp (for dedupe tests).
    assert_eq!(fake.incoming_with_timestamp(BEN, "Y", ts), ts);
    let again = first.next_event(WAIT).await.expect("redelivered");
    assert_eq!(again["envelope"]["timestamp"], ts);
    assert_eq!(again["envelope"]["dataMessage"]["timestamp"], ts);
}

#[tokio::test]
async fn raw_payloads_pass_through() {
    let fake = start().await;
    let mut sse = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(1, WAIT).await);
    let broken = json!({
        "account": ACCOUNT,
        "envelope": {"source": ANA, "sourceNumber": ANA, "sourceUuid": null, "sourceName": null,
                     "sourceDevice": 2, "timestamp": 1763850005000_i64,
                     "serverReceivedTimestamp": 1763850005100_i64, "serverDeliveredTimestamp": 1763850005200_i64},
        "exception": {"message": "Invalid PreKey", "type": "ProtocolInvalidKeyException"}
    });
    fake.incoming_raw(broken.clone());
    assert_eq!(sse.next_event(WAIT).await, Some(broken));
}

#[tokio::test]
async fn account_query() {
    let fake = start().await;
    let wrong = Sse::connect_path(&fake, "/api/v1/events?account=%2B19995550000").await;
    assert_eq!(wrong.status, 400);
    let right = Sse::connect_path(&fake, "/api/v1/events?account=%2B12135550100").await;
    assert_eq!(right.status, 200);
    // An unencoded `+` decodes to a space: not our account.
    let plus = Sse::connect_path(&fake, "/api/v1/events?account=+12135550100").await;
    assert_eq!(plus.status, 400);
}
