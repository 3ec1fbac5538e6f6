//! The audit log: who did what to which incident or volunteer, and when.

use sqlx::Row;

use super::{now_ms, Result, Store};

pub struct NewEntry<'a> {
    pub user_id: Option<i64>,
    pub actor: &'a str,
    pub action: &'a str,
    pub incident_id: Option<i64>,
    pub volunteer_id: Option<i64>,
    pub detail: &'a str,
}

#[derive(Debug, Clone)]
pub struct EntryRow {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub incident_id: Option<i64>,
    pub volunteer_id: Option<i64>,
    pub detail: String,
}

impl Store {
    pub async fn insert_audit(&self, e: NewEntry<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, actor, action, incident_id, volunteer_id, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(now_ms())
        .bind(e.user_id)
        .bind(e.actor)
        .bind(e.action)
        .bind(e.incident_id)
        .bind(e.volunteer_id)
        .bind(e.detail)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The latest entries, newest first.
    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<EntryRow>> {
        self.audit_entries_before(limit, i64::MAX).await
    }

    /// Up to `limit` entries older than entry `before` (by id), newest first: pages of the log.
    pub async fn audit_entries_before(&self, limit: i64, before: i64) -> Result<Vec<EntryRow>> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, incident_id, volunteer_id, detail FROM audit_log \
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EntryRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    incident_id: r.try_get("incident_id")?,
                    volunteer_id: r.try_get("volunteer_id")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
