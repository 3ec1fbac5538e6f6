//! Wake-up calls in the store: a volunteer's choice (`volunteers.call`), a call delivery as its
//! TwiML and answer need it, and placing an unanswered call once more. Call statuses reach the
//! delivery through `apply_receipt` (channel `voice`, keyed by the call's sid) like receipts.

use sqlx::Row;

use super::{Result, Store};
use crate::domain::{CallWhen, DeliveryStatus};

/// A call delivery, with what its TwiML and its answer need.
#[derive(Debug, Clone)]
pub struct CallDelivery {
    pub id: i64,
    pub alert_id: i64,
    pub incident_id: i64,
    pub volunteer_id: i64,
    /// What the call says (the alert's words, zone only), in the volunteer's language.
    pub body: String,
    pub status: DeliveryStatus,
    /// The sid of the latest call placed for it.
    pub provider_id: Option<String>,
    pub language: String,
}

/// A voice delivery waits until its volunteer's text deliveries of the same alert have left
/// the queue: the call follows the text. `q` is the claimed row.
pub(super) const CALL_DUE: &str = "(q.channel <> 'voice' OR NOT EXISTS (SELECT 1 FROM deliveries s \
     WHERE s.alert_id = q.alert_id AND s.volunteer_id = q.volunteer_id AND s.channel <> 'voice' \
     AND s.status = 'queued'))";

/// Queued calls (not in a live worker's hands, `$1` now) no longer wanted: the volunteer
/// turned calls off, texted STOP (calls stop too), was removed, or answered the incident
/// already. They are cancelled rather than left queued.
const CALL_UNWANTED: &str = "channel = 'voice' AND status = 'queued' \
     AND (claimed_until IS NULL OR claimed_until < $1) AND (\
     volunteer_id IN (SELECT v.id FROM volunteers v WHERE NOT v.active OR v.opted_out OR v.call = 'never') \
     OR EXISTS (SELECT 1 FROM confirmations c JOIN alerts a ON a.incident_id = c.incident_id \
         WHERE a.id = deliveries.alert_id AND c.volunteer_id = deliveries.volunteer_id))";

impl Store {
    /// Cancels the queued calls no longer wanted (`CALL_UNWANTED`); how many.
    pub async fn cancel_unwanted_calls(&self, now: i64) -> Result<u64> {
        let done = sqlx::query(&format!(
            "UPDATE deliveries SET status = 'canceled', updated_at = $1 WHERE {CALL_UNWANTED}"
        ))
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Sets when the volunteer is called; false if there is no such volunteer.
    pub async fn set_call(&self, volunteer_id: i64, call: CallWhen) -> Result<bool> {
        let done = sqlx::query("UPDATE volunteers SET call = $2, updated_at = $3 WHERE id = $1 AND active")
            .bind(volunteer_id)
            .bind(call.as_str())
            .bind(super::now_ms())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The call delivery `id` (None: no such voice delivery).
    pub async fn call_delivery(&self, id: i64) -> Result<Option<CallDelivery>> {
        let row = sqlx::query(
            "SELECT d.id, d.alert_id, a.incident_id, d.volunteer_id, d.body, d.status, d.provider_id, \
             v.language FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
             JOIN volunteers v ON v.id = d.volunteer_id WHERE d.id = $1 AND d.channel = 'voice'",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            let status: String = r.try_get("status")?;
            Ok(CallDelivery {
                id: r.try_get("id")?,
                alert_id: r.try_get("alert_id")?,
                incident_id: r.try_get("incident_id")?,
                volunteer_id: r.try_get("volunteer_id")?,
                body: r.try_get("body")?,
                status: DeliveryStatus::parse(&status).unwrap_or(DeliveryStatus::Failed),
                provider_id: r.try_get("provider_id")?,
                language: r.try_get("language")?,
            })
        })
        .transpose()
    }

    /// The call `sid` ended unanswered or busy: its delivery is queued again for `at`, unless
    /// it was placed twice already (`domain::calls::call_again`). True when it was queued.
    pub async fn call_again(&self, sid: &str, at: i64, now: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT d.id, d.status, (SELECT COUNT(*) FROM delivery_attempts t WHERE t.delivery_id = d.id \
             AND t.outcome = 'submitted') AS placed FROM deliveries d \
             WHERE d.channel = 'voice' AND d.provider_id = $1",
        )
        .bind(sid)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let id: i64 = row.try_get("id")?;
        let status = DeliveryStatus::parse(&row.try_get::<String, _>("status")?);
        let placed: i64 = row.try_get("placed")?;
        if !status.is_some_and(|s| crate::domain::calls::call_again(s, placed)) {
            return Ok(false);
        }
        let moved = sqlx::query(
            "UPDATE deliveries SET status = 'queued', next_attempt_at = $2, claimed_until = NULL, \
             updated_at = $3 WHERE id = $1 AND status IN ('no_answer', 'busy')",
        )
        .bind(id)
        .bind(at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(moved.rows_affected() == 1)
    }
}
