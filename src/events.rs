//! Live events: what changed, for whoever watches (the dashboard's live view). Publishing never
//! blocks and never fails the flow: with nobody listening, events are simply dropped.

use tokio::sync::broadcast;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A report was stored (and, when known, became or joined this incident).
    Report {
        report_id: i64,
        incident_id: Option<i64>,
    },
    /// An incident changed: located, verified, closed, alerted, answered.
    Incident { id: i64 },
    /// Some delivery changed state (sent, receipt, failure).
    Deliveries,
    /// The roster changed.
    Volunteers,
}

#[derive(Clone)]
pub struct Bus(broadcast::Sender<Event>);

impl Bus {
    pub fn new() -> Bus {
        Bus(broadcast::channel(1024).0)
    }

    pub fn publish(&self, event: Event) {
        let _ = self.0.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.0.subscribe()
    }
}

impl Default for Bus {
    fn default() -> Self {
        Bus::new()
    }
}
