//! Changes made by other instances, on PostgreSQL: triggers (migration 0005) `NOTIFY` at
//! commit on `tocsin_volunteers` (volunteers or zones changed) and `tocsin_work` (deliveries
//! were added); a [`Listener`] on its own connection hears them. Notifications sent while the
//! connection is down are lost: `recv` then answers [`Change::Missed`], and the caller catches
//! up from the database as if everything had changed. SQLite is one process and has no listener.

use sqlx::postgres::PgListener;

use super::{Backend, Result, Store};

pub const VOLUNTEERS: &str = "tocsin_volunteers";
pub const WORK: &str = "tocsin_work";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Volunteers or zones changed: rebuild the geofence index.
    Volunteers,
    /// New deliveries: wake the outbox.
    Work,
    /// The connection dropped (now re-established): anything may have changed.
    Missed,
}

pub struct Listener(PgListener);

impl Store {
    /// A listener for other instances' changes; None on SQLite.
    pub async fn listener(&self) -> Result<Option<Listener>> {
        if self.backend() != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = PgListener::connect(&self.url).await?;
        listener.listen_all([VOLUNTEERS, WORK]).await?;
        Ok(Some(Listener(listener)))
    }
}

impl Listener {
    /// The next change; waits for one. Errors when the database cannot be reached (the next
    /// call tries to reconnect).
    pub async fn recv(&mut self) -> Result<Change> {
        let Some(first) = self.0.try_recv().await? else {
            return Ok(Change::Missed);
        };
        Ok(change(first.channel()))
    }

    /// A change already received and waiting, without waiting for more (to coalesce bursts).
    pub fn buffered(&mut self) -> Option<Change> {
        self.0.next_buffered().map(|n| change(n.channel()))
    }
}

fn change(channel: &str) -> Change {
    match channel {
        VOLUNTEERS => Change::Volunteers,
        _ => Change::Work,
    }
}
