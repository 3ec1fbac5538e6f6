//! Planned mobilisations (issue 18). The place and the public text are sealed bound to the row
//! (`Field::MobilisationPlace`, `Field::MobilisationText`). `same_hash`, a keyed hash of the
//! case number (or of kind and place), is unique with the start time: a hearing list imported
//! twice adds each hearing once, and the case number is kept nowhere.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::vocab::decode;
use super::{now_ms, Result, Store};
use crate::crypto::Field;
use crate::domain::mobilisation::Place;
use crate::domain::{Audience, Disclose, MobilisationStatus};

pub struct NewMobilisation<'a> {
    pub kind: &'a str,
    pub starts_at: i64,
    pub place: &'a Place,
    pub zone: Option<&'a str>,
    pub text: &'a str,
    pub wanted: i64,
    pub audience: &'a Audience,
    pub disclose: Disclose,
    pub reminders_s: Option<&'a [i64]>,
    pub widen_before_s: Option<i64>,
    pub same_hash: Option<String>,
    pub created_by: &'a str,
}

/// What a change of a planned mobilisation sets (all of it: the caller starts from the row).
pub struct Changed<'a> {
    pub starts_at: i64,
    pub place: &'a Place,
    pub zone: Option<&'a str>,
    pub text: &'a str,
    pub wanted: i64,
}

/// What became of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changing {
    Done,
    /// It is no longer planned.
    NotPlanned,
    /// The same one (case, or kind and place) is planned at the new time already.
    Taken,
}

#[derive(Debug, Clone)]
pub struct MobilisationRow {
    pub id: i64,
    pub kind: String,
    pub status: MobilisationStatus,
    pub starts_at: i64,
    /// None when the sealed place does not open (wrong key, or moved from another row).
    pub place: Option<Place>,
    pub zone: Option<String>,
    pub text: String,
    pub wanted: i64,
    /// None when the stored JSON is not an audience (written by something else).
    pub audience: Option<Audience>,
    pub disclose: Disclose,
    pub reminders_s: Option<Vec<i64>>,
    pub widen_before_s: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The incident it is answered as (its number is the one in YES31); None only for one
    /// stored before invitations (0029), until the dispatch loop gives it one.
    pub incident_id: Option<i64>,
    /// Changes of time or place so far; when the latest went out.
    pub version: i64,
    pub changed_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, status, starts_at, place_enc, zone, text_enc, wanted, audience, disclose, \
                       reminders_s, widen_before_s, created_by, created_at, updated_at, incident_id, version, changed_at";

impl Store {
    /// Stores it; None when the same one (`same_hash`) is planned at that time already.
    pub async fn insert_mobilisation(&self, m: &NewMobilisation<'_>) -> Result<Option<i64>> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO mobilisations (kind, starts_at, place_enc, zone, text_enc, wanted, audience, disclose, \
             reminders_s, widen_before_s, same_hash, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $3, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
             ON CONFLICT (same_hash, starts_at) DO NOTHING RETURNING id",
        )
        .bind(m.kind)
        .bind(m.starts_at)
        .bind(Vec::<u8>::new())
        .bind(m.zone)
        .bind(m.wanted)
        .bind(serde_json::to_string(m.audience).unwrap_or_default())
        .bind(m.disclose.as_str())
        .bind(m.reminders_s.map(join))
        .bind(m.widen_before_s)
        .bind(m.same_hash.as_deref())
        .bind(m.created_by)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id: i64 = row.try_get("id")?;
        let place = serde_json::to_string(m.place).unwrap_or_default();
        sqlx::query("UPDATE mobilisations SET place_enc = $2, text_enc = $3 WHERE id = $1")
            .bind(id)
            .bind(self.seal(Field::MobilisationPlace, id, &place))
            .bind(self.seal(Field::MobilisationText, id, m.text))
            .execute(&mut *tx)
            .await?;
        super::invitations::attach_incident(&mut tx, id, (m.kind, m.zone), now).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn mobilisation(&self, id: i64) -> Result<Option<MobilisationRow>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM mobilisations WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| self.mobilisation_row(&r)).transpose()
    }

    /// Those starting at or after `from`, soonest first, at most `limit`.
    pub async fn mobilisations_from(&self, from: i64, limit: i64) -> Result<Vec<MobilisationRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM mobilisations WHERE starts_at >= $1 ORDER BY starts_at, id LIMIT $2"
        ))
        .bind(from)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| self.mobilisation_row(r)).collect()
    }

    /// Every one still planned, soonest first.
    pub async fn planned_mobilisations(&self) -> Result<Vec<MobilisationRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM mobilisations WHERE status = 'planned' ORDER BY starts_at, id LIMIT 5000"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| self.mobilisation_row(r)).collect()
    }

    /// A new time, place (and its zone), text or number wanted for one still planned: its
    /// version goes up, so that reminders count again from the new time.
    pub async fn change_mobilisation(&self, id: i64, to: &Changed<'_>) -> Result<Changing> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE mobilisations SET starts_at = $2, zone = $3, wanted = $4, version = version + 1, \
             changed_at = $5, updated_at = $5 WHERE id = $1 AND status = 'planned'",
        )
        .bind(id)
        .bind(to.starts_at)
        .bind(to.zone)
        .bind(to.wanted)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match done {
            Ok(d) if d.rows_affected() == 1 => {}
            Ok(_) => return Ok(Changing::NotPlanned),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(Changing::Taken),
            Err(e) => return Err(e.into()),
        }
        let place = serde_json::to_string(to.place).unwrap_or_default();
        sqlx::query("UPDATE mobilisations SET place_enc = $2, text_enc = $3 WHERE id = $1")
            .bind(id)
            .bind(self.seal(Field::MobilisationPlace, id, &place))
            .bind(self.seal(Field::MobilisationText, id, to.text))
            .execute(&mut *tx)
            .await?;
        // Its incident names the new zone when asked "which one?".
        sqlx::query(
            "UPDATE incidents SET zone = $2 WHERE status = 'planned' \
             AND id = (SELECT incident_id FROM mobilisations WHERE id = $1)",
        )
        .bind(id)
        .bind(to.zone)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Changing::Done)
    }

    fn mobilisation_row(&self, r: &AnyRow) -> Result<MobilisationRow> {
        let id: i64 = r.try_get("id")?;
        let place_enc: Vec<u8> = r.try_get("place_enc")?;
        let place = self
            .vault()
            .open(Field::MobilisationPlace, id, &place_enc)
            .ok()
            .and_then(|p| serde_json::from_str(&p).ok());
        let status: String = r.try_get("status")?;
        let disclose: String = r.try_get("disclose")?;
        let reminders: Option<String> = r.try_get("reminders_s")?;
        Ok(MobilisationRow {
            id,
            kind: r.try_get("kind")?,
            status: decode("mobilisations.status", &status, MobilisationStatus::parse)?,
            starts_at: r.try_get("starts_at")?,
            place,
            zone: r.try_get("zone")?,
            text: self.open_value(Field::MobilisationText, id, &r.try_get::<Vec<u8>, _>("text_enc")?),
            wanted: r.try_get("wanted")?,
            audience: serde_json::from_str(&r.try_get::<String, _>("audience")?).ok(),
            disclose: decode("mobilisations.disclose", &disclose, Disclose::parse)?,
            reminders_s: reminders.map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect()),
            widen_before_s: r.try_get("widen_before_s")?,
            created_by: r.try_get("created_by")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            incident_id: r.try_get("incident_id")?,
            version: r.try_get("version")?,
            changed_at: r.try_get("changed_at")?,
        })
    }
}

fn join(offsets: &[i64]) -> String {
    offsets.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
