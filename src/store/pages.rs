//! Paging: which incidents wait for a person and why, the paging rounds taken, the pages
//! themselves (claimed with a lease before they are sent, so that of several instances one
//! sends each), and the ACK that stops them.

use sqlx::Row;

use super::lifecycle::note_incident_on;
use super::vocab::{decode, UNDECIDED};
use super::{now_ms, placeholders, Result, Store};
use crate::domain::{Channel, NeedsPerson, PageStatus, Round};

/// An incident due for a paging round.
#[derive(Debug, Clone)]
pub struct ToPage {
    pub incident_id: i64,
    pub why: NeedsPerson,
    /// Rounds taken so far (0: never paged).
    pub paged_round: i64,
}

/// A page claimed for sending.
#[derive(Debug, Clone)]
pub struct DuePage {
    pub id: i64,
    pub incident_id: Option<i64>,
    pub user_id: i64,
    pub channel: Channel,
    pub attempts: i64,
}

/// What an ACK came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acked {
    /// This dispatcher has it now.
    Taken(i64),
    /// Someone acknowledged it first (their account name).
    Already { incident_id: i64, by: String },
    /// No such incident (or, for a bare ACK, no page to acknowledge).
    Unknown,
}

/// Why an incident needs a person, as the history says it.
fn cause(why: NeedsPerson) -> String {
    format!("needs a dispatcher: {}", why.describe())
}

impl Store {
    /// Marks these incidents as needing a person for this reason, unless they already do; the
    /// ones marked now, each noted in its history.
    pub async fn mark_needs_person(&self, ids: &[i64], why: NeedsPerson) -> Result<Vec<i64>> {
        let mut marked = Vec::new();
        let now = now_ms();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "UPDATE incidents SET needs_person = $1, needs_person_at = $2 WHERE needs_person IS NULL \
                 AND id IN ({}) RETURNING id",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(why.as_str()).bind(now);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                marked.push(row.try_get::<i64, _>("id")?);
            }
        }
        for id in &marked {
            self.note_incident(*id, &cause(why)).await?;
        }
        Ok(marked)
    }

    /// Undecided incidents still without a place that were opened before `before`.
    pub async fn unplaced_since(&self, before: i64) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT id FROM incidents WHERE needs_person IS NULL AND lat IS NULL AND merged_into IS NULL \
             AND status IN {UNDECIDED} AND created_at < $1 ORDER BY id"
        );
        let rows = sqlx::query(&sql).bind(before).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Incidents that still need a person, nobody acknowledged, and are due for a round: never
    /// paged, or paged only on duty before `repage_before`. One placed since it was found
    /// unplaced, or decided meanwhile, is no longer paged for.
    pub async fn incidents_to_page(&self, repage_before: i64) -> Result<Vec<ToPage>> {
        let sql = format!(
            "SELECT id, needs_person, paged_round FROM incidents WHERE needs_person IS NOT NULL \
             AND acked_at IS NULL AND merged_into IS NULL AND status IN {UNDECIDED} \
             AND (needs_person <> 'unplaced' OR lat IS NULL) \
             AND (paged_round = 0 OR (paged_round = 1 AND paged_at < $1)) ORDER BY id"
        );
        let rows = sqlx::query(&sql)
            .bind(repage_before)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ToPage {
                    incident_id: r.try_get("id")?,
                    why: decode(
                        "incidents.needs_person",
                        &r.try_get::<String, _>("needs_person")?,
                        NeedsPerson::parse,
                    )?,
                    paged_round: r.try_get("paged_round")?,
                })
            })
            .collect()
    }

    /// Takes paging round `round` of the incident (after `after` rounds): queues one page per
    /// dispatcher and notes it in the history, in one transaction. None when another instance
    /// took it first, or it was acknowledged meanwhile.
    pub async fn page_round(
        &self,
        incident_id: i64,
        after: i64,
        round: Round,
        to: &[(i64, Channel)],
        cause: &str,
    ) -> Result<Option<usize>> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let took = sqlx::query(
            "UPDATE incidents SET paged_round = $2, paged_at = $3 WHERE id = $1 AND paged_round = $4 AND acked_at IS NULL",
        )
        .bind(incident_id)
        .bind(round.number())
        .bind(now)
        .bind(after)
        .execute(&mut *tx)
        .await?;
        if took.rows_affected() != 1 {
            return Ok(None);
        }
        let topic = format!("incident:{incident_id}");
        for (user_id, channel) in to {
            sqlx::query(
                "INSERT INTO pages (topic, incident_id, user_id, round, channel, status, next_attempt_at, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6, $6) \
                 ON CONFLICT (topic, round, user_id) DO NOTHING",
            )
            .bind(&topic)
            .bind(incident_id)
            .bind(*user_id)
            .bind(round.number())
            .bind(channel.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        note_incident_on(&mut tx, incident_id, cause, now).await?;
        tx.commit().await?;
        Ok(Some(to.len()))
    }

    /// Claims up to `limit` queued pages due now for `lease_ms`; each claim counts an attempt.
    pub async fn claim_pages(&self, lease_ms: i64, limit: i64) -> Result<Vec<DuePage>> {
        let now = now_ms();
        let rows = sqlx::query(
            "UPDATE pages SET claimed_until = $1, attempts = attempts + 1, updated_at = $2 WHERE id IN \
             (SELECT id FROM pages WHERE status = 'queued' AND next_attempt_at <= $2 \
              AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT $3) \
             AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < $2) \
             RETURNING id, incident_id, user_id, channel, attempts",
        )
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DuePage {
                    id: r.try_get("id")?,
                    incident_id: r.try_get("incident_id")?,
                    user_id: r.try_get("user_id")?,
                    channel: decode(
                        "pages.channel",
                        &r.try_get::<String, _>("channel")?,
                        Channel::parse,
                    )?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Records what became of a claimed page: sent (with the provider's id), failed for good,
    /// or back in the queue from `retry_at`.
    pub async fn page_done(
        &self,
        id: i64,
        status: PageStatus,
        provider_id: Option<&str>,
        error: Option<&str>,
        retry_at: Option<i64>,
    ) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "UPDATE pages SET status = $2, provider_id = $3, error = $4, next_attempt_at = COALESCE($5, next_attempt_at), \
             claimed_until = NULL, updated_at = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(provider_id)
        .bind(error)
        .bind(retry_at)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The dispatcher `user_id` takes the incident (a bare ACK: the latest one they were paged
    /// for): paging stops, pages not yet sent are canceled, the history says who.
    pub async fn ack(&self, user_id: i64, name: &str, incident_id: Option<i64>) -> Result<Acked> {
        let incident_id = match incident_id {
            Some(id) => id,
            None => {
                let row = sqlx::query(
                    "SELECT incident_id FROM pages WHERE user_id = $1 AND incident_id IS NOT NULL ORDER BY id DESC LIMIT 1",
                )
                .bind(user_id)
                .fetch_optional(self.pool())
                .await?;
                match row {
                    Some(r) => r.try_get("incident_id")?,
                    None => return Ok(Acked::Unknown),
                }
            }
        };
        let now = now_ms();
        let mut tx = self.begin().await?;
        let took = sqlx::query(
            "UPDATE incidents SET acked_by = $2, acked_at = $3 WHERE id = $1 AND acked_at IS NULL",
        )
        .bind(incident_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if took.rows_affected() != 1 {
            tx.rollback().await?;
            let row = sqlx::query(
                "SELECT u.name FROM incidents i LEFT JOIN users u ON u.id = i.acked_by WHERE i.id = $1",
            )
            .bind(incident_id)
            .fetch_optional(self.pool())
            .await?;
            return Ok(match row {
                Some(r) => Acked::Already {
                    incident_id,
                    by: r
                        .try_get::<Option<String>, _>("name")?
                        .unwrap_or_else(|| "a removed account".into()),
                },
                None => Acked::Unknown,
            });
        }
        sqlx::query(
            "UPDATE pages SET status = 'canceled', updated_at = $2 WHERE incident_id = $1 AND status = 'queued' \
             AND (claimed_until IS NULL OR claimed_until < $2)",
        )
        .bind(incident_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let cause = format!("acknowledged by {name} (ACK{incident_id})");
        note_incident_on(&mut tx, incident_id, &cause, now).await?;
        tx.commit().await?;
        Ok(Acked::Taken(incident_id))
    }
}

impl Store {
    /// Queues one page per dispatcher for a subject with no incident (a flood: `flood:<hour>`);
    /// pages for the same subject and dispatcher are queued once. How many were queued now.
    pub async fn page_topic(&self, topic: &str, round: Round, to: &[(i64, Channel)]) -> Result<u64> {
        let now = now_ms();
        let mut queued = 0;
        for (user_id, channel) in to {
            let done = sqlx::query(
                "INSERT INTO pages (topic, user_id, round, channel, status, next_attempt_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'queued', $5, $5, $5) ON CONFLICT (topic, round, user_id) DO NOTHING",
            )
            .bind(topic)
            .bind(*user_id)
            .bind(round.number())
            .bind(channel.as_str())
            .bind(now)
            .execute(self.pool())
            .await?;
            queued += done.rows_affected();
        }
        Ok(queued)
    }
}
