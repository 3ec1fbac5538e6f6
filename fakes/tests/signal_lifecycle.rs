//! "Daemon down" and restarts of the fake signal-cli daemon (PROTOCOLS §8.2): connection
//! refused while down, the same port serving again after `come_back`, streams ended by
//! `drop_streams`, and the subscriber count following clients.

#[path = "signal_common/mod.rs"]
mod signal_common;

use std::time::Duration;

use serde_json::json;
use signal_common::*;

fn addr(fake: &tocsin_fakes::FakeSignal) -> String {
    fake.base_url().trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn go_down_refuses_and_come_back_serves_on_the_same_port() {
    let fake = start().await;
    let url = fake.base_url();
    let client = client(); // one pooled client: its kept-alive connection must not survive
    let check = |client: reqwest::Client| {
        let url = url.clone();
        async move { client.get(format!("{url}/api/v1/check")).send().await }
    };
    assert_eq!(check(client.clone()).await.expect("up").status(), 200);
    let mut sse = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(1, WAIT).await);

    fake.go_down();
    assert_eq!(fake.subscribers(), 0);
    // Refused at the TCP level, immediately.
    let refused = tokio::net::TcpStream::connect(addr(&fake)).await;
    assert_eq!(
        refused.map(|_| ()).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::ConnectionRefused)
    );
    let failed = check(client.clone()).await;
    assert!(failed.is_err(), "request while down: {failed:?}");
    assert!(sse.ends_within(WAIT).await, "the event stream is cut");
    let send_while_down = client
        .post(format!("{}/api/v1/rpc", fake.base_url()))
        .header("Content-Type", "application/json")
        .body(json!({"jsonrpc": "2.0", "method": "send", "params": {"recipient": ANA, "message": "x"}, "id": 1}).to_string())
        .send()
        .await;
    assert!(send_while_down.is_err_and(|e| e.is_connect()));
    assert!(fake.sent().is_empty());

    fake.come_back().await.expect("listens again");
    assert_eq!(fake.base_url(), url);
    assert_eq!(check(client.clone()).await.expect("up again").status(), 200);
    let response = send(&fake, &[ANA], "after restart").await;
    assert!(result(&response)["timestamp"].is_i64());
    let mut again = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(1, WAIT).await);
    fake.incoming(BEN, "Y");
    assert!(again.next_event(WAIT).await.is_some());
    // come_back while up is a no-op; a second outage works the same way.
    fake.come_back().await.expect("no-op");
    fake.go_down();
    assert!(tokio::net::TcpStream::connect(addr(&fake)).await.is_err());
    fake.come_back().await.expect("listens again");
    assert!(tokio::net::TcpStream::connect(addr(&fake)).await.is_ok());
}

#[tokio::test]
async fn events_while_down_are_lost() {
    let fake = start().await;
    fake.go_down();
    fake.incoming(ANA, "lost while down");
    fake.come_back().await.expect("up");
    let mut sse = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(1, WAIT).await);
    fake.incoming(ANA, "kept");
    let event = sse.next_event(WAIT).await.expect("event");
    assert_eq!(event["envelope"]["dataMessage"]["message"], "kept");
}

#[tokio::test]
async fn drop_streams_ends_streams_but_keeps_listening() {
    let fake = start().await;
    let mut first = Sse::connect(&fake).await;
    let mut second = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(2, WAIT).await);
    fake.incoming(ANA, "before");
    fake.drop_streams();
    assert_eq!(fake.subscribers(), 0);
    // Events queued before the drop are still delivered, then the stream ends cleanly.
    assert!(first.next_event(WAIT).await.is_some());
    assert!(first.ends_within(WAIT).await);
    assert!(second.ends_within(WAIT).await);
    fake.incoming(ANA, "lost between streams");
    let mut reconnected = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(1, WAIT).await);
    fake.incoming(ANA, "after");
    let event = reconnected.next_event(WAIT).await.expect("event");
    assert_eq!(event["envelope"]["dataMessage"]["message"], "after");
    // The RPC side was never down.
    assert!(result(&call(&fake, "version", json!({})).await)["version"].is_string());
}

#[tokio::test]
async fn subscriber_count_follows_disconnects() {
    let fake = start().await;
    let sse = Sse::connect(&fake).await;
    assert!(fake.wait_for_subscribers(1, WAIT).await);
    drop(sse);
    let deadline = tokio::time::Instant::now() + WAIT;
    while fake.subscribers() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(fake.subscribers(), 0, "a closed client is noticed");
}

#[tokio::test]
async fn dropping_the_last_handle_stops_the_server() {
    let fake = start().await;
    let address = addr(&fake);
    let clone = fake.clone();
    drop(fake);
    assert!(
        tokio::net::TcpStream::connect(&address).await.is_ok(),
        "a clone keeps it up"
    );
    drop(clone);
    assert!(tokio::net::TcpStream::connect(&address).await.is_err());
}
