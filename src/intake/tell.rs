//! The reporter hears back: one message when their report's incident is confirmed, one when it
//! ends (all clear or false alarm), on the channel they reported on and in their language,
//! unless `intake.tell_reporter = false`. Only while their number is still kept (it is sealed
//! in the report and erased after `privacy.reporter_retention_hours`); never a number in a log.
//! Each piece of news is claimed in the database before it is sent, so that of several
//! instances one tells; a send that may succeed later gives the claim back for the next pass.

use std::time::Duration;

use crate::channels::{Channels, SendError};
use crate::domain::{Channel, Kind, Language, Phone};
use crate::i18n::text;
use crate::state::{Core, Shared, Shutdown};
use crate::store::followups::{News, ToTell};
use crate::store::{now_ms, StoreError};

/// How often the task looks for news to tell.
const POLL: Duration = Duration::from_secs(1);
/// After a send that may succeed later, the next pass waits this long (a provider that is down
/// is not asked again every second).
const BACKOFF: Duration = Duration::from_secs(30);
/// Reports told per pass and piece of news.
const BATCH: i64 = 50;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Told {
    pub sent: usize,
    /// Sends that may succeed later, given back for a later pass.
    pub retry: usize,
}

pub async fn run(core: Shared, channels: Channels, mut shutdown: Shutdown) {
    let never = tokio::sync::Notify::new();
    loop {
        let wait = match pass(&core, &channels).await {
            Ok(told) if told.retry > 0 => BACKOFF,
            Ok(_) => POLL,
            Err(e) => {
                tracing::error!(error = %e, "telling reporters failed; retrying");
                BACKOFF
            }
        };
        if !crate::state::wait(&never, wait, &mut shutdown).await {
            return;
        }
    }
}

/// One pass: every confirmation, then every end, not yet told.
pub async fn pass(core: &Core, channels: &Channels) -> Result<Told, StoreError> {
    let mut told = Told::default();
    for news in [News::Confirmed, News::Ended] {
        for report in core.store.reporters_to_tell(news, BATCH).await? {
            let claimed_at = now_ms();
            if !core.store.mark_told(report.report_id, news, claimed_at).await? {
                continue; // another instance has it
            }
            match send(channels, &report, news).await {
                Ok(()) => {
                    told.sent += 1;
                    tracing::info!(report_id = report.report_id, incident_id = report.incident_id, news = ?news, "reporter told");
                }
                Err(SendError::Retryable { reason, .. }) => {
                    tracing::warn!(report_id = report.report_id, %reason, "telling the reporter failed; will retry");
                    core.store.unmark_told(report.report_id, news, claimed_at).await?;
                    told.retry += 1;
                }
                Err(e) => {
                    tracing::warn!(report_id = report.report_id, error = %e, "the reporter could not be told")
                }
            }
        }
    }
    Ok(told)
}

async fn send(channels: &Channels, report: &ToTell, news: News) -> Result<(), SendError> {
    let Some(to) = &report.reporter else {
        return Err(SendError::permanent("the reporter's number does not open"));
    };
    let body = words(report, news);
    // Signal takes an account id as well as a number; SMS needs a number.
    let to = match report.channel {
        Channel::Signal => to.clone(),
        // A caller's news goes by text (`reporters_to_tell` keeps to texted reports today).
        Channel::Sms | Channel::Voice => Phone::parse(to)
            .map_err(|_| SendError::permanent("no number to text"))?
            .e164()
            .to_string(),
    };
    channels.send(report.channel, &to, &body).await.map(drop)
}

/// What the reporter reads: short, in their language, what comes next.
pub fn words(report: &ToTell, news: News) -> String {
    let language = Language::parse(&report.language).unwrap_or(Language::EN);
    let what = Kind::parse(&report.kind).unwrap_or(Kind::Other);
    let args = [
        ("report", report.report_id.to_string()),
        ("what", text(language, &format!("kind-{}", what.as_str()), &[])),
    ];
    let key = match (news, report.status.as_str()) {
        (News::Confirmed, _) => "reporter-confirmed",
        (News::Ended, "false_alarm") => "reporter-false-alarm",
        (News::Ended, _) => "reporter-all-clear",
    };
    text(language, key, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn told(language: &str, status: &str, kind: &str) -> ToTell {
        ToTell {
            report_id: 12,
            incident_id: 3,
            channel: Channel::Sms,
            language: language.into(),
            reporter: None,
            status: status.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn each_piece_of_news_is_short_and_in_the_reporters_language() {
        let en = words(&told("en", "confirmed", "raid"), News::Confirmed);
        assert!(en.contains("report 12 is confirmed (immigration raid)"), "{en}");
        let es = words(&told("es", "all_clear", "eviction"), News::Ended);
        assert!(es.contains("todo despejado") && es.contains("desalojo"), "{es}");
        let ko = words(&told("ko", "false_alarm", "raid"), News::Ended);
        assert!(ko.contains("오경보"), "{ko}");
        let zh = words(&told("zh", "confirmed", "police"), News::Confirmed);
        assert!(zh.contains("已确认") && zh.contains("警察行动"), "{zh}");
        // An unknown language or kind falls back, never fails.
        let odd = words(&told("xx", "all_clear", "meteor"), News::Ended);
        assert!(odd.contains("(emergency) is over"), "{odd}");
        for language in Language::all() {
            for (status, news) in [
                ("confirmed", News::Confirmed),
                ("all_clear", News::Ended),
                ("false_alarm", News::Ended),
            ] {
                let text = words(&told(language.as_str(), status, "raid"), news);
                assert!(text.chars().count() <= 160, "one lock screen: {text}");
                assert!(!text.contains('{'), "every argument filled: {text}");
            }
        }
    }
}
