//! Facts about the database itself, such as the check value of the key that encrypted it.

use sqlx::Row;

use super::{Result, Store};

impl Store {
    pub async fn meta(&self, name: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM meta WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok(r.try_get("value")?)).transpose()
    }

    /// Sets `name` unless it is set already; returns the value now stored.
    pub async fn meta_init(&self, name: &str, value: &str) -> Result<String> {
        sqlx::query("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(name)
            .bind(value)
            .execute(self.pool())
            .await?;
        Ok(self.meta(name).await?.unwrap_or_default())
    }
}
