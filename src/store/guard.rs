//! The hotline's guard: how much a sender has reported lately, and who is blocked. Senders are
//! known only by their keyed hash.

use sqlx::Row;

use super::{now_ms, Result, Store, StoreError};
use crate::crypto::Field;

#[derive(Debug, Clone)]
pub struct Blocked {
    pub id: i64,
    pub report_id: Option<i64>,
    pub reason: String,
    pub created_at: i64,
}

impl Store {
    /// Reports received since `since`, from this sender (or from everyone), counted up to
    /// `cap`: whether a limit is reached is all that is asked, and a flood must not make every
    /// report count every other.
    pub async fn reports_since(&self, sender_hash: Option<&str>, since: i64, cap: i64) -> Result<i64> {
        let row = match sender_hash {
            Some(hash) => {
                sqlx::query(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 FROM reports WHERE reporter_hash = $1 \
                     AND received_at >= $2 LIMIT $3) AS recent",
                )
                .bind(hash)
                .bind(since)
                .bind(cap)
                .fetch_one(self.pool())
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 FROM reports WHERE received_at >= $1 LIMIT $2) AS recent",
                )
                .bind(since)
                .bind(cap)
                .fetch_one(self.pool())
                .await?
            }
        };
        Ok(row.try_get("n")?)
    }

    /// Points this sender reported since `since`.
    pub async fn points_reported_since(&self, sender_hash: &str, since: i64) -> Result<Vec<(f64, f64)>> {
        let rows = sqlx::query(
            "SELECT lat, lon FROM reports WHERE reporter_hash = $1 AND received_at >= $2 \
             AND lat IS NOT NULL AND lon IS NOT NULL",
        )
        .bind(sender_hash)
        .bind(since)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("lat")?, r.try_get("lon")?)))
            .collect()
    }

    pub async fn is_blocked(&self, sender_hash: &str) -> Result<bool> {
        let row = sqlx::query("SELECT 1 AS one FROM blocked_senders WHERE sender_hash = $1")
            .bind(sender_hash)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some())
    }

    /// Blocks whoever sent this report. None when the report has no known sender (entered
    /// through the API, or its number was erased after the retention period). The number is
    /// kept sealed with the block, so that the block outlives the report's retention and a new
    /// data key (`tocsin rotate-key` hashes it again).
    pub async fn block_sender_of(&self, report_id: i64, reason: &str) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT reporter_hash, reporter_enc FROM reports WHERE id = $1")
            .bind(report_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let Some(hash) = row.try_get::<Option<String>, _>("reporter_hash")? else {
            return Ok(None);
        };
        let sender = row
            .try_get::<Option<Vec<u8>>, _>("reporter_enc")?
            .and_then(|sealed| self.vault().open(Field::ReportReporter, report_id, &sealed).ok());
        let row = sqlx::query(
            "INSERT INTO blocked_senders (sender_hash, report_id, reason, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sender_hash) DO UPDATE SET reason = excluded.reason RETURNING id",
        )
        .bind(hash)
        .bind(report_id)
        .bind(reason)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        if let Some(sender) = sender {
            sqlx::query("UPDATE blocked_senders SET sender_enc = $2 WHERE id = $1")
                .bind(id)
                .bind(self.seal(Field::BlockedSender, id, &sender))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn unblock(&self, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM blocked_senders WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn blocked(&self) -> Result<Vec<Blocked>> {
        let rows =
            sqlx::query("SELECT id, report_id, reason, created_at FROM blocked_senders ORDER BY id DESC")
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| {
                Ok::<_, StoreError>(Blocked {
                    id: r.try_get("id")?,
                    report_id: r.try_get("report_id")?,
                    reason: r.try_get("reason")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
