//! One inbound message, by SMS or Signal: a subscription keyword, a volunteer's answer, or a
//! new report. Every branch records the provider's message id in the transaction that applies
//! it, so a redelivered webhook or event changes nothing.

use crate::app::Core;
use crate::dispatch::message;
use crate::domain::{AlertPurpose, Language, Phone, SignalId, SubscriptionKeyword};
use crate::events::Event;
use crate::i18n::text;
use crate::intake::commands::{self, parse_command, Command};
use crate::intake::join;
use crate::intake::report::{self, Sighting};
use crate::intake::verification;
use crate::intake::words::{guess_language, parse_answer, subscription_keyword};
use crate::store::volunteers::VolunteerRow;
use crate::store::{alerts, inbound, now_ms, StoreError};

/// Where a message came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Sms,
    Signal,
}

impl Via {
    /// The provider name under which message ids are remembered.
    fn provider(self) -> &'static str {
        match self {
            Via::Sms => "twilio",
            Via::Signal => "signal",
        }
    }

    fn channel(self) -> &'static str {
        match self {
            Via::Sms => "sms",
            Via::Signal => "signal",
        }
    }
}

pub struct Inbound {
    pub via: Via,
    /// The sender's number, when known and valid.
    pub phone: Option<Phone>,
    /// The sender's Signal account id, for Signal messages.
    pub signal_id: Option<SignalId>,
    pub body: String,
    /// The provider's id of this message (Twilio's MessageSid; Signal's sender + timestamp).
    pub message_id: String,
}

/// What to answer the sender with (None: nothing).
pub type Reply = Option<String>;

pub async fn handle(core: &Core, msg: Inbound) -> Result<Reply, StoreError> {
    let volunteer = sender(core, &msg).await?;
    let language = volunteer
        .as_ref()
        .and_then(|v| Language::parse(&v.language))
        .unwrap_or_else(|| guess_language(&msg.body));

    let key = sender_key(core, &msg);
    if let Some(keyword) = subscription_keyword(&msg.body) {
        if let Some(key) = &key {
            core.store.end_conversation(key).await?;
        }
        return subscription(core, &msg, volunteer.as_ref(), keyword, language).await;
    }
    if let Some(reply) = self_service(core, &msg, volunteer.as_ref(), key.as_deref(), language).await? {
        return Ok(reply);
    }
    if let Some(v) = &volunteer {
        // Twilio treats YES as an opt-in keyword: an opted-out volunteer saying YES is back.
        if v.opted_out && msg.via == Via::Sms && msg.body.trim().eq_ignore_ascii_case("yes") {
            return subscription(
                core,
                &msg,
                volunteer.as_ref(),
                SubscriptionKeyword::Start,
                language,
            )
            .await;
        }
        let (answer, verification) = (parse_answer(&msg.body), verification::parse(&msg.body));
        if answer.is_some() || verification.is_some() {
            let Some((incident_id, alert_id, purpose)) = core.store.latest_open_alert(v.id).await? else {
                return Ok(Some(message::no_open_alert(language)));
            };
            // A verifier answering "please check" decides; anyone else answers an alert.
            if let (AlertPurpose::Verify, Some(found)) = (purpose, verification) {
                if core
                    .store
                    .inbound_seen(msg.via.provider(), &msg.message_id)
                    .await?
                {
                    return Ok(None);
                }
                let reply = verification::answer(core, incident_id, v.id, found, language).await?;
                let mut tx = core.store.begin().await?;
                inbound::first_time(&mut tx, msg.via.provider(), &msg.message_id, now_ms()).await?;
                tx.commit().await?;
                return Ok(Some(reply));
            }
            if let (AlertPurpose::First, Some(answer)) = (purpose, answer) {
                let now = now_ms();
                let mut tx = core.store.begin().await?;
                if !inbound::first_time(&mut tx, msg.via.provider(), &msg.message_id, now).await? {
                    return Ok(None);
                }
                alerts::confirm(&mut tx, incident_id, v.id, alert_id, answer.as_str(), now).await?;
                tx.commit().await?;
                tracing::info!(incident_id, volunteer_id = v.id, answer = %answer, via = msg.via.channel(), "confirmation");
                core.events.publish(Event::Incident { id: incident_id });
                let vetted = v.standing.vetted();
                return Ok(Some(
                    answer_reply(core, language, answer, incident_id, vetted).await?,
                ));
            }
            // An answer that does not fit the open request ("HERE" to "please check") is
            // neither an answer nor a sighting.
            return Ok(Some(message::no_open_alert(language)));
        }
    }

    let reporter = msg
        .phone
        .as_ref()
        .map(|p| p.e164().to_string())
        .or_else(|| msg.signal_id.as_ref().map(|s| s.as_str().to_string()));
    let sighting = Sighting {
        channel: msg.via.channel(),
        text: msg.body,
        language,
        point: None,
        kind: None,
        reporter,
        // Trust never applies to a volunteer who is not vetted.
        volunteer: volunteer
            .as_ref()
            .map(|v| (v.id, v.trusted && v.standing.vetted())),
        drill: false,
    };
    match report::receive(core, sighting, Some((msg.via.provider(), &msg.message_id))).await? {
        Some(received) => Ok(Some(message::report_ack(language, received.report_id))),
        None => Ok(None),
    }
}

/// A JOIN conversation in progress, or a command (JOIN, PAUSE, AREA, ...). `Some(reply)` when
/// the message was one of these; None when it goes on as an answer or a report.
async fn self_service(
    core: &Core,
    msg: &Inbound,
    volunteer: Option<&VolunteerRow>,
    key: Option<&str>,
    language: Language,
) -> Result<Option<Reply>, StoreError> {
    let command = parse_command(&msg.body).filter(|c| resolves(core, c));
    let joiner = key.map(|key| join::Joiner {
        key,
        phone: msg.phone.as_ref(),
        signal_id: msg.signal_id.as_ref(),
        via_signal: msg.via == Via::Signal,
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
async fn mark_seen(core: &Core, msg: &Inbound) -> Result<(), StoreError> {
    let mut tx = core.store.begin().await?;
    inbound::first_time(&mut tx, msg.via.provider(), &msg.message_id, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// The keyed hash that identifies the sender across messages: their number, else their
/// Signal account id.
fn sender_key(core: &Core, msg: &Inbound) -> Option<String> {
    let plain = msg
        .phone
        .as_ref()
        .map(|p| p.e164())
        .or(msg.signal_id.as_ref().map(|s| s.as_str()))?;
    Some(core.vault.lookup_hash(plain))
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
    keyword: SubscriptionKeyword,
    language: Language,
) -> Result<Reply, StoreError> {
    let opt_out = match (keyword, volunteer) {
        (SubscriptionKeyword::Stop, Some(v)) => Some((v.id, true)),
        (SubscriptionKeyword::Start, Some(v)) => Some((v.id, false)),
        _ => None,
    };
    let mut tx = core.store.begin().await?;
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
    match keyword {
        SubscriptionKeyword::Help => Ok(Some(message::help(language, &core.settings.network.name))),
        // On Signal nobody answers STOP for us; on SMS Twilio does.
        SubscriptionKeyword::Stop | SubscriptionKeyword::Start if msg.via == Via::Signal => Ok(Some(
            message::subscription_ack(language, keyword == SubscriptionKeyword::Stop),
        )),
        _ => Ok(None),
    }
}

/// The reply to Y/N/HERE. With progressive disclosure, one who is coming gets the exact place
/// here (the alert named only the zone or a rough place); never one who is not vetted.
async fn answer_reply(
    core: &Core,
    language: Language,
    answer: crate::domain::Answer,
    incident_id: i64,
    vetted: bool,
) -> Result<String, StoreError> {
    let incident = core.store.incident(incident_id).await?;
    let drill = incident.as_ref().is_some_and(|i| i.drill);
    if !vetted {
        return Ok(message::answer_ack_unvetted(language, answer, incident_id, drill));
    }
    let exact = incident
        .filter(|i| core.settings.dispatch.progressive_disclosure && !i.approximate)
        .and_then(|i| i.lat.zip(i.lon));
    Ok(message::answer_ack(language, answer, incident_id, drill, exact))
}
