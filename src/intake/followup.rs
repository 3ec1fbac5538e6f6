//! The reporter is asked once. A report with no place gets one question in the reporter's
//! language: where (an address, cross streets, a place name, or a shared location). With words
//! of a sighting it has already opened an unplaced incident (the dispatcher sees it); the
//! reporter's next message within `intake.followup_s` is read as the answer, stored as a report
//! of that same incident, and places it: it never opens a second one. A bare word (empty,
//! emoji, one word) with no sighting word and no place opens nothing: it is held (flagged
//! `asked`) and its sender asked what and where; an answer with a sighting word or a place
//! opens the incident with both texts.

use crate::dispatch::message;
use crate::domain::{ConfirmedBy, Kind};
use crate::i18n::text;
use crate::intake::merging::{note, Opening};
use crate::intake::report::{self, confirmed_by, open_incident, Received, Sighting};
use crate::state::Core;
use crate::store::followups::{self, Asked, Followup};
use crate::store::{now_ms, StoreError};

/// How a held report is flagged: its sender was asked what and where.
pub const HELD: &str = "asked";

/// Longest run of Han characters that still reads as one word (Chinese has no spaces).
const HAN_WORD: usize = 4;

/// Empty, emoji or punctuation only, or one word: nothing to act on.
pub fn is_bare(text: &str) -> bool {
    let mut words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    match (words.next(), words.next()) {
        (None, _) => true,
        (Some(word), None) => {
            let han = word
                .chars()
                .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
                .count();
            han <= HAN_WORD
        }
        _ => false,
    }
}

/// Whether the sender (`key`: their keyed hash) was asked a question still waiting for its
/// answer.
pub async fn waiting(core: &Core, key: &str) -> Result<bool, StoreError> {
    let window_ms = core.settings.intake.followup_s as i64 * 1000;
    let asked = core.store.followup(key).await?;
    Ok(asked.is_some_and(|f| now_ms() - f.asked_at <= window_ms))
}

/// A report heard: whether to answer the sender, and with what.
pub struct Heard {
    pub answered: bool,
    pub reply: String,
}

/// Stores the sighting as a report; when it answers the question its sender was asked, places
/// that question's incident (or opens the held one). Asks where (or what and where) when the
/// report has no place (when `may_ask`: not when the sender is answered otherwise). `key`: the
/// sender's keyed hash. None: this message was already received.
pub async fn report(
    core: &Core,
    key: &str,
    sighting: Sighting,
    dedupe: Option<(&str, &str)>,
    may_ask: bool,
) -> Result<Option<Heard>, StoreError> {
    // A provider's redelivery must not take away the question its first delivery asked.
    if let Some((provider, message_id)) = dedupe {
        if core.store.inbound_seen(provider, message_id).await? {
            return Ok(None);
        }
    }
    let window_ms = core.settings.intake.followup_s as i64 * 1000;
    let pending = core
        .store
        .followup(key)
        .await?
        .filter(|f| now_ms() - f.asked_at <= window_ms);
    // Taken away first: of two messages at once, only one is the answer.
    let pending = match pending {
        Some(f) if core.store.end_followup(key, f.report_id).await? => Some(f),
        _ => None,
    };
    // An answer is answered in the language of the question.
    let language = pending
        .as_ref()
        .and_then(|f| crate::domain::Language::parse(&f.language))
        .unwrap_or(sighting.language);
    let Some(received) = report::receive_as(core, sighting, dedupe, pending.as_ref(), false).await? else {
        return Ok(None);
    };
    if let (Some(f), Some(incident_id)) = (&pending, received.incident_id) {
        if f.asked == Asked::What {
            release(core, f.report_id, incident_id).await?;
        }
    }
    let ask = |asked: Asked, incident_id: Option<i64>| Followup {
        sender_hash: key.to_string(),
        asked,
        report_id: received.report_id,
        incident_id,
        language: language.as_str().to_string(),
        asked_at: now_ms(),
    };
    let report = ("report", received.report_id.to_string());
    let answered = pending.as_ref();
    let reply = match received {
        Received { answered: false, .. } => String::new(),
        _ if !may_ask => String::new(),
        // One question only: an answer that says nothing more is kept for the dispatcher.
        Received { held: true, .. } if answered.is_some() => noted(language, answered),
        Received { held: true, .. } => {
            core.store.save_followup(&ask(Asked::What, None)).await?;
            text(language, "ask-what", &[report])
        }
        Received {
            placed: false,
            incident_id: Some(id),
            ..
        } if answered.is_none_or(|f| f.asked == Asked::What) => {
            core.store.save_followup(&ask(Asked::Where, Some(id))).await?;
            note(core, id, "the reporter was asked where").await;
            text(language, "ask-where", &[report])
        }
        Received { placed: false, .. } if answered.is_some() => noted(language, answered),
        _ => message::report_ack(language, received.report_id),
    };
    Ok(Some(Heard {
        answered: received.answered,
        reply,
    }))
}

/// "Added to your report": names the report that asked.
fn noted(language: crate::domain::Language, answered: Option<&Followup>) -> String {
    let id = answered.map(|f| f.report_id).unwrap_or_default();
    text(language, "followup-noted", &[("report", id.to_string())])
}

/// The held report joins the incident its answer opened.
async fn release(core: &Core, report_id: i64, incident_id: i64) -> Result<(), StoreError> {
    let mut tx = core.store.write().await?;
    let released = followups::release_held(&mut tx, report_id, incident_id).await?;
    tx.commit().await?;
    if released {
        tracing::info!(
            report_id,
            incident_id,
            "a held report joined the incident its answer opened"
        );
        core.events.publish(crate::events::Event::Report {
            report_id,
            incident_id: Some(incident_id),
        });
    }
    Ok(())
}

/// The answer to "where": its report joins the question's incident and, when it has a place,
/// places it (a sighting word also names the kind of an incident of kind `other`). Placed beside
/// an open incident of its kind (`dispatch.merge_m`, `merge_s`), it is merged into that one:
/// the same event reported twice alerts nobody twice. When the question's incident has closed
/// meanwhile, the answer is an ordinary report.
pub(crate) async fn place(core: &Core, o: &Opening<'_>, incident_id: i64) -> Result<i64, StoreError> {
    let now = now_ms();
    let asked = core.store.incident(incident_id).await?.map(|i| i.kind);
    let kind = asked
        .as_deref()
        .filter(|k| *k != Kind::Other.as_str())
        .unwrap_or(o.kind);
    let same = Opening { kind, ..*o };
    let mut tx = core.store.write().await?;
    core.store.serialise_intake(&mut tx).await?;
    if !followups::attach_report(&mut tx, o.report_id, incident_id).await? {
        drop(tx);
        return open_incident(core, o).await;
    }
    let near = crate::intake::merging::nearby(core, &mut tx, &same).await?;
    if let Some((metres, other)) = near.filter(|(_, i)| i.id != incident_id) {
        tx.commit().await?;
        if core.store.merge_incidents(incident_id, other.id).await? {
            tracing::info!(
                incident_id,
                into = other.id,
                metres = metres as u64,
                "the reporter's answer placed it beside an open incident: merged"
            );
            report::joined(core, &same, &other).await?;
            let why = "placed exactly by a reporter's answer";
            crate::intake::merging::sharpen(core, &other, o, why).await;
            core.events
                .publish(crate::events::Event::Incident { id: incident_id });
            return Ok(other.id);
        }
        tx = core.store.write().await?;
    }
    let placed = followups::place_incident(&mut tx, incident_id, o.location, now).await?;
    if o.kind != Kind::Other.as_str() {
        followups::name_kind(&mut tx, incident_id, o.kind, now).await?;
    }
    tx.commit().await?;
    if placed {
        note(core, incident_id, "placed by the reporter's answer").await;
        tracing::info!(
            incident_id,
            report_id = o.report_id,
            "incident placed by the reporter's answer"
        );
        if let Some(by) = confirmed_by(core, o.trusted) {
            let cause = match by {
                ConfirmedBy::Trusted => "reported by a trusted volunteer",
                _ => "auto_verify = all (nobody confirmed it)",
            };
            core.store.confirm_incident(incident_id, by, cause).await?;
        }
        core.dispatch_wake.notify_one();
    }
    core.events
        .publish(crate::events::Event::Incident { id: incident_id });
    Ok(incident_id)
}

#[cfg(test)]
mod tests {
    use super::is_bare;

    #[test]
    fn bare_words_are_empty_emoji_or_one_word() {
        for bare in ["", "  ", "🚨🚨", "Help!", "??", "救命", "도와주세요", "HOLA."] {
            assert!(is_bare(bare), "{bare:?}");
        }
        for not in [
            "help me please",
            "Vermont and 3rd",
            "救命啊他们在抓人快来",
            "3rd St",
        ] {
            assert!(!is_bare(not), "{not:?}");
        }
    }
}
