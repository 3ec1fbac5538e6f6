//! One inbound message, by SMS or Signal: a subscription keyword, a volunteer's answer, or a
//! new report. Every branch records the provider's message id in the transaction that applies
//! it, so a redelivered webhook or event changes nothing.

use crate::dispatch::message;
use crate::domain::{Channel, Language, Reach, SubscriptionKeyword};
use crate::i18n::text;
use crate::intake::answers;
use crate::intake::commands::{self, parse_command, Command};
use crate::intake::followup;
use crate::intake::join;
use crate::intake::report::{self, Sighting};
use crate::intake::verification::{self, Outcome};
use crate::intake::words::{consent_word, guess_language, subscription_keyword};
use crate::state::Core;
use crate::store::volunteers::VolunteerRow;
use crate::store::{inbound, now_ms, StoreError};

pub use crate::intake::inbound::{Inbound, Reply};

/// A message about the subscription: what it asks, in which language to confirm it, and whether
/// the carrier already answered (then tocsin must not answer again: carriers forbid a second
/// reply to STOP).
struct Consent {
    keyword: SubscriptionKeyword,
    language: Language,
    carrier_replied: bool,
}

/// The carrier's keywords (Twilio answers STOP/START on SMS itself), then the catalogues'
/// words (BAJA, 停止, 중지 ...), which only tocsin knows and answers, in their own language.
fn consent(msg: &Inbound, language: Language) -> Option<Consent> {
    if let Some(keyword) = msg.carrier_keyword {
        return Some(Consent {
            keyword,
            language,
            carrier_replied: true,
        });
    }
    if let Some(keyword) = subscription_keyword(&msg.body) {
        return Some(Consent {
            keyword,
            language,
            carrier_replied: msg.via == Channel::Sms && keyword != SubscriptionKeyword::Help,
        });
    }
    if let Some((keyword, said_in)) = consent_word(&msg.body) {
        return Some(Consent {
            keyword,
            language: said_in,
            carrier_replied: false,
        });
    }
    // A typo of STOP, which the carrier does not act on: tocsin keeps it and says so.
    crate::intake::phrases::near_opt_out(&msg.body).then_some(Consent {
        keyword: SubscriptionKeyword::Stop,
        language,
        carrier_replied: false,
    })
}

/// Applies one inbound message and returns once what it stored is on disk.
pub async fn handle(core: &Core, msg: Inbound) -> Result<Reply, StoreError> {
    let reply = apply(core, msg).await?;
    // What was stored (a report, an opt-out, an answer) is on disk before the sender is told.
    core.store.durable().await?;
    Ok(reply)
}

async fn apply(core: &Core, mut msg: Inbound) -> Result<Reply, StoreError> {
    let bounded = crate::domain::body::bound(&msg.body);
    let truncated = bounded.truncated;
    if truncated {
        msg.body = bounded.text;
    }
    // A dispatcher's DUTY or ACK from their registered phone.
    if let Some(reply) = crate::intake::dispatchers::handle(core, &msg).await? {
        return Ok(reply);
    }
    let volunteer = sender(core, &msg).await?;
    let language = volunteer
        .as_ref()
        .and_then(|v| Language::parse(&v.language))
        .unwrap_or_else(|| guess_language(&msg.body));

    let key = sender_key(core, &msg);
    if let Some(consent) = consent(&msg, language) {
        core.store.end_conversation(&key).await?;
        return subscription(core, &msg, volunteer.as_ref(), consent).await;
    }
    if let Some(reply) = self_service(core, &msg, volunteer.as_ref(), &key, language).await? {
        return Ok(reply);
    }
    // The reply to a verifier's sighting that also answers a request to check.
    let mut check_reply = None;
    if let Some(v) = &volunteer {
        // Twilio treats YES as an opt-in keyword: an opted-out volunteer saying YES is back.
        if v.opted_out && msg.via == Channel::Sms && msg.body.trim().eq_ignore_ascii_case("yes") {
            let consent = Consent {
                keyword: SubscriptionKeyword::Start,
                language,
                carrier_replied: true,
            };
            return subscription(core, &msg, volunteer.as_ref(), consent).await;
        }
        let check = if forgeable(&msg, v) {
            tracing::info!(
                volunteer_id = v.id,
                "an SMS from a Signal volunteer's number: no trust, no check answered"
            );
            Outcome::NotACheck
        } else {
            verification::handle(core, &msg, v, language).await?
        };
        match check {
            Outcome::Replied(reply) => return Ok(reply),
            Outcome::AlsoReport(reply) => check_reply = Some(reply),
            Outcome::NotACheck => {
                if let Some(reply) = answers::handle(core, &msg, v, language).await? {
                    return Ok(reply);
                }
            }
        }
    }

    let reporter = Some(identity(&msg).to_string());
    // Trust never applies to a volunteer who is not vetted, to a verifier's words to a request
    // to check (only CONFIRM or NOTHING decide), nor to an SMS that could be forged.
    let vouched = volunteer.as_ref().map(|v| {
        let trusted = v.trusted && v.standing.vetted() && check_reply.is_none() && !forgeable(&msg, v);
        (v.id, trusted)
    });
    let sighting = Sighting {
        channel: msg.via.as_str(),
        text: msg.body,
        language,
        point: None,
        kind: None,
        reporter,
        volunteer: vouched,
        drill: false,
        truncated,
    };
    let dedupe = Some((msg.via.provider(), msg.message_id.as_str()));
    // A volunteer's message that is no answer, command nor sighting is kept for the dispatcher
    // as unclear, and answered with what they can send; it never opens an incident. Unless it
    // answers the question they were just asked (where; what and where): then it is that answer.
    let unclear = volunteer.is_some()
        && check_reply.is_none()
        && !verification::is_sighting(core, &sighting.text)
        && !crate::intake::phrases::has_sighting_word(&sighting.text)
        && !followup::waiting(core, &key).await?;
    if unclear {
        return match report::receive_unclear(core, sighting, dedupe).await? {
            Some(r) if r.answered => {
                tracing::info!(
                    report_id = r.report_id,
                    "a volunteer's message was not understood"
                );
                Ok(Some(unclear_reply(core, volunteer.as_ref(), language).await?))
            }
            Some(_) | None => Ok(None),
        };
    }
    // A verifier answered with their check's reply is asked nothing more.
    match followup::report(core, &key, sighting, dedupe, check_reply.is_none()).await? {
        Some(heard) if heard.answered => Ok(Some(check_reply.unwrap_or(heard.reply))),
        Some(_) | None => Ok(None),
    }
}

/// What a volunteer can send, with their own open incident's number as the example (the most
/// recently alerted when several), or none when nothing is open.
async fn unclear_reply(
    core: &Core,
    volunteer: Option<&VolunteerRow>,
    language: Language,
) -> Result<String, StoreError> {
    let open = match volunteer {
        Some(v) => core.store.open_alerts(v.id).await?.first().map(|o| o.incident_id),
        None => None,
    };
    Ok(match open {
        Some(id) => text(language, "unclear", &[("id", id.to_string())]),
        None => text(language, "unclear-none", &[]),
    })
}

/// A JOIN conversation in progress, or a command (JOIN, PAUSE, AREA, ...). `Some(reply)` when
/// the message was one of these; None when it goes on as an answer or a report.
async fn self_service(
    core: &Core,
    msg: &Inbound,
    volunteer: Option<&VolunteerRow>,
    key: &str,
    language: Language,
) -> Result<Option<Reply>, StoreError> {
    if let (Some(v), true) = (volunteer, super::calls::is_calls_off(&msg.body)) {
        if core
            .store
            .inbound_seen(msg.via.provider(), &msg.message_id)
            .await?
        {
            return Ok(Some(None));
        }
        let reply = super::calls::calls_off(core, v, language).await?;
        mark_seen(core, msg).await?;
        return Ok(Some(Some(reply)));
    }
    let command = parse_command(&msg.body).filter(|c| resolves(core, c));
    // Only a number or a Signal account can join: alerts need somewhere to go.
    let joiner = (msg.phone.is_some() || msg.signal_id.is_some()).then_some(join::Joiner {
        key,
        phone: msg.phone.as_ref(),
        signal_id: msg.signal_id.as_ref(),
        via_signal: msg.via == Channel::Signal,
    });
    if let (Some(who), None, None | Some(Command::Join)) = (&joiner, volunteer, &command) {
        if let Some(conversation) = core.store.conversation(who.key).await? {
            let fresh = now_ms() - conversation.updated_at <= join::IDLE_MS;
            if fresh && command.is_none() {
                if core
                    .store
                    .inbound_seen(msg.via.provider(), &msg.message_id)
                    .await?
                {
                    return Ok(Some(None));
                }
                // None: not an answer but a report, which goes on with its id still unused.
                let Some(reply) = join::answer(core, who, conversation, &msg.body).await? else {
                    return Ok(None);
                };
                mark_seen(core, msg).await?;
                return Ok(Some(Some(reply)));
            }
            core.store.end_conversation(who.key).await?;
        }
    }
    let Some(command) = command else { return Ok(None) };
    if core
        .store
        .inbound_seen(msg.via.provider(), &msg.message_id)
        .await?
    {
        return Ok(Some(None));
    }
    let reply = match (command, volunteer, &joiner) {
        (Command::Join, None, Some(who)) => join::start(core, who, language).await?,
        (Command::Join, None, None) => text(language, "join-ended", &[]),
        (Command::Help, _, _) => message::help(language, &core.settings.network.name),
        (command, Some(v), _) => commands::run(core, v, command, language).await?,
        (_, None, _) => text(language, "not-volunteer", &[]),
    };
    mark_seen(core, msg).await?;
    Ok(Some(Some(reply)))
}

/// AREA and LANG are commands only when their argument is a known zone or language: "Area
/// near 3rd has agents" is a report, and a report must never be lost to a keyword.
fn resolves(core: &Core, command: &Command) -> bool {
    match command {
        Command::Area(zone) => core.zones().get(zone).is_some(),
        Command::Lang(code) => commands::language_named(code).is_some(),
        _ => true,
    }
}

/// Remembers the provider's message id, so that a redelivery is not applied again.
pub(super) async fn mark_seen(core: &Core, msg: &Inbound) -> Result<(), StoreError> {
    let mut tx = core.store.write().await?;
    inbound::first_time(&mut tx, msg.via.provider(), &msg.message_id, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Who sent it, as one text: their number, else their Signal account id, else whatever the
/// provider called them (a short code, an alphanumeric id, a number libphonenumber rejects).
fn identity(msg: &Inbound) -> &str {
    msg.phone
        .as_ref()
        .map(|p| p.e164())
        .or(msg.signal_id.as_ref().map(|s| s.as_str()))
        .unwrap_or(&msg.sender)
}

/// The keyed hash that identifies the sender across messages (conversations, limits, blocks).
fn sender_key(core: &Core, msg: &Inbound) -> String {
    core.vault.lookup_hash(identity(msg))
}

/// Whether this message could be forged in this volunteer's name: an SMS's sender number can
/// be spoofed, a Signal account's cannot. A volunteer who chose Signal only is trusted, and
/// answers requests to check, only on Signal; their SMS still count as an answer to an alert
/// (an alert that failed over to SMS is answered by SMS) and as a stranger's report.
fn forgeable(msg: &Inbound, v: &VolunteerRow) -> bool {
    msg.via == Channel::Sms && v.channel == Reach::Signal
}

/// The volunteer who sent it: by number, else by Signal account id.
async fn sender(core: &Core, msg: &Inbound) -> Result<Option<VolunteerRow>, StoreError> {
    if let Some(phone) = &msg.phone {
        let found = core
            .store
            .volunteer_by_phone_hash(&core.vault.lookup_hash(phone.e164()))
            .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    match &msg.signal_id {
        Some(id) => {
            core.store
                .volunteer_by_signal_hash(&core.vault.lookup_hash(id.as_str()))
                .await
        }
        None => Ok(None),
    }
}

/// STOP/START/HELP. Twilio answers STOP and START itself (and blocks or unblocks the number);
/// tocsin mirrors the opt-out so that it stops queueing alerts nobody can receive.
async fn subscription(
    core: &Core,
    msg: &Inbound,
    volunteer: Option<&VolunteerRow>,
    consent: Consent,
) -> Result<Reply, StoreError> {
    let Consent {
        keyword,
        language,
        carrier_replied,
    } = consent;
    let opt_out = match (keyword, volunteer) {
        (SubscriptionKeyword::Stop, Some(v)) => Some((v.id, true)),
        (SubscriptionKeyword::Start, Some(v)) => Some((v.id, false)),
        _ => None,
    };
    let mut tx = core.store.write().await?;
    if !inbound::first_time(&mut tx, msg.via.provider(), &msg.message_id, now_ms()).await? {
        return Ok(None);
    }
    // The change and the message id commit together: a redelivery after a crash is applied.
    if let Some((id, opted_out)) = opt_out {
        crate::store::volunteers::set_opted_out(&mut tx, id, opted_out).await?;
    }
    tx.commit().await?;
    if let Some((id, opted_out)) = opt_out {
        crate::roster::index_subscription(core, id, opted_out).await?;
    }
    // On Signal nobody answers for us; on SMS Twilio answers its own keywords.
    match keyword {
        _ if carrier_replied => Ok(None),
        SubscriptionKeyword::Help => Ok(Some(message::help(language, &core.settings.network.name))),
        SubscriptionKeyword::Stop | SubscriptionKeyword::Start => Ok(Some(message::subscription_ack(
            language,
            keyword == SubscriptionKeyword::Stop,
        ))),
    }
}
