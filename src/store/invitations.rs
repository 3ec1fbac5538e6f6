//! A mobilisation answered like an alert (issue 18 §2–4): it owns an incident from the start,
//! `planned` until its morning. Its invitations, reminders, changes, stand-down and morning are
//! alerts of that incident, each claimed on the incident's state in the transaction that writes
//! it, under the alerts' unique key (incident, purpose, seq): planning twice sends once.

use std::collections::HashMap;

use sqlx::Row;

use super::alerts::{Audience, Bodies, REACHED};
use super::{now_ms, Result, Store};
use crate::domain::{AlertPurpose, Answer, Kind};

/// Which of those invited, by their latest answer.
#[derive(Debug, Clone, Copy)]
pub enum Pick {
    All,
    /// Those whose answer is one of these.
    Said(&'static [Answer]),
}

impl Pick {
    /// The condition on `d.volunteer_id` for the incident bound at `$n`.
    pub(super) fn sql(self, n: usize) -> String {
        match self {
            Pick::All => "TRUE".into(),
            Pick::Said(answers) => {
                let names: Vec<String> = answers.iter().map(|a| format!("'{}'", a.as_str())).collect();
                format!(
                    "d.volunteer_id IN (SELECT c.volunteer_id FROM confirmations c \
                     WHERE c.incident_id = ${n} AND c.answer IN ({}))",
                    names.join(", ")
                )
            }
        }
    }
}

/// What the morning writes on the incident: where it is.
#[derive(Debug, Clone)]
pub struct Morning<'a> {
    pub lat: f64,
    pub lon: f64,
    pub zone: Option<&'a str>,
}

/// Answers to one mobilisation so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rsvp {
    /// Volunteers its invitations reached (or may have).
    pub invited: i64,
    pub yes: i64,
    pub no: i64,
    pub maybe: i64,
    /// Checked in on the morning (HERE).
    pub here: i64,
}

impl Rsvp {
    /// Invited and not answered yet.
    pub fn silent(&self) -> i64 {
        (self.invited - self.yes - self.no - self.maybe - self.here).max(0)
    }

    /// Coming or there already: what counts towards `wanted`.
    pub fn coming(&self) -> i64 {
        self.yes + self.here
    }
}

/// The incident a kind of mobilisation is, as far as incidents' kinds go.
fn incident_kind(kind: &str) -> Kind {
    match kind {
        "eviction" | "lockout" => Kind::Eviction,
        _ => Kind::Other,
    }
}

/// Creates the mobilisation's incident (planned, with no place: where the network will be is
/// sealed in the mobilisation until its morning) and ties them together.
pub(super) async fn attach_incident(
    conn: &mut sqlx::AnyConnection,
    mobilisation_id: i64,
    (kind, zone): (&str, Option<&str>),
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO incidents (kind, status, status_cause, zone, created_at, updated_at) \
         VALUES ($1, 'planned', $2, $3, $4, $4) RETURNING id",
    )
    .bind(incident_kind(kind).as_str())
    .bind(format!("mobilisation #{mobilisation_id} planned"))
    .bind(zone)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let incident_id: i64 = row.try_get("id")?;
    sqlx::query("UPDATE mobilisations SET incident_id = $2 WHERE id = $1 AND incident_id IS NULL")
        .bind(mobilisation_id)
        .bind(incident_id)
        .execute(&mut *conn)
        .await?;
    Ok(incident_id)
}

impl Store {
    /// The incident of a mobilisation stored before it had one (0029).
    pub async fn ensure_incident(&self, mobilisation_id: i64, kind: &str, zone: Option<&str>) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = attach_incident(&mut tx, mobilisation_id, (kind, zone), now_ms()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Writes one of a mobilisation's alerts, claimed on its incident's state: an invitation,
    /// reminder or change while it is planned; the stand-down cancels it; the morning makes it
    /// a live incident (confirmed, placed, its first alert the one to those coming, wanting no
    /// one more: it widens only when a dispatcher alerts the area). None when it was written
    /// already, or the mobilisation is past that state.
    #[allow(clippy::too_many_arguments)]
    pub async fn plan_mobilisation_alert(
        &self,
        incident_id: i64,
        (purpose, seq): (AlertPurpose, i64),
        morning: Option<&Morning<'_>>,
        audience: Audience<'_>,
        bodies: &Bodies,
        (now, expires_at): (i64, i64),
        after_first: &(dyn Fn() + Send + Sync),
    ) -> Result<Option<u64>> {
        let mut tx = self.begin().await?;
        let claimed = match (purpose, morning) {
            (AlertPurpose::Invite | AlertPurpose::Reminder | AlertPurpose::Change, _) => {
                sqlx::query("UPDATE incidents SET updated_at = $2 WHERE id = $1 AND status = 'planned'")
                    .bind(incident_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
            }
            (AlertPurpose::Cancel, _) => {
                sqlx::query(
                    "UPDATE incidents SET status = 'cancelled', status_cause = 'the mobilisation was called off', \
                     closed_at = $2, updated_at = $2 WHERE id = $1 AND status = 'planned'",
                )
                .bind(incident_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
            }
            (AlertPurpose::Live, Some(m)) => {
                sqlx::query(
                    "UPDATE incidents SET status = 'confirmed', confirmed_by = 'dispatcher', \
                     status_cause = 'the mobilisation began', verified_at = $2, first_alert_at = $2, \
                     escalated_at = $2, wanted = 0, lat = $3, lon = $4, zone = $5, approximate = FALSE, \
                     located_by = 'coordinates', updated_at = $2 WHERE id = $1 AND status = 'planned'",
                )
                .bind(incident_id)
                .bind(now)
                .bind(m.lat)
                .bind(m.lon)
                .bind(m.zone)
                .execute(&mut *tx)
                .await?
            }
            _ => return Err(sqlx::Error::Protocol("not a mobilisation's alert".into()).into()),
        };
        if claimed.rows_affected() == 0 {
            return Ok(None);
        }
        let status = match purpose {
            AlertPurpose::Cancel => Some("cancelled"),
            AlertPurpose::Live => Some("live"),
            _ => None,
        };
        if let Some(status) = status {
            sqlx::query(
                "UPDATE mobilisations SET status = $2, updated_at = $3 WHERE incident_id = $1 AND status = 'planned'",
            )
            .bind(incident_id)
            .bind(status)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        self.write_alert(
            tx,
            (incident_id, purpose, seq),
            audience,
            bodies,
            (now, expires_at),
            after_first,
        )
        .await
    }

    /// Volunteers any of the incident's invitations was written for (whatever became of it):
    /// a widening step invites new people only.
    pub async fn invited(&self, incident_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT d.volunteer_id AS id FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
             WHERE a.incident_id = $1 AND a.purpose = 'invite' ORDER BY id",
        )
        .bind(incident_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// Volunteers who said they are coming to (or are at) the incident: an alert to its area
    /// (a live mobilisation's sudden turn) does not tell them again.
    pub async fn coming_to(&self, incident_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT volunteer_id AS id FROM confirmations WHERE incident_id = $1 AND answer IN ('coming', 'on_scene')",
        )
        .bind(incident_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// When each of the incident's alerts of `purpose` was written: seq -> created_at.
    pub async fn alerts_written(&self, incident_id: i64, purpose: AlertPurpose) -> Result<HashMap<i64, i64>> {
        let rows = sqlx::query("SELECT seq, created_at FROM alerts WHERE incident_id = $1 AND purpose = $2")
            .bind(incident_id)
            .bind(purpose.as_str())
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("seq")?, r.try_get("created_at")?)))
            .collect()
    }

    /// The answers to each of these incidents' invitations.
    pub async fn rsvps(&self, incident_ids: &[i64]) -> Result<HashMap<i64, Rsvp>> {
        let mut out: HashMap<i64, Rsvp> = HashMap::new();
        if incident_ids.is_empty() {
            return Ok(out);
        }
        let list = super::placeholders(0, incident_ids.len());
        let invited = format!(
            "SELECT a.incident_id AS id, COUNT(DISTINCT d.volunteer_id) AS n FROM deliveries d \
             JOIN alerts a ON a.id = d.alert_id WHERE a.incident_id IN ({list}) AND a.purpose = 'invite' \
             AND {REACHED} GROUP BY a.incident_id"
        );
        let answers = format!(
            "SELECT incident_id AS id, answer, COUNT(*) AS n FROM confirmations \
             WHERE incident_id IN ({list}) GROUP BY incident_id, answer"
        );
        let mut q = sqlx::query(&invited);
        for id in incident_ids {
            q = q.bind(*id);
        }
        for r in q.fetch_all(self.pool()).await? {
            out.entry(r.try_get("id")?).or_default().invited = r.try_get("n")?;
        }
        let mut q = sqlx::query(&answers);
        for id in incident_ids {
            q = q.bind(*id);
        }
        for r in q.fetch_all(self.pool()).await? {
            let n: i64 = r.try_get("n")?;
            let answer: String = r.try_get("answer")?;
            let e = out.entry(r.try_get("id")?).or_default();
            match answer.as_str() {
                "coming" => e.yes += n,
                "cant" => e.no += n,
                "maybe" => e.maybe += n,
                "on_scene" => e.here += n,
                _ => {}
            }
        }
        Ok(out)
    }

    /// The mobilisation an incident is answered as, if it is one's.
    pub async fn mobilisation_of(
        &self,
        incident_id: i64,
    ) -> Result<Option<super::mobilisations::MobilisationRow>> {
        let row = sqlx::query("SELECT id FROM mobilisations WHERE incident_id = $1")
            .bind(incident_id)
            .fetch_optional(self.pool())
            .await?;
        match row {
            Some(r) => self.mobilisation(r.try_get("id")?).await,
            None => Ok(None),
        }
    }

    /// A live mobilisation's sudden turn: its incident is alerted to its area as a raid is (the
    /// dispatch loop writes that first alert, then escalation follows as for any incident),
    /// wanting the mobilisation's number of people.
    /// False when it is not live, or its area was alerted already.
    pub async fn alert_area(&self, incident_id: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE incidents SET first_alert_at = NULL, status_cause = 'a dispatcher alerted the area', \
             wanted = (SELECT wanted FROM mobilisations WHERE incident_id = $1), \
             updated_at = $2 WHERE id = $1 AND status = 'confirmed' AND first_alert_at IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM alerts WHERE incident_id = $1 AND purpose = 'first') \
             AND EXISTS (SELECT 1 FROM mobilisations WHERE incident_id = $1 AND status = 'live')",
        )
        .bind(incident_id)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Live mobilisations whose incident has ended become `ended`.
    pub async fn end_finished_mobilisations(&self) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE mobilisations SET status = 'ended', updated_at = $1 WHERE status = 'live' \
             AND incident_id IN (SELECT id FROM incidents WHERE status NOT IN ('confirmed', 'planned'))",
        )
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }
}
