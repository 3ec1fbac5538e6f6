//! JOIN conversations by text, one per sender (keyed by the sender's keyed hash). The chosen
//! home area and its label are sealed, bound to that key; an ended conversation is deleted and
//! scrubbed from the files.

use sqlx::Row;

use super::{now_ms, Result, Store};
use crate::crypto::Field;

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
            "SELECT sender_hash, step, language, area_enc, area_label_enc, failures, updated_at \
             FROM conversations WHERE sender_hash = $1",
        )
        .bind(sender_hash)
        .fetch_optional(self.pool())
        .await?;
        let open = |field, sealed: Option<Vec<u8>>| sealed.map(|s| self.open_value(field, sender_hash, &s));
        row.map(|r| {
            Ok(Conversation {
                sender_hash: r.try_get("sender_hash")?,
                step: r.try_get("step")?,
                language: r.try_get("language")?,
                area: open(Field::ConversationArea, r.try_get("area_enc")?),
                area_label: open(Field::ConversationAreaLabel, r.try_get("area_label_enc")?),
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
            "INSERT INTO conversations (sender_hash, step, language, area_enc, area_label_enc, failures, started_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (sender_hash) DO UPDATE SET \
             step = excluded.step, language = excluded.language, area_enc = excluded.area_enc, \
             area_label_enc = excluded.area_label_enc, failures = excluded.failures, updated_at = excluded.updated_at",
        )
        .bind(&c.sender_hash)
        .bind(&c.step)
        .bind(c.language.as_deref())
        .bind(c.area.as_deref().map(|a| self.seal(Field::ConversationArea, &c.sender_hash, a)))
        .bind(c.area_label.as_deref().map(|l| self.seal(Field::ConversationAreaLabel, &c.sender_hash, l)))
        .bind(c.failures)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Forgets the sender's conversation, if any, and the area they chose in it.
    pub async fn end_conversation(&self, sender_hash: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM conversations WHERE sender_hash = $1")
            .bind(sender_hash)
            .execute(self.pool())
            .await?;
        if done.rows_affected() > 0 {
            self.scrub(&["conversations"]).await;
        }
        Ok(())
    }

    /// Forgets conversations idle since before `before`; the caller scrubs the files.
    pub async fn end_idle_conversations(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM conversations WHERE updated_at < $1")
            .bind(before)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
