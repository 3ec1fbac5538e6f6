//! `/events`: Server-Sent Events telling open pages what changed, so they refetch the small
//! fragment concerned. The stream carries ids and scopes only, never names or text. It ends
//! when the server stops, so that a graceful shutdown does not wait on open dashboards.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::session::Signed;
use super::Dash;
use crate::events::Event;

fn payload(event: &Event) -> serde_json::Value {
    match event {
        Event::Report { incident_id, .. } => json!({"scope": "report", "incident": incident_id}),
        Event::Incident { id } => json!({"scope": "incident", "id": id}),
        Event::Deliveries => json!({"scope": "deliveries"}),
        Event::Volunteers => json!({"scope": "volunteers"}),
    }
}

pub async fn events(State(dash): State<Dash>, _signed: Signed) -> Response {
    let receiver = dash.core.events.subscribe();
    let shutdown = dash.shutdown.clone();
    let stream = changes(receiver, shutdown);
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

fn changes(
    receiver: tokio::sync::broadcast::Receiver<Event>,
    shutdown: crate::state::Shutdown,
) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    stream::unfold((receiver, shutdown), |(mut rx, mut stop)| async move {
        if *stop.borrow() {
            return None;
        }
        let data = tokio::select! {
            received = rx.recv() => match received {
                Ok(event) => payload(&event),
                // Missed some: the page refetches everything it shows.
                Err(RecvError::Lagged(_)) => json!({"scope": "all"}),
                Err(RecvError::Closed) => return None,
            },
            _ = stop.wait_for(|s| *s) => return None,
        };
        let event = SseEvent::default().event("change").data(data.to_string());
        Some((Ok(event), (rx, stop)))
    })
}
