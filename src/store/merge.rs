//! Merging incidents that are one event, and splitting a wrongly merged report back out.

use sqlx::Row;

use super::alerts::REACHED;
use super::incidents::{self, NewIncident, OPEN};
use super::reports::ReportRow;
use super::vocab::UNDECIDED;
use super::{now_ms, Result, Store};

impl Store {
    /// Folds open incident `from` into open incident `into`: its reports and volunteers' answers
    /// move over, it becomes `merged`, and its first alert's deliveries that have not left yet
    /// are cancelled for volunteers whom `into`'s alerts reach anyway (nobody hears twice).
    /// Refused (false) when either is not open, or when `from` has alerted and `into` has not:
    /// the survivor must be the alerted one, or `into`'s own first alert would repeat `from`'s.
    pub async fn merge_incidents(&self, from: i64, into: i64) -> Result<bool> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let sql = format!(
            "UPDATE incidents SET status = 'merged', merged_into = $2, closed_at = $3, updated_at = $3, \
             status_cause = 'merged into #' || CAST($2 AS TEXT) \
             WHERE id = $1 AND id <> $2 AND status IN {OPEN} \
             AND EXISTS (SELECT 1 FROM incidents t WHERE t.id = $2 AND t.status IN {OPEN} \
                         AND (t.first_alert_at IS NOT NULL OR incidents.first_alert_at IS NULL))"
        );
        let done = sqlx::query(&sql)
            .bind(from)
            .bind(into)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        for sql in [
            "UPDATE incidents SET merged_into = $2 WHERE merged_into = $1",
            "UPDATE reports SET incident_id = $2 WHERE incident_id = $1",
            // A volunteer who answered both keeps the answer given to the surviving incident.
            "UPDATE confirmations SET incident_id = $2 WHERE incident_id = $1 \
             AND volunteer_id NOT IN (SELECT volunteer_id FROM confirmations WHERE incident_id = $2)",
        ] {
            sqlx::query(sql).bind(from).bind(into).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM confirmations WHERE incident_id = $1")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        // The survivor takes the merged one's place (and zone) when it had none and has not
        // alerted yet, or had only a rough one and the merged one is exact (a dispatcher's
        // decision: those coming are then sent it); and it is verified when the merged one was.
        sqlx::query(
            "UPDATE incidents SET lat = (SELECT lat FROM incidents WHERE id = $1), \
             lon = (SELECT lon FROM incidents WHERE id = $1), \
             zone = (SELECT zone FROM incidents WHERE id = $1), \
             approximate = (SELECT approximate FROM incidents WHERE id = $1), \
             located_by = (SELECT located_by FROM incidents WHERE id = $1), \
             uncertainty_m = (SELECT uncertainty_m FROM incidents WHERE id = $1), updated_at = $3 \
             WHERE id = $2 AND ((lat IS NULL AND first_alert_at IS NULL) OR (approximate = TRUE AND \
             EXISTS (SELECT 1 FROM incidents f WHERE f.id = $1 AND f.lat IS NOT NULL AND f.approximate = FALSE)))",
        )
        .bind(from)
        .bind(into)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // Confirmed when the merged one was: read after the UPDATE above, which holds its row, so a
        // confirmation racing this merge is either seen here or refused (the row is `merged`).
        {
            sqlx::query(&format!(
                "UPDATE incidents SET status = 'confirmed', verified_at = $2, updated_at = $2, \
                 confirmed_by = (SELECT confirmed_by FROM incidents WHERE id = $3), \
                 status_cause = 'confirmed #' || CAST($3 AS TEXT) || ' merged in' \
                 WHERE id = $1 AND status IN {UNDECIDED} AND lat IS NOT NULL \
                 AND EXISTS (SELECT 1 FROM incidents f WHERE f.id = $3 AND f.verified_at IS NOT NULL)"
            ))
            .bind(into)
            .bind(now)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        }
        // One first alert per volunteer for the merged group: a queued (unsent) one is cancelled
        // when the other side reached that volunteer or is about to; both directions.
        let unsent = "status = 'queued' AND (claimed_until IS NULL OR claimed_until < $3)";
        let reached_or_coming = format!("({REACHED} OR d.status = 'queued')");
        for (cancel_in, kept_in) in [
            (
                "= $1",
                "IN (SELECT id FROM incidents WHERE (id = $2 OR merged_into = $2) AND id <> $1)",
            ),
            (
                "IN (SELECT id FROM incidents WHERE (id = $2 OR merged_into = $2) AND id <> $1)",
                "= $1",
            ),
        ] {
            let sql = format!(
                "UPDATE deliveries SET status = 'canceled', updated_at = $3 WHERE {unsent} \
                 AND alert_id IN (SELECT id FROM alerts WHERE purpose = 'first' AND incident_id {cancel_in}) \
                 AND volunteer_id IN (SELECT d.volunteer_id FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
                     WHERE a.purpose = 'first' AND a.incident_id {kept_in} AND {reached_or_coming} \
                     AND d.id <> deliveries.id)"
            );
            sqlx::query(&sql)
                .bind(from)
                .bind(into)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Moves a report out of open incident `from` into a new, unverified incident of its own
    /// (a drill if `from` is). None when the report is not `from`'s, is its only report, or
    /// `from` is not open.
    pub async fn split_report(&self, from: i64, report: &ReportRow, cause: &str) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        // Hold the incident's row first: two splits at once must not both leave it empty.
        sqlx::query("UPDATE incidents SET updated_at = $2 WHERE id = $1")
            .bind(from)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        let source = sqlx::query(&format!(
            "SELECT drill, (SELECT COUNT(*) FROM reports WHERE incident_id = $1) AS n \
             FROM incidents WHERE id = $1 AND status IN {OPEN}"
        ))
        .bind(from)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(source) = source else {
            return Ok(None);
        };
        let n: i64 = source.try_get("n")?;
        if n < 2 || report.incident_id != Some(from) {
            return Ok(None);
        }
        let new = NewIncident {
            kind: &report.kind,
            status: crate::domain::IncidentStatus::Unverified,
            cause,
            confirmed_by: None,
            drill: super::flag(&source, "drill")?,
            point: report.location.point,
            zone: report.location.zone.as_deref(),
            approximate: report.location.approximate,
            located_by: report.location.located_by,
            uncertainty_m: report.location.uncertainty_m,
        };
        let id = incidents::create_on(&mut tx, &new).await?;
        let moved = sqlx::query("UPDATE reports SET incident_id = $3 WHERE id = $1 AND incident_id = $2")
            .bind(report.id)
            .bind(from)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() != 1 {
            return Ok(None); // rolled back: the report moved meanwhile
        }
        tx.commit().await?;
        Ok(Some(id))
    }
}
