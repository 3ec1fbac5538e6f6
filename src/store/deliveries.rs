//! The outbox: alerts and their deliveries, claimed with a lease, and what providers said.
//!
//! Planning writes an alert and all its deliveries in one transaction under unique keys, so a
//! second planning of the same alert changes nothing. A claim is a short transaction that sets
//! `claimed_until`; a delivery whose lease ran out (its worker died) is claimable again.

use sqlx::Row;

use super::{placeholders, Backend, Conn, Result, Store};
use crate::domain::{AlertPurpose, DeliveryStatus};

/// Rows per INSERT when fanning out, well under both backends' bind-parameter limits.
const BATCH: usize = 500;

/// The text of an alert, per volunteer language.
pub struct Bodies<'a> {
    pub en: &'a str,
    pub es: &'a str,
}

#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub volunteer_id: i64,
    pub body: String,
    pub attempts: i64,
    pub expires_at: i64,
}

/// Who an all-clear goes to: those the first alert reached or may have reached.
const REACHED: &str = "('submitted', 'sent', 'delivered')";

/// The incident and every incident merged into it: their first alerts are its first alert.
const MERGED_GROUP: &str = "(SELECT id FROM incidents WHERE id = $1 OR merged_into = $1)";

impl Store {
    /// Writes the alert and one SMS delivery per alertable volunteer among `targets`.
    /// Returns the number of deliveries written, or None when this alert already existed.
    /// Updates are numbered (`seq`) so that each one is its own alert; two updates planned at
    /// the same instant on two instances collide on the unique key and the second gets None.
    pub async fn plan_alert(
        &self,
        incident_id: i64,
        purpose: AlertPurpose,
        targets: &[i64],
        bodies: &Bodies<'_>,
        now: i64,
        expires_at: i64,
    ) -> Result<Option<u64>> {
        let mut tx = self.begin().await?;
        let seq: i64 = match purpose {
            AlertPurpose::Update => sqlx::query(
                "SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM alerts WHERE incident_id = $1 AND purpose = $2",
            )
            .bind(incident_id)
            .bind(purpose.as_str())
            .fetch_one(&mut *tx)
            .await?
            .try_get("seq")?,
            AlertPurpose::First | AlertPurpose::AllClear => 0,
        };
        let alert = sqlx::query(
            "INSERT INTO alerts (incident_id, purpose, seq, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(incident_id)
        .bind(purpose.as_str())
        .bind(seq)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(alert) = alert else {
            return Ok(None);
        };
        let alert_id: i64 = alert.try_get("id")?;
        let mut written = 0;
        for chunk in targets.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO deliveries (alert_id, volunteer_id, channel, body, priority, status, \
                 next_attempt_at, expires_at, created_at, updated_at) \
                 SELECT $1, id, 'sms', CASE language WHEN 'es' THEN $2 ELSE $3 END, $4, 'queued', $5, $6, $5, $5 \
                 FROM volunteers WHERE active AND NOT opted_out AND NOT paused AND id IN ({}) \
                 ON CONFLICT DO NOTHING",
                placeholders(6, chunk.len())
            );
            let mut q = sqlx::query(&sql)
                .bind(alert_id)
                .bind(bodies.es)
                .bind(bodies.en)
                .bind(purpose.priority())
                .bind(now)
                .bind(expires_at);
            for id in chunk {
                q = q.bind(*id);
            }
            written += q.execute(&mut *tx).await?.rows_affected();
        }
        mark_planned(&mut tx, incident_id, purpose, now).await?;
        tx.commit().await?;
        Ok(Some(written))
    }

    /// Volunteers an update or the all-clear for this incident should reach, once each: those
    /// its first alert (or the first alert of an incident merged into it) reached.
    pub async fn reached_by_first_alert(&self, incident_id: i64) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT DISTINCT d.volunteer_id AS id FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
             WHERE a.incident_id IN {MERGED_GROUP} AND a.purpose = 'first' \
             AND (d.status IN {REACHED} OR (d.status = 'queued' AND d.claimed_until IS NOT NULL)) \
             ORDER BY id"
        );
        let rows = sqlx::query(&sql).bind(incident_id).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Claims up to `limit` due deliveries for `lease_ms`, most urgent first.
    pub async fn claim_deliveries(&self, limit: i64, lease_ms: i64, now: i64) -> Result<Vec<Claimed>> {
        let lock = match self.backend() {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE deliveries SET claimed_until = $1, attempts = attempts + 1, updated_at = $2 \
             WHERE id IN (SELECT id FROM deliveries WHERE status = 'queued' AND next_attempt_at <= $2 \
             AND (claimed_until IS NULL OR claimed_until < $2) \
             ORDER BY priority, next_attempt_at, id LIMIT $3 {lock}) \
             RETURNING id, volunteer_id, body, attempts, expires_at"
        );
        let rows = sqlx::query(&sql)
            .bind(now + lease_ms)
            .bind(now)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        let mut claimed = rows
            .iter()
            .map(|r| {
                Ok(Claimed {
                    id: r.try_get("id")?,
                    volunteer_id: r.try_get("volunteer_id")?,
                    body: r.try_get("body")?,
                    attempts: r.try_get("attempts")?,
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    /// The encrypted numbers of these volunteers (absent: removed since).
    pub async fn phones_of(&self, ids: &[i64]) -> Result<Vec<(i64, Vec<u8>)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, phone_enc FROM volunteers WHERE active AND id IN ({})",
            placeholders(0, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("phone_enc")?)))
            .collect()
    }

    /// The provider took the delivery.
    pub async fn delivery_submitted(&self, id: i64, provider_id: &str, took_ms: i64, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE deliveries SET status = 'submitted', provider_id = $2, claimed_until = NULL, \
             error = NULL, updated_at = $3 WHERE id = $1 AND status = 'queued'",
        )
        .bind(id)
        .bind(provider_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        attempt(&mut tx, id, now, took_ms, "submitted", Some(provider_id)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A transient failure: back to the queue, due again at `next_at`.
    pub async fn delivery_retry(
        &self,
        id: i64,
        next_at: i64,
        detail: &str,
        took_ms: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE deliveries SET claimed_until = NULL, next_attempt_at = $2, error = $3, updated_at = $4 \
             WHERE id = $1 AND status = 'queued'",
        )
        .bind(id)
        .bind(next_at)
        .bind(detail)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        attempt(&mut tx, id, now, took_ms, "retry", Some(detail)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A permanent failure (or the alert went stale): not retried.
    pub async fn delivery_failed(&self, id: i64, detail: &str, took_ms: i64, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE deliveries SET status = 'failed', claimed_until = NULL, error = $2, updated_at = $3 \
             WHERE id = $1 AND status = 'queued'",
        )
        .bind(id)
        .bind(detail)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        attempt(&mut tx, id, now, took_ms, "failed", Some(detail)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies a provider receipt unless the delivery is already further along.
    /// Returns the delivery's volunteer when something changed.
    pub async fn apply_receipt(
        &self,
        channel: &str,
        provider_id: &str,
        status: DeliveryStatus,
        error: Option<&str>,
    ) -> Result<Option<i64>> {
        // Only statuses of lower rank may move up; `queued` is ours and has no provider id yet.
        let lower: Vec<&str> = DeliveryStatus::NAMES
            .iter()
            .copied()
            .filter(|n| *n != "queued")
            .filter(|n| DeliveryStatus::parse(n).is_some_and(|s| s.rank() < status.rank()))
            .collect();
        if lower.is_empty() {
            return Ok(None);
        }
        let sql = format!(
            "UPDATE deliveries SET status = $1, error = COALESCE($2, error), updated_at = $3 \
             WHERE channel = $4 AND provider_id = $5 AND status IN ({}) RETURNING volunteer_id",
            placeholders(5, lower.len())
        );
        let mut q = sqlx::query(&sql)
            .bind(status.as_str())
            .bind(error)
            .bind(super::now_ms())
            .bind(channel)
            .bind(provider_id);
        for name in lower {
            q = q.bind(name);
        }
        let row = q.fetch_optional(self.pool()).await?;
        row.map(|r| Ok(r.try_get("volunteer_id")?)).transpose()
    }

    /// The volunteer's most recent first alert of a still-open incident: (incident, alert).
    /// An alert of a merged incident counts for the incident it was merged into.
    pub async fn latest_open_alert(&self, volunteer_id: i64) -> Result<Option<(i64, i64)>> {
        let row = sqlx::query(
            "SELECT t.id AS incident_id, a.id AS alert_id FROM deliveries d \
             JOIN alerts a ON a.id = d.alert_id JOIN incidents i ON i.id = a.incident_id \
             JOIN incidents t ON t.id = COALESCE(i.merged_into, i.id) \
             WHERE d.volunteer_id = $1 AND a.purpose = 'first' AND t.status IN ('unverified', 'verified') \
             ORDER BY d.id DESC LIMIT 1",
        )
        .bind(volunteer_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((r.try_get("incident_id")?, r.try_get("alert_id")?)))
            .transpose()
    }
}

/// Records a volunteer's answer (their latest one counts).
pub async fn confirm(
    conn: &mut Conn,
    incident_id: i64,
    volunteer_id: i64,
    alert_id: i64,
    answer: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO confirmations (incident_id, volunteer_id, alert_id, answer, answered_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (incident_id, volunteer_id) \
         DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at, alert_id = excluded.alert_id",
    )
    .bind(incident_id)
    .bind(volunteer_id)
    .bind(alert_id)
    .bind(answer)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

async fn mark_planned(conn: &mut Conn, incident_id: i64, purpose: AlertPurpose, now: i64) -> Result<()> {
    let column = match purpose {
        AlertPurpose::First => "first_alert_at",
        AlertPurpose::AllClear => "all_clear_at",
        AlertPurpose::Update => return Ok(()),
    };
    let sql = format!("UPDATE incidents SET {column} = $2, updated_at = $2 WHERE id = $1");
    sqlx::query(&sql)
        .bind(incident_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

async fn attempt(
    conn: &mut Conn,
    delivery_id: i64,
    now: i64,
    took_ms: i64,
    outcome: &str,
    detail: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO delivery_attempts (delivery_id, at, duration_ms, outcome, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(delivery_id)
    .bind(now)
    .bind(took_ms)
    .bind(outcome)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}
