//! JOIN conversations by text, one per sender (keyed by the sender's keyed hash).

use sqlx::Row;

use super::{now_ms, Result, Store};

#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    pub sender_hash: String,
    /// `language`, `area` or `confirm`.
    pub step: String,
    pub language: Option<String>,
    /// The chosen home area (stored JSON) and how to say it.
    pub area: Option<String>,
    pub area_label: Option<String>,
    pub failures: i64,
    pub updated_at: i64,
}

impl Store {
    pub async fn conversation(&self, sender_hash: &str) -> Result<Option<Conversation>> {
        let row = sqlx::query(
            "SELECT sender_hash, step, language, area, area_label, failures, updated_at \
             FROM conversations WHERE sender_hash = $1",
        )
        .bind(sender_hash)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Conversation {
                sender_hash: r.try_get("sender_hash")?,
                step: r.try_get("step")?,
                language: r.try_get("language")?,
                area: r.try_get("area")?,
                area_label: r.try_get("area_label")?,
                failures: r.try_get("failures")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    /// Creates or replaces the sender's conversation.
    pub async fn save_conversation(&self, c: &Conversation) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO conversations (sender_hash, step, language, area, area_label, failures, started_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (sender_hash) DO UPDATE SET \
             step = excluded.step, language = excluded.language, area = excluded.area, \
             area_label = excluded.area_label, failures = excluded.failures, updated_at = excluded.updated_at",
        )
        .bind(&c.sender_hash)
        .bind(&c.step)
        .bind(c.language.as_deref())
        .bind(c.area.as_deref())
        .bind(c.area_label.as_deref())
        .bind(c.failures)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn end_conversation(&self, sender_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM conversations WHERE sender_hash = $1")
            .bind(sender_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Forgets conversations idle since before `before`.
    pub async fn end_idle_conversations(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM conversations WHERE updated_at < $1")
            .bind(before)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
