//! Provider receipts (Twilio status callbacks, Signal receipts): a delivery's status only moves
//! forward. A receipt that arrives before we recorded the provider's id (a fast callback racing
//! our own write) is kept and applied when the id is recorded: the id is committed before the
//! early receipts are read, and a receipt is applied again after it is kept, so that one of
//! the two sides always sees the other, whatever the interleaving. A receipt that names its
//! sender (Signal) moves only that sender's delivery, early or not.

use sqlx::Row;

use super::{now_ms, placeholders, Conn, Result, Store};
use crate::domain::{Channel, DeliveryStatus};

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
        channel: Channel,
        provider_id: &str,
        volunteer: Option<i64>,
        receipt: &Receipt,
    ) -> Result<Option<i64>> {
        let mut conn = self.pool().acquire().await?;
        for _ in 0..2 {
            if let Some(v) = update(&mut conn, channel, provider_id, volunteer, receipt).await? {
                return Ok(Some(v));
            }
            let known = match volunteer {
                None => sqlx::query(
                    "SELECT 1 AS one FROM deliveries WHERE channel = $1 AND provider_id = $2 LIMIT 1",
                )
                .bind(channel.as_str())
                .bind(provider_id),
                Some(v) => sqlx::query(
                    "SELECT 1 AS one FROM deliveries WHERE channel = $1 AND provider_id = $2 \
                     AND volunteer_id = $3 LIMIT 1",
                )
                .bind(channel.as_str())
                .bind(provider_id)
                .bind(v),
            }
            .fetch_optional(&mut *conn)
            .await?;
            if known.is_some() {
                // Known and already further along — or recorded just now: the second pass tells.
                continue;
            }
            sqlx::query(
                "INSERT INTO early_receipts (channel, provider_id, status, error, received_at, volunteer_id) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(channel.as_str())
            .bind(provider_id)
            .bind(receipt.status.as_str())
            .bind(receipt.error.as_deref())
            .bind(now_ms())
            .bind(volunteer)
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
    channel: Channel,
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
        .bind(channel.as_str())
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

/// Receipts kept early for this delivery: its provider id, and no sender or its volunteer.
const EARLY_FOR: &str = "channel = $1 AND provider_id = $2 AND (volunteer_id IS NULL OR \
     volunteer_id = (SELECT volunteer_id FROM deliveries WHERE id = $3))";

/// Applies the most advanced early receipt for a delivery whose provider id was just recorded;
/// the receipt when it moved the delivery.
pub(super) async fn apply_early(
    conn: &mut Conn,
    delivery_id: i64,
    channel: Channel,
    provider_id: &str,
) -> Result<Option<Receipt>> {
    let rows = sqlx::query(&format!(
        "SELECT status, error FROM early_receipts WHERE {EARLY_FOR}"
    ))
    .bind(channel.as_str())
    .bind(provider_id)
    .bind(delivery_id)
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
    // A `submitted` receipt (Twilio's queued/accepted/sending) replaces nothing: the delivery
    // is submitted already. `IN ()` is not SQL on PostgreSQL, so there is no UPDATE to write.
    let lower = replaceable(receipt.status);
    let moved = if lower.is_empty() {
        false
    } else {
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
        q.execute(&mut *conn).await?.rows_affected() > 0
    };
    // Used either way: it has said all it can.
    sqlx::query(&format!("DELETE FROM early_receipts WHERE {EARLY_FOR}"))
        .bind(channel.as_str())
        .bind(provider_id)
        .bind(delivery_id)
        .execute(&mut *conn)
        .await?;
    Ok(moved.then_some(receipt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::outbox::Handed;
    use crate::store::volunteers::NewVolunteer;

    async fn volunteer(store: &Store, phone: &str) -> i64 {
        let v = NewVolunteer {
            name: "V",
            phone,
            language: "en",
            trusted: false,
            area: "{}".into(),
            channel: "signal",
            signal: None,
            roles: String::new(),
            standing: crate::domain::Standing::Approved,
        };
        store.insert_volunteer(v).await.unwrap()
    }

    /// A queued Signal delivery to `volunteer` of a new alert.
    async fn queued(store: &Store, volunteer: i64) -> i64 {
        let pool = store.pool();
        let incident: i64 = sqlx::query(
            "INSERT INTO incidents (kind, status, created_at, updated_at) VALUES ('raid', 'confirmed', 0, 0) RETURNING id",
        )
        .fetch_one(pool)
        .await
        .unwrap()
        .get("id");
        let alert: i64 = sqlx::query(
            "INSERT INTO alerts (incident_id, purpose, created_at) VALUES ($1, 'first', 0) RETURNING id",
        )
        .bind(incident)
        .fetch_one(pool)
        .await
        .unwrap()
        .get("id");
        sqlx::query(
            "INSERT INTO deliveries (alert_id, volunteer_id, channel, body, priority, status, next_attempt_at, \
             expires_at, created_at, updated_at) VALUES ($1, $2, 'signal', 'x', 0, 'queued', 0, $3, 0, 0) RETURNING id",
        )
        .bind(alert)
        .bind(volunteer)
        .bind(i64::MAX)
        .fetch_one(pool)
        .await
        .unwrap()
        .get("id")
    }

    async fn status(store: &Store, delivery: i64) -> String {
        sqlx::query("SELECT status FROM deliveries WHERE id = $1")
            .bind(delivery)
            .fetch_one(store.pool())
            .await
            .unwrap()
            .get("status")
    }

    fn sent(id: i64, timestamp: &str) -> Handed {
        Handed {
            id,
            channel: Channel::Signal,
            provider_id: Some(timestamp.into()),
            took_ms: 1,
        }
    }

    #[tokio::test]
    async fn an_early_signal_receipt_moves_only_a_delivery_to_whoever_sent_it() {
        let store = Store::memory().await;
        let (a, b) = (
            volunteer(&store, "+13235550101").await,
            volunteer(&store, "+13235550102").await,
        );
        let read = Receipt {
            status: DeliveryStatus::Read,
            error: None,
        };
        // B claims to have read what will be A's message, before its send is recorded.
        let to_a = queued(&store, a).await;
        assert_eq!(
            store
                .apply_receipt(Channel::Signal, "1700000000001", Some(b), &read)
                .await
                .unwrap(),
            None
        );
        let early = store
            .deliveries_submitted(&[sent(to_a, "1700000000001")], 1)
            .await
            .unwrap();
        assert_eq!(early, vec![None]);
        assert_eq!(status(&store, to_a).await, "submitted");

        // A's own early receipt does apply when the send is recorded.
        let again = queued(&store, a).await;
        assert_eq!(
            store
                .apply_receipt(Channel::Signal, "1700000000002", Some(a), &read)
                .await
                .unwrap(),
            None
        );
        let early = store
            .deliveries_submitted(&[sent(again, "1700000000002")], 1)
            .await
            .unwrap();
        assert_eq!(early, vec![Some(read.clone())]);
        assert_eq!(status(&store, again).await, "read");

        // Once recorded, B's receipt still moves nothing; A's does.
        assert_eq!(
            store
                .apply_receipt(Channel::Signal, "1700000000001", Some(b), &read)
                .await
                .unwrap(),
            None
        );
        assert_eq!(status(&store, to_a).await, "submitted");
        assert_eq!(
            store
                .apply_receipt(Channel::Signal, "1700000000001", Some(a), &read)
                .await
                .unwrap(),
            Some(a)
        );
        assert_eq!(status(&store, to_a).await, "read");
    }
}
