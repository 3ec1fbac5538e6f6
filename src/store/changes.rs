//! What changed among volunteers since version N, so that every instance can keep its
//! geofence index up to date without rebuilding it. Migration 0023 stamps each write to a
//! volunteer's alertable columns (area, active, opted out, paused, standing) with the next
//! value of one counter, committed in order (see the migration), and indexes the stamp.

use sqlx::Row;

use super::{flag, Result, Store};

/// A volunteer as the index should now hold them.
#[derive(Debug, Clone)]
pub struct VolunteerChange {
    pub id: i64,
    /// The change's stamp; the caller's new version once applied.
    pub seq: i64,
    /// The home area's JSON when alertable (as `alertable_areas` would list it), else None.
    pub area: Option<String>,
}

impl Store {
    /// The latest change's stamp. Read it before a full load: a change committed meanwhile
    /// then comes again in `volunteer_changes_since`, which is harmless.
    pub async fn volunteer_change_head(&self) -> Result<i64> {
        let row = sqlx::query("SELECT value FROM volunteer_change_counter WHERE id = 1")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("value")?)
    }

    /// Volunteers changed after stamp `after`, oldest first, at most `limit` of them.
    pub async fn volunteer_changes_since(&self, after: i64, limit: i64) -> Result<Vec<VolunteerChange>> {
        let rows = sqlx::query(
            "SELECT id, change_seq, area_enc, active, opted_out, paused, standing FROM volunteers \
             WHERE change_seq > $1 ORDER BY change_seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut changes = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let standing: String = r.try_get("standing")?;
            // The same test as `alertable_areas`.
            let alertable =
                flag(r, "active")? && !flag(r, "opted_out")? && !flag(r, "paused")? && standing != "pending";
            let area = if alertable {
                Some(self.open_area(id, r.try_get("area_enc")?))
            } else {
                self.forget_area(id);
                None
            };
            changes.push(VolunteerChange {
                id,
                seq: r.try_get("change_seq")?,
                area,
            });
        }
        Ok(changes)
    }

    /// Drops a no longer alertable volunteer's opened area (as `alertable_areas` does).
    fn forget_area(&self, id: i64) {
        let mut opened = self.opened_areas.lock().unwrap_or_else(|e| e.into_inner());
        opened.remove(&id);
    }
}
