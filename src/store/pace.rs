//! Sending slots shared by instances (PostgreSQL): each send reserves the next free slot of
//! the least busy sender of its pool in one short `UPDATE ... RETURNING` under the sender
//! row's lock, so that all instances together never exceed a sender's rate. Times are the
//! database's clock, and the answer is a wait rather than an instant, so clocks of different
//! hosts need not agree.

use sqlx::Row;

use super::{placeholders, Backend, Result, Store};

impl Store {
    /// Whether sending slots are kept here, shared by every instance (PostgreSQL), rather than
    /// in the one process's memory (SQLite): when they are, every sender gets its row.
    pub async fn share_senders(&self, senders: &[String]) -> Result<bool> {
        if self.backend() != Backend::Postgres {
            return Ok(false);
        }
        self.add_senders(senders).await?;
        Ok(true)
    }

    /// Makes sure every sender has its row.
    async fn add_senders(&self, senders: &[String]) -> Result<()> {
        for sender in senders {
            sqlx::query("INSERT INTO sender_slots (sender, next_at) VALUES ($1, 0) ON CONFLICT DO NOTHING")
                .bind(sender)
                .execute(self.pool())
                .await?;
        }
        Ok(())
    }

    /// Reserves the `count` earliest consecutive slots of the least busy of `senders`, the
    /// first `interval_us` after that sender's previous one: (the sender, microseconds to wait
    /// before the first). PostgreSQL only.
    pub async fn reserve_slot(
        &self,
        senders: &[String],
        interval_us: i64,
        count: i64,
    ) -> Result<Option<(String, i64)>> {
        let sql = format!(
            "WITH now AS (SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT) AS us) \
             UPDATE sender_slots s SET next_at = GREATEST(s.next_at, now.us) + $1 FROM now \
             WHERE s.sender = (SELECT sender FROM sender_slots WHERE sender IN ({}) \
             ORDER BY next_at LIMIT 1 FOR UPDATE) \
             RETURNING s.sender AS sender, s.next_at - $1 - now.us AS wait_us",
            placeholders(1, senders.len())
        );
        let mut q = sqlx::query(&sql).bind(interval_us * count.max(1));
        for sender in senders {
            q = q.bind(sender);
        }
        let row = q.fetch_optional(self.pool()).await?;
        row.map(|r| Ok((r.try_get("sender")?, r.try_get("wait_us")?)))
            .transpose()
    }

    /// Extends a claim that is still ours (its lease is `until`) to `new_until`; false when it
    /// ran out and another worker took the delivery, or it is no longer queued.
    pub async fn extend_claim(&self, id: i64, until: i64, new_until: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE deliveries SET claimed_until = $3 WHERE id = $1 AND claimed_until = $2 AND status = 'queued'",
        )
        .bind(id)
        .bind(until)
        .bind(new_until)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
