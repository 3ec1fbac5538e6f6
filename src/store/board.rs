//! What the dispatcher's board reads about one incident: who was alerted, how each delivery
//! went, what each volunteer answered, and the updates sent.

use sqlx::Row;

use super::{Result, Store};
use crate::crypto::Field;

/// One volunteer alerted about the incident (or an incident merged into it).
#[derive(Debug, Clone)]
pub struct AlertedRow {
    pub volunteer_id: i64,
    pub name: String,
    /// E.164, opened.
    pub phone: String,
    pub language: String,
    /// Their home area (JSON), to draw on the incident's map.
    pub area: String,
    /// The first alert's delivery state.
    pub status: String,
    /// `sms`, `signal`, or `voice` (a wake-up call, listed beside the texts).
    pub channel: String,
    pub error: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    /// Not vetted: their answer is shown, not counted.
    pub unvetted: bool,
}

/// One update sent about the incident.
#[derive(Debug, Clone)]
pub struct UpdateRow {
    pub seq: i64,
    pub created_at: i64,
    /// Each text sent (one per language version, as volunteers read it) and to how many,
    /// the most read first.
    pub versions: Vec<(String, i64)>,
    pub recipients: i64,
}

impl Store {
    /// On scene first, then coming, not answered, can't; by name within each (names are
    /// sealed: sorted here, once opened).
    pub async fn alerted_volunteers(&self, incident_id: i64) -> Result<Vec<AlertedRow>> {
        let rows = sqlx::query(
            "SELECT d.id AS delivery_id, d.volunteer_id AS volunteer_id, v.name_enc AS name_enc, \
             v.phone_enc AS phone_enc, v.language AS language, v.area_enc AS area_enc, d.status AS status, d.channel AS channel, \
             d.error AS error, c.answer AS answer, c.answered_at AS answered_at, v.standing AS standing \
             FROM deliveries d JOIN alerts a ON a.id = d.alert_id JOIN volunteers v ON v.id = d.volunteer_id \
             LEFT JOIN confirmations c ON c.incident_id = $1 AND c.volunteer_id = d.volunteer_id \
             WHERE a.purpose = 'first' AND a.incident_id IN (SELECT id FROM incidents WHERE id = $1 OR merged_into = $1)",
        )
        .bind(incident_id)
        .fetch_all(self.pool())
        .await?;
        let mut alerted = rows
            .iter()
            .map(|r| {
                let id: i64 = r.try_get("volunteer_id")?;
                let open = |field, column: &str| -> Result<String> {
                    Ok(self.open_value(field, id, &r.try_get::<Vec<u8>, _>(column)?))
                };
                let row = AlertedRow {
                    volunteer_id: id,
                    name: open(Field::VolunteerName, "name_enc")?,
                    phone: open(Field::VolunteerPhone, "phone_enc")?,
                    language: r.try_get("language")?,
                    area: open(Field::VolunteerArea, "area_enc")?,
                    status: r.try_get("status")?,
                    channel: r.try_get("channel")?,
                    error: r.try_get("error")?,
                    answer: r.try_get("answer")?,
                    answered_at: r.try_get("answered_at")?,
                    unvetted: r.try_get::<String, _>("standing")? != "approved",
                };
                Ok((r.try_get::<i64, _>("delivery_id")?, row))
            })
            .collect::<Result<Vec<_>>>()?;
        let rank = |answer: Option<&str>| match answer {
            Some("on_scene") => 0,
            Some("coming") => 1,
            Some("cant") => 3,
            _ => 2,
        };
        alerted.sort_by(|(da, a), (db, b)| {
            (rank(a.answer.as_deref()), &a.name, da).cmp(&(rank(b.answer.as_deref()), &b.name, db))
        });
        Ok(alerted.into_iter().map(|(_, row)| row).collect())
    }

    /// Updates sent about the incident, oldest first, each with every version sent.
    pub async fn updates_of(&self, incident_id: i64) -> Result<Vec<UpdateRow>> {
        let rows = sqlx::query(
            "SELECT a.seq AS seq, a.created_at AS created_at, d.body AS body, COUNT(d.id) AS n \
             FROM alerts a LEFT JOIN deliveries d ON d.alert_id = a.id \
             WHERE a.incident_id = $1 AND a.purpose = 'update' \
             GROUP BY a.id, a.seq, a.created_at, d.body ORDER BY a.seq, n DESC, d.body",
        )
        .bind(incident_id)
        .fetch_all(self.pool())
        .await?;
        let mut updates: Vec<UpdateRow> = Vec::new();
        for r in &rows {
            let seq: i64 = r.try_get("seq")?;
            let body: Option<String> = r.try_get("body")?;
            let n: i64 = r.try_get("n")?;
            if updates.last().is_none_or(|u| u.seq != seq) {
                updates.push(UpdateRow {
                    seq,
                    created_at: r.try_get("created_at")?,
                    versions: Vec::new(),
                    recipients: 0,
                });
            }
            if let (Some(update), Some(body)) = (updates.last_mut(), body) {
                update.versions.push((body, n));
                update.recipients += n;
            }
        }
        Ok(updates)
    }
}
