//! How many people an alert would text, and on which channels, counted the way
//! `plan_alert` writes its deliveries: the dashboard asks before anything is sent.

use sqlx::Row;

use super::alerts::{merged_group, REACHED, SENDABLE};
use super::{placeholders, Result, Store};

/// People an alert would reach and its deliveries per channel (a volunteer on both channels
/// counts once in `people` and in both channels).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Headcount {
    pub people: i64,
    pub sms: i64,
    pub signal: i64,
}

/// Ids per statement, well under both backends' bind-parameter limits.
const BATCH: usize = 500;

impl Store {
    /// Of these volunteers (the geofence's), those a first alert planned `now` goes to.
    pub async fn reach_of_volunteers(&self, ids: &[i64], signal_on: bool, now: i64) -> Result<Headcount> {
        let sms = if signal_on {
            "v.channel IN ('sms', 'both')"
        } else {
            "TRUE"
        };
        let signal = if signal_on {
            "v.channel IN ('signal', 'both')"
        } else {
            "FALSE"
        };
        let mut reach = Headcount::default();
        for chunk in ids.chunks(BATCH) {
            let sql = format!(
                "SELECT COALESCE(SUM(CASE WHEN {sms} OR {signal} THEN 1 ELSE 0 END), 0) AS people, \
                 COALESCE(SUM(CASE WHEN {sms} THEN 1 ELSE 0 END), 0) AS sms, \
                 COALESCE(SUM(CASE WHEN {signal} THEN 1 ELSE 0 END), 0) AS signal \
                 FROM volunteers v WHERE {} AND v.id IN ({})",
                SENDABLE.replace("$3", "$1"),
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(now);
            for id in chunk {
                q = q.bind(*id);
            }
            let row = q.fetch_one(self.pool()).await?;
            reach.people += row.try_get::<i64, _>("people")?;
            reach.sms += row.try_get::<i64, _>("sms")?;
            reach.signal += row.try_get::<i64, _>("signal")?;
        }
        Ok(reach)
    }

    /// Those an update or the end goes to: everyone the first alert (or a request to check)
    /// reached or may have reached, on the channel it reached them on.
    pub async fn reach_of_first_alert(&self, incident_id: i64) -> Result<Headcount> {
        let sql = format!(
            "SELECT d.channel AS channel, COUNT(DISTINCT d.volunteer_id) AS n FROM deliveries d \
             JOIN alerts a ON a.id = d.alert_id JOIN volunteers v ON v.id = d.volunteer_id \
             WHERE a.incident_id IN {} AND a.purpose IN ('first', 'verify') AND {REACHED} \
             AND v.active AND NOT v.opted_out GROUP BY d.channel",
            merged_group(1)
        );
        let rows = sqlx::query(&sql).bind(incident_id).fetch_all(self.pool()).await?;
        let mut reach = Headcount::default();
        for r in &rows {
            let n: i64 = r.try_get("n")?;
            match r.try_get::<String, _>("channel")?.as_str() {
                "signal" => reach.signal += n,
                _ => reach.sms += n,
            }
        }
        let people = format!(
            "SELECT COUNT(DISTINCT d.volunteer_id) AS n FROM deliveries d \
             JOIN alerts a ON a.id = d.alert_id JOIN volunteers v ON v.id = d.volunteer_id \
             WHERE a.incident_id IN {} AND a.purpose IN ('first', 'verify') AND {REACHED} \
             AND v.active AND NOT v.opted_out",
            merged_group(1)
        );
        reach.people = sqlx::query(&people)
            .bind(incident_id)
            .fetch_one(self.pool())
            .await?
            .try_get("n")?;
        Ok(reach)
    }
}
