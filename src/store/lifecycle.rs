//! Moving an incident through its lifecycle. Every statement that changes `status` also sets
//! `status_cause`; the database's triggers copy both into `incident_history` (see migration
//! 0009), so no change of status goes unrecorded, whichever path made it.

use sqlx::Row;

use super::vocab::{In, UNDECIDED};
use super::{now_ms, placeholders, Conn, Result, Store};
use crate::domain::{ConfirmedBy, IncidentStatus};

/// One change of an incident's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Option<String>,
    pub to: String,
    pub cause: String,
    pub at: i64,
}

impl Store {
    /// Confirms an incident not decided yet (unverified or verifying). False when it was not.
    pub async fn confirm_incident(&self, id: i64, by: ConfirmedBy, cause: &str) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(&format!(
            "UPDATE incidents SET status = 'confirmed', verified_at = $2, updated_at = $2, \
             confirmed_by = $3, status_cause = $4 \
             WHERE id = $1 AND status IN {}",
            In(IncidentStatus::Confirmed.reached_from())
        ))
        .bind(id)
        .bind(now)
        .bind(by.as_str())
        .bind(cause)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// An unverified incident is being checked (verifiers asked, or a second reporter). False
    /// when it was not unverified.
    pub async fn mark_verifying(&self, id: i64, cause: &str) -> Result<bool> {
        let done = sqlx::query(&format!(
            "UPDATE incidents SET status = 'verifying', updated_at = $2, status_cause = $3 \
             WHERE id = $1 AND status IN {}",
            In(IncidentStatus::Verifying.reached_from())
        ))
        .bind(id)
        .bind(now_ms())
        .bind(cause)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Closes an open incident as `all_clear`, `false_alarm` or `not_found`, and cancels its
    /// first alerts, updates and requests to check that have not left yet: a late alert about a
    /// finished incident is harm. An all-clear only ends a confirmed incident; `not_found` only
    /// an undecided one (a verifier's NOTHING after another's CONFIRM changes nothing).
    pub async fn close_incident(&self, id: i64, status: IncidentStatus, cause: &str) -> Result<bool> {
        let now = now_ms();
        let from = In(status.reached_from());
        let mut tx = self.begin().await?;
        let done = sqlx::query(&format!(
            "UPDATE incidents SET status = $2, closed_at = $3, updated_at = $3, status_cause = $4 \
             WHERE id = $1 AND status IN {from}"
        ))
        .bind(id)
        .bind(status.as_str())
        .bind(now)
        .bind(cause)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            sqlx::query(
                "UPDATE deliveries SET status = 'canceled', updated_at = $2 \
                 WHERE status = 'queued' AND (claimed_until IS NULL OR claimed_until < $2) \
                 AND alert_id IN (SELECT id FROM alerts WHERE purpose IN ('first', 'update', 'verify') \
                     AND incident_id IN (SELECT id FROM incidents WHERE id = $1 OR merged_into = $1))",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Unverified, located incidents whose nearest verifiers have not been asked yet.
    pub async fn incidents_to_check(&self) -> Result<Vec<super::incidents::IncidentRow>> {
        let sql = format!(
            "SELECT {} FROM incidents WHERE status IN {UNDECIDED} AND verifiers_paged_at IS NULL \
             AND merged_into IS NULL AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id",
            super::incidents::COLUMNS
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(super::incidents::from_row).collect()
    }

    /// Marks that no verifier could be asked, so the incidents are not looked at again; those
    /// marked now (not by another instance meanwhile).
    pub async fn no_verifier_for(&self, incident_ids: &[i64], now: i64) -> Result<Vec<i64>> {
        let mut marked = Vec::new();
        for chunk in incident_ids.chunks(500) {
            let sql = format!(
                "UPDATE incidents SET verifiers_paged_at = $1 WHERE verifiers_paged_at IS NULL \
                 AND id IN ({}) RETURNING id",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(now);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                marked.push(row.try_get("id")?);
            }
        }
        Ok(marked)
    }

    /// Every change of status of the incident, oldest first.
    pub async fn incident_history(&self, id: i64) -> Result<Vec<Transition>> {
        let rows = sqlx::query(
            "SELECT from_status, to_status, cause, at FROM incident_history WHERE incident_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Transition {
                    from: r.try_get("from_status")?,
                    to: r.try_get("to_status")?,
                    cause: r.try_get("cause")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// Serialises opening incidents from reports, for the rest of `tx`: on PostgreSQL a
    /// transaction-scoped advisory lock; SQLite has one connection, which `tx` holds already.
    pub async fn serialise_intake(&self, tx: &mut super::Tx) -> Result<()> {
        if self.backend() == super::Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(7413001) AS locked")
                .fetch_one(tx.conn())
                .await?;
        }
        Ok(())
    }

    /// Incidents per status, real ones and drills apart: (status, drill, count).
    pub async fn incident_tally(&self) -> Result<Vec<(String, bool, i64)>> {
        let rows = sqlx::query(
            "SELECT status, drill, COUNT(*) AS n FROM incidents GROUP BY status, drill ORDER BY status",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("status")?, super::flag(r, "drill")?, r.try_get("n")?)))
            .collect()
    }

    /// Adds a line to the history at the incident's current status, in one statement (nothing
    /// when there is no such incident).
    pub async fn note_incident(&self, id: i64, cause: &str) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        note_incident_on(&mut conn, id, cause, now_ms()).await
    }

    /// Adds a line to the history that is not a change of status (an escalation step).
    pub async fn note_history(&self, id: i64, status: IncidentStatus, cause: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO incident_history (incident_id, from_status, to_status, cause, at) VALUES ($1, $2, $2, $3, $4)",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(cause)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

/// `Store::note_incident` inside a transaction the caller holds.
pub(super) async fn note_incident_on(conn: &mut Conn, id: i64, cause: &str, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO incident_history (incident_id, from_status, to_status, cause, at) \
         SELECT id, status, status, $2, $3 FROM incidents WHERE id = $1",
    )
    .bind(id)
    .bind(cause)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}
