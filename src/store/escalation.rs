//! What escalation and drills need to know: who is available at all, who was alerted already,
//! and which incidents are due for their next step.

use std::collections::HashSet;

use sqlx::Row;

use super::incidents::{self, IncidentRow};
use super::{now_ms, Result, Store};

/// A volunteer an alert may go to now, as escalation sees them.
#[derive(Debug, Clone)]
pub struct Available {
    pub id: i64,
    /// Home area JSON (a zone reference is resolved by the caller).
    pub area: String,
    /// Comma-separated roles.
    pub roles: String,
    /// Approved (not unvetted): may verify.
    pub vetted: bool,
}

impl Available {
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.split(',').any(|r| r.trim() == role)
    }
}

impl Store {
    /// Every volunteer who can be alerted now (active, not opted out, not paused, not pending
    /// approval).
    pub async fn available_volunteers(&self) -> Result<Vec<Available>> {
        let rows = sqlx::query(
            "SELECT id, area_enc, roles, standing FROM volunteers WHERE active AND NOT opted_out AND NOT paused \
             AND (paused_until IS NULL OR paused_until <= $1) AND standing <> 'pending' ORDER BY id",
        )
        .bind(now_ms())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                Ok(Available {
                    id,
                    area: self.open_area(id, r.try_get("area_enc")?),
                    roles: r.try_get("roles")?,
                    vetted: r.try_get::<String, _>("standing")? == "approved",
                })
            })
            .collect()
    }

    /// Volunteers with this role, available or not.
    pub async fn volunteers_with_role(&self, role: &str) -> Result<HashSet<i64>> {
        let rows = sqlx::query("SELECT id FROM volunteers WHERE (',' || roles || ',') LIKE $1")
            .bind(format!("%,{role},%"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Everyone a first alert (or escalation step) of the incident, or of one merged into it,
    /// was written for, whatever became of it: an escalation step never alerts them again.
    pub async fn alerted_for(&self, incident_id: i64) -> Result<HashSet<i64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT d.volunteer_id AS id FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
             WHERE a.purpose = 'first' AND a.incident_id IN \
             (SELECT id FROM incidents WHERE id = $1 OR merged_into = $1)",
        )
        .bind(incident_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Records the responders wanted, once, before the first alert says it.
    pub async fn set_wanted(&self, incident_id: i64, wanted: i64) -> Result<()> {
        sqlx::query("UPDATE incidents SET wanted = $2 WHERE id = $1 AND first_alert_at IS NULL")
            .bind(incident_id)
            .bind(wanted)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Confirmed incidents still wanting responders whose latest step went out before `before`
    /// and that have steps left (fewer than `steps` taken).
    pub async fn incidents_to_escalate(&self, before: i64, steps: i64) -> Result<Vec<IncidentRow>> {
        let sql = format!(
            "SELECT {} FROM incidents WHERE status = 'confirmed' AND merged_into IS NULL \
             AND first_alert_at IS NOT NULL AND wanted > 0 AND escalated_at < $1 \
             AND escalation_step < $2 AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id",
            incidents::COLUMNS
        );
        let rows = sqlx::query(&sql)
            .bind(before)
            .bind(steps)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(incidents::from_row).collect()
    }
}
