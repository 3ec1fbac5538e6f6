//! A minimal in-process stand-in for Twilio's create-message endpoint, for the benchmarks.
//!
//! `tocsin-fakes` (the full fake) is only a dev-dependency, and it does per-message work a
//! benchmark should not measure (status callbacks, linear look-ups, a log line with the body).
//! This sink answers `POST /2010-04-01/Accounts/{sid}/Messages.json` as Twilio does for the
//! parts tocsin reads: Basic auth checked (401 / 20003 otherwise), `To` required (400 / 21604),
//! 201 with a JSON resource holding a fresh `SM…` sid. With a rate limit it refuses any
//! message that would make more than `max_mps` accepted within one second with 429 / 20429,
//! exactly as the fake's limiter does (a rolling one-second window, PROTOCOLS §8.1). It sends
//! no status callbacks. It records each accepted message's arrival time and recipient only.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::json;
use subtle::ConstantTimeEq;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// One message the sink accepted.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub at: Instant,
    pub to: String,
}

#[derive(Default)]
struct Inner {
    accepted: Vec<Accepted>,
    /// Arrival times of the messages accepted within the last second (the rate limit's window).
    window: VecDeque<Instant>,
    refused_429: u64,
    refused_other: u64,
}

struct Shared {
    account_sid: String,
    /// `Basic base64(sid:token)`, as tocsin must send it.
    authorization: String,
    max_mps: Option<u32>,
    inner: Mutex<Inner>,
    changed: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the counters half-written; keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct Sink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Sink {
    pub async fn start(account_sid: &str, auth_token: &str, max_mps: Option<u32>) -> anyhow::Result<Sink> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            account_sid: account_sid.to_string(),
            authorization: format!("Basic {}", STANDARD.encode(format!("{account_sid}:{auth_token}"))),
            max_mps,
            inner: Mutex::new(Inner::default()),
            changed: Notify::new(),
        });
        let app = Router::new()
            .route("/2010-04-01/Accounts/{sid}/Messages.json", post(create))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "benchmark Twilio sink stopped");
            }
        });
        Ok(Sink { addr, shared, task })
    }

    /// `http://127.0.0.1:PORT`: tocsin's `twilio.api_base`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn accepted(&self) -> Vec<Accepted> {
        self.shared.lock().accepted.clone()
    }

    pub fn count(&self) -> usize {
        self.shared.lock().accepted.len()
    }

    pub fn refused_429(&self) -> u64 {
        self.shared.lock().refused_429
    }

    /// Requests refused for any other reason (bad auth, no `To`): a broken benchmark.
    pub fn refused_other(&self) -> u64 {
        self.shared.lock().refused_other
    }

    /// Waits until `n` messages were accepted, or until none came for `idle` (stalled).
    /// Returns whether all `n` arrived.
    pub async fn wait_for(&self, n: usize, idle: Duration) -> bool {
        let mut seen = self.count();
        let mut last_progress = Instant::now();
        loop {
            let changed = self.shared.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let now = self.count();
            if now >= n {
                return true;
            }
            if now > seen {
                seen = now;
                last_progress = Instant::now();
            }
            let left = idle.saturating_sub(last_progress.elapsed());
            if left.is_zero() {
                return false;
            }
            let _ = tokio::time::timeout(left, changed).await;
        }
    }
}

fn twilio_error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status.as_u16(),
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

async fn create(
    State(shared): State<Arc<Shared>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let auth = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    let auth_ok: bool = auth.ct_eq(shared.authorization.as_bytes()).into();
    if !auth_ok || sid != shared.account_sid {
        shared.lock().refused_other += 1;
        return twilio_error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let to = form_urlencoded::parse(&body)
        .find(|(k, v)| k == "To" && !v.is_empty())
        .map(|(_, v)| v.into_owned());
    let Some(to) = to else {
        shared.lock().refused_other += 1;
        return twilio_error(StatusCode::BAD_REQUEST, 21604, "A 'To' phone number is required.");
    };
    let n = {
        let mut inner = shared.lock();
        // Taken under the lock, so the window sees arrivals in order (as the fake does).
        let at = Instant::now();
        while inner
            .window
            .front()
            .is_some_and(|t| at.duration_since(*t) >= Duration::from_secs(1))
        {
            inner.window.pop_front();
        }
        if shared
            .max_mps
            .is_some_and(|max| inner.window.len() >= max as usize)
        {
            inner.refused_429 += 1;
            drop(inner);
            return twilio_error(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests");
        }
        if shared.max_mps.is_some() {
            inner.window.push_back(at);
        }
        inner.accepted.push(Accepted { at, to: to.clone() });
        inner.accepted.len()
    };
    shared.changed.notify_waiters();
    let resource = json!({
        "sid": format!("SM{n:032x}"),
        "account_sid": shared.account_sid,
        "to": to,
        "status": "queued",
        "num_segments": "1",
        "api_version": "2010-04-01",
    });
    (
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        resource.to_string(),
    )
        .into_response()
}
