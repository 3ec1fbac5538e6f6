//! Alerts and answers: planning an alert writes it and all its deliveries in one transaction
//! under unique keys, so planning twice changes nothing; a volunteer's answer is recorded
//! against the latest alert that reached them.

use sqlx::Row;

use super::vocab::{In, OPEN, UNDECIDED};
use super::{placeholders, Result, Store};
use crate::domain::{AlertPurpose, CallWhen, IncidentStatus};

/// Rows per INSERT when fanning out, well under both backends' bind-parameter limits.
const BATCH: usize = 500;

/// INSERT statements per transaction: about 2,000 volunteers (each on one or two channels).
const GROUP: usize = 4;

/// Volunteers in the first transaction, committed on its own so that sending starts at once.
const FIRST: usize = 100;

/// An alert being written: what its deliveries carry.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub alert_id: i64,
    pub incident_id: i64,
    pub purpose: AlertPurpose,
    /// A first alert's escalation step (0: the first alert itself); an update's number.
    pub seq: i64,
    pub now: i64,
    pub expires_at: i64,
}

pub use super::answers::confirm;
pub use super::bodies::{Bodies, Calls, Texts};

/// Who an alert goes to.
pub enum Audience<'a> {
    /// These volunteers (found by the geofence), each on their own channel(s). With Signal off,
    /// Signal-only volunteers get SMS.
    Volunteers { ids: &'a [i64], signal_on: bool },
    /// Everyone the incident's first alert (or its escalation steps, or its requests to check)
    /// reached, or may have reached, on the channel it reached them on; those who said they are
    /// coming (or are on scene) first.
    ReachedByFirstAlert,
    /// Everyone a mobilisation's invitation reached (or may have), on the channel it reached
    /// them on, picked by their answer.
    Invited(super::invitations::Pick),
}

/// Deliveries that reached their volunteer, or may have: in flight, or tried and then
/// cancelled (a timed-out send may have gone out).
pub(crate) const REACHED: &str = "(d.status IN ('submitted', 'sent', 'delivered', 'read') \
     OR (d.status = 'queued' AND d.claimed_until IS NOT NULL) \
     OR (d.status = 'canceled' AND d.attempts > 0))";

/// Volunteers an alert to chosen ids goes to (`$3`: now); `store::audience` counts them so.
pub(crate) const SENDABLE: &str = "v.active AND NOT v.opted_out AND v.standing <> 'pending' \
     AND NOT v.paused AND (v.paused_until IS NULL OR v.paused_until <= $3)";

/// The incident (its id bound at `$n`) and every incident merged into it: their first alerts
/// count as its first alert.
pub(crate) fn merged_group(n: usize) -> String {
    format!("(SELECT id FROM incidents WHERE id = ${n} OR merged_into = ${n})")
}

const INSERT: &str = "INSERT INTO deliveries (alert_id, volunteer_id, channel, body, priority, status, \
     next_attempt_at, expires_at, created_at, updated_at)";

impl Store {
    /// Volunteers the incident's first alert or request to check (or those of an incident merged
    /// into it) reached or may have reached, once each: updates and the end go to them.
    pub async fn reached_by_first_alert(&self, incident_id: i64) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT DISTINCT d.volunteer_id AS id FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
             WHERE a.incident_id IN {} AND a.purpose IN ('first', 'verify', 'live') AND {REACHED} ORDER BY id",
            merged_group(1)
        );
        let rows = sqlx::query(&sql).bind(incident_id).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Writes the alert and its deliveries in one transaction. Returns the number of
    /// deliveries written, or None when the incident no longer calls for this alert (already
    /// planned, or closed meanwhile): planning twice is a no-op. `step`: of a first alert, the
    /// escalation step (0 for the first alert itself); `now` and when its deliveries go stale.
    pub async fn plan_alert(
        &self,
        incident_id: i64,
        (purpose, step): (AlertPurpose, i64),
        audience: Audience<'_>,
        bodies: &Bodies,
        (now, expires_at): (i64, i64),
        after_first: &(dyn Fn() + Send + Sync),
    ) -> Result<Option<u64>> {
        let mut tx = self.begin().await?;
        // Claim the incident's state first: the alert goes out only while the incident is in
        // the state that calls for it (not after a close that raced this planning). On
        // PostgreSQL the row lock also serialises this with `close_incident`.
        // Updates are numbered (`seq`): each is its own alert; two planned at the same instant
        // on two instances collide on the unique key and the second gets None.
        // An escalation step is a first alert to more people: step k follows step k - 1.
        let claim = match purpose {
            AlertPurpose::First if step == 0 => {
                "first_alert_at = $2, escalated_at = $2 WHERE id = $1 AND first_alert_at IS NULL \
                 AND status = 'confirmed'"
                    .to_string()
            }
            // A replacement for someone who can't: the k-th follows the (k - 1)-th.
            AlertPurpose::First if step > super::responding::REPLACEMENT_SEQ => format!(
                "replacements = {} WHERE id = $1 AND replacements = {} AND status = 'confirmed' \
                 AND first_alert_at IS NOT NULL",
                step - super::responding::REPLACEMENT_SEQ,
                step - super::responding::REPLACEMENT_SEQ - 1
            ),
            AlertPurpose::First => format!(
                "escalation_step = {step}, escalated_at = $2 WHERE id = $1 \
                 AND escalation_step = {} AND status = 'confirmed'",
                step - 1
            ),
            AlertPurpose::AllClear => format!(
                "all_clear_at = $2 WHERE id = $1 AND all_clear_at IS NULL AND status IN {}",
                In(IncidentStatus::ENDED_ALOUD)
            ),
            AlertPurpose::Update => format!("status = status WHERE id = $1 AND status IN {OPEN}"),
            // A mobilisation's alerts follow its own claims (`store::invitations`): the caller
            // passes them through `plan_mobilisation_alert`.
            AlertPurpose::Invite
            | AlertPurpose::Reminder
            | AlertPurpose::Change
            | AlertPurpose::Cancel
            | AlertPurpose::Live => {
                return Err(sqlx::Error::Protocol("a mobilisation's alert planned as an incident's".into()).into())
            }
            // Asking verifiers puts an unverified incident in `verifying`; round k + 1 (step k)
            // follows round k while nobody needs to be paged for it.
            AlertPurpose::Verify if step == 0 => format!(
                "verifiers_paged_at = $2, verifier_rounds = 1, \
                 status = 'verifying', status_cause = 'verifiers asked to check' \
                 WHERE id = $1 AND verifiers_paged_at IS NULL AND status IN {UNDECIDED}"
            ),
            AlertPurpose::Verify => format!(
                "verifiers_paged_at = $2, verifier_rounds = {} \
                 WHERE id = $1 AND verifier_rounds = {step} AND needs_person IS NULL AND status IN {UNDECIDED}",
                step + 1
            ),
        };
        let claimed = sqlx::query(&format!("UPDATE incidents SET updated_at = $2, {claim}"))
            .bind(incident_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 0 {
            return Ok(None);
        }
        let seq: i64 = match purpose {
            AlertPurpose::Update => sqlx::query(
                "SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM alerts WHERE incident_id = $1 AND purpose = 'update'",
            )
            .bind(incident_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("seq")?,
            AlertPurpose::AllClear => 0,
            _ => step,
        };
        self.write_alert(
            tx,
            (incident_id, purpose, seq),
            audience,
            bodies,
            (now, expires_at),
            after_first,
        )
        .await
    }

    /// The alert row, then its deliveries; None when it exists already.
    pub(super) async fn write_alert(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Any>,
        (incident_id, purpose, seq): (i64, AlertPurpose, i64),
        audience: Audience<'_>,
        bodies: &Bodies,
        (now, expires_at): (i64, i64),
        after_first: &(dyn Fn() + Send + Sync),
    ) -> Result<Option<u64>> {
        let alert = sqlx::query(
            "INSERT INTO alerts (incident_id, purpose, seq, created_at, complete) VALUES ($1, $2, $3, $4, FALSE) \
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
        // $1 alert, $2 priority, $3 now, $4 expiry, $5 the default text, then a (code, text)
        // pair per other language, then the statement's own values.
        let planned = Planned {
            alert_id,
            incident_id,
            purpose,
            seq,
            now,
            expires_at,
        };
        let written = self
            .write_deliveries(Some(tx), &planned, audience, bodies, after_first)
            .await?;
        Ok(Some(written))
    }

    /// Finishes an alert whose deliveries were not all written (the process stopped between
    /// batches): writes them again (what exists is skipped) and marks it complete.
    pub async fn finish_alert(
        &self,
        planned: &Planned,
        audience: Audience<'_>,
        bodies: &Bodies,
    ) -> Result<u64> {
        self.write_deliveries(None, planned, audience, bodies, &|| {})
            .await
    }

    /// Alerts left incomplete since before `before`: (alert, incident, purpose, created_at).
    pub async fn incomplete_alerts(&self, before: i64) -> Result<Vec<Planned>> {
        let rows = sqlx::query(
            "SELECT id, incident_id, purpose, seq, created_at FROM alerts WHERE NOT complete AND created_at < $1 ORDER BY id",
        )
        .bind(before)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let purpose: String = r.try_get("purpose")?;
                let now: i64 = r.try_get("created_at")?;
                Ok(Planned {
                    alert_id: r.try_get("id")?,
                    incident_id: r.try_get("incident_id")?,
                    purpose: AlertPurpose::parse(&purpose).unwrap_or(AlertPurpose::First),
                    seq: r.try_get("seq")?,
                    now,
                    expires_at: now,
                })
            })
            .collect()
    }

    /// Writes the deliveries in transactions of `GROUP` statements (a few thousand rows each),
    /// so that a huge fan-out holds neither the database nor memory: the first transaction is
    /// the caller's (with the alert), `after_first` runs once it is committed so that sending
    /// starts at once, and the last marks the alert complete.
    async fn write_deliveries(
        &self,
        first_tx: Option<sqlx::Transaction<'static, sqlx::Any>>,
        planned: &Planned,
        audience: Audience<'_>,
        bodies: &Bodies,
        after_first: &(dyn Fn() + Send + Sync),
    ) -> Result<u64> {
        let Planned {
            alert_id,
            incident_id,
            purpose,
            now,
            expires_at,
            ..
        } = *planned;
        // The texts from $5 on, the calls' after them; the statement's own values after `own`.
        let (text, own) = bodies.sql(5);
        let spoken = bodies.calls_sql(own);
        let own = spoken.as_ref().map_or(own, |(_, last)| *last);
        let mut statements: Vec<(String, Vec<i64>)> = Vec::new();
        // How many statements the first chunk made (Volunteers only).
        let mut audience_first: Option<usize> = None;
        match audience {
            Audience::Volunteers { ids, signal_on } => {
                let calls = spoken.as_ref().zip(bodies.calls.as_ref());
                audience_first = Some(if signal_on { 2 } else { 1 } + usize::from(calls.is_some()));
                let sms_reach = if signal_on { "v.channel IN ('sms', 'both')" } else { "TRUE" };
                let (head, tail) = ids.split_at(ids.len().min(FIRST));
                for chunk in std::iter::once(head).filter(|c| !c.is_empty()).chain(tail.chunks(BATCH)) {
                    let ids = placeholders(own, chunk.len());
                    let pick = |channel: &str, reach: &str| {
                        format!(
                            "{INSERT} SELECT $1, v.id, '{channel}', {text}, $2, 'queued', $3, $4, $3, $3 \
                             FROM volunteers v WHERE {SENDABLE} AND {reach} AND v.id IN ({ids}) \
                             ON CONFLICT DO NOTHING"
                        )
                    };
                    statements.push((pick("sms", sms_reach), chunk.to_vec()));
                    if signal_on {
                        statements.push((pick("signal", "v.channel IN ('signal', 'both')"), chunk.to_vec()));
                    }
                    // The wake-up call, to those who want one now; the outbox places it once
                    // the volunteer's texts have left (`store::calls::CALL_DUE`).
                    if let Some(((spoken, _), c)) = calls {
                        let call = format!(
                            "{INSERT} SELECT $1, v.id, 'voice', {spoken}, $2, 'queued', $3, $4, $3, $3 \
                             FROM volunteers v WHERE {SENDABLE} AND v.call IN {} AND v.id IN ({ids}) \
                             ON CONFLICT DO NOTHING",
                            CallWhen::called_sql(c.night)
                        );
                        statements.push((call, chunk.to_vec()));
                    }
                }
            }
            // Stand-down order: those coming or on scene get the lower (sooner) priority.
            Audience::ReachedByFirstAlert => statements.push((
                format!(
                    "{INSERT} SELECT DISTINCT $1, d.volunteer_id, d.channel, {text}, \
                     CASE WHEN d.volunteer_id IN (SELECT c.volunteer_id FROM confirmations c \
                         WHERE c.incident_id = ${n} AND c.answer IN ('coming', 'on_scene')) THEN $2 ELSE $2 + 1 END, \
                     'queued', $3, $4, $3, $3 \
                     FROM deliveries d JOIN alerts a ON a.id = d.alert_id JOIN volunteers v ON v.id = d.volunteer_id \
                     WHERE a.incident_id IN {} AND a.purpose IN ('first', 'verify', 'live') AND {REACHED} \
                     AND d.channel <> 'voice' AND v.active AND NOT v.opted_out ON CONFLICT DO NOTHING",
                    merged_group(own + 1),
                    n = own + 1
                ),
                vec![incident_id],
            )),
            Audience::Invited(pick) => statements.push((
                format!(
                    "{INSERT} SELECT DISTINCT $1, d.volunteer_id, d.channel, {text}, $2, 'queued', $3, $4, $3, $3 \
                     FROM deliveries d JOIN alerts a ON a.id = d.alert_id JOIN volunteers v ON v.id = d.volunteer_id \
                     WHERE a.incident_id = ${n} AND a.purpose = 'invite' AND {REACHED} AND {} \
                     AND d.channel <> 'voice' AND v.active AND NOT v.opted_out ON CONFLICT DO NOTHING",
                    pick.sql(own + 1),
                    n = own + 1
                ),
                vec![incident_id],
            )),
        }
        if bodies.is_empty() {
            return Err(sqlx::Error::Protocol("an alert without text".into()).into());
        }
        // The first group is the first chunk's statements alone (one per channel), small so that
        // it commits quickly and sending starts; then `GROUP` statements per transaction.
        let first = match &audience_first {
            Some(n) => (*n).min(statements.len()),
            None => statements.len().min(GROUP),
        };
        let (head, tail) = statements.split_at(first);
        let mut groups: Vec<&[(String, Vec<i64>)]> = vec![head];
        groups.extend(tail.chunks(GROUP));
        let mut first_tx = first_tx;
        let mut written = 0;
        for (i, group) in groups.iter().enumerate() {
            let mut tx = match first_tx.take() {
                Some(tx) => tx,
                None => self.begin().await?,
            };
            for (sql, binds) in group.iter() {
                let mut q = sqlx::query(sql)
                    .bind(alert_id)
                    .bind(purpose.priority())
                    .bind(now)
                    .bind(expires_at);
                for text in bodies.in_bind_order() {
                    q = q.bind(text);
                }
                for id in binds {
                    q = q.bind(*id);
                }
                written += q.execute(&mut *tx).await?.rows_affected();
            }
            if i + 1 == groups.len() {
                sqlx::query("UPDATE alerts SET complete = TRUE WHERE id = $1")
                    .bind(alert_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            if i == 0 {
                after_first();
            }
        }
        Ok(written)
    }
}
