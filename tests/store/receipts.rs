//! Provider receipts never move a delivery backwards (`store::receipts`), in whatever order
//! they come, and a receipt that comes before its send was recorded is kept and applied then.

use tocsin::domain::{AlertPurpose, Channel, DeliveryStatus, IncidentStatus};
use tocsin::store::alerts::Audience;
use tocsin::store::outbox::Handed;
use tocsin::store::receipts::Receipt;
use tocsin::store::Store;

use crate::on_both_backends;
use crate::support::{delivery_status, incident, queued, texts, volunteer_on};

/// What Twilio's callbacks can say, in the order a message goes.
const RECEIPTS: [DeliveryStatus; 6] = [
    DeliveryStatus::Submitted,
    DeliveryStatus::Sent,
    DeliveryStatus::Delivered,
    DeliveryStatus::Read,
    DeliveryStatus::Undelivered,
    DeliveryStatus::Failed,
];

fn receipt(status: DeliveryStatus) -> Receipt {
    Receipt { status, error: None }
}

/// Claims and records as handed to Twilio every queued delivery, as `SM{delivery id}`.
async fn submit_all(store: &Store, deliveries: &[i64]) {
    let claimed = store
        .claim_deliveries(&[Channel::Sms], 1_000, 60_000, 1_000)
        .await
        .unwrap();
    assert_eq!(claimed.len(), deliveries.len());
    let handed: Vec<Handed> = deliveries
        .iter()
        .map(|id| Handed {
            id: *id,
            channel: Channel::Sms,
            provider_id: Some(format!("SM{id}")),
            took_ms: 5,
        })
        .collect();
    let early = store.deliveries_submitted(&handed, 1_100).await.unwrap();
    assert!(early.iter().all(Option::is_none));
}

async fn apply(store: &Store, provider_id: &str, status: DeliveryStatus) -> Option<i64> {
    store
        .apply_receipt(Channel::Sms, provider_id, None, &receipt(status))
        .await
        .expect("receipt applied")
}

async fn any_two_receipts_leave_the_further_one(store: Store) {
    let pairs: Vec<(DeliveryStatus, DeliveryStatus)> = RECEIPTS
        .iter()
        .flat_map(|a| RECEIPTS.iter().map(move |b| (*a, *b)))
        .collect();
    let (_, deliveries) = queued(&store, pairs.len() as u32).await;
    submit_all(&store, &deliveries).await;
    for ((a, b), id) in pairs.iter().zip(&deliveries) {
        let pid = format!("SM{id}");
        let mut expected = DeliveryStatus::Submitted;
        for next in [*a, *b] {
            let moved = apply(&store, &pid, next).await;
            let forward = next.rank() > expected.rank();
            assert_eq!(moved.is_some(), forward, "{a} then {b}: {next} moved it?");
            if forward {
                expected = next;
            }
        }
        assert_eq!(
            delivery_status(&store, *id).await,
            expected.as_str(),
            "{a} then {b}"
        );
    }
}

async fn an_ending_is_never_revived(store: Store) {
    let (_, deliveries) = queued(&store, 1).await;
    submit_all(&store, &deliveries).await;
    let pid = format!("SM{}", deliveries[0]);
    let error = Receipt {
        status: DeliveryStatus::Undelivered,
        error: Some("Twilio 30003".into()),
    };
    let volunteer = store
        .apply_receipt(Channel::Sms, &pid, None, &error)
        .await
        .unwrap();
    assert!(volunteer.is_some(), "the volunteer whose delivery moved");
    for late in RECEIPTS {
        assert_eq!(apply(&store, &pid, late).await, None, "{late} after undelivered");
    }
    assert_eq!(delivery_status(&store, deliveries[0]).await, "undelivered");
    // A receipt of another channel with the same id is not this delivery's.
    let signal = store
        .apply_receipt(Channel::Signal, &pid, None, &receipt(DeliveryStatus::Read))
        .await
        .unwrap();
    assert_eq!(signal, None);
    assert_eq!(delivery_status(&store, deliveries[0]).await, "undelivered");
}

async fn an_early_receipt_is_applied_when_the_send_is_recorded(store: Store) {
    let (_, deliveries) = queued(&store, 1).await;
    let id = deliveries[0];
    store
        .claim_deliveries(&[Channel::Sms], 1, 60_000, 1_000)
        .await
        .unwrap();
    // The callbacks beat our own write of the provider's id, out of order.
    for status in [DeliveryStatus::Delivered, DeliveryStatus::Sent] {
        assert_eq!(apply(&store, "SMearly", status).await, None, "kept for later");
    }
    assert_eq!(delivery_status(&store, id).await, "queued");
    let handed = Handed {
        id,
        channel: Channel::Sms,
        provider_id: Some("SMearly".into()),
        took_ms: 5,
    };
    let early = store.deliveries_submitted(&[handed], 1_100).await.unwrap();
    assert_eq!(
        early,
        vec![Some(receipt(DeliveryStatus::Delivered))],
        "the furthest one"
    );
    assert_eq!(delivery_status(&store, id).await, "delivered");
    // Applied once: nothing is left to purge.
    assert_eq!(store.purge_early_receipts(i64::MAX).await.unwrap(), 0);
    // A receipt that never finds its delivery is purged.
    assert_eq!(apply(&store, "SMnobody", DeliveryStatus::Sent).await, None);
    assert_eq!(store.purge_early_receipts(i64::MAX).await.unwrap(), 1);
}

async fn a_receipt_racing_the_send_record_is_never_lost(store: Store) {
    let (_, deliveries) = queued(&store, 30).await;
    store
        .claim_deliveries(&[Channel::Sms], 100, 60_000, 1_000)
        .await
        .unwrap();
    for id in &deliveries {
        let pid = format!("SMrace{id}");
        let (a, b) = (store.clone(), store.clone());
        let (id, pid2) = (*id, pid.clone());
        let record = tokio::spawn(async move {
            let handed = Handed {
                id,
                channel: Channel::Sms,
                provider_id: Some(pid2),
                took_ms: 5,
            };
            a.deliveries_submitted(&[handed], 1_100).await.unwrap()
        });
        let callback = tokio::spawn(async move { apply(&b, &pid, DeliveryStatus::Delivered).await });
        record.await.unwrap();
        callback.await.unwrap();
        assert_eq!(delivery_status(&store, id).await, "delivered", "delivery {id}");
    }
}

/// Signal's ids are timestamps, shared by every recipient of one send: a receipt names its
/// sender, and moves only that volunteer's delivery.
async fn a_signal_receipt_moves_only_its_senders_delivery(store: Store) {
    let a = volunteer_on(&store, "+13235550501", "signal").await;
    let b = volunteer_on(&store, "+13235550502", "signal").await;
    let id = incident(&store, IncidentStatus::Confirmed).await;
    let audience = Audience::Volunteers {
        ids: &[a, b],
        signal_on: true,
    };
    let planned = store
        .plan_alert(
            id,
            (AlertPurpose::First, 0),
            audience,
            &texts("TOCSIN #1"),
            (0, i64::MAX / 2),
            &|| {},
        )
        .await
        .unwrap();
    assert_eq!(planned, Some(2));
    let claimed = store
        .claim_deliveries(&[Channel::Signal], 10, 60_000, 1_000)
        .await
        .unwrap();
    let handed: Vec<Handed> = claimed
        .iter()
        .map(|c| Handed {
            id: c.id,
            channel: Channel::Signal,
            provider_id: Some("1700000000001".into()),
            took_ms: 5,
        })
        .collect();
    store.deliveries_submitted(&handed, 1_100).await.unwrap();
    let read = receipt(DeliveryStatus::Read);
    let moved = store
        .apply_receipt(Channel::Signal, "1700000000001", Some(a), &read)
        .await
        .unwrap();
    assert_eq!(moved, Some(a));
    for c in &claimed {
        let expected = if c.volunteer_id == a { "read" } else { "submitted" };
        assert_eq!(
            delivery_status(&store, c.id).await,
            expected,
            "volunteer {}",
            c.volunteer_id
        );
    }
}

/// Twilio's `queued`, `accepted` and `sending` callbacks are `Submitted` receipts; one can beat
/// our record of the send (a Messaging Service sends them at once).
async fn an_early_submitted_receipt_does_not_break_the_send_record(store: Store) {
    let (_, deliveries) = queued(&store, 1).await;
    store
        .claim_deliveries(&[Channel::Sms], 1, 60_000, 1_000)
        .await
        .unwrap();
    assert_eq!(apply(&store, "SMfast", DeliveryStatus::Submitted).await, None);
    let handed = Handed {
        id: deliveries[0],
        channel: Channel::Sms,
        provider_id: Some("SMfast".into()),
        took_ms: 5,
    };
    let recorded = store.deliveries_submitted(&[handed], 1_100).await;
    assert!(recorded.is_ok(), "the send is recorded: {:?}", recorded.err());
    assert_eq!(delivery_status(&store, deliveries[0]).await, "submitted");
    assert_eq!(
        store.purge_early_receipts(i64::MAX).await.unwrap(),
        0,
        "the early receipt was used"
    );
}

on_both_backends!(
    an_early_submitted_receipt_does_not_break_the_send_record,
    a_signal_receipt_moves_only_its_senders_delivery,
    any_two_receipts_leave_the_further_one,
    an_ending_is_never_revived,
    an_early_receipt_is_applied_when_the_send_is_recorded,
    a_receipt_racing_the_send_record_is_never_lost,
);
