//! How far the outbox is behind: what is due and not yet handed to a provider, and since when.
//! Health (`/healthz`) reports a backlog older than `http.health_backlog_s` as degraded.

use sqlx::Row;

use super::{Result, Store};

/// Deliveries due now and still queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Backlog {
    pub waiting: i64,
    /// Milliseconds since the oldest of them became due; 0 when none waits.
    pub oldest_ms: i64,
}

impl Store {
    pub async fn outbox_backlog(&self, now: i64) -> Result<Backlog> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS waiting, MIN(next_attempt_at) AS since FROM deliveries \
             WHERE status = 'queued' AND next_attempt_at <= $1",
        )
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        let waiting: i64 = row.try_get("waiting")?;
        let since: Option<i64> = row.try_get("since")?;
        Ok(Backlog {
            waiting,
            oldest_ms: since.map_or(0, |s| (now - s).max(0)),
        })
    }
}
