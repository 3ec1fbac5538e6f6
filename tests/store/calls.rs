//! Wake-up calls in the store (issue 17 §2): a first alert with calls queues a `voice` delivery
//! only for those who want one now; a call is claimed only once the volunteer's text has left
//! the queue; an unanswered call is queued again once, never twice; a call no longer wanted
//! (calls off) is cancelled, not placed.

use tocsin::domain::{AlertPurpose, CallWhen, Channel, DeliveryStatus, IncidentStatus};
use tocsin::store::alerts::{Audience, Bodies, Calls};
use tocsin::store::outbox::{Claimed, Handed};
use tocsin::store::receipts::Receipt;
use tocsin::store::Store;

use crate::on_both_backends;
use crate::support::{deliveries_of, delivery_status, incident, volunteers};

const LEASE: i64 = 30_000;

async fn claim(store: &Store, channel: Channel, now: i64) -> Vec<Claimed> {
    store
        .claim_deliveries(&[channel], 10, LEASE, now)
        .await
        .expect("claimed")
}

async fn submitted(store: &Store, c: &Claimed, sid: &str, now: i64) {
    let handed = Handed {
        id: c.id,
        channel: c.channel,
        provider_id: Some(sid.into()),
        took_ms: 1,
    };
    store
        .deliveries_submitted(&[handed], now)
        .await
        .expect("recorded");
}

/// Volunteers always / night / never called; the first alert planned by day: (incident, ids).
async fn planned(store: &Store) -> (i64, Vec<i64>) {
    planned_at(store, false).await
}

async fn planned_at(store: &Store, night: bool) -> (i64, Vec<i64>) {
    let ids = volunteers(store, 0, 3).await;
    for (id, call) in ids
        .iter()
        .zip([CallWhen::Always, CallWhen::Night, CallWhen::Never])
    {
        assert!(store.set_call(*id, call).await.unwrap());
    }
    let incident = incident(store, IncidentStatus::Confirmed).await;
    let bodies = Bodies {
        texts: vec![
            ("en", "TOCSIN #1 CONFIRMED".into()),
            ("es", "TOCSIN #1 CONFIRMADO".into()),
        ],
        unvetted: None,
        calls: Some(Calls {
            texts: vec![("en", "alert one, spoken".into()), ("es", "alerta uno".into())],
            night,
        }),
    };
    let audience = Audience::Volunteers {
        ids: &ids,
        signal_on: false,
    };
    let planned = store
        .plan_alert(
            incident,
            (AlertPurpose::First, 0),
            audience,
            &bodies,
            (0, i64::MAX / 2),
            &|| {},
        )
        .await
        .expect("planned");
    let calls = if night { 2 } else { 1 };
    assert_eq!(
        planned,
        Some(3 + calls),
        "three texts; calls to `always`, and at night `night`"
    );
    (incident, ids)
}

async fn a_call_follows_the_text_and_is_placed_once_more_if_unanswered(store: Store) {
    let (incident, ids) = planned(&store).await;
    let voice: Vec<(i64, i64, String)> = deliveries_of(&store, incident)
        .await
        .into_iter()
        .skip(3)
        .collect();
    assert_eq!(voice.len(), 1);
    assert_eq!(voice[0].1, ids[0], "the one who wants calls always");
    assert!(
        claim(&store, Channel::Voice, 1_000).await.is_empty(),
        "the text goes first"
    );
    let texts = claim(&store, Channel::Sms, 1_000).await;
    let mine = texts
        .iter()
        .find(|c| c.volunteer_id == ids[0])
        .expect("their text");
    submitted(&store, mine, "SM1", 1_100).await;
    let call = claim(&store, Channel::Voice, 1_200).await.remove(0);
    assert_eq!(call.body, "alert one, spoken");
    submitted(&store, &call, "CA1", 1_300).await;

    let no_answer = Receipt {
        status: DeliveryStatus::NoAnswer,
        error: None,
    };
    store
        .apply_receipt(Channel::Voice, "CA1", None, &no_answer)
        .await
        .unwrap();
    assert_eq!(delivery_status(&store, call.id).await, "no_answer");
    assert!(store.call_again("CA1", 5_000, 1_400).await.unwrap());
    assert_eq!(delivery_status(&store, call.id).await, "queued");
    assert!(
        claim(&store, Channel::Voice, 4_999).await.is_empty(),
        "not before retry_after_s"
    );
    let again = claim(&store, Channel::Voice, 5_000).await.remove(0);
    submitted(&store, &again, "CA2", 5_100).await;
    let busy = Receipt {
        status: DeliveryStatus::Busy,
        error: None,
    };
    store
        .apply_receipt(Channel::Voice, "CA2", None, &busy)
        .await
        .unwrap();
    assert!(
        !store.call_again("CA2", 9_000, 5_200).await.unwrap(),
        "never a third call"
    );
    assert_eq!(delivery_status(&store, call.id).await, "busy");
}

async fn a_call_no_longer_wanted_is_cancelled_not_placed(store: Store) {
    let (incident, ids) = planned(&store).await;
    for c in claim(&store, Channel::Sms, 1_000).await {
        submitted(&store, &c, &format!("SM{}", c.id), 1_100).await;
    }
    assert!(
        store.set_call(ids[0], CallWhen::Never).await.unwrap(),
        "CALLS OFF"
    );
    assert!(claim(&store, Channel::Voice, 1_200).await.is_empty());
    let call = deliveries_of(&store, incident).await.remove(3);
    assert_eq!(call.2, "canceled");
}

async fn at_night_the_night_volunteers_are_called_too(store: Store) {
    let (incident, ids) = planned_at(&store, true).await;
    let called: Vec<i64> = deliveries_of(&store, incident)
        .await
        .iter()
        .skip(3)
        .map(|d| d.1)
        .collect();
    assert_eq!(called, ids[..2].to_vec(), "always and night, not never");
}

/// STOP stops calls too: Twilio would still ring a number that texted STOP.
async fn a_call_to_one_who_texted_stop_is_cancelled(store: Store) {
    let (incident, ids) = planned(&store).await;
    for c in claim(&store, Channel::Sms, 1_000).await {
        submitted(&store, &c, &format!("SM{}", c.id), 1_100).await;
    }
    store.set_opted_out(ids[0], true).await.unwrap();
    assert!(claim(&store, Channel::Voice, 1_200).await.is_empty());
    assert_eq!(deliveries_of(&store, incident).await.remove(3).2, "canceled");
}

on_both_backends!(
    a_call_follows_the_text_and_is_placed_once_more_if_unanswered,
    a_call_no_longer_wanted_is_cancelled_not_placed,
    a_call_to_one_who_texted_stop_is_cancelled,
    at_night_the_night_volunteers_are_called_too,
);
