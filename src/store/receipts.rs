//! Provider receipts (Twilio status callbacks, Signal receipts): a delivery's status only moves
//! forward. A receipt that arrives before we recorded the provider's id (a fast callback racing
//! our own write) is kept and applied when the id is recorded: the id is committed before the
//! early receipts are read, and a receipt is applied again after it is kept, so that one of
//! the two sides always sees the other, whatever the interleaving.

use sqlx::Row;

use super::{now_ms, placeholders, Conn, Result, Store};
use crate::domain::DeliveryStatus;

#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub status: DeliveryStatus,
    /// The provider's error, as `Twilio 30003`.
    pub error: Option<String>,
}

/// Statuses a receipt of `status` may replace; `queued` is ours and has no provider id yet.
fn replaceable(status: DeliveryStatus) -> Vec<&'static str> {
    DeliveryStatus::NAMES
        .iter()
        .copied()
        .filter(|n| *n != "queued")
        .filter(|n| DeliveryStatus::parse(n).is_some_and(|s| s.rank() < status.rank()))
        .collect()
}

impl Store {
    /// Applies a provider receipt unless the delivery is already further along. `volunteer`
    /// narrows the match when the provider's id is not unique on its own (Signal timestamps).
    /// Returns the delivery's volunteer when something changed.
    pub async fn apply_receipt(
        &self,
        channel: &str,
        provider_id: &str,
        volunteer: Option<i64>,
        receipt: &Receipt,
    ) -> Result<Option<i64>> {
        let mut conn = self.pool().acquire().await?;
        for _ in 0..2 {
            if let Some(v) = update(&mut conn, channel, provider_id, volunteer, receipt).await? {
                return Ok(Some(v));
            }
            let known = sqlx::query(
                "SELECT 1 AS one FROM deliveries WHERE channel = $1 AND provider_id = $2 LIMIT 1",
            )
            .bind(channel)
            .bind(provider_id)
            .fetch_optional(&mut *conn)
            .await?;
            if known.is_some() {
                // Known and already further along — or recorded just now: the second pass tells.
                continue;
            }
            sqlx::query(
                "INSERT INTO early_receipts (channel, provider_id, status, error, received_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(channel)
            .bind(provider_id)
            .bind(receipt.status.as_str())
            .bind(receipt.error.as_deref())
            .bind(now_ms())
            .execute(&mut *conn)
            .await?;
            // The delivery's id may have been committed since we looked, after its writer had
            // read the early receipts (PostgreSQL, another connection): then this pass applies
            // it. One of the two always sees the other's commit; applying twice is harmless.
            return update(&mut conn, channel, provider_id, volunteer, receipt).await;
        }
        Ok(None)
    }

    /// Forgets early receipts that never found their delivery.
    pub async fn purge_early_receipts(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM early_receipts WHERE received_at < $1")
            .bind(before)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

async fn update(
    conn: &mut Conn,
    channel: &str,
    provider_id: &str,
    volunteer: Option<i64>,
    receipt: &Receipt,
) -> Result<Option<i64>> {
    let lower = replaceable(receipt.status);
    if lower.is_empty() {
        return Ok(None);
    }
    let who = if volunteer.is_some() {
        "AND volunteer_id = $6"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE deliveries SET status = $1, error = COALESCE($2, error), updated_at = $3 \
         WHERE channel = $4 AND provider_id = $5 {who} AND status IN ({}) RETURNING volunteer_id",
        placeholders(if volunteer.is_some() { 6 } else { 5 }, lower.len())
    );
    let mut q = sqlx::query(&sql)
        .bind(receipt.status.as_str())
        .bind(receipt.error.as_deref())
        .bind(now_ms())
        .bind(channel)
        .bind(provider_id);
    if let Some(v) = volunteer {
        q = q.bind(v);
    }
    for name in lower {
        q = q.bind(name);
    }
    let row = q.fetch_optional(conn).await?;
    row.map(|r| Ok(r.try_get("volunteer_id")?)).transpose()
}

/// Applies the most advanced early receipt for a delivery whose provider id was just recorded.
pub(super) async fn apply_early(
    conn: &mut Conn,
    delivery_id: i64,
    channel: &str,
    provider_id: &str,
) -> Result<Option<Receipt>> {
    let rows =
        sqlx::query("SELECT status, error FROM early_receipts WHERE channel = $1 AND provider_id = $2")
            .bind(channel)
            .bind(provider_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut best: Option<Receipt> = None;
    for row in &rows {
        let status: String = row.try_get("status")?;
        let Some(status) = DeliveryStatus::parse(&status) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| status.rank() > b.status.rank()) {
            best = Some(Receipt {
                status,
                error: row.try_get("error")?,
            });
        }
    }
    let Some(receipt) = best else {
        return Ok(None);
    };
    let lower = replaceable(receipt.status);
    let sql = format!(
        "UPDATE deliveries SET status = $1, error = COALESCE($2, error) WHERE id = $3 AND status IN ({})",
        placeholders(3, lower.len())
    );
    let mut q = sqlx::query(&sql)
        .bind(receipt.status.as_str())
        .bind(receipt.error.as_deref())
        .bind(delivery_id);
    for name in lower {
        q = q.bind(name);
    }
    q.execute(&mut *conn).await?;
    sqlx::query("DELETE FROM early_receipts WHERE channel = $1 AND provider_id = $2")
        .bind(channel)
        .bind(provider_id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(receipt))
}
