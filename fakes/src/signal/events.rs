//! `GET /api/v1/events` (Server-Sent Events) and `GET /api/v1/check`, after signal-cli's
//! `HttpServerHandler` and `ServerSentEventSender`. Guarantees: the stream is
//! `Content-Type: text/event-stream`; each event is exactly `event:receive\ndata:<json>\n\n`;
//! a keep-alive comment `:\n` (signal-cli writes just that line) is sent every
//! `config.keepalive`, the first one a full interval after connecting; a client counts as a
//! subscriber from the moment the response starts until its stream ends or is dropped.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

use super::state::Shared;

/// Signal-cli's keep-alive: a lone comment line.
pub(crate) const KEEPALIVE: &[u8] = b":\n";

/// Unregisters the client when hyper drops its body (disconnect, restart, daemon down).
struct Subscription {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.shared.unsubscribe(self.id);
    }
}

fn status_only(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

pub(crate) async fn check() -> Response {
    status_only(StatusCode::OK)
}

pub(crate) async fn events(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    // `?account=` is form-decoded: a literal `+` means a space, so clients must send `%2B`.
    let account = query.as_deref().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(key, _)| key == "account")
            .map(|(_, value)| value.into_owned())
    });
    if account.is_some_and(|a| !a.is_empty() && a != shared.config.account) {
        return status_only(StatusCode::BAD_REQUEST);
    }

    let (id, rx) = shared.subscribe();
    let subscription = Subscription {
        shared: shared.clone(),
        id,
    };
    let period = shared.config.keepalive;
    let ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    let stream = futures_util::stream::unfold(
        (rx, ticker, subscription),
        |(mut rx, mut ticker, subscription)| async move {
            let chunk = tokio::select! {
                biased;
                frame = rx.recv() => frame?, // sender gone: the stream ends
                _ = ticker.tick() => Bytes::from_static(KEEPALIVE),
            };
            Some((Ok::<_, Infallible>(chunk), (rx, ticker, subscription)))
        },
    );

    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    response
}
