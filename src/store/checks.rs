//! Requests to check and verifiers' answers to them. Everything a verifier sends while asked to
//! check is kept for the dispatcher, its text encrypted (it is message text); NOTHING answers
//! are counted once per verifier; requests sent in the last hour bound how many more a
//! verifier is sent. Texts are sealed bound to their row (`Field::CheckAnswerText`).

use std::collections::HashMap;

use sqlx::Row;

use super::alerts::REACHED;
use super::{inbound, now_ms, placeholders, Result, Store};
use crate::crypto::Field;
use crate::domain::{CheckAnswer, IncidentStatus};

use super::vocab::{decode, UNDECIDED};

/// A request to check that reached a verifier: the incident it is about now (the one it was
/// merged into, if it was) and that incident's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub incident_id: i64,
    pub status: IncidentStatus,
}

/// Which request to check a verifier's message is about.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    /// The latest that reached them, whatever became of its incident.
    Latest,
    /// The latest whose incident is still undecided (unverified or verifying).
    LatestUndecided,
    /// The one about this incident (or one merged into it), by its number.
    Incident(i64),
}

/// One answer, to be kept.
pub struct NewCheckAnswer<'a> {
    pub incident_id: i64,
    pub volunteer_id: i64,
    pub kind: CheckAnswer,
    pub text: &'a str,
}

/// One answer as the dispatcher sees it.
#[derive(Debug, Clone)]
pub struct CheckAnswerRow {
    pub volunteer_id: i64,
    /// The volunteer's name (empty once they were removed).
    pub name: String,
    pub kind: CheckAnswer,
    pub text: String,
    pub at: i64,
}

/// NOTHING answers from different verifiers, and how many verifiers were asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NothingTally {
    pub nothing: i64,
    pub asked: i64,
}

/// The incident bound at `$n` and every incident merged into it.
fn group(n: usize) -> String {
    format!("(SELECT id FROM incidents WHERE id = ${n} OR merged_into = ${n})")
}

impl Store {
    /// The request to check (of `which`) that reached this volunteer, if any.
    pub async fn check_for(&self, volunteer_id: i64, which: Which) -> Result<Option<Check>> {
        let only = match which {
            Which::Latest => String::new(),
            Which::LatestUndecided => format!("AND t.status IN {UNDECIDED}"),
            Which::Incident(_) => "AND (i.id = $2 OR t.id = $2)".to_string(),
        };
        let sql = format!(
            "SELECT t.id AS incident_id, t.status AS status FROM deliveries d \
             JOIN alerts a ON a.id = d.alert_id JOIN incidents i ON i.id = a.incident_id \
             JOIN incidents t ON t.id = COALESCE(i.merged_into, i.id) \
             WHERE d.volunteer_id = $1 AND a.purpose = 'verify' AND {REACHED} {only} \
             ORDER BY d.id DESC LIMIT 1"
        );
        let mut q = sqlx::query(&sql).bind(volunteer_id);
        if let Which::Incident(id) = which {
            q = q.bind(id);
        }
        let row = q.fetch_optional(self.pool()).await?;
        row.map(|r| {
            Ok(Check {
                incident_id: r.try_get("incident_id")?,
                status: decode(
                    "status",
                    &r.try_get::<String, _>("status")?,
                    IncidentStatus::parse,
                )?,
            })
        })
        .transpose()
    }

    /// Keeps a verifier's answer, its text encrypted. With `seen` (provider, message id), the
    /// message is recorded as received in the same transaction; false when it was already (a
    /// provider's redelivery), and nothing is kept twice.
    pub async fn record_check_answer(
        &self,
        answer: NewCheckAnswer<'_>,
        seen: Option<(&str, &str)>,
    ) -> Result<bool> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        if let Some((provider, message_id)) = seen {
            if !inbound::first_time_on(&mut tx, provider, message_id, now).await? {
                return Ok(false);
            }
        }
        // The row first, for its id; then its text sealed bound to that id.
        let row = sqlx::query(
            "INSERT INTO verifier_answers (incident_id, volunteer_id, kind, text_enc, at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(answer.incident_id)
        .bind(answer.volunteer_id)
        .bind(answer.kind.as_str())
        .bind(Vec::<u8>::new())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        sqlx::query("UPDATE verifier_answers SET text_enc = $2 WHERE id = $1")
            .bind(id)
            .bind(self.seal(Field::CheckAnswerText, id, answer.text))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every verifier's answer about the incident (and those merged into it), oldest first,
    /// decrypted for the dispatcher.
    pub async fn check_answers(&self, incident_id: i64) -> Result<Vec<CheckAnswerRow>> {
        let sql = format!(
            "SELECT w.id, w.volunteer_id, v.name_enc, w.kind, w.text_enc, w.at FROM verifier_answers w \
             JOIN volunteers v ON v.id = w.volunteer_id WHERE w.incident_id IN {} ORDER BY w.id",
            group(1)
        );
        let rows = sqlx::query(&sql).bind(incident_id).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let (id, volunteer_id): (i64, i64) = (r.try_get("id")?, r.try_get("volunteer_id")?);
                let kind: String = r.try_get("kind")?;
                Ok(CheckAnswerRow {
                    volunteer_id,
                    name: self.open_value(
                        Field::VolunteerName,
                        volunteer_id,
                        &r.try_get::<Vec<u8>, _>("name_enc")?,
                    ),
                    kind: CheckAnswer::parse(&kind).unwrap_or(CheckAnswer::Other),
                    text: self.open_value(Field::CheckAnswerText, id, &r.try_get::<Vec<u8>, _>("text_enc")?),
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// NOTHING answers from different verifiers about the incident (or one merged into it),
    /// and the verifiers its requests to check were written for, less those that could not
    /// be sent (failed, or cancelled before any try).
    pub async fn nothing_tally(&self, incident_id: i64) -> Result<NothingTally> {
        let sql = format!(
            "SELECT (SELECT COUNT(DISTINCT volunteer_id) FROM verifier_answers \
                     WHERE incident_id IN {g} AND kind = 'nothing') AS nothing_n, \
                    (SELECT COUNT(DISTINCT d.volunteer_id) FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
                     WHERE a.incident_id IN {g} AND a.purpose = 'verify' \
                     AND d.status NOT IN ('failed', 'undelivered', 'failed_over') \
                     AND NOT (d.status = 'canceled' AND d.attempts = 0)) AS asked_n",
            g = group(1)
        );
        let row = sqlx::query(&sql).bind(incident_id).fetch_one(self.pool()).await?;
        Ok(NothingTally {
            nothing: row.try_get("nothing_n")?,
            asked: row.try_get("asked_n")?,
        })
    }

    /// Requests to check written for each of these volunteers since `since` (ms), one per
    /// incident, not counting those cancelled before they left.
    pub async fn checks_since(&self, volunteer_ids: &[i64], since: i64) -> Result<HashMap<i64, i64>> {
        let mut counts = HashMap::new();
        for chunk in volunteer_ids.chunks(500) {
            let sql = format!(
                "SELECT d.volunteer_id AS id, COUNT(DISTINCT a.id) AS n FROM alerts a \
                 JOIN deliveries d ON d.alert_id = a.id \
                 WHERE a.purpose = 'verify' AND a.created_at >= $1 \
                 AND NOT (d.status = 'canceled' AND d.attempts = 0) \
                 AND d.volunteer_id IN ({}) GROUP BY d.volunteer_id",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(since);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                counts.insert(row.try_get("id")?, row.try_get("n")?);
            }
        }
        Ok(counts)
    }

    /// A dispatcher's decision wins over verifiers' NOTHING: a `not_found` incident becomes
    /// `confirmed` again (and is then alerted like any confirmed one). False when it was not
    /// `not_found`.
    pub async fn confirm_not_found(
        &self,
        id: i64,
        by: crate::domain::ConfirmedBy,
        cause: &str,
    ) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE incidents SET status = 'confirmed', verified_at = $2, updated_at = $2, closed_at = NULL, \
             confirmed_by = $3, status_cause = $4 WHERE id = $1 AND status = 'not_found' AND merged_into IS NULL",
        )
        .bind(id)
        .bind(now)
        .bind(by.as_str())
        .bind(cause)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
