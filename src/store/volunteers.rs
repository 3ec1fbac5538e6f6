//! Volunteers. Numbers are stored encrypted and found by keyed hash; a removed volunteer's
//! personal data is erased, the row stays for the history of deliveries.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{flag, is_unique_violation, now_ms, Conn, Result, Store, StoreError};
use crate::domain::Standing;

#[derive(Debug, Clone)]
pub struct VolunteerRow {
    pub id: i64,
    pub name: String,
    pub phone_enc: Vec<u8>,
    pub language: String,
    pub trusted: bool,
    pub area: String,
    pub opted_out: bool,
    /// Not alerted until un-paused (by a dispatcher, or PAUSE without a time).
    pub paused: bool,
    /// Not alerted until then (PAUSE 8h).
    pub paused_until: Option<i64>,
    pub created_at: i64,
    /// `sms`, `signal` or `both`.
    pub channel: String,
    /// Their Signal account id when it is not their number.
    pub signal_enc: Option<Vec<u8>>,
    /// Comma-separated roles ("verifier").
    pub roles: String,
    /// Vetted or not (`approved`, `pending`, `unvetted`): see `domain::Standing`.
    pub standing: Standing,
}

/// What a dispatcher may change about a volunteer (the number is who they are: not editable).
pub struct VolunteerEdit<'a> {
    pub name: &'a str,
    pub language: &'a str,
    pub trusted: bool,
    pub area: String,
    pub channel: &'a str,
    /// Comma-separated roles.
    pub roles: String,
}

pub struct NewVolunteer<'a> {
    pub name: &'a str,
    pub phone_enc: Vec<u8>,
    pub phone_hash: String,
    pub language: &'a str,
    pub trusted: bool,
    pub area: String,
    pub channel: &'a str,
    pub signal_enc: Option<Vec<u8>>,
    pub signal_hash: Option<String>,
    /// Comma-separated roles ("verifier").
    pub roles: String,
    pub standing: Standing,
}

const COLUMNS: &str = "id, name, phone_enc, language, trusted, area, opted_out, paused, paused_until, \
     created_at, channel, signal_enc, roles, standing";

fn from_row(row: &AnyRow) -> Result<VolunteerRow> {
    Ok(VolunteerRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        phone_enc: row.try_get("phone_enc")?,
        language: row.try_get("language")?,
        trusted: flag(row, "trusted")?,
        area: row.try_get("area")?,
        opted_out: flag(row, "opted_out")?,
        paused: flag(row, "paused")?,
        paused_until: row.try_get("paused_until")?,
        created_at: row.try_get("created_at")?,
        channel: row.try_get("channel")?,
        signal_enc: row.try_get("signal_enc")?,
        roles: row.try_get("roles")?,
        standing: Standing::from_stored(&row.try_get::<String, _>("standing")?),
    })
}

impl Store {
    pub async fn insert_volunteer(&self, v: NewVolunteer<'_>) -> Result<i64> {
        let now = now_ms();
        let row = sqlx::query(
            "INSERT INTO volunteers (name, phone_enc, phone_hash, language, trusted, area, created_at, \
             updated_at, channel, signal_enc, signal_hash, roles, standing) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(v.name)
        .bind(v.phone_enc)
        .bind(v.phone_hash)
        .bind(v.language)
        .bind(v.trusted)
        .bind(v.area)
        .bind(now)
        .bind(v.channel)
        .bind(v.signal_enc)
        .bind(v.signal_hash)
        .bind(v.roles)
        .bind(v.standing.as_str())
        .fetch_one(self.pool())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Conflict("a volunteer with this phone number or Signal address")
            } else {
                e.into()
            }
        })?;
        Ok(row.try_get("id")?)
    }

    pub async fn volunteer(&self, id: i64) -> Result<Option<VolunteerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM volunteers WHERE id = $1 AND active");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn volunteer_by_phone_hash(&self, hash: &str) -> Result<Option<VolunteerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM volunteers WHERE phone_hash = $1 AND active");
        let row = sqlx::query(&sql).bind(hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn volunteer_by_signal_hash(&self, hash: &str) -> Result<Option<VolunteerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM volunteers WHERE signal_hash = $1 AND active");
        let row = sqlx::query(&sql).bind(hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn volunteers(&self) -> Result<Vec<VolunteerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM volunteers WHERE active ORDER BY id");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    /// Active volunteers who can be alerted (not pending approval): (id, area JSON), for the
    /// geofence index.
    pub async fn alertable_areas(&self) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT id, area FROM volunteers WHERE active AND NOT opted_out AND NOT paused \
             AND standing <> 'pending'",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("area")?)))
            .collect()
    }

    /// Changes whenever a volunteer is added, changed or removed: (rows, latest change).
    pub async fn volunteers_version(&self) -> Result<(i64, i64)> {
        let row = sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS latest FROM volunteers")
            .fetch_one(self.pool())
            .await?;
        Ok((row.try_get("n")?, row.try_get("latest")?))
    }

    /// Erases the volunteer's name, number and area; false if there was no such volunteer.
    pub async fn remove_volunteer(&self, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE volunteers SET active = FALSE, name = '', phone_enc = $2, \
             phone_hash = 'removed:' || CAST(id AS TEXT), area = '{}', updated_at = $3, \
             signal_enc = NULL, signal_hash = NULL \
             WHERE id = $1 AND active",
        )
        .bind(id)
        .bind(Vec::<u8>::new())
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Active volunteers whose name contains `query` (any case), by name.
    pub async fn search_volunteers(&self, query: &str) -> Result<Vec<VolunteerRow>> {
        let pattern = format!("%{}%", query.to_lowercase().replace(['%', '_', '\\'], ""));
        let sql = format!(
            "SELECT {COLUMNS} FROM volunteers WHERE active AND LOWER(name) LIKE $1 ORDER BY name, id"
        );
        let rows = sqlx::query(&sql).bind(pattern).fetch_all(self.pool()).await?;
        rows.iter().map(from_row).collect()
    }

    /// Changes an active volunteer; false if there is none.
    pub async fn update_volunteer(&self, id: i64, v: VolunteerEdit<'_>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE volunteers SET name = $2, language = $3, trusted = $4, area = $5, updated_at = $6, \
             channel = $7, roles = $8 WHERE id = $1 AND active",
        )
        .bind(id)
        .bind(v.name)
        .bind(v.language)
        .bind(v.trusted)
        .bind(v.area)
        .bind(now_ms())
        .bind(v.channel)
        .bind(v.roles)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces an active volunteer's roles (comma-separated); false if there is none.
    pub async fn set_roles(&self, id: i64, roles: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE volunteers SET roles = $2, updated_at = $3 WHERE id = $1 AND active")
            .bind(id)
            .bind(roles)
            .bind(now_ms())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Pauses or un-pauses an active volunteer; false if there is none.
    pub async fn set_paused(&self, id: i64, paused: bool) -> Result<bool> {
        let done = sqlx::query("UPDATE volunteers SET paused = $2, updated_at = $3 WHERE id = $1 AND active")
            .bind(id)
            .bind(paused)
            .bind(now_ms())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_opted_out(&self, id: i64, opted_out: bool) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        set_opted_out(&mut conn, id, opted_out).await
    }
}

pub async fn set_opted_out(conn: &mut Conn, id: i64, opted_out: bool) -> Result<()> {
    sqlx::query("UPDATE volunteers SET opted_out = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(opted_out)
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// What a volunteer changes about themself by text.
pub enum SelfChange<'a> {
    /// PAUSE with a time: not alerted until then; None clears it.
    PausedUntil(Option<i64>),
    Language(&'a str),
    Area(&'a str),
}

impl Store {
    /// Applies a volunteer's own change; false if there is no such active volunteer.
    pub async fn change_self(&self, id: i64, change: SelfChange<'_>) -> Result<bool> {
        let (set, value): (&str, Option<String>) = match change {
            SelfChange::PausedUntil(until) => {
                let done = sqlx::query(
                    "UPDATE volunteers SET paused_until = $2, updated_at = $3 WHERE id = $1 AND active",
                )
                .bind(id)
                .bind(until)
                .bind(now_ms())
                .execute(self.pool())
                .await?;
                return Ok(done.rows_affected() == 1);
            }
            SelfChange::Language(code) => ("language", Some(code.to_string())),
            SelfChange::Area(json) => ("area", Some(json.to_string())),
        };
        let sql = format!("UPDATE volunteers SET {set} = $2, updated_at = $3 WHERE id = $1 AND active");
        let done = sqlx::query(&sql)
            .bind(id)
            .bind(value)
            .bind(now_ms())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
