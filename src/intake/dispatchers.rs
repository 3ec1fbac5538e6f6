//! A dispatcher's words from their registered phone: `DUTY ON`, `DUTY OFF`, `ACK12`. From any
//! other number these are not commands (they go on as any message would). An SMS from the
//! number of a dispatcher who chose Signal could be forged and is not one either: only their
//! Signal account can take them off duty or acknowledge a page.

use crate::audit::{self, Actor, Subject};
use crate::domain::{Channel, DispatcherWord};
use crate::i18n::text;
use crate::intake::inbound::{Inbound, Reply};
use crate::state::Core;
use crate::store::pages::Acked;
use crate::store::StoreError;

/// `Some(reply)` when the message was a dispatcher's command and is applied; None when it goes
/// on as any other message.
pub async fn handle(core: &Core, msg: &Inbound) -> Result<Option<Reply>, StoreError> {
    let Some(word) = DispatcherWord::parse(&msg.body) else {
        return Ok(None);
    };
    let Some(phone) = &msg.phone else {
        return Ok(None);
    };
    let hash = core.vault.lookup_hash(phone.e164());
    let Some(dispatcher) = core.store.dispatcher_by_phone_hash(&hash).await? else {
        return Ok(None);
    };
    if msg.via == Channel::Sms && dispatcher.channel == Channel::Signal {
        tracing::warn!(
            user_id = dispatcher.id,
            "an SMS from a Signal dispatcher's number: not taken as their command"
        );
        return Ok(None);
    }
    if core
        .store
        .inbound_seen(msg.via.provider(), &msg.message_id)
        .await?
    {
        return Ok(Some(None));
    }
    let actor = Actor::User {
        id: dispatcher.id,
        name: dispatcher.name.clone(),
    };
    let language = dispatcher.language;
    let reply = match word {
        DispatcherWord::Duty(on) => {
            core.store.set_user_duty(dispatcher.id, on).await?;
            let action = if on { "duty_on" } else { "duty_off" };
            audit::record(core, &actor, action, Subject::None, "by text").await;
            tracing::info!(user_id = dispatcher.id, on_duty = on, "duty set by text");
            text(language, if on { "duty-on" } else { "duty-off" }, &[])
        }
        DispatcherWord::Ack(incident) => {
            match core.store.ack(dispatcher.id, &dispatcher.name, incident).await? {
                Acked::Taken(id) => {
                    audit::record(core, &actor, "ack", Subject::Incident(id), "by text").await;
                    core.events.publish(crate::events::Event::Incident { id });
                    let link = format!("{}/incidents/{id}", core.settings.public_base());
                    text(language, "ack-taken", &[("id", id.to_string()), ("link", link)])
                }
                Acked::Already { incident_id, by } => text(
                    language,
                    "ack-already",
                    &[("id", incident_id.to_string()), ("name", by)],
                ),
                Acked::Unknown => text(language, "ack-unknown", &[]),
            }
        }
    };
    crate::intake::message::mark_seen(core, msg).await?;
    Ok(Some(Some(reply)))
}
