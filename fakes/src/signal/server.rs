//! The daemon's HTTP server: routing, the `Host` check, and an accept loop the fake can kill
//! and restart on the same port. Guarantees: after `go_down` returns, the listening socket is
//! closed (new connections are refused) and every open connection is being cut, keep-alive
//! and SSE ones included; `come_back` listens again on the same address. Every response
//! (404/405 too) first passes the `Host` check: only `127.0.0.1`, `localhost` or `::1`, with
//! no port or our port, else 421 (signal-cli ≥ 0.14.4, PROTOCOLS §6.1).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Poll;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::{AbortHandle, JoinSet};

use super::events::{check, events};
use super::rpc::rpc;
use super::state::Shared;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn status_only(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

fn router(shared: Arc<Shared>, port: u16) -> Router {
    Router::new()
        .route("/api/v1/rpc", post(rpc))
        .route("/api/v1/events", get(events))
        .route("/api/v1/check", get(check))
        .fallback(|| async { status_only(StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|| async { status_only(StatusCode::METHOD_NOT_ALLOWED) })
        .layer(middleware::from_fn_with_state(port, host_check))
        .with_state(shared)
}

/// `host[:port]`, `[v6][:port]` or a bare IPv6 literal -> (host, port text).
fn split_host(value: &str) -> Option<(&str, Option<&str>)> {
    if let Some(rest) = value.strip_prefix('[') {
        let (host, tail) = rest.split_once(']')?;
        return match tail {
            "" => Some((host, None)),
            tail => Some((host, Some(tail.strip_prefix(':')?))),
        };
    }
    match value.matches(':').count() {
        0 => Some((value, None)),
        1 => value.split_once(':').map(|(host, port)| (host, Some(port))),
        _ => Some((value, None)),
    }
}

pub(crate) fn allowed_host(value: &str, port: u16) -> bool {
    let Some((host, host_port)) = split_host(value.trim()) else {
        return false;
    };
    let host_ok = host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "::1";
    host_ok && host_port.is_none_or(|p| p.parse::<u16>() == Ok(port))
}

async fn host_check(State(port): State<u16>, request: Request, next: Next) -> Response {
    let ok = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|host| allowed_host(host, port));
    if ok {
        next.run(request).await
    } else {
        status_only(StatusCode::MISDIRECTED_REQUEST)
    }
}

/// The listening socket, shared with the accept loop so `go_down` can close it synchronously.
type Slot = Arc<Mutex<Option<TcpListener>>>;

/// One "daemon process": its socket and its accept loop (which owns the connections).
struct Life {
    slot: Slot,
    task: AbortHandle,
}

pub(crate) struct Server {
    app: Router,
    addr: SocketAddr,
    life: Mutex<Option<Life>>,
}

impl Server {
    /// Binds `127.0.0.1:0` and serves.
    pub async fn start(shared: Arc<Shared>) -> anyhow::Result<Server> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let server = Server {
            app: router(shared, addr.port()),
            addr,
            life: Mutex::new(None),
        };
        server.serve(listener);
        Ok(server)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn serve(&self, listener: TcpListener) {
        let slot: Slot = Arc::new(Mutex::new(Some(listener)));
        let task = tokio::spawn(accept_loop(slot.clone(), self.app.clone()));
        let previous = lock(&self.life).replace(Life {
            slot,
            task: task.abort_handle(),
        });
        if let Some(previous) = previous {
            Self::end(previous);
        }
    }

    fn end(life: Life) {
        lock(&life.slot).take(); // closes the socket now: connections are refused from here on
        life.task.abort(); // drops the JoinSet, which cuts every open connection
    }

    pub fn go_down(&self) {
        let life = lock(&self.life).take();
        if let Some(life) = life {
            Self::end(life);
        }
    }

    /// Listens again on the same address (no-op if up). Retries briefly while the old
    /// socket is still being released.
    pub async fn come_back(&self) -> anyhow::Result<()> {
        if lock(&self.life).is_some() {
            return Ok(());
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(listener) => break listener,
                Err(e)
                    if e.kind() == std::io::ErrorKind::AddrInUse
                        && tokio::time::Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(10)).await
                }
                Err(e) => {
                    return Err(anyhow::anyhow!(
                        "fake signal-cli cannot listen on {}: {e}",
                        self.addr
                    ))
                }
            }
        };
        self.serve(listener);
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.go_down();
    }
}

async fn accept_loop(slot: Slot, app: Router) {
    let mut connections = JoinSet::new();
    loop {
        let accepted = std::future::poll_fn(|cx| match lock(&slot).as_ref() {
            Some(listener) => listener.poll_accept(cx).map(Some),
            None => Poll::Ready(None),
        })
        .await;
        match accepted {
            None => return,
            Some(Ok((stream, _peer))) => {
                let service = TowerToHyperService::new(app.clone());
                connections.spawn(async move {
                    let connection = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .serve_connection(TokioIo::new(stream), service);
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, "fake signal-cli connection ended");
                    }
                });
            }
            Some(Err(error)) => {
                tracing::warn!(%error, "fake signal-cli accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        while connections.try_join_next().is_some() {}
    }
}
