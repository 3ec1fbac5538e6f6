//! The outbox's side of deliveries: claimed with a lease, handed to a provider outside any
//! transaction, and the outcome recorded. A delivery whose lease ran out (its worker died) is
//! claimable again; a first alert of an incident closed meanwhile is cancelled, not sent late.

use sqlx::Row;

use super::calls::CALL_DUE;
use super::{placeholders, Backend, Conn, Result, Store};
use crate::crypto::{DecryptError, Field};
use crate::domain::{AttemptOutcome, Channel};

/// Where a volunteer's deliveries go, opened: a value that does not open fails the delivery.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub id: i64,
    pub phone: std::result::Result<String, DecryptError>,
    /// Their Signal account id, when they gave one.
    pub signal: Option<std::result::Result<String, DecryptError>>,
}

const INSERT_FAILOVER: &str = "INSERT INTO deliveries (alert_id, volunteer_id, channel, body, priority, \
     status, next_attempt_at, expires_at, created_at, updated_at, failover_of)";

/// Queued first alerts, updates and requests to check of closed incidents (not claimed by a
/// live worker); an incident merged into another is closed when that one is.
pub(super) const OF_CLOSED: &str = "status = 'queued' AND (claimed_until IS NULL OR claimed_until < $1) \
     AND alert_id IN (SELECT a.id FROM alerts a JOIN incidents i ON i.id = a.incident_id \
     JOIN incidents t ON t.id = COALESCE(i.merged_into, i.id) \
     WHERE a.purpose IN ('first', 'update', 'verify') AND t.status IN ('all_clear', 'false_alarm', 'not_found'))";

/// The delivery is still queued and its claim is still the caller's: `claimed_until` is the lease
/// it holds, bound at `$held_at`. Leases only grow (a claim takes an expired one, an extension a later
/// time), so a worker that stalled past its lease and was taken over matches no more: its
/// outcome is dropped rather than release or end the claim of whoever sends the delivery now
/// (a release would let a third worker claim and send it again).
pub(super) fn still_held(held_at: usize) -> String {
    format!("status = 'queued' AND claimed_until = ${held_at}")
}

/// A delivery a provider took, to be recorded (`Store::deliveries_submitted`).
#[derive(Debug, Clone)]
pub struct Handed {
    pub id: i64,
    pub channel: Channel,
    /// The provider's id for it (Twilio's SM…, Signal's timestamp), when it gave one.
    pub provider_id: Option<String>,
    pub took_ms: i64,
}

#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub volunteer_id: i64,
    pub channel: Channel,
    pub body: String,
    /// Lower goes first (`AlertPurpose::priority`; those coming before the rest).
    pub priority: i64,
    pub attempts: i64,
    pub created_at: i64,
    pub expires_at: i64,
    /// The claim's lease: ours while `claimed_until` still holds this value.
    pub claimed_until: i64,
}

impl Store {
    /// Claims up to `limit` due deliveries on these channels for `lease_ms`, most urgent first.
    pub async fn claim_deliveries(
        &self,
        channels: &[Channel],
        limit: i64,
        lease_ms: i64,
        now: i64,
    ) -> Result<Vec<Claimed>> {
        if channels.is_empty() {
            return Ok(Vec::new());
        }
        // A retried or failed-over first alert of an incident closed meanwhile must not go out.
        sqlx::query(&format!(
            "UPDATE deliveries SET status = 'canceled', updated_at = $1 WHERE {OF_CLOSED}"
        ))
        .bind(now)
        .execute(self.pool())
        .await?;
        if channels.contains(&Channel::Voice) {
            self.cancel_unwanted_calls(now).await?;
        }
        let lock = match self.backend() {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE deliveries SET claimed_until = $1, attempts = attempts + 1, updated_at = $2 \
             WHERE id IN (SELECT q.id FROM deliveries q WHERE q.status = 'queued' AND q.next_attempt_at <= $2 \
             AND (q.claimed_until IS NULL OR q.claimed_until < $2) AND q.channel IN ({}) \
             AND {CALL_DUE} ORDER BY q.priority, q.next_attempt_at, q.id LIMIT $3 {lock}) \
             RETURNING id, volunteer_id, channel, body, priority, attempts, created_at, expires_at, claimed_until",
            placeholders(3, channels.len())
        );
        let mut q = sqlx::query(&sql).bind(now + lease_ms).bind(now).bind(limit);
        for channel in channels {
            q = q.bind(channel.as_str());
        }
        let rows = q.fetch_all(self.pool()).await?;
        let mut claimed = rows
            .iter()
            .map(|r| {
                Ok(Claimed {
                    id: r.try_get("id")?,
                    volunteer_id: r.try_get("volunteer_id")?,
                    channel: decode(r.try_get::<String, _>("channel")?.as_str())?,
                    body: r.try_get("body")?,
                    priority: r.try_get("priority")?,
                    attempts: r.try_get("attempts")?,
                    created_at: r.try_get("created_at")?,
                    expires_at: r.try_get("expires_at")?,
                    claimed_until: r.try_get("claimed_until")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // RETURNING keeps no order: sent in the claim's order, most urgent first.
        claimed.sort_by_key(|c| (c.priority, c.id));
        Ok(claimed)
    }

    /// The numbers and Signal ids of these volunteers (absent: removed since).
    pub async fn recipients_of(&self, ids: &[i64]) -> Result<Vec<Recipient>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, phone_enc, signal_enc FROM volunteers WHERE active AND id IN ({})",
            placeholders(0, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(self.pool()).await?;
        let vault = self.vault();
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let phone: Vec<u8> = r.try_get("phone_enc")?;
                let signal: Option<Vec<u8>> = r.try_get("signal_enc")?;
                Ok(Recipient {
                    id,
                    phone: vault.open(Field::VolunteerPhone, id, &phone),
                    signal: signal.map(|s| vault.open(Field::VolunteerSignal, id, &s)),
                })
            })
            .collect()
    }

    /// Signal could not take the delivery: it is marked `failed_over` and an SMS delivery of
    /// the same alert replaces it, unless the volunteer has one already. `held` is the claim's
    /// lease the caller holds: None when the claim is no longer that (nothing changed), else
    /// whether an SMS delivery was made.
    pub async fn fail_over(
        &self,
        id: i64,
        held: i64,
        reason: &str,
        took_ms: i64,
        now: i64,
    ) -> Result<Option<bool>> {
        let mut tx = self.begin().await?;
        let moved = sqlx::query(&format!(
            "UPDATE deliveries SET status = 'failed_over', claimed_until = NULL, error = $2, updated_at = $3 \
             WHERE id = $1 AND {}",
            still_held(4)
        ))
        .bind(id)
        .bind(reason)
        .bind(now)
        .bind(held)
        .execute(&mut *tx)
        .await?;
        let ours = moved.rows_affected() == 1;
        let mut made = false;
        if ours {
            let sql = format!(
                "{INSERT_FAILOVER} SELECT alert_id, volunteer_id, 'sms', body, priority, 'queued', $2, \
                 expires_at, $2, $2, id FROM deliveries WHERE id = $1 ON CONFLICT DO NOTHING"
            );
            made = sqlx::query(&sql)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        }
        attempt(
            &mut tx,
            id,
            now,
            took_ms,
            AttemptOutcome::FailedOver,
            Some(reason),
        )
        .await?;
        tx.commit().await?;
        Ok(ours.then_some(made))
    }

    /// Records, in one transaction, that the provider took these deliveries; then applies any
    /// receipt that arrived before its send was recorded. One entry per delivery, in order.
    pub async fn deliveries_submitted(
        &self,
        handed: &[Handed],
        now: i64,
    ) -> Result<Vec<Option<super::receipts::Receipt>>> {
        if handed.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        // $1 now, then (id, provider id) pairs, then the ids.
        let mut case = String::from("CASE id");
        for i in 0..handed.len() {
            case.push_str(&format!(" WHEN ${} THEN ${}", 2 + 2 * i, 3 + 2 * i));
        }
        // Not fenced by the claim, unlike the other outcomes: the provider took the message, a
        // fact whoever holds the claim now cannot undo. Recording it ends the delivery's time in
        // the queue (a worker that took it over and has not sent yet then finds it gone, see
        // `extend_claim`), where dropping it would leave it to be sent again, or a third time
        // if the new holder's send times out and is retried. Only a delivery already recorded
        // (sent, failed, failed over, cancelled) is left as it is.
        let sql = format!(
            "UPDATE deliveries SET status = 'submitted', provider_id = {case} END, claimed_until = NULL, \
             error = NULL, updated_at = $1 WHERE status = 'queued' AND id IN ({}) RETURNING id",
            placeholders(1 + 2 * handed.len(), handed.len())
        );
        let mut q = sqlx::query(&sql).bind(now);
        for h in handed {
            q = q.bind(h.id).bind(h.provider_id.as_deref());
        }
        for h in handed {
            q = q.bind(h.id);
        }
        let mut recorded = std::collections::HashSet::new();
        for row in q.fetch_all(&mut *tx).await? {
            recorded.insert(row.try_get::<i64, _>("id")?);
        }
        let rows: Vec<String> = (0..handed.len())
            .map(|i| {
                format!(
                    "(${}, $1, ${}, '{}', ${})",
                    2 + 3 * i,
                    3 + 3 * i,
                    AttemptOutcome::Submitted.as_str(),
                    4 + 3 * i
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO delivery_attempts (delivery_id, at, duration_ms, outcome, detail) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(now);
        for h in handed {
            q = q.bind(h.id).bind(h.took_ms).bind(h.provider_id.as_deref());
        }
        q.execute(&mut *tx).await?;
        tx.commit().await?;
        // After the commit, so that a receipt kept meanwhile is either seen here or finds the
        // delivery itself (see `store::receipts`). Early receipts are rare: one look for all.
        let with_id: Vec<&str> = handed.iter().filter_map(|h| h.provider_id.as_deref()).collect();
        let mut early_ids = std::collections::HashSet::new();
        if !with_id.is_empty() {
            let sql = format!(
                "SELECT provider_id FROM early_receipts WHERE provider_id IN ({})",
                placeholders(0, with_id.len())
            );
            let mut q = sqlx::query(&sql);
            for id in &with_id {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                early_ids.insert(row.try_get::<String, _>("provider_id")?);
            }
        }
        let mut out = Vec::with_capacity(handed.len());
        for h in handed {
            if !recorded.contains(&h.id) {
                tracing::warn!(
                    delivery_id = h.id,
                    "a provider took a delivery already recorded otherwise; its record stands"
                );
                out.push(None);
                continue;
            }
            let early = match h.provider_id.as_deref() {
                // The sends are committed: one early receipt that cannot be applied must not
                // fail them all, nor keep the others from being applied. It stays kept.
                Some(pid) if early_ids.contains(pid) => match self.early(h, pid).await {
                    Ok(early) => early,
                    Err(e) => {
                        tracing::error!(delivery_id = h.id, error = %e, "applying an early receipt failed");
                        None
                    }
                },
                _ => None,
            };
            out.push(early);
        }
        Ok(out)
    }

    async fn early(&self, h: &Handed, provider_id: &str) -> Result<Option<super::receipts::Receipt>> {
        let mut tx = self.begin().await?;
        let early = super::receipts::apply_early(&mut tx, h.id, h.channel, provider_id).await?;
        tx.commit().await?;
        Ok(early)
    }

    /// How many deliveries are still queued (due or not, claimed or not): none means no send
    /// is left to come, not even a retry.
    pub async fn queued_deliveries(&self) -> Result<i64> {
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'queued'")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}

pub(super) async fn attempt(
    conn: &mut Conn,
    delivery_id: i64,
    now: i64,
    took_ms: i64,
    outcome: AttemptOutcome,
    detail: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO delivery_attempts (delivery_id, at, duration_ms, outcome, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(delivery_id)
    .bind(now)
    .bind(took_ms)
    .bind(outcome.as_str())
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored name decoded, or a decoding error naming what was found.
fn decode<T: for<'a> TryFrom<&'a str, Error = crate::domain::UnknownName>>(s: &str) -> Result<T> {
    T::try_from(s).map_err(|e| sqlx::Error::Decode(Box::new(e)).into())
}
