//! The question a reporter was asked (where; or what and where), one per sender, keyed by the
//! sender's keyed hash; and what reporters have been told of their report's incident. The
//! reporter's number stays sealed in `reports.reporter_enc` and is opened only to tell them.

use sqlx::Row;

use super::vocab::{decode, In, OPEN};
use super::{Result, Store};
use crate::crypto::Field;
use crate::domain::{Channel, IncidentStatus, LocatedBy, Location};

/// What a reporter was asked, and about which report.
#[derive(Debug, Clone, PartialEq)]
pub struct Followup {
    pub sender_hash: String,
    pub asked: Asked,
    pub report_id: i64,
    /// The unplaced incident the report opened (`Asked::Where`); None for a held report.
    pub incident_id: Option<i64>,
    pub language: String,
    pub asked_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// The report opened an incident with no place: where is it?
    Where,
    /// A bare word, held without an incident: what is happening, and where?
    What,
}

impl Asked {
    pub fn as_str(self) -> &'static str {
        match self {
            Asked::Where => "where",
            Asked::What => "what",
        }
    }

    fn parse(s: &str) -> Option<Asked> {
        match s {
            "where" => Some(Asked::Where),
            "what" => Some(Asked::What),
            _ => None,
        }
    }
}

/// A report whose reporter is to be told something, with their address opened.
#[derive(Debug, Clone)]
pub struct ToTell {
    pub report_id: i64,
    pub incident_id: i64,
    /// The channel the report came in on, which the news goes back on.
    pub channel: Channel,
    pub language: String,
    /// The reporter's number or Signal account id; None when it does not open.
    pub reporter: Option<String>,
    pub status: String,
    pub kind: String,
}

/// What the reporter is told: that the incident is confirmed, or that it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum News {
    Confirmed,
    Ended,
}

impl News {
    fn column(self) -> &'static str {
        match self {
            News::Confirmed => "told_confirmed_at",
            News::Ended => "told_ended_at",
        }
    }

    fn statuses(self) -> In<IncidentStatus> {
        match self {
            News::Confirmed => In(&[IncidentStatus::Confirmed]),
            News::Ended => In(IncidentStatus::ENDED_ALOUD),
        }
    }
}

/// The report `$1` and the other reports of its reporter on its incident.
const SAME_REPORTER: &str = "(id = $1 OR (incident_id = (SELECT incident_id FROM reports WHERE id = $1) \
     AND reporter_hash = (SELECT reporter_hash FROM reports WHERE id = $1)))";

impl Store {
    pub async fn followup(&self, sender_hash: &str) -> Result<Option<Followup>> {
        let row = sqlx::query(
            "SELECT sender_hash, asked, report_id, incident_id, language, asked_at FROM followups \
             WHERE sender_hash = $1",
        )
        .bind(sender_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let asked: String = r.try_get("asked")?;
        let Some(asked) = Asked::parse(&asked) else {
            return Ok(None);
        };
        Ok(Some(Followup {
            sender_hash: r.try_get("sender_hash")?,
            asked,
            report_id: r.try_get("report_id")?,
            incident_id: r.try_get("incident_id")?,
            language: r.try_get("language")?,
            asked_at: r.try_get("asked_at")?,
        }))
    }

    /// Asks the sender (replacing any earlier question: only the latest is answered).
    pub async fn save_followup(&self, f: &Followup) -> Result<()> {
        sqlx::query(
            "INSERT INTO followups (sender_hash, asked, report_id, incident_id, language, asked_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sender_hash) DO UPDATE SET \
             asked = excluded.asked, report_id = excluded.report_id, incident_id = excluded.incident_id, \
             language = excluded.language, asked_at = excluded.asked_at",
        )
        .bind(&f.sender_hash)
        .bind(f.asked.as_str())
        .bind(f.report_id)
        .bind(f.incident_id)
        .bind(&f.language)
        .bind(f.asked_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes the sender's question away; true for the one caller that took it (two messages at
    /// once: only one is the answer).
    pub async fn end_followup(&self, sender_hash: &str, report_id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM followups WHERE sender_hash = $1 AND report_id = $2")
            .bind(sender_hash)
            .bind(report_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets questions asked before `before`; the caller scrubs the files.
    pub async fn end_stale_followups(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM followups WHERE asked_at < $1")
            .bind(before)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Reports whose reporter is still known and has not yet been told this news of their
    /// incident (SMS and Signal only: others have nowhere to answer).
    pub async fn reporters_to_tell(&self, news: News, limit: i64) -> Result<Vec<ToTell>> {
        let sql = format!(
            "SELECT r.id, r.incident_id, r.channel, r.language, r.reporter_enc, i.status, i.kind \
             FROM reports r JOIN incidents i ON i.id = r.incident_id \
             WHERE r.reporter_enc IS NOT NULL AND r.told_ended_at IS NULL AND r.{} IS NULL \
             AND i.status IN {} \
             AND r.channel IN {} AND (r.flagged IS NULL OR r.flagged = 'repeat') \
             ORDER BY r.id LIMIT $1",
            news.column(),
            news.statuses(),
            In(&Channel::ALL)
        );
        let rows = sqlx::query(&sql).bind(limit).fetch_all(self.pool()).await?;
        let vault = self.vault();
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let sealed: Vec<u8> = r.try_get("reporter_enc")?;
                Ok(ToTell {
                    report_id: id,
                    incident_id: r.try_get("incident_id")?,
                    channel: decode("channel", &r.try_get::<String, _>("channel")?, Channel::parse)?,
                    language: r.try_get("language")?,
                    reporter: vault.open(Field::ReportReporter, id, &sealed).ok(),
                    status: r.try_get("status")?,
                    kind: r.try_get("kind")?,
                })
            })
            .collect()
    }

    /// Claims telling this news, for the report and every other report of the same reporter
    /// on the same incident (one message per person, however often they wrote): true for the
    /// one instance that tells.
    pub async fn mark_told(&self, report_id: i64, news: News, now: i64) -> Result<bool> {
        let column = news.column();
        let sql = format!("UPDATE reports SET {column} = $2 WHERE {column} IS NULL AND {SAME_REPORTER}");
        let done = sqlx::query(&sql)
            .bind(report_id)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Gives a claim made at `at` back after a send that may succeed later.
    pub async fn unmark_told(&self, report_id: i64, news: News, at: i64) -> Result<()> {
        let column = news.column();
        let sql = format!("UPDATE reports SET {column} = NULL WHERE {column} = $2 AND {SAME_REPORTER}");
        sqlx::query(&sql)
            .bind(report_id)
            .bind(at)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A report that joined an incident already confirmed: its acknowledgement said so, there
    /// is no news to tell.
    pub async fn told_if_confirmed(&self, report_id: i64, now: i64) -> Result<()> {
        sqlx::query(
            "UPDATE reports SET told_confirmed_at = $2 WHERE id = $1 AND told_confirmed_at IS NULL \
             AND incident_id IN (SELECT id FROM incidents WHERE status = 'confirmed')",
        )
        .bind(report_id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

/// Links a report held for an answer (flagged `asked`) to the incident its answer opened.
pub async fn release_held(tx: &mut super::Tx, report_id: i64, incident_id: i64) -> Result<bool> {
    let conn = tx.conn();
    let done = sqlx::query(
        "UPDATE reports SET incident_id = $2, flagged = NULL \
         WHERE id = $1 AND incident_id IS NULL AND flagged = 'asked'",
    )
    .bind(report_id)
    .bind(incident_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Places an open incident that had no place and has alerted nobody yet, saying how it was
/// placed (`located_by`, `uncertainty_m`) as `locate_incident` does. False otherwise.
pub async fn place_incident(tx: &mut super::Tx, id: i64, at: &Location, now: i64) -> Result<bool> {
    let conn = tx.conn();
    let Some((lat, lon)) = at.point else {
        return Ok(false);
    };
    let done = sqlx::query(&format!(
        "UPDATE incidents SET lat = $2, lon = $3, zone = $4, approximate = $5, updated_at = $6, \
         located_by = $7, uncertainty_m = NULLIF($8, -1.0) \
         WHERE id = $1 AND lat IS NULL AND first_alert_at IS NULL AND status IN {OPEN}"
    ))
    .bind(id)
    .bind(lat)
    .bind(lon)
    .bind(at.zone.as_deref())
    .bind(at.approximate)
    .bind(now)
    .bind(at.located_by.map(LocatedBy::as_str))
    .bind(super::never_null(at.uncertainty_m))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Links the answer's report to the incident it places (whatever the answer said).
pub async fn attach_report(tx: &mut super::Tx, report_id: i64, incident_id: i64) -> Result<bool> {
    super::reports::set_incident(tx, report_id, incident_id).await
}

/// Names the kind of an incident still of kind `other` (a sighting word in the answer).
pub async fn name_kind(tx: &mut super::Tx, id: i64, kind: &str, now: i64) -> Result<()> {
    let conn = tx.conn();
    sqlx::query("UPDATE incidents SET kind = $2, updated_at = $3 WHERE id = $1 AND kind = 'other'")
        .bind(id)
        .bind(kind)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
