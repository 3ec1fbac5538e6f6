//! Vetting: a joiner's standing moves only to approved (see `domain::Standing`). The other
//! queries that honour standing filter on the `standing` column where they choose volunteers:
//! the geofence index (`alertable_areas`), escalation and verifiers (`available_volunteers`),
//! and the deliveries themselves (`alerts::write_deliveries`).

use super::{now_ms, Result, Store};

impl Store {
    /// Approves an active volunteer who is pending or unvetted; false if there is none such
    /// (no volunteer, removed, or approved already).
    pub async fn approve_volunteer(&self, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE volunteers SET standing = 'approved', updated_at = $2 \
             WHERE id = $1 AND active AND standing IN ('pending', 'unvetted')",
        )
        .bind(id)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
