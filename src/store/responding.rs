//! Escalation driven by answers (issue 14 §4): per confirmed incident still alerting, how many
//! are coming and how many said they can't, against the replacements already alerted and
//! whether the silent were told that enough are coming.

use sqlx::Row;

use super::{Result, Store};

/// Where one confirmed incident's answers stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub incident_id: i64,
    pub wanted: i64,
    /// Vetted volunteers coming or on scene (those that count towards `wanted`).
    pub responding: i64,
    /// Volunteers whose latest answer is "can't".
    pub cant: i64,
    /// Replacements alerted so far, one per "can't".
    pub replacements: i64,
    /// Whether the silent were told that enough are coming.
    pub told_enough: bool,
}

/// The first alert's sequence numbers: 0 the area, 1.. escalation steps, and from here one
/// per replacement (a replacement is more people for the same alert, like a step).
pub const REPLACEMENT_SEQ: i64 = 1_000_000;

impl Store {
    /// Every confirmed incident whose first alert went out and that wants responders.
    pub async fn tallies(&self) -> Result<Vec<Tally>> {
        let sum = |cond: &str| format!("COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)");
        let sql = format!(
            "SELECT i.id, i.wanted, i.replacements, i.enough_at, {} AS responding, {} AS cant \
             FROM incidents i LEFT JOIN confirmations c ON c.incident_id = i.id \
             LEFT JOIN volunteers v ON v.id = c.volunteer_id \
             WHERE i.status = 'confirmed' AND i.merged_into IS NULL AND i.first_alert_at IS NOT NULL \
             AND i.wanted > 0 GROUP BY i.id, i.wanted, i.replacements, i.enough_at ORDER BY i.id",
            sum("c.answer IN ('coming', 'on_scene') AND v.standing = 'approved'"),
            sum("c.answer = 'cant'"),
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(Tally {
                    incident_id: r.try_get("id")?,
                    wanted: r.try_get("wanted")?,
                    responding: r.try_get("responding")?,
                    cant: r.try_get("cant")?,
                    replacements: r.try_get("replacements")?,
                    told_enough: r.try_get::<Option<i64>, _>("enough_at")?.is_some(),
                })
            })
            .collect()
    }

    /// Claims telling the silent that enough are coming; false when it was claimed before (by
    /// this or another instance).
    pub async fn claim_enough(&self, incident_id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE incidents SET enough_at = $2 WHERE id = $1 AND enough_at IS NULL")
            .bind(incident_id)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Volunteers the first alert (any step, any replacement) was written for who have not
    /// answered at all.
    pub async fn alerted_silent(&self, incident_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT d.volunteer_id AS id FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
             WHERE a.incident_id = $1 AND a.purpose = 'first' AND NOT EXISTS \
             (SELECT 1 FROM confirmations c WHERE c.incident_id = $1 AND c.volunteer_id = d.volunteer_id) \
             ORDER BY id",
        )
        .bind(incident_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }
}

/// An offer's alert: one per incident and volunteer, told in the reply to their answer to
/// another incident (`OFFER_SEQ` + the volunteer's id).
pub const OFFER_SEQ: i64 = 2_000_000_000;

impl Store {
    /// Records that `volunteer_id` was offered the incident in a reply on `channel`: a first
    /// alert of it that reached them (so that their Y14 answers it, and its updates and
    /// all-clear reach them), already sent. False when they were offered it before.
    pub async fn record_offer(
        &self,
        incident_id: i64,
        volunteer_id: i64,
        channel: &str,
        body: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let alert = sqlx::query(
            "INSERT INTO alerts (incident_id, purpose, seq, created_at, complete) VALUES ($1, 'first', $2, $3, TRUE) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(incident_id)
        .bind(OFFER_SEQ + volunteer_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(alert) = alert else {
            return Ok(false);
        };
        let alert_id: i64 = alert.try_get("id")?;
        sqlx::query(
            "INSERT INTO deliveries (alert_id, volunteer_id, channel, body, priority, status, attempts, \
             next_attempt_at, expires_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, 'sent', 1, $5, $5, $5, $5)",
        )
        .bind(alert_id)
        .bind(volunteer_id)
        .bind(channel)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
