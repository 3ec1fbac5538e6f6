//! Rounds of verifiers (issue 14 §3): incidents whose latest round has gone unanswered too long,
//! and who was asked already (a later round asks only others).

use std::collections::HashSet;

use sqlx::Row;

use super::incidents::{self, IncidentRow};
use super::vocab::UNDECIDED;
use super::{Result, Store};

impl Store {
    /// Undecided incidents whose latest round of verifiers was asked before `before` and that
    /// no verifier has answered (CONFIRM or NOTHING) yet, and nobody was paged for.
    pub async fn incidents_to_recheck(&self, before: i64) -> Result<Vec<IncidentRow>> {
        let sql = format!(
            "SELECT {} FROM incidents i WHERE status IN {UNDECIDED} AND merged_into IS NULL \
             AND needs_person IS NULL AND verifier_rounds >= 1 AND verifiers_paged_at < $1 \
             AND lat IS NOT NULL AND lon IS NOT NULL AND NOT EXISTS (SELECT 1 FROM verifier_answers v \
             WHERE v.incident_id = i.id AND v.kind IN ('confirm', 'nothing')) ORDER BY id",
            incidents::COLUMNS
        );
        let rows = sqlx::query(&sql).bind(before).fetch_all(self.pool()).await?;
        rows.iter().map(incidents::from_row).collect()
    }

    /// Every volunteer a request to check the incident was written for, in any round.
    pub async fn verifiers_asked(&self, incident_id: i64) -> Result<HashSet<i64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT d.volunteer_id AS id FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
             WHERE a.incident_id = $1 AND a.purpose = 'verify'",
        )
        .bind(incident_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }
}
