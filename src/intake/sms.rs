//! One inbound SMS: a subscription keyword, a volunteer's answer, or a new report.
//! Every branch records the provider's message id in the transaction that applies it, so a
//! redelivered webhook changes nothing.

use crate::app::Core;
use crate::dispatch::message;
use crate::domain::{Language, Phone, SubscriptionKeyword};
use crate::geo::Area;
use crate::intake::report::{self, Sighting};
use crate::intake::words::{guess_language, parse_answer, subscription_keyword};
use crate::store::volunteers::VolunteerRow;
use crate::store::{deliveries, inbound, now_ms, StoreError};

pub const PROVIDER: &str = "twilio";

pub struct InboundSms {
    pub from: String,
    pub body: String,
    pub message_id: String,
}

/// What to answer the sender with (None: nothing).
pub type Reply = Option<String>;

pub async fn handle(core: &Core, sms: InboundSms) -> Result<Reply, StoreError> {
    let phone = Phone::parse(&sms.from).ok();
    let volunteer = match &phone {
        Some(p) => {
            core.store
                .volunteer_by_phone_hash(&core.vault.lookup_hash(p.e164()))
                .await?
        }
        None => None,
    };
    let language = volunteer
        .as_ref()
        .and_then(|v| Language::parse(&v.language))
        .unwrap_or_else(|| guess_language(&sms.body));

    if let Some(keyword) = subscription_keyword(&sms.body) {
        return subscription(core, &sms, volunteer.as_ref(), keyword, language).await;
    }
    if let (Some(v), Some(answer)) = (&volunteer, parse_answer(&sms.body)) {
        let Some((incident_id, alert_id)) = core.store.latest_open_alert(v.id).await? else {
            return Ok(Some(message::no_open_alert(language)));
        };
        let now = now_ms();
        let mut tx = core.store.begin().await?;
        if !inbound::first_time(&mut tx, PROVIDER, &sms.message_id, now).await? {
            return Ok(None);
        }
        deliveries::confirm(&mut tx, incident_id, v.id, alert_id, answer.as_str(), now).await?;
        tx.commit().await?;
        tracing::info!(incident_id, volunteer_id = v.id, answer = %answer, "confirmation");
        core.events
            .publish(crate::events::Event::Incident { id: incident_id });
        return Ok(Some(message::answer_ack(language, answer, incident_id)));
    }

    let sighting = Sighting {
        channel: "sms",
        text: sms.body,
        language,
        point: None,
        kind: None,
        reporter: phone,
        volunteer: volunteer.as_ref().map(|v| (v.id, v.trusted)),
    };
    match report::receive(core, sighting, Some((PROVIDER, &sms.message_id))).await? {
        Some(received) => Ok(Some(message::report_ack(language, received.report_id))),
        None => Ok(None),
    }
}

/// STOP/START/HELP. Twilio answers STOP and START itself (and blocks or unblocks the number);
/// tocsin mirrors the opt-out so that it stops queueing alerts nobody can receive.
async fn subscription(
    core: &Core,
    sms: &InboundSms,
    volunteer: Option<&VolunteerRow>,
    keyword: SubscriptionKeyword,
    language: Language,
) -> Result<Reply, StoreError> {
    let mut tx = core.store.begin().await?;
    let first = inbound::first_time(&mut tx, PROVIDER, &sms.message_id, now_ms()).await?;
    tx.commit().await?;
    if !first {
        return Ok(None);
    }
    match (keyword, volunteer) {
        (SubscriptionKeyword::Help, _) => Ok(Some(message::help(language))),
        (SubscriptionKeyword::Stop, Some(v)) => {
            core.store.set_opted_out(v.id, true).await?;
            core.index_set(v.id, None);
            tracing::info!(volunteer_id = v.id, "volunteer opted out");
            Ok(None)
        }
        (SubscriptionKeyword::Start, Some(v)) => {
            core.store.set_opted_out(v.id, false).await?;
            let area = serde_json::from_str(&v.area)
                .ok()
                .and_then(|a| Area::from_json(&a).ok());
            core.index_set(v.id, area);
            tracing::info!(volunteer_id = v.id, "volunteer opted back in");
            Ok(None)
        }
        (_, None) => Ok(None),
    }
}
