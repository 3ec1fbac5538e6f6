//! Dispatchers as the pager sees them: an account's phone (sealed, found by its keyed hash),
//! the channel pages go out on, and the on-duty switch.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{flag, is_unique_violation, now_ms, Result, Store, StoreError};
use crate::crypto::Field;
use crate::domain::{Channel, Language};

/// A dashboard account that can be paged. No `Debug`: it carries a phone number.
#[derive(Clone)]
pub struct Dispatcher {
    pub id: i64,
    pub name: String,
    /// The number in E.164, opened; None when the account has none (or it did not open).
    pub phone: Option<String>,
    pub channel: Channel,
    /// The language pages are written in.
    pub language: Language,
    pub on_duty: bool,
    /// When the switch was last set (ms), if ever.
    pub duty_set_at: Option<i64>,
}

const COLUMNS: &str = "id, name, phone_enc, channel, language, on_duty, duty_set_at";

impl Store {
    fn dispatcher_from(&self, row: &AnyRow) -> Result<Dispatcher> {
        let id: i64 = row.try_get("id")?;
        let phone = row
            .try_get::<Option<Vec<u8>>, _>("phone_enc")?
            .map(|sealed| self.open_value(Field::UserPhone, id, &sealed))
            .filter(|p| p.starts_with('+'));
        Ok(Dispatcher {
            id,
            name: row.try_get("name")?,
            phone,
            channel: super::vocab::decode(
                "users.channel",
                &row.try_get::<String, _>("channel")?,
                Channel::parse,
            )?,
            language: Language::parse(&row.try_get::<String, _>("language")?).unwrap_or(Language::EN),
            on_duty: flag(row, "on_duty")?,
            duty_set_at: row.try_get("duty_set_at")?,
        })
    }

    /// Gives the account `name` this phone (E.164), channel and language, or takes its phone
    /// away. False when there is no such account; a conflict when another account has the number.
    pub async fn set_user_phone(
        &self,
        name: &str,
        phone: Option<&str>,
        channel: Channel,
        language: Language,
    ) -> Result<bool> {
        let Some(id) = self.user_id(name).await? else {
            return Ok(false);
        };
        let (sealed, hash) = match phone {
            Some(p) => (
                Some(self.seal(Field::UserPhone, id, p)),
                Some(self.vault().lookup_hash(p)),
            ),
            None => (None, None),
        };
        sqlx::query(
            "UPDATE users SET phone_enc = $2, phone_hash = $3, channel = $4, language = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(sealed)
        .bind(hash)
        .bind(channel.as_str())
        .bind(language.as_str())
        .execute(self.pool())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Conflict("an account with this phone")
            } else {
                e.into()
            }
        })?;
        Ok(true)
    }

    async fn user_id(&self, name: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT id FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// Turns the account's on-duty switch on or off; false when there is no such account.
    pub async fn set_user_duty(&self, user_id: i64, on: bool) -> Result<bool> {
        let done = sqlx::query("UPDATE users SET on_duty = $2, duty_set_at = $3 WHERE id = $1")
            .bind(user_id)
            .bind(on)
            .bind(now_ms())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every account that could be paged (one with a phone), by id.
    pub async fn dispatchers(&self) -> Result<Vec<Dispatcher>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE phone_enc IS NOT NULL ORDER BY id");
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        let all: Result<Vec<Dispatcher>> = rows.iter().map(|r| self.dispatcher_from(r)).collect();
        Ok(all?.into_iter().filter(|d| d.phone.is_some()).collect())
    }

    /// The account this number belongs to, by its keyed hash.
    pub async fn dispatcher_by_phone_hash(&self, hash: &str) -> Result<Option<Dispatcher>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE phone_hash = $1");
        let row = sqlx::query(&sql).bind(hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(|r| self.dispatcher_from(r)).transpose()
    }

    /// The account's paging settings by name (also without a phone).
    pub async fn dispatcher_named(&self, name: &str) -> Result<Option<Dispatcher>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE name = $1");
        let row = sqlx::query(&sql).bind(name).fetch_optional(self.pool()).await?;
        row.as_ref().map(|r| self.dispatcher_from(r)).transpose()
    }
}
