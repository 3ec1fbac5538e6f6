//! Helpers for the fake signal-cli tests: a started fake, raw JSON-RPC posts, and a small
//! SSE reader over reqwest's chunks that hands back frames byte-for-byte (so framing can be
//! asserted exactly, not through a lenient parser).
#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use serde_json::{json, Value};
use tocsin_fakes::{FakeSignal, FakeSignalConfig};

pub const ACCOUNT: &str = "+12135550100";
pub const ANA: &str = "+13235550199";
pub const ANA_UUID: &str = "0f6a3b52-1c1e-4c2a-9d59-7a0cbb2b8e11";
pub const BEN: &str = "+13235550142";
pub const CARMEN: &str = "+13235550177";
pub const WAIT: Duration = Duration::from_secs(5);

pub fn config() -> FakeSignalConfig {
    let mut config = FakeSignalConfig::new(ACCOUNT);
    config.send_latency = Duration::from_millis(1);
    config.receipt_delay = Duration::from_millis(20);
    config
}

pub async fn start() -> FakeSignal {
    start_with(config()).await
}

pub async fn start_with(config: FakeSignalConfig) -> FakeSignal {
    FakeSignal::start(config).await.expect("fake signal-cli starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("client")
}

/// An answer from the fake: status, content type, raw body text.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("JSON body ({e}): {:?}", self.text))
    }

    pub async fn from(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| v.to_str().expect("ascii").to_owned());
        let text = response.text().await.expect("body");
        Answer {
            status,
            content_type,
            text,
        }
    }
}

/// POSTs `body` to /api/v1/rpc as `application/json`.
pub async fn post_raw(fake: &FakeSignal, body: &str) -> Answer {
    let response = client()
        .post(format!("{}/api/v1/rpc", fake.base_url()))
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("request");
    Answer::from(response).await
}

pub async fn post(fake: &FakeSignal, body: &Value) -> Answer {
    post_raw(fake, &body.to_string()).await
}

/// A JSON-RPC call with id "t-1"; returns the whole response object (asserting HTTP 200).
pub async fn call(fake: &FakeSignal, method: &str, params: Value) -> Value {
    let answer = post(
        fake,
        &json!({"jsonrpc": "2.0", "method": method, "params": params, "id": "t-1"}),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    let response = answer.json();
    assert_eq!(response["jsonrpc"], "2.0");
    assert_eq!(response["id"], "t-1");
    response
}

pub async fn send(fake: &FakeSignal, recipients: &[&str], message: &str) -> Value {
    call(fake, "send", json!({"recipient": recipients, "message": message})).await
}

/// `result` of a successful call (panics on an error response).
pub fn result(response: &Value) -> &Value {
    assert!(response.get("error").is_none(), "unexpected error: {response}");
    &response["result"]
}

/// `error` of a failed call (panics on a success response).
pub fn error(response: &Value) -> &Value {
    assert!(response.get("result").is_none(), "unexpected result: {response}");
    &response["error"]
}

/// An open `GET /api/v1/events` stream, read frame by frame.
pub struct Sse {
    pub status: u16,
    pub content_type: Option<String>,
    response: reqwest::Response,
    buffer: Vec<u8>,
    ended: bool,
}

impl Sse {
    pub async fn connect(fake: &FakeSignal) -> Sse {
        Self::connect_path(fake, "/api/v1/events").await
    }

    pub async fn connect_path(fake: &FakeSignal, path: &str) -> Sse {
        let response = client()
            .get(format!("{}{path}", fake.base_url()))
            .send()
            .await
            .expect("events request");
        Sse {
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .map(|v| v.to_str().expect("ascii").to_owned()),
            response,
            buffer: Vec::new(),
            ended: false,
        }
    }

    /// Reads one more chunk into the buffer; false at end of stream or on timeout.
    async fn fill(&mut self, deadline: tokio::time::Instant) -> bool {
        if self.ended {
            return false;
        }
        match tokio::time::timeout_at(deadline, self.response.chunk()).await {
            Ok(Ok(Some(bytes))) => {
                self.buffer.extend_from_slice(&bytes);
                true
            }
            Ok(Ok(None)) | Ok(Err(_)) => {
                self.ended = true;
                false
            }
            Err(_) => false,
        }
    }

    /// The next complete frame, exactly as sent: a keep-alive line (`:` up to `\n`) or an
    /// event (up to and including its blank line). `None` on timeout or end of stream.
    pub async fn next_frame(&mut self, timeout: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let end = if self.buffer.first() == Some(&b':') {
                self.buffer.iter().position(|b| *b == b'\n').map(|i| i + 1)
            } else {
                self.buffer.windows(2).position(|w| w == b"\n\n").map(|i| i + 2)
            };
            if let Some(end) = end {
                let frame: Vec<u8> = self.buffer.drain(..end).collect();
                return Some(String::from_utf8(frame).expect("UTF-8 frame"));
            }
            if !self.fill(deadline).await {
                return None;
            }
        }
    }

    /// The next `receive` event's JSON, skipping keep-alives; asserts the exact framing.
    pub async fn next_event(&mut self, timeout: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
            let frame = self.next_frame(remaining).await?;
            if frame == ":\n" {
                continue;
            }
            return Some(parse_event_frame(&frame));
        }
    }

    /// True if the server ends the stream within `timeout` (events before that are discarded).
    pub async fn ends_within(&mut self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.fill(deadline).await {}
        self.ended
    }

    pub fn is_ended(&self) -> bool {
        self.ended
    }
}

/// Asserts `event:receive\ndata:<one line>\n\n` and returns the parsed data.
pub fn parse_event_frame(frame: &str) -> Value {
    let data = frame
        .strip_prefix("event:receive\ndata:")
        .and_then(|rest| rest.strip_suffix("\n\n"))
        .unwrap_or_else(|| panic!("bad SSE framing: {frame:?}"));
    assert!(!data.contains('\n'), "data must be one line: {frame:?}");
    serde_json::from_str(data).unwrap_or_else(|e| panic!("data is not JSON ({e}): {data:?}"))
}
