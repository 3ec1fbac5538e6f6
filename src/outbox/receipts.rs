//! What a provider's receipt changes beyond the delivery itself: live views are told, and a
//! carrier opt-out (`channels::twilio::is_unsubscribed`) takes the volunteer off the alert list.

use crate::channels::twilio::is_unsubscribed;
use crate::domain::Channel;
use crate::events::Event;
use crate::state::Core;
use crate::store::receipts::Receipt;
use crate::store::StoreError;

pub async fn apply(
    core: &Core,
    channel: Channel,
    provider_id: &str,
    volunteer: Option<i64>,
    receipt: Receipt,
) -> Result<(), StoreError> {
    if let Some(volunteer_id) = core
        .store
        .apply_receipt(channel, provider_id, volunteer, &receipt)
        .await?
    {
        applied(core, channel, volunteer_id, &receipt).await?;
    }
    Ok(())
}

/// After a receipt moved a delivery of this volunteer.
pub async fn applied(
    core: &Core,
    channel: Channel,
    volunteer_id: i64,
    receipt: &Receipt,
) -> Result<(), StoreError> {
    core.events.publish(Event::Deliveries);
    core.metrics.delivery(channel.as_str(), receipt.status.as_str());
    if let Some(error) = &receipt.error {
        core.metrics.provider_error(channel.as_str(), error);
    }
    if receipt.error.as_deref().is_some_and(is_unsubscribed) {
        crate::roster::set_opted_out(core, volunteer_id, true).await?;
    }
    Ok(())
}
