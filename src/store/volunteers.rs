//! Volunteers. Names, numbers, Signal ids and home areas are sealed, each bound to its column
//! and the volunteer's row; numbers and Signal ids are found by keyed hash. Rows come out
//! opened: a value that does not open reads as `UNREADABLE` (and such an area alerts nobody).
//! A removed volunteer's personal data is erased and scrubbed from the files; the row stays
//! for the history of deliveries.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::vocab::decode;
use super::{flag, is_unique_violation, now_ms, Conn, Result, Store, StoreError};
use crate::crypto::Field;
use crate::domain::{CallWhen, Reach, Standing};

#[derive(Debug, Clone)]
pub struct VolunteerRow {
    pub id: i64,
    pub name: String,
    /// E.164, opened (`UNREADABLE` when it does not open).
    pub phone: String,
    pub language: String,
    pub trusted: bool,
    /// The home area's JSON, opened.
    pub area: String,
    pub opted_out: bool,
    /// Not alerted until un-paused (by a dispatcher, or PAUSE without a time).
    pub paused: bool,
    /// Not alerted until then (PAUSE 8h): always the volunteer's own pause, by text.
    pub paused_until: Option<i64>,
    /// Who set `paused` ("dispatcher maria"), when it was recorded (since migration 0025).
    pub paused_by: Option<String>,
    pub created_at: i64,
    /// How they are reached: stored as `sms`, `signal` or `both`.
    pub channel: Reach,
    /// Their Signal account id when it is not their number, opened.
    pub signal: Option<String>,
    /// Comma-separated roles ("verifier").
    pub roles: String,
    /// Vetted or not (`approved`, `pending`, `unvetted`): see `domain::Standing`.
    pub standing: Standing,
    /// When they are called after a confirmed alert's text (migration 0028).
    pub call: CallWhen,
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

/// A volunteer to add, in clear: the store seals it.
pub struct NewVolunteer<'a> {
    pub name: &'a str,
    /// E.164.
    pub phone: &'a str,
    pub language: &'a str,
    pub trusted: bool,
    pub area: String,
    pub channel: &'a str,
    /// Their Signal account id, when it is not their number.
    pub signal: Option<&'a str>,
    /// Comma-separated roles ("verifier").
    pub roles: String,
    pub standing: Standing,
}

const COLUMNS: &str =
    "id, name_enc, phone_enc, language, trusted, area_enc, opted_out, paused, paused_until, \
     paused_by, created_at, channel, signal_enc, roles, standing, call";

fn from_row(store: &Store, row: &AnyRow) -> Result<VolunteerRow> {
    let id: i64 = row.try_get("id")?;
    let open = |field: Field, column: &str| -> Result<String> {
        Ok(store.open_value(field, id, &row.try_get::<Vec<u8>, _>(column)?))
    };
    let signal = row.try_get::<Option<Vec<u8>>, _>("signal_enc")?;
    Ok(VolunteerRow {
        id,
        name: open(Field::VolunteerName, "name_enc")?,
        phone: open(Field::VolunteerPhone, "phone_enc")?,
        language: row.try_get("language")?,
        trusted: flag(row, "trusted")?,
        area: open(Field::VolunteerArea, "area_enc")?,
        opted_out: flag(row, "opted_out")?,
        paused: flag(row, "paused")?,
        paused_until: row.try_get("paused_until")?,
        paused_by: row.try_get("paused_by")?,
        created_at: row.try_get("created_at")?,
        channel: decode("channel", &row.try_get::<String, _>("channel")?, Reach::parse)?,
        signal: signal.map(|s| store.open_value(Field::VolunteerSignal, id, &s)),
        roles: row.try_get("roles")?,
        standing: Standing::from_stored(&row.try_get::<String, _>("standing")?),
        call: CallWhen::parse(&row.try_get::<String, _>("call")?).unwrap_or_default(),
    })
}

impl Store {
    /// Adds a volunteer: the row first (for its id), then its sealed values bound to that id,
    /// in one transaction.
    pub async fn insert_volunteer(&self, v: NewVolunteer<'_>) -> Result<i64> {
        let now = now_ms();
        let vault = self.vault();
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO volunteers (phone_enc, phone_hash, language, trusted, created_at, \
             updated_at, channel, signal_hash, roles, standing) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(Vec::<u8>::new())
        .bind(vault.lookup_hash(v.phone))
        .bind(v.language)
        .bind(v.trusted)
        .bind(now)
        .bind(v.channel)
        .bind(v.signal.map(|s| vault.lookup_hash(s)))
        .bind(v.roles)
        .bind(v.standing.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Conflict("a volunteer with this phone number or Signal address")
            } else {
                e.into()
            }
        })?;
        let id: i64 = row.try_get("id")?;
        sqlx::query(
            "UPDATE volunteers SET name_enc = $2, phone_enc = $3, area_enc = $4, signal_enc = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(self.seal(Field::VolunteerName, id, v.name))
        .bind(self.seal(Field::VolunteerPhone, id, v.phone))
        .bind(self.seal(Field::VolunteerArea, id, &v.area))
        .bind(v.signal.map(|s| self.seal(Field::VolunteerSignal, id, s)))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn volunteer(&self, id: i64) -> Result<Option<VolunteerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM volunteers WHERE id = $1 AND active");
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(|r| from_row(self, r)).transpose()
    }

    pub async fn volunteer_by_phone_hash(&self, hash: &str) -> Result<Option<VolunteerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM volunteers WHERE phone_hash = $1 AND active");
        let row = sqlx::query(&sql).bind(hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(|r| from_row(self, r)).transpose()
    }

    pub async fn volunteer_by_signal_hash(&self, hash: &str) -> Result<Option<VolunteerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM volunteers WHERE signal_hash = $1 AND active");
        let row = sqlx::query(&sql).bind(hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(|r| from_row(self, r)).transpose()
    }

    pub async fn volunteers(&self) -> Result<Vec<VolunteerRow>> {
        let sql = format!("SELECT {COLUMNS} FROM volunteers WHERE active ORDER BY id");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter().map(|r| from_row(self, r)).collect()
    }

    /// Active volunteers who can be alerted (not pending approval): (id, area JSON), for the
    /// geofence index. An area
    /// that does not open reads as `UNREADABLE`, which is no area. Areas unchanged since the
    /// last call are not opened again.
    pub async fn alertable_areas(&self) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT id, area_enc FROM volunteers WHERE active AND NOT opted_out AND NOT paused \
                 AND standing <> 'pending'",
        )
        .fetch_all(self.pool())
        .await?;
        let mut areas = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            areas.push((id, self.open_area(id, r.try_get("area_enc")?)));
        }
        let alertable: std::collections::HashSet<i64> = areas.iter().map(|(id, _)| *id).collect();
        let mut opened = self.opened_areas.lock().unwrap_or_else(|e| e.into_inner());
        opened.retain(|id, _| alertable.contains(id));
        Ok(areas)
    }

    /// A volunteer's home area, opened once per sealed value (see `Store::opened_areas`).
    pub(crate) fn open_area(&self, id: i64, sealed: Vec<u8>) -> String {
        let mut opened = self.opened_areas.lock().unwrap_or_else(|e| e.into_inner());
        match opened.get(&id) {
            Some((was, area)) if *was == sealed => area.clone(),
            _ => {
                let area = self.open_value(Field::VolunteerArea, id, &sealed);
                opened.insert(id, (sealed, area.clone()));
                area
            }
        }
    }

    /// Changes whenever a volunteer is added, changed or removed: (rows, latest change).
    pub async fn volunteers_version(&self) -> Result<(i64, i64)> {
        let row = sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS latest FROM volunteers")
            .fetch_one(self.pool())
            .await?;
        Ok((row.try_get("n")?, row.try_get("latest")?))
    }

    /// Erases the volunteer's name, number, Signal id and area, and their number on the
    /// reports they sent (the number is what is erased, wherever it is), then scrubs the
    /// files; false if there was no such volunteer.
    pub async fn remove_volunteer(&self, id: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE reports SET reporter_enc = NULL, reporter_hash = NULL \
             WHERE volunteer_id = $1 OR reporter_hash IN \
             (SELECT phone_hash FROM volunteers WHERE id = $1 AND active \
              UNION SELECT signal_hash FROM volunteers WHERE id = $1 AND active AND signal_hash IS NOT NULL)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        // A question they were asked as a reporter is keyed by their number's hash: gone too.
        sqlx::query(
            "DELETE FROM followups WHERE sender_hash IN \
             (SELECT phone_hash FROM volunteers WHERE id = $1 AND active \
              UNION SELECT signal_hash FROM volunteers WHERE id = $1 AND active AND signal_hash IS NOT NULL)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        // What they sent as a verifier is their words: erased too (the answer's kind stays, so
        // NOTHING counts still add up).
        sqlx::query("UPDATE verifier_answers SET text_enc = $2 WHERE volunteer_id = $1")
            .bind(id)
            .bind(Vec::<u8>::new())
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(
            "UPDATE volunteers SET active = FALSE, name_enc = $2, phone_enc = $2, \
             phone_hash = 'removed:' || CAST(id AS TEXT), area_enc = $2, updated_at = $3, \
             signal_enc = NULL, signal_hash = NULL \
             WHERE id = $1 AND active",
        )
        .bind(id)
        .bind(Vec::<u8>::new())
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        tx.commit().await?;
        self.scrub(&["volunteers", "reports", "verifier_answers", "followups"])
            .await;
        Ok(true)
    }

    /// Active volunteers whose name contains `query` (any case), by name. Names are sealed:
    /// the roster is opened and filtered here (thousands of rows, not millions).
    pub async fn search_volunteers(&self, query: &str) -> Result<Vec<VolunteerRow>> {
        let query = query.to_lowercase();
        let mut found: Vec<VolunteerRow> = self
            .volunteers()
            .await?
            .into_iter()
            .filter(|v| v.name.to_lowercase().contains(&query))
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(found)
    }

    /// Changes an active volunteer; false if there is none.
    pub async fn update_volunteer(&self, id: i64, v: VolunteerEdit<'_>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE volunteers SET name_enc = $2, language = $3, trusted = $4, area_enc = $5, updated_at = $6, \
             channel = $7, roles = $8 WHERE id = $1 AND active",
        )
        .bind(id)
        .bind(self.seal(Field::VolunteerName, id, v.name))
        .bind(v.language)
        .bind(v.trusted)
        .bind(self.seal(Field::VolunteerArea, id, &v.area))
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
        self.set_paused_by(id, paused, None).await
    }

    /// Pauses (recording who, as the history names them) or un-pauses (forgetting who) an
    /// active volunteer; false if there is none.
    pub async fn set_paused_by(&self, id: i64, paused: bool, by: Option<&str>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE volunteers SET paused = $2, updated_at = $3, paused_by = $4 WHERE id = $1 AND active",
        )
        .bind(id)
        .bind(paused)
        .bind(now_ms())
        .bind(by.filter(|_| paused))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_opted_out(&self, id: i64, opted_out: bool) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        set_opted_out_on(&mut conn, id, opted_out).await
    }
}

pub async fn set_opted_out(tx: &mut super::Tx, id: i64, opted_out: bool) -> Result<()> {
    set_opted_out_on(tx.conn(), id, opted_out).await
}

async fn set_opted_out_on(conn: &mut Conn, id: i64, opted_out: bool) -> Result<()> {
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
        let q = match change {
            SelfChange::PausedUntil(until) => sqlx::query(
                "UPDATE volunteers SET paused_until = $2, updated_at = $3 WHERE id = $1 AND active",
            )
            .bind(id)
            .bind(until),
            SelfChange::Language(code) => {
                sqlx::query("UPDATE volunteers SET language = $2, updated_at = $3 WHERE id = $1 AND active")
                    .bind(id)
                    .bind(code)
            }
            SelfChange::Area(json) => {
                sqlx::query("UPDATE volunteers SET area_enc = $2, updated_at = $3 WHERE id = $1 AND active")
                    .bind(id)
                    .bind(self.seal(Field::VolunteerArea, id, json))
            }
        };
        let done = q.bind(now_ms()).execute(self.pool()).await?;
        Ok(done.rows_affected() == 1)
    }
}
