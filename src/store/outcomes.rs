//! What became of a claimed delivery that was not handed over: given back unsent, back in the
//! queue for a later try, or failed for good. Each applies only while the claim is still the
//! caller's (`outbox::still_held`), and each try is kept in `delivery_attempts`.

use super::outbox::{attempt, still_held, Claimed, OF_CLOSED};
use super::{Result, Store};
use crate::domain::AttemptOutcome;

impl Store {
    /// Gives claimed deliveries back unsent (their recipients could not be read; shutting down),
    /// those whose claim is still the one the caller holds.
    pub async fn release(&self, claims: &[Claimed]) -> Result<()> {
        if claims.is_empty() {
            return Ok(());
        }
        let held: Vec<String> = (0..claims.len())
            .map(|i| format!("(id = ${} AND claimed_until = ${})", 1 + 2 * i, 2 + 2 * i))
            .collect();
        let sql = format!(
            "UPDATE deliveries SET claimed_until = NULL, attempts = attempts - 1 \
             WHERE status = 'queued' AND ({})",
            held.join(" OR ")
        );
        let mut q = sqlx::query(&sql);
        for c in claims {
            q = q.bind(c.id).bind(c.claimed_until);
        }
        q.execute(self.pool()).await?;
        Ok(())
    }

    /// A transient failure: back to the queue, due again at `next_at`. `held` is the claim's
    /// lease the caller holds; false when the claim is no longer that (nothing changed).
    pub async fn delivery_retry(
        &self,
        id: i64,
        held: i64,
        next_at: i64,
        detail: &str,
        took_ms: i64,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let ours = sqlx::query(&format!(
            "UPDATE deliveries SET claimed_until = NULL, next_attempt_at = $2, error = $3, updated_at = $4 \
             WHERE id = $1 AND {}",
            still_held(5)
        ))
        .bind(id)
        .bind(next_at)
        .bind(detail)
        .bind(now)
        .bind(held)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if ours {
            // The incident may have closed while this was in flight: then it is over, not retried.
            sqlx::query(&format!(
                "UPDATE deliveries SET status = 'canceled' WHERE id = $2 AND {OF_CLOSED}"
            ))
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        attempt(&mut tx, id, now, took_ms, AttemptOutcome::Retry, Some(detail)).await?;

        tx.commit().await?;
        Ok(ours)
    }

    /// A permanent failure (or the alert went stale): not retried. `held` is the claim's lease
    /// the caller holds; false when the claim is no longer that (nothing changed).
    pub async fn delivery_failed(
        &self,
        id: i64,
        held: i64,
        detail: &str,
        took_ms: i64,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let ours = sqlx::query(&format!(
            "UPDATE deliveries SET status = 'failed', claimed_until = NULL, error = $2, updated_at = $3 \
             WHERE id = $1 AND {}",
            still_held(4)
        ))
        .bind(id)
        .bind(detail)
        .bind(now)
        .bind(held)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        attempt(&mut tx, id, now, took_ms, AttemptOutcome::Failed, Some(detail)).await?;
        tx.commit().await?;
        Ok(ours)
    }
}
