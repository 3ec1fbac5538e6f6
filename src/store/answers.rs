//! What a volunteer may answer: the open incidents whose first alert (or a mobilisation's
//! invitation) reached them, most recent first, and the answer held while tocsin asks which of
//! them it is for.

use sqlx::Row;

use super::alerts::REACHED;
use super::vocab::OPEN;
use super::{Result, Store};
use crate::domain::{AlertPurpose, Answer};

/// An open incident a volunteer was alerted for (by a first alert or an escalation step).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAlert {
    /// The incident (the one it was merged into, if merged).
    pub incident_id: i64,
    /// The latest first alert of it that reached the volunteer.
    pub alert_id: i64,
    pub kind: String,
    pub zone: Option<String>,
}

/// At most this many open incidents are offered: more is a list nobody reads on a lock screen.
const MAX_OPEN: usize = 5;

impl Store {
    /// The open incidents whose first alert reached `volunteer_id`, most recently alerted first.
    /// Requests to check are not here: they are answered with CONFIRM or NOTHING.
    pub async fn open_alerts(&self, volunteer_id: i64) -> Result<Vec<OpenAlert>> {
        let rows = sqlx::query(&format!(
            "SELECT t.id AS incident_id, a.id AS alert_id, t.kind AS kind, t.zone AS zone FROM deliveries d \
             JOIN alerts a ON a.id = d.alert_id JOIN incidents i ON i.id = a.incident_id \
             JOIN incidents t ON t.id = COALESCE(i.merged_into, i.id) \
             WHERE d.volunteer_id = $1 AND a.purpose IN ('first', 'invite', 'live') \
             AND (t.status IN {OPEN} OR t.status = 'planned') \
             AND {REACHED} \
             ORDER BY d.id DESC LIMIT 200"
        ))
        .bind(volunteer_id)
        .fetch_all(self.pool())
        .await?;
        let mut open: Vec<OpenAlert> = Vec::new();
        for r in rows {
            let incident_id: i64 = r.try_get("incident_id")?;
            if open.iter().any(|o| o.incident_id == incident_id) {
                continue;
            }
            open.push(OpenAlert {
                incident_id,
                alert_id: r.try_get("alert_id")?,
                kind: r.try_get("kind")?,
                zone: r.try_get("zone")?,
            });
            if open.len() == MAX_OPEN {
                break;
            }
        }
        Ok(open)
    }

    /// Holds a bare answer while the volunteer is asked which incident it is for.
    pub async fn hold_answer(&self, volunteer_id: i64, answer: Answer, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO pending_answers (volunteer_id, answer, asked_at) VALUES ($1, $2, $3) \
             ON CONFLICT (volunteer_id) DO UPDATE SET answer = excluded.answer, asked_at = excluded.asked_at",
        )
        .bind(volunteer_id)
        .bind(answer.as_str())
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The held answer, if asked at `since` or later; it is removed either way.
    pub async fn take_held_answer(&self, volunteer_id: i64, since: i64) -> Result<Option<Answer>> {
        let row =
            sqlx::query("DELETE FROM pending_answers WHERE volunteer_id = $1 RETURNING answer, asked_at")
                .bind(volunteer_id)
                .fetch_optional(self.pool())
                .await?;
        let Some(r) = row else { return Ok(None) };
        let asked_at: i64 = r.try_get("asked_at")?;
        let answer: String = r.try_get("answer")?;
        Ok(Answer::parse(&answer).filter(|_| asked_at >= since))
    }

    /// Whether an answer is held for the volunteer (asked at `since` or later).
    pub async fn holds_answer(&self, volunteer_id: i64, since: i64) -> Result<bool> {
        let row =
            sqlx::query("SELECT 1 AS one FROM pending_answers WHERE volunteer_id = $1 AND asked_at >= $2")
                .bind(volunteer_id)
                .bind(since)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.is_some())
    }

    /// The volunteer's most recent first alert (or request to check) of a still-open incident that reached them (or
    /// may have): (incident, alert). An answer is never credited to an alert they never got;
    /// an alert of a merged incident counts for the incident it was merged into.
    pub async fn latest_open_alert(&self, volunteer_id: i64) -> Result<Option<(i64, i64, AlertPurpose)>> {
        let row = sqlx::query(&format!(
            "SELECT t.id AS incident_id, a.id AS alert_id, a.purpose AS purpose FROM deliveries d \
             JOIN alerts a ON a.id = d.alert_id JOIN incidents i ON i.id = a.incident_id \
             JOIN incidents t ON t.id = COALESCE(i.merged_into, i.id) \
             WHERE d.volunteer_id = $1 AND a.purpose IN ('first', 'verify') \
             AND t.status IN {OPEN} \
             AND {REACHED} \
             ORDER BY d.id DESC LIMIT 1"
        ))
        .bind(volunteer_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            let purpose: String = r.try_get("purpose")?;
            let purpose = AlertPurpose::parse(&purpose).unwrap_or(AlertPurpose::First);
            Ok((r.try_get("incident_id")?, r.try_get("alert_id")?, purpose))
        })
        .transpose()
    }
}

/// Records a volunteer's answer (their latest one counts).
pub async fn confirm(
    tx: &mut super::Tx,
    incident_id: i64,
    volunteer_id: i64,
    alert_id: i64,
    answer: &str,
    now: i64,
) -> Result<()> {
    let conn = tx.conn();
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
