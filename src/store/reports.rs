//! Reports: every sighting exactly as it came in. Written before anything else happens to it.
//! The text and the reporter's number or Signal id are sealed, bound to the report's row; the
//! number goes after `privacy.reporter_retention_hours`.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::vocab::OPEN;
use super::{Conn, Result, Store};
use crate::crypto::Field;
use crate::domain::{LocatedBy, Location};

#[derive(Debug, Clone)]
pub struct NewReport {
    pub channel: &'static str,
    pub body: String,
    pub language: String,
    /// The reporter's number or Signal account id (sealed as it is written).
    pub reporter: Option<String>,
    pub reporter_hash: Option<String>,
    pub volunteer_id: Option<i64>,
    pub location: Location,
    pub kind: String,
    pub received_at: i64,
    /// Why it must not act by itself (rate_limited, blocked), or a note for the dispatcher (repeat).
    pub flagged: Option<&'static str>,
    /// Sent as a drill (API): its incident is a drill.
    pub drill: bool,
    /// Longer than 1,600 characters and cut there.
    pub truncated: bool,
}

#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    /// Where it came in: sms, signal, api, or voice (a call to the hotline).
    pub channel: String,
    pub body: String,
    pub language: String,
    pub volunteer_id: Option<i64>,
    pub location: Location,
    pub kind: String,
    pub incident_id: Option<i64>,
    pub flagged: Option<String>,
    pub received_at: i64,
    pub drill: bool,
    /// Longer than 1,600 characters and cut there.
    pub truncated: bool,
}

fn from_row(store: &Store, row: &AnyRow) -> Result<ReportRow> {
    let id: i64 = row.try_get("id")?;
    Ok(ReportRow {
        id,
        channel: row.try_get("channel")?,
        body: store.open_value(Field::ReportBody, id, &row.try_get::<Vec<u8>, _>("body_enc")?),
        language: row.try_get("language")?,
        volunteer_id: row.try_get("volunteer_id")?,
        location: Location {
            point: row
                .try_get::<Option<f64>, _>("lat")?
                .zip(row.try_get::<Option<f64>, _>("lon")?),
            zone: row.try_get("zone")?,
            approximate: super::flag(row, "approximate")?,
            located_by: row
                .try_get::<Option<String>, _>("located_by")?
                .and_then(|l| LocatedBy::parse(&l)),
            uncertainty_m: row.try_get("uncertainty_m")?,
        },
        kind: row.try_get("kind")?,
        incident_id: row.try_get("incident_id")?,
        flagged: row.try_get("flagged")?,
        received_at: row.try_get("received_at")?,
        drill: super::flag(row, "drill")?,
        truncated: super::flag(row, "truncated")?,
    })
}

const COLUMNS: &str =
    "id, channel, body_enc, language, volunteer_id, lat, lon, zone, approximate, located_by, uncertainty_m, kind, incident_id, flagged, received_at, drill, truncated";

impl Store {
    /// Stores the report in `conn`'s transaction: the row first, for its id, then its sealed text
    /// and reporter, bound to that id.
    pub async fn insert_report(&self, tx: &mut super::Tx, r: &NewReport) -> Result<i64> {
        let conn = tx.conn();
        let id = insert_row(conn, r).await?;
        let reporter = r
            .reporter
            .as_deref()
            .map(|p| self.seal(Field::ReportReporter, id, p));
        sqlx::query("UPDATE reports SET body_enc = $2, reporter_enc = $3 WHERE id = $1")
            .bind(id)
            .bind(self.seal(Field::ReportBody, id, &r.body))
            .bind(reporter)
            .execute(conn)
            .await?;
        Ok(id)
    }
}

async fn insert_row(conn: &mut Conn, r: &NewReport) -> Result<i64> {
    let (lat, lon) = super::point_sql(r.location.point, 13);
    let sql = format!(
        "INSERT INTO reports (channel, language, reporter_hash, volunteer_id, \
         kind, received_at, zone, approximate, flagged, drill, truncated, located_by, uncertainty_m, lat, lon) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULLIF($13, -1.0), {lat}, {lon}) RETURNING id"
    );
    let mut q = sqlx::query(&sql)
        .bind(r.channel)
        .bind(&r.language)
        .bind(r.reporter_hash.clone())
        .bind(r.volunteer_id)
        .bind(&r.kind)
        .bind(r.received_at)
        .bind(r.location.zone.as_deref())
        .bind(r.location.approximate)
        .bind(r.flagged)
        .bind(r.drill)
        .bind(r.truncated)
        .bind(r.location.located_by.map(LocatedBy::as_str))
        .bind(super::never_null(r.location.uncertainty_m));

    if let Some((lat, lon)) = r.location.point {
        q = q.bind(lat).bind(lon);
    }
    let row = q.fetch_one(conn).await?;
    Ok(row.try_get("id")?)
}

/// Links the report to its incident; false when it already has one (another pass got there
/// first), in which case the caller must roll back the incident it made, or when the incident
/// closed meanwhile (the report then opens its own).
pub async fn set_incident(tx: &mut super::Tx, report_id: i64, incident_id: i64) -> Result<bool> {
    let conn = tx.conn();
    let done = sqlx::query(&format!(
        "UPDATE reports SET incident_id = $2 WHERE id = $1 AND incident_id IS NULL \
         AND EXISTS (SELECT 1 FROM incidents WHERE id = $2 AND status IN {OPEN})"
    ))
    .bind(report_id)
    .bind(incident_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    pub async fn report(&self, id: i64) -> Result<Option<ReportRow>> {
        let sql = format!("SELECT {COLUMNS} FROM reports WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(|r| from_row(self, r)).transpose()
    }

    /// Reports stored but not yet turned into an incident (the process stopped in between).
    pub async fn unprocessed_reports(&self, received_before: i64) -> Result<Vec<ReportRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM reports WHERE incident_id IS NULL AND received_at < $1 \
             AND (flagged IS NULL OR flagged = 'repeat') ORDER BY id LIMIT 100"
        );
        let rows = sqlx::query(&sql)
            .bind(received_before)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| from_row(self, r)).collect()
    }

    pub async fn reports_of_incident(&self, incident_id: i64) -> Result<Vec<ReportRow>> {
        let sql = format!("SELECT {COLUMNS} FROM reports WHERE incident_id = $1 ORDER BY id");
        let rows = sqlx::query(&sql).bind(incident_id).fetch_all(self.pool()).await?;
        rows.iter().map(|r| from_row(self, r)).collect()
    }

    /// The incident's first report: whose words are quoted when its place is known only roughly.
    pub async fn first_report_of(&self, incident_id: i64) -> Result<Option<ReportRow>> {
        let sql = format!("SELECT {COLUMNS} FROM reports WHERE incident_id = $1 ORDER BY id LIMIT 1");
        let row = sqlx::query(&sql)
            .bind(incident_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| from_row(self, &r)).transpose()
    }

    /// The latest reports, for the dispatcher (newest first).
    pub async fn recent_reports(&self, limit: i64) -> Result<Vec<ReportRow>> {
        let sql = format!("SELECT {COLUMNS} FROM reports ORDER BY id DESC LIMIT $1");
        let rows = sqlx::query(&sql).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(|r| from_row(self, r)).collect()
    }

    /// Erases reporters' numbers received before `before`; returns how many. The caller
    /// scrubs the files once its whole pass is done (`Store::scrub`).
    pub async fn erase_reporters(&self, before: i64) -> Result<u64> {
        // A question asked about such a report is keyed by the same hash: it goes first.
        sqlx::query(
            "DELETE FROM followups WHERE report_id IN (SELECT id FROM reports WHERE received_at < $1)",
        )
        .bind(before)
        .execute(self.pool())
        .await?;
        let done = sqlx::query(
            "UPDATE reports SET reporter_enc = NULL, reporter_hash = NULL \
             WHERE received_at < $1 AND (reporter_enc IS NOT NULL OR reporter_hash IS NOT NULL)",
        )
        .bind(before)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }
}
