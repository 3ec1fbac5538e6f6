//! Dashboard accounts and their sessions. A session is found by the SHA-256 of its cookie's
//! token; the token itself is never stored.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{is_unique_violation, now_ms, Result, Store, StoreError};

/// No `Debug`: it carries the password hash.
#[derive(Clone)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub created_at: i64,
    /// Failed logins in a row since the last good one or lock.
    pub failed_logins: i64,
    /// Locked until then (ms since the epoch), if locked.
    pub locked_until: Option<i64>,
    /// Whether it has a phone to be paged on, and its on-duty switch.
    pub has_phone: bool,
    pub on_duty: bool,
    pub duty_set_at: Option<i64>,
}

impl UserRow {
    /// Whether the account is locked at `now` (ms).
    pub fn locked_at(&self, now: i64) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

/// A live session: its user and the CSRF token its forms carry.
/// No `Debug`: it carries the CSRF token.
#[derive(Clone)]
pub struct SessionRow {
    pub user: UserRow,
    pub csrf: String,
    pub expires_at: i64,
}

fn user_from(row: &AnyRow) -> Result<UserRow> {
    Ok(UserRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        password_hash: row.try_get("password_hash")?,
        created_at: row.try_get("created_at")?,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: row.try_get("locked_until")?,
        has_phone: row.try_get::<Option<String>, _>("phone_hash")?.is_some(),
        on_duty: super::flag(row, "on_duty")?,
        duty_set_at: row.try_get("duty_set_at")?,
    })
}

const USER_COLUMNS: &str =
    "id, name, role, password_hash, created_at, failed_logins, locked_until, phone_hash, on_duty, duty_set_at";

impl Store {
    pub async fn insert_user(&self, name: &str, role: &str, password_hash: &str) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(role)
        .bind(password_hash)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Conflict("an account with this name")
            } else {
                e.into()
            }
        })?;
        Ok(row.try_get("id")?)
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<UserRow>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"))
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(user_from).collect()
    }

    /// Removes the account and its sessions, and scrubs them from the files; false if there
    /// was none.
    pub async fn remove_user(&self, name: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE name = $1)")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM users WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let removed = done.rows_affected() == 1;
        if removed {
            self.scrub(&["users", "sessions"]).await;
        }
        Ok(removed)
    }

    /// Counts a failed login of account `id`; at `lock_after` failures in a row the account
    /// locks until `locked_until` and the count starts again. True when this failure locked it.
    pub async fn login_failed(&self, id: i64, lock_after: u32, locked_until: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        let failures: i64 = sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let locks = failures >= i64::from(lock_after);
        if locks {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $2 WHERE id = $1")
                .bind(id)
                .bind(locked_until)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(locks)
    }

    /// A good login: the count of failures starts again.
    pub async fn login_succeeded(&self, id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND failed_logins <> 0",
        )
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Unlocks the account; false if there is none by that name.
    pub async fn unlock_user(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = $1")
            .bind(name)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        let now = now_ms();
        // Expired sessions go whenever a new one starts: no sweeper task needed.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The unexpired session with this token hash.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT u.id AS id, u.name AS name, u.role AS role, u.password_hash AS password_hash, \
             u.created_at AS created_at, u.failed_logins AS failed_logins, \
             u.locked_until AS locked_until, u.phone_hash AS phone_hash, u.on_duty AS on_duty, u.duty_set_at AS duty_set_at, \
             s.csrf AS csrf, s.expires_at AS expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(SessionRow {
                user: user_from(&r)?,
                csrf: r.try_get("csrf")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
