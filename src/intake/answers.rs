//! A volunteer's Y/N/HERE reaches the incident it is for, and never a guessed one.
//!
//! - An answer naming its incident (`Y26`, `#26 si`) goes to that incident, if the volunteer
//!   was alerted for it and it is open; otherwise they are told which are open. An incident
//!   merged into another is answered as that other one, and the reply names it.
//! - A bare answer goes to the volunteer's one open incident. With several open it is held, and
//!   tocsin asks one short question naming them (number and place, most recent first); the
//!   next message that is one of those numbers (within `HOLD_MS`) applies it.
//!
//! Every answer applied records the provider's message id in its transaction, so that a
//! redelivered webhook changes nothing.

use crate::dispatch::{message, place};
use crate::domain::{Answer, Kind, Language};
use crate::events::Event;
use crate::i18n::text;
use crate::intake::inbound::{Inbound, Reply};
use crate::intake::phrases::parse_answer;
use crate::state::Core;
use crate::store::answers::OpenAlert;
use crate::store::volunteers::VolunteerRow;
use crate::store::{alerts, inbound, now_ms, StoreError};

/// How long a held answer waits for the volunteer to say which incident it is for.
pub const HOLD_MS: i64 = 10 * 60_000;

/// Longest number read as the choice of an incident.
const MAX_DIGITS: usize = 12;

/// A whole message that is only a number (`27`, `#27`): the choice of an incident.
fn bare_number(body: &str) -> Option<i64> {
    let t = body.trim().trim_matches(|c: char| ".!?。！？".contains(c)).trim();
    let digits = t.strip_prefix('#').unwrap_or(t).trim();
    if digits.is_empty() || digits.len() > MAX_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// Whether the message answers an alert rather than a request to check: an answer naming an
/// incident the volunteer was alerted for, or the choice an open question waits for.
pub async fn is_for_an_alert(core: &Core, v: &VolunteerRow, body: &str) -> Result<bool, StoreError> {
    if bare_number(body).is_some() && core.store.holds_answer(v.id, now_ms() - HOLD_MS).await? {
        return Ok(true);
    }
    match parse_answer(body).and_then(|s| s.incident) {
        Some(id) => {
            let open = core.store.open_alerts(v.id).await?;
            Ok(named(core, &open, id).await?.is_some())
        }
        None => Ok(false),
    }
}

/// The open incident an answer naming `id` is for: `id` itself, or the incident it was merged
/// into (the volunteer was alerted for #26, which now carries on as #25).
async fn named<'a>(core: &Core, open: &'a [OpenAlert], id: i64) -> Result<Option<&'a OpenAlert>, StoreError> {
    if let Some(o) = open.iter().find(|o| o.incident_id == id) {
        return Ok(Some(o));
    }
    if open.is_empty() {
        return Ok(None);
    }
    let Some(into) = core.store.incident(id).await?.and_then(|i| i.merged_into) else {
        return Ok(None);
    };
    let found = open.iter().find(|o| o.incident_id == into);
    if found.is_some() {
        tracing::info!(
            named = id,
            incident_id = into,
            "an answer named an incident merged into another: it counts there"
        );
    }
    Ok(found)
}

/// Reads the message as an answer to an alert. None: it is not one (it goes on as a report).
pub async fn handle(
    core: &Core,
    msg: &Inbound,
    v: &VolunteerRow,
    language: Language,
) -> Result<Option<Reply>, StoreError> {
    let since = now_ms() - HOLD_MS;
    if let Some(n) = bare_number(&msg.body) {
        if core.store.holds_answer(v.id, since).await? {
            let open = core.store.open_alerts(v.id).await?;
            if let Some(o) = open.iter().find(|o| o.incident_id == n) {
                if let Some(answer) = core.store.take_held_answer(v.id, since).await? {
                    return apply(core, msg, v, o, answer, language).await.map(Some);
                }
            }
        }
    }
    let Some(said) = parse_answer(&msg.body) else {
        return Ok(None);
    };
    let open = core.store.open_alerts(v.id).await?;
    let reply = match (said.incident, open.as_slice()) {
        (_, []) => Some(message::no_open_alert(language)),
        (Some(id), open) => match named(core, open, id).await? {
            Some(o) => return apply(core, msg, v, o, said.answer, language).await.map(Some),
            None => {
                tracing::info!(
                    volunteer_id = v.id,
                    incident_id = id,
                    "an answer named an incident the volunteer was not alerted for"
                );
                let list = text(language, "answer-open", &[("list", listing(language, open))]);
                Some(text(
                    language,
                    "answer-not-alerted",
                    &[("id", id.to_string()), ("open", list)],
                ))
            }
        },
        (None, [one]) => return apply(core, msg, v, one, said.answer, language).await.map(Some),
        (None, several) => {
            if !first_time(core, msg).await? {
                return Ok(Some(None));
            }
            core.store.hold_answer(v.id, said.answer, now_ms()).await?;
            tracing::info!(
                volunteer_id = v.id,
                open = several.len(),
                "a bare answer with several open incidents: asked which"
            );
            let example = several
                .first()
                .map_or(String::new(), |o| o.incident_id.to_string());
            Some(text(
                language,
                "answer-which",
                &[("list", listing(language, several)), ("example", example)],
            ))
        }
    };
    Ok(Some(reply))
}

/// `#27 Koreatown, #26 immigration raid`: each open incident's number and place (its zone), or
/// what it is when it has no zone.
fn listing(language: Language, open: &[OpenAlert]) -> String {
    open.iter()
        .map(|o| {
            let place = o.zone.clone().unwrap_or_else(|| {
                let kind = Kind::parse(&o.kind).unwrap_or(Kind::Other);
                text(language, &format!("kind-{}", kind.as_str()), &[])
            });
            format!("#{} {place}", o.incident_id)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Records the message id alone; false when it was seen already.
async fn first_time(core: &Core, msg: &Inbound) -> Result<bool, StoreError> {
    let mut tx = core.store.write().await?;
    let first = inbound::first_time(&mut tx, msg.via.provider(), &msg.message_id, now_ms()).await?;
    tx.commit().await?;
    Ok(first)
}

/// Records the answer as the volunteer's confirmation of `open`'s incident.
async fn apply(
    core: &Core,
    msg: &Inbound,
    v: &VolunteerRow,
    open: &OpenAlert,
    answer: Answer,
    language: Language,
) -> Result<Reply, StoreError> {
    let (incident_id, volunteer_id) = (open.incident_id, v.id);
    let now = now_ms();
    let mut tx = core.store.write().await?;
    if !inbound::first_time(&mut tx, msg.via.provider(), &msg.message_id, now).await? {
        return Ok(None);
    }
    alerts::confirm(
        &mut tx,
        incident_id,
        volunteer_id,
        open.alert_id,
        answer.as_str(),
        now,
    )
    .await?;
    tx.commit().await?;
    // A question asked earlier is answered by this.
    core.store.take_held_answer(volunteer_id, i64::MAX).await?;
    tracing::info!(incident_id, volunteer_id, answer = %answer, via = msg.via.as_str(), "confirmation");
    core.events.publish(Event::Incident { id: incident_id });
    // Answers drive escalation: a "can't" brings in the next person now, not at the next poll.
    core.dispatch_wake.notify_one();
    let vetted = v.standing.vetted();
    if let Some(m) = core.store.mobilisation_of(incident_id).await? {
        return Ok(Some(mobilisation_reply(
            core,
            &m,
            incident_id,
            language,
            answer,
            vetted,
        )));
    }
    let reply = answer_reply(core, language, answer, incident_id, vetted).await?;
    // One too many at this incident: offered a nearby one that is short, in the same reply.
    let offer = match (answer, vetted) {
        (Answer::Coming, true) => {
            crate::dispatch::responding::surplus_offer(core, incident_id, volunteer_id, msg.via, language)
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(incident_id, error = %e, "looking for a short incident failed");
                    None
                })
        }
        _ => None,
    };
    Ok(Some(match offer {
        Some(offer) => format!("{offer} {reply}"),
        None => reply,
    }))
}

/// The reply to YES/NO/MAYBE/HERE for a mobilisation: one who is coming gets the exact place
/// (everyone, when it discloses it to all), never one who is not vetted.
fn mobilisation_reply(
    core: &Core,
    m: &crate::store::mobilisations::MobilisationRow,
    incident_id: i64,
    language: Language,
    answer: Answer,
    vetted: bool,
) -> String {
    let place = vetted
        && (matches!(answer, Answer::Coming | Answer::OnScene) || m.disclose == crate::domain::Disclose::All);
    crate::mobilisations::texts::one(core, m, incident_id, language, place, |l, a| {
        crate::mobilisations::message::answered(l, answer, a)
    })
}

/// The reply to Y/N/HERE. With progressive disclosure, one who is coming gets the exact place
/// here (the alert named only the zone or a rough place); never one who is not vetted.
async fn answer_reply(
    core: &Core,
    language: Language,
    answer: Answer,
    incident_id: i64,
    vetted: bool,
) -> Result<String, StoreError> {
    let incident = core.store.incident(incident_id).await?;
    let drill = incident.as_ref().is_some_and(|i| i.drill);
    if !vetted {
        return Ok(message::answer_ack_unvetted(language, answer, incident_id, drill));
    }
    // Known only roughly: one who is coming gets the best place known and the reporter's words.
    let rough = incident
        .as_ref()
        .filter(|i| i.approximate && answer == Answer::Coming);
    if let Some((i, place)) = rough.and_then(|i| Some((i, place::place_of(i)?))) {
        let words = place::reporter_words(core, incident_id).await?;
        let head = place::head_of(i);
        return Ok(message::answer_coming_rough(language, &head, &place, &words));
    }
    let exact = incident
        .filter(|i| core.settings.dispatch.progressive_disclosure && !i.approximate)
        .and_then(|i| i.lat.zip(i.lon));
    Ok(message::answer_ack(language, answer, incident_id, drill, exact))
}

#[cfg(test)]
mod tests {
    use super::bare_number;

    #[test]
    fn a_choice_is_a_whole_number() {
        assert_eq!(bare_number("27"), Some(27));
        assert_eq!(bare_number(" #27. "), Some(27));
        assert_eq!(bare_number("0"), None);
        assert_eq!(bare_number("27 y"), None);
        assert_eq!(bare_number("１"), None);
        assert_eq!(bare_number(&"9".repeat(40)), None);
        assert_eq!(bare_number(""), None);
    }
}
