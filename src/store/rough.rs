//! Incidents placed only roughly (a zone, a street): the open ones a report may fall into, and
//! making one exact when a report or a dispatcher gives its place.

use sqlx::Row;

use super::alerts::REACHED;
use super::incidents::{from_row, IncidentRow, COLUMNS};
use super::vocab::{OPEN, UNDECIDED};
use super::{never_null, Result, Store};
use crate::domain::{LocatedBy, Location};

/// Open incidents placed only roughly, opened since `since` (few: rough reports of one area
/// merge into one incident).
pub async fn open_rough_since(tx: &mut super::Tx, since: i64) -> Result<Vec<IncidentRow>> {
    let conn = tx.conn();
    let sql = format!(
        "SELECT {COLUMNS} FROM incidents WHERE approximate = TRUE AND created_at >= $1 \
         AND status IN {OPEN} AND merged_into IS NULL ORDER BY id"
    );
    let rows = sqlx::query(&sql).bind(since).fetch_all(conn).await?;
    rows.iter().map(from_row).collect()
}

/// Gives an open incident placed only roughly its exact place (`at`, placed by `by`): while it
/// is undecided, or, with `confirmed_too`, once confirmed. False when it is closed, exact
/// already (nothing is moved twice behind anyone's back), or confirmed without `confirmed_too`.
pub async fn sharpen(
    tx: &mut super::Tx,
    id: i64,
    (at, by): (&Location, LocatedBy),
    confirmed_too: bool,
    now: i64,
) -> Result<bool> {
    let conn = tx.conn();
    let Some((lat, lon)) = at.point.filter(|_| !at.approximate) else {
        return Ok(false);
    };
    let statuses = if confirmed_too { OPEN } else { UNDECIDED };
    let sql = format!(
        "UPDATE incidents SET lat = $2, lon = $3, zone = $4, approximate = FALSE, located_by = $5, \
         uncertainty_m = NULLIF($6, -1.0), updated_at = $7 \
         WHERE id = $1 AND approximate = TRUE AND status IN {statuses}"
    );
    let done = sqlx::query(&sql)
        .bind(id)
        .bind(lat)
        .bind(lon)
        .bind(at.zone.as_deref())
        .bind(by.as_str())
        .bind(never_null(None))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// The vetted volunteers who said they are coming to the incident (or are on scene): they
    /// are sent its exact place once it is known.
    pub async fn coming_vetted(&self, incident_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT c.volunteer_id AS id FROM confirmations c JOIN volunteers v ON v.id = c.volunteer_id \
             WHERE c.incident_id = $1 AND c.answer IN ('coming', 'on_scene') AND v.standing = 'approved' \
             ORDER BY c.volunteer_id",
        )
        .bind(incident_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// While the incident is undecided, the verifiers asked to check it (reached, or maybe
    /// reached) who have answered neither CONFIRM nor NOTHING.
    pub async fn undecided_verifiers(&self, incident_id: i64) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT DISTINCT d.volunteer_id AS id FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
             JOIN incidents i ON i.id = a.incident_id \
             WHERE a.incident_id = $1 AND a.purpose = 'verify' AND {REACHED} \
             AND i.status IN {UNDECIDED} \
             AND d.volunteer_id NOT IN (SELECT w.volunteer_id FROM verifier_answers w \
                 WHERE w.incident_id = $1 AND w.kind IN ('confirm', 'nothing')) \
             ORDER BY id"
        );
        let rows = sqlx::query(&sql).bind(incident_id).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }
}
