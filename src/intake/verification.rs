//! A verifier's message while they are asked to check. Only the explicit words decide (see
//! `decision`): CONFIRM confirms the incident and the area is called; NOTHING counts towards
//! `not_found`, which takes `dispatch.not_found_after` of them from different verifiers (or
//! every verifier asked, when fewer were). Anything else ("yes", "ok", "voy", a question) is
//! kept for the dispatcher, answered with the two choices, and never changes the incident; when
//! it is a sighting in itself it goes on as a report too. Every answer is kept (encrypted) and
//! noted in the incident's history, without its text. A dispatcher decides at any time and wins.

use crate::audit::Actor;
use crate::dispatch::actions::{self, ActionError};
use crate::dispatch::message;
use crate::domain::{AlertPurpose, CheckAnswer, IncidentStatus, Kind, Language};
use crate::events::Event;
use crate::i18n::text;
use crate::intake::decision;
use crate::intake::inbound::{Inbound, Reply};
use crate::intake::phrases::parse_answer;
use crate::intake::placing;
use crate::intake::words::guess_kind;
use crate::state::Core;
use crate::store::checks::{Check, NewCheckAnswer, Which};
use crate::store::volunteers::VolunteerRow;
use crate::store::StoreError;

/// Characters from which a message is a sighting in itself, whatever it says.
const LONG_CHARS: usize = 80;

/// What became of a volunteer's message.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not about a request to check: it goes on as an answer to an alert, or a report.
    NotACheck,
    /// Handled; the reply (None: a provider's redelivery, nothing to say).
    Replied(Reply),
    /// Kept for the dispatcher, and a sighting in itself: it goes on as a report too, and this
    /// reply replaces the report's acknowledgement.
    AlsoReport(String),
}

/// Reads a volunteer's message as an answer to a request to check, when it is one.
pub async fn handle(
    core: &Core,
    msg: &Inbound,
    v: &VolunteerRow,
    language: Language,
) -> Result<Outcome, StoreError> {
    if let Some(d) = decision::parse(&msg.body) {
        let which = d.incident.map_or(Which::Latest, Which::Incident);
        let Some(check) = core.store.check_for(v.id, which).await? else {
            return Ok(Outcome::Replied(Some(message::no_open_alert(language))));
        };
        return decide(core, msg, v.id, &check, d.answer, language)
            .await
            .map(Outcome::Replied);
    }
    // "Y" to a first alert that came after the request to check answers that alert; "Y26"
    // answers #26's alert whenever it came, and so does the choice a question waits for.
    if crate::intake::answers::is_for_an_alert(core, v, &msg.body).await? {
        return Ok(Outcome::NotACheck);
    }
    if parse_answer(&msg.body).is_some_and(|s| s.incident.is_none()) {
        if let Some((_, _, AlertPurpose::First)) = core.store.latest_open_alert(v.id).await? {
            return Ok(Outcome::NotACheck);
        }
    }
    match core.store.check_for(v.id, Which::LatestUndecided).await? {
        Some(check) => undecided(core, msg, v.id, &check, language).await,
        None => Ok(Outcome::NotACheck),
    }
}

/// CONFIRM or NOTHING about `check`'s incident.
async fn decide(
    core: &Core,
    msg: &Inbound,
    verifier: i64,
    check: &Check,
    answer: CheckAnswer,
    language: Language,
) -> Result<Reply, StoreError> {
    let id = check.incident_id;
    if !keep(core, msg, verifier, check, answer, true).await? {
        return Ok(None);
    }
    let args = [("id", id.to_string())];
    let actor = Actor::Verifier(verifier);
    let said = format!("{} from {}", word(answer), actor.cause());
    if !check.status.is_pending() {
        return Ok(already(core, check, &said, language).await);
    }
    if answer == CheckAnswer::Confirm {
        return match actions::verify(core, &actor, id).await {
            Ok(()) => {
                tracing::info!(
                    incident_id = id,
                    volunteer_id = verifier,
                    "a verifier confirmed the incident"
                );
                Ok(Some(text(language, "verify-confirmed", &args)))
            }
            Err(ActionError::Store(e)) => Err(e),
            // Decided meanwhile (another verifier, or the dispatcher).
            Err(_) => Ok(already(core, check, &said, language).await),
        };
    }
    let tally = core.store.nothing_tally(id).await?;
    let needed = (core.settings.dispatch.not_found_after as i64)
        .min(tally.asked)
        .max(1);
    note(
        core,
        id,
        check.status,
        &format!("{said}: {} of {needed}", tally.nothing.min(needed)),
    )
    .await;
    if tally.nothing < needed {
        tracing::info!(
            incident_id = id,
            nothing = tally.nothing,
            needed,
            "a verifier found nothing; waiting for another"
        );
        return Ok(Some(text(language, "verify-nothing-noted", &args)));
    }
    match actions::close(core, &actor, id, IncidentStatus::NotFound).await {
        Ok(()) => {
            tracing::info!(
                incident_id = id,
                nothing = tally.nothing,
                "verifiers found nothing: not found"
            );
            Ok(Some(text(language, "verify-not-found", &args)))
        }
        Err(ActionError::Store(e)) => Err(e),
        Err(_) => Ok(Some(text(language, "verify-already", &args))),
    }
}

/// A decision after the incident was decided: noted, and the verifier told.
async fn already(core: &Core, check: &Check, said: &str, language: Language) -> Reply {
    let id = check.incident_id;
    // As it is now: the decision may have come after the check was read.
    let now = core.store.incident(id).await.ok().flatten().map(|i| i.status);
    note(
        core,
        id,
        now.unwrap_or(check.status),
        &format!("{said} after the decision"),
    )
    .await;
    Some(text(language, "verify-already", &[("id", id.to_string())]))
}

/// Anything but CONFIRM or NOTHING while `check`'s incident is undecided: kept and shown,
/// answered with the two choices; a sighting in itself goes on as a report too.
async fn undecided(
    core: &Core,
    msg: &Inbound,
    verifier: i64,
    check: &Check,
    language: Language,
) -> Result<Outcome, StoreError> {
    let sighting = is_sighting(core, &msg.body);
    // A sighting's message id is recorded by the report that carries it on.
    if sighting
        && core
            .store
            .inbound_seen(msg.via.provider(), &msg.message_id)
            .await?
    {
        return Ok(Outcome::Replied(None));
    }
    if !keep(core, msg, verifier, check, CheckAnswer::Other, !sighting).await? {
        return Ok(Outcome::Replied(None));
    }
    let cause = format!(
        "{} answered without deciding (not CONFIRM or NOTHING): see the verifiers' answers",
        Actor::Verifier(verifier).cause()
    );
    note(core, check.incident_id, check.status, &cause).await;
    tracing::info!(
        incident_id = check.incident_id,
        volunteer_id = verifier,
        sighting,
        "a verifier's answer decided nothing"
    );
    let reply = text(
        language,
        "verify-choices",
        &[("id", check.incident_id.to_string())],
    );
    Ok(if sighting {
        Outcome::AlsoReport(reply)
    } else {
        Outcome::Replied(Some(reply))
    })
}

/// Keeps the answer for the dispatcher (and, with `mark`, the message id); false when this
/// message was received already.
async fn keep(
    core: &Core,
    msg: &Inbound,
    verifier: i64,
    check: &Check,
    kind: CheckAnswer,
    mark: bool,
) -> Result<bool, StoreError> {
    let answer = NewCheckAnswer {
        incident_id: check.incident_id,
        volunteer_id: verifier,
        kind,
        text: &msg.body,
    };
    let seen = mark.then(|| (msg.via.provider(), msg.message_id.as_str()));
    let kept = core.store.record_check_answer(answer, seen).await?;
    if kept {
        core.events.publish(Event::Incident {
            id: check.incident_id,
        });
    }
    Ok(kept)
}

/// A history line that is not a change of status. Its failure is logged: the answer is kept
/// and shown anyway.
async fn note(core: &Core, id: i64, status: IncidentStatus, cause: &str) {
    if let Err(e) = core.store.note_history(id, status, cause).await {
        tracing::error!(incident_id = id, error = %e, "noting a verifier's answer in the history failed");
    }
}

fn word(answer: CheckAnswer) -> &'static str {
    match answer {
        CheckAnswer::Confirm => "CONFIRM",
        CheckAnswer::Nothing => "NOTHING",
        CheckAnswer::Other => "an answer",
    }
}

/// A message that says something on its own: it places itself, names what is happening, or
/// is long. Such a message is never lost as a mere answer.
pub(crate) fn is_sighting(core: &Core, text: &str) -> bool {
    text.chars().count() >= LONG_CHARS
        || guess_kind(text) != Kind::Other
        || placing::locate(core, None, text).point.is_some()
}
