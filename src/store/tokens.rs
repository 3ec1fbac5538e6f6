//! API tokens: found by the SHA-256 of the token (the token itself is never stored), listed
//! with when they were made and last used, revoked by name. A revoked token keeps its row.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{is_unique_violation, now_ms, Result, Store, StoreError};

/// No `Debug`: it carries the token's hash.
#[derive(Clone)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub scope: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// What `revoke_token` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    Now,
    Already,
    Unknown,
}

const COLUMNS: &str = "id, name, scope, created_at, last_used_at, revoked_at";

fn token_from(row: &AnyRow) -> Result<TokenRow> {
    Ok(TokenRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        scope: row.try_get("scope")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

impl Store {
    pub async fn insert_token(&self, name: &str, scope: &str, token_hash: &str) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO api_tokens (name, scope, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name)
        .bind(scope)
        .bind(token_hash)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Conflict("a token with this name (live or revoked)")
            } else {
                e.into()
            }
        })?;
        Ok(row.try_get("id")?)
    }

    /// The token with this hash, revoked or not: one indexed lookup per API request.
    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<TokenRow>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(token_from).transpose()
    }

    pub async fn tokens(&self) -> Result<Vec<TokenRow>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens ORDER BY name"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(token_from).collect()
    }

    /// Marks the token used now, unless another request (or instance) did within `stale_ms`.
    pub async fn touch_token(&self, id: i64, stale_ms: i64) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1 \
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(now)
        .bind(id)
        .bind(now - stale_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Revokes the token named `name`: refused from the next request on, on every instance.
    pub async fn revoke_token(&self, name: &str) -> Result<Revoked> {
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL")
                .bind(now_ms())
                .bind(name)
                .execute(self.pool())
                .await?;
        if done.rows_affected() == 1 {
            return Ok(Revoked::Now);
        }
        let exists = sqlx::query("SELECT id FROM api_tokens WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        Ok(if exists.is_some() {
            Revoked::Already
        } else {
            Revoked::Unknown
        })
    }
}
