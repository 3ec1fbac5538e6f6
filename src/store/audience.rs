//! How many people an alert would text, and on which channels, counted the way
//! `plan_alert` writes its deliveries: the dashboard asks before anything is sent.

use sqlx::Row;

use super::alerts::{merged_group, REACHED, SENDABLE};
use super::{placeholders, Result, Store};
use crate::domain::Language;

/// People an alert would reach and its deliveries per channel (a volunteer on both channels
/// counts once in `people` and in both channels).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headcount {
    pub people: i64,
    pub sms: i64,
    pub signal: i64,
    /// Of `people`, how many read each language (English first, then the catalogues' order;
    /// none with nobody). A language without a catalogue reads English, as the alert's text does.
    pub languages: Vec<(Language, i64)>,
}

impl Headcount {
    /// How many read `language`.
    pub fn reading(&self, language: Language) -> i64 {
        self.languages
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }

    fn add_readers(&mut self, code: &str, n: i64) {
        // The same rule as the alert's `CASE v.language`: an exact code, else English.
        let language = Language::all()
            .into_iter()
            .find(|l| l.as_str() == code)
            .unwrap_or(Language::EN);
        match self.languages.iter_mut().find(|(l, _)| *l == language) {
            Some((_, count)) => *count += n,
            None if n > 0 => self.languages.push((language, n)),
            None => {}
        }
    }

    fn sort_languages(&mut self) {
        let order = Language::all();
        self.languages
            .sort_by_key(|(l, _)| order.iter().position(|o| o == l).unwrap_or(usize::MAX));
    }
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
            // Per language: the counts per channel add up, and say who reads what.
            let sql = format!(
                "SELECT v.language AS language, \
                 COALESCE(SUM(CASE WHEN {sms} OR {signal} THEN 1 ELSE 0 END), 0) AS people, \
                 COALESCE(SUM(CASE WHEN {sms} THEN 1 ELSE 0 END), 0) AS sms, \
                 COALESCE(SUM(CASE WHEN {signal} THEN 1 ELSE 0 END), 0) AS signal \
                 FROM volunteers v WHERE {} AND v.id IN ({}) GROUP BY v.language",
                SENDABLE.replace("$3", "$1"),
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(now);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                let people = row.try_get::<i64, _>("people")?;
                reach.people += people;
                reach.sms += row.try_get::<i64, _>("sms")?;
                reach.signal += row.try_get::<i64, _>("signal")?;
                reach.add_readers(&row.try_get::<String, _>("language")?, people);
            }
        }
        reach.sort_languages();
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
        // People per language (a volunteer has one): they add up to everyone.
        let people = format!(
            "SELECT v.language AS language, COUNT(DISTINCT d.volunteer_id) AS n FROM deliveries d \
             JOIN alerts a ON a.id = d.alert_id JOIN volunteers v ON v.id = d.volunteer_id \
             WHERE a.incident_id IN {} AND a.purpose IN ('first', 'verify') AND {REACHED} \
             AND v.active AND NOT v.opted_out GROUP BY v.language",
            merged_group(1)
        );
        for row in sqlx::query(&people)
            .bind(incident_id)
            .fetch_all(self.pool())
            .await?
        {
            let n: i64 = row.try_get("n")?;
            reach.people += n;
            reach.add_readers(&row.try_get::<String, _>("language")?, n);
        }
        reach.sort_languages();
        Ok(reach)
    }
}
