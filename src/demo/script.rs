//! The demo's scripted night, on a loop: a rumour flood (its first reports checked and found
//! to be nothing, the rest held by the sender's limit), a raid reported by three people that
//! merge into one incident, a verifier confirming it, the alerted volunteers answering in their
//! languages (some "can't", which brings in others), an update and the all-clear. Phones text
//! through the fakes to tocsin's real webhook and Signal bridge; the dispatcher's steps go
//! through the JSON API with the demo's token. Logs say what happened, never a number or text.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use serde_json::{json, Value};

use super::phones::{Cursor, Phones};

pub struct Script {
    pub base: String,
    pub token: String,
    pub phones: Arc<Phones>,
    pub speed: f64,
    /// `dispatch.escalate_after_s`: how long escalation waits for enough to come.
    pub escalate_after: Duration,
}

/// How long to wait for tocsin to act (real time, whatever the speed).
const PATIENCE: Duration = Duration::from_secs(20);

const RUMOUR: [&str; 3] = [
    "ICE checkpoint in Boyle Heights tonight, they are checking everyone!! forward this",
    "FORWARD: ICE checkpoint in Boyle Heights, stay home",
    "retén de ICE en Boyle Heights esta noche, pásalo",
];
const RUMOUR_MESSAGES: usize = 10;

const RAID: [&str; 3] = [
    "ICE raid at 34.0617, -118.3005, agents at the market door",
    "Redada de ICE en 34.0619, -118.3008, ayuda por favor",
    "이민 단속 34.0614, -118.3002 지금 마켓 앞",
];

/// The members of the public who report: a new number each night for a long while, so that
/// the per-sender limit holds only the rumour flood.
pub fn reporter_phone(slot: usize, night: u64) -> String {
    let index = (night as usize * 4 + slot) % 400;
    let area = [626, 562, 818, 747][index / 100];
    format!("+1{area}55501{:02}", index % 100)
}

/// A volunteer's answer in their language: coming, or can't.
pub fn answer(language: &str, coming: bool, id: i64) -> String {
    match (language, coming) {
        ("es", true) => format!("si voy {id}"),
        ("es", false) => format!("no puedo {id}"),
        ("ko", true) => format!("네 {id}"),
        ("ko", false) => format!("못 가요 {id}"),
        ("zh", true) => format!("我来 {id}"),
        ("zh", false) => format!("不行 {id}"),
        (_, true) => format!("Y{id}"),
        (_, false) => format!("N{id}"),
    }
}

/// A verifier's decision in their language: seen, or nothing there.
pub fn decision(language: &str, seen: bool, id: i64) -> String {
    match (language, seen) {
        ("es", true) => format!("CONFIRMAR {id}"),
        ("es", false) => format!("NADA {id}"),
        (_, true) => format!("CONFIRM {id}"),
        (_, false) => format!("NOTHING {id}"),
    }
}

/// Plays nights until the task is aborted.
pub async fn run(script: Script) {
    let http = reqwest::Client::new();
    for night in 1.. {
        match script.night(&http, night).await {
            Ok(id) => tracing::info!(night, incident = id, "demo night over: all clear"),
            Err(e) => tracing::warn!(night, error = %e, "demo night cut short"),
        }
        script.pause(30.0).await;
    }
}

impl Script {
    async fn pause(&self, secs: f64) {
        tokio::time::sleep(Duration::from_secs_f64(secs / self.speed)).await;
    }

    fn language(&self, phone: &str) -> &'static str {
        self.phones.person(phone).map_or("en", |p| p.language)
    }

    async fn night(&self, http: &reqwest::Client, night: u64) -> anyhow::Result<i64> {
        tracing::info!(night, "demo night begins");
        let rumour = self.rumour(night).await?;
        self.pause(5.0).await;

        let start = self.phones.cursor();
        for (slot, text) in RAID.iter().enumerate() {
            self.phones.text(&reporter_phone(slot + 1, night), text).await?;
            self.pause(3.0).await;
        }
        let exclude: HashSet<i64> = rumour.into_iter().collect();
        let (id, asked) = self
            .verify_requests(start, &exclude, 1)
            .await
            .context("no verifier was asked to check the raid")?;
        let incident = self
            .api(http, reqwest::Method::GET, &format!("/incidents/{id}"), None)
            .await?;
        tracing::info!(
            night,
            incident = id,
            reporters = incident["reporters"].as_i64(),
            "a raid reported by three people"
        );
        self.pause(5.0).await;

        let alerts = self.phones.cursor();
        let verifier = asked.first().context("a verifier")?;
        self.phones
            .text(verifier, &decision(self.language(verifier), true, id))
            .await?;
        tracing::info!(night, incident = id, "a verifier confirmed the raid");

        let (coming, cant) = self.answers(id, alerts).await;
        tracing::info!(
            night,
            incident = id,
            coming,
            cant,
            "volunteers answered in their languages"
        );
        self.pause(10.0).await;

        let update = json!({
            "text": "Agents left the market; two vans still on 8th St. Stay with the group.",
            "texts": {
                "es": "Los agentes salieron del mercado; dos camionetas siguen en la calle 8. Quédense con el grupo.",
                "ko": "요원들이 마켓을 떠났습니다. 8번가에 밴 두 대가 남아 있습니다. 함께 계세요.",
                "zh": "特工已离开市场；第八街还有两辆车。请和大家在一起。"
            }
        });
        let path = format!("/incidents/{id}/update");
        self.api(http, reqwest::Method::POST, &path, Some(update)).await?;
        tracing::info!(night, incident = id, "the dispatcher sent an update");
        self.pause(10.0).await;

        let path = format!("/incidents/{id}/all-clear");
        let closed = self
            .api(http, reqwest::Method::POST, &path, Some(json!({})))
            .await?;
        if closed["status"] != "all_clear" {
            bail!("the all-clear was not taken");
        }
        Ok(id)
    }

    /// A flood from one number; the verifiers asked about its first reports find nothing.
    /// Returns the incident the rumour opened, if any.
    async fn rumour(&self, night: u64) -> anyhow::Result<Option<i64>> {
        let phone = reporter_phone(0, night);
        let start = self.phones.cursor();
        for i in 0..RUMOUR_MESSAGES {
            self.phones.text(&phone, RUMOUR[i % RUMOUR.len()]).await?;
            self.pause(0.3).await;
        }
        tracing::info!(
            night,
            reports = RUMOUR_MESSAGES,
            "a rumour flood: past the sender's limit, its reports are held"
        );
        // Two verifiers' NOTHING close it (`dispatch.not_found_after`): wait until two were
        // asked, since requests go out one after another.
        let Some((id, asked)) = self.verify_requests(start, &HashSet::new(), 2).await else {
            return Ok(None);
        };
        for phone in asked.iter().take(2) {
            self.pause(3.0).await;
            self.phones
                .text(phone, &decision(self.language(phone), false, id))
                .await?;
        }
        tracing::info!(
            night,
            incident = id,
            "verifiers found nothing where the rumour said"
        );
        Ok(Some(id))
    }

    /// The first incident (not in `exclude`) verifiers were asked about since `start`, and who:
    /// once `want` were asked, or as many as were by the deadline.
    async fn verify_requests(
        &self,
        start: Cursor,
        exclude: &HashSet<i64>,
        want: usize,
    ) -> Option<(i64, Vec<String>)> {
        let asking = regex::Regex::new(r"CONFIRMA?R? (\d+)").ok()?;
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let mut found: Option<(i64, Vec<String>)> = None;
            for (to, body) in self.phones.sent_since(start) {
                let Some(id) = asking.captures(&body).and_then(|c| c[1].parse::<i64>().ok()) else {
                    continue;
                };
                if exclude.contains(&id) || !self.phones.person(&to).is_some_and(|p| p.verifier) {
                    continue;
                }
                match &mut found {
                    None => found = Some((id, vec![to])),
                    Some((first, asked)) if *first == id && !asked.contains(&to) => asked.push(to),
                    Some(_) => {}
                }
            }
            let enough = found.as_ref().is_some_and(|(_, asked)| asked.len() >= want);
            if enough || tokio::time::Instant::now() >= deadline {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Those alerted about `id` since `start` answer, a dozen at most each round: the first
    /// wave, those a "can't" brought in, then those escalation brought in when too few were
    /// coming; (coming, can't).
    async fn answers(&self, id: i64, start: Cursor) -> (usize, usize) {
        let tag = format!("#{id}");
        // Everyone alerted so far: later messages to them (stand by, updates) are not new alerts.
        let mut seen: HashSet<String> = HashSet::new();
        let (mut coming, mut cant) = (0, 0);
        for round in 0..3 {
            let patience = match round {
                0 => PATIENCE,
                _ => self.escalate_after + Duration::from_secs(5),
            };
            let deadline = tokio::time::Instant::now() + patience;
            let mut waiting = Vec::new();
            // Until some have been alerted and no more come for a moment.
            loop {
                let new: Vec<String> = self
                    .phones
                    .sent_since(start)
                    .into_iter()
                    .filter(|(to, body)| {
                        body.contains(&tag) && self.phones.person(to).is_some() && !seen.contains(to)
                    })
                    .map(|(to, _)| to)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let settled = !new.is_empty() && new == waiting;
                waiting = new;
                if settled || tokio::time::Instant::now() >= deadline {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(700)).await;
            }
            if waiting.is_empty() {
                break;
            }
            seen.extend(waiting.iter().cloned());
            tracing::info!(
                incident = id,
                round,
                alerted = waiting.len(),
                "volunteers alerted"
            );
            for phone in waiting.into_iter().take(12) {
                // Three in ten can't: the same ones every night, by their number.
                let yes = phone.bytes().map(usize::from).sum::<usize>() % 10 >= 3;
                let text = answer(self.language(&phone), yes, id);
                if let Err(e) = self.phones.text(&phone, &text).await {
                    tracing::warn!(incident = id, error = %e, "a simulated answer was not taken");
                }
                if yes {
                    coming += 1;
                } else {
                    cant += 1;
                }
                self.pause(1.0).await;
            }
        }
        (coming, cant)
    }

    async fn api(
        &self,
        http: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut request = http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        if !status.is_success() {
            bail!("the API answered {status} to {path}");
        }
        Ok(response.json().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Answer;
    use crate::intake::phrases::parse_answer;

    #[test]
    fn every_simulated_answer_is_read_as_meant() {
        for language in ["en", "es", "ko", "zh"] {
            for (coming, meant) in [(true, Answer::Coming), (false, Answer::Cant)] {
                let text = answer(language, coming, 42);
                let said = parse_answer(&text).unwrap_or_else(|| panic!("{text:?} not read"));
                assert_eq!((said.answer, said.incident), (meant, Some(42)), "{text:?}");
            }
            for seen in [true, false] {
                let text = decision(language, seen, 42);
                assert!(crate::intake::decision::parse(&text).is_some(), "{text:?}");
            }
        }
    }

    #[test]
    fn reporters_are_valid_numbers_and_differ_within_a_night() {
        let phones: HashSet<String> = (0..4).map(|slot| reporter_phone(slot, 7)).collect();
        assert_eq!(phones.len(), 4);
        for night in 0..100 {
            for slot in 0..4 {
                let phone = reporter_phone(slot, night);
                assert!(crate::domain::Phone::parse(&phone).is_ok(), "{phone}");
            }
        }
    }
}
