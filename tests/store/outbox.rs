//! The outbox's claims (`Store::claim_deliveries`): a claimed delivery is nobody else's until
//! its lease runs out, and claimable again after; concurrent claimers never get the same
//! delivery; what is recorded as sent, failed or cancelled is never claimed again; a worker
//! whose claim was taken over cannot release or end the new one.

use std::collections::HashSet;

use tocsin::domain::{AlertPurpose, Channel, IncidentStatus};
use tocsin::store::alerts::Audience;
use tocsin::store::outbox::{Claimed, Handed};
use tocsin::store::{now_ms, Store};

use crate::on_both_backends;
use crate::support::{delivery_status, incident, queued, texts, volunteer_on};

const LEASE: i64 = 30_000;

async fn claim(store: &Store, limit: i64, now: i64) -> Vec<Claimed> {
    store
        .claim_deliveries(&[Channel::Sms], limit, LEASE, now)
        .await
        .expect("claimed")
}

fn ids(claimed: &[Claimed]) -> Vec<i64> {
    claimed.iter().map(|c| c.id).collect()
}

async fn a_claim_holds_until_its_lease_runs_out(store: Store) {
    let (_, deliveries) = queued(&store, 3).await;
    let first = claim(&store, 10, 1_000).await;
    assert_eq!(ids(&first), deliveries);
    assert!(first
        .iter()
        .all(|c| c.attempts == 1 && c.claimed_until == 1_000 + LEASE));
    assert_eq!(first[0].body, "TOCSIN #1 CONFIRMED: raid");
    assert!(
        claim(&store, 10, 2_000).await.is_empty(),
        "claimed: nobody else's"
    );
    assert!(
        claim(&store, 10, 1_000 + LEASE).await.is_empty(),
        "until the lease's very end"
    );
    let again = claim(&store, 10, 1_001 + LEASE).await;
    assert_eq!(ids(&again), deliveries, "the lease ran out: claimable again");
    assert!(again.iter().all(|c| c.attempts == 2));
    // Only the channels asked for.
    let later = 100 * LEASE;
    assert!(store
        .claim_deliveries(&[Channel::Signal], 10, LEASE, later)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(claim(&store, 2, later).await.len(), 2, "at most `limit`");
}

async fn a_claim_is_extended_only_by_its_holder(store: Store) {
    let (_, deliveries) = queued(&store, 1).await;
    let held = claim(&store, 1, 1_000).await.remove(0);
    assert!(store
        .extend_claim(held.id, held.claimed_until, 90_000)
        .await
        .unwrap());
    assert!(
        claim(&store, 1, 50_000).await.is_empty(),
        "extended past its first lease"
    );
    // A worker whose lease ran out and was taken over cannot extend it.
    let taken = claim(&store, 1, 90_001).await;
    assert_eq!(ids(&taken), deliveries);
    assert!(!store.extend_claim(held.id, 90_000, 200_000).await.unwrap());
    assert!(store
        .extend_claim(held.id, taken[0].claimed_until, 200_000)
        .await
        .unwrap());
}

/// A worker that stalled past its lease (and was taken over) writes its outcomes late: they
/// neither release nor end the claim of the worker that has the delivery now, or a third
/// worker could claim and send it again. A late submission is a fact and is recorded; the
/// worker that took over then cannot renew its claim, so does not send if it has not yet.
async fn a_stale_worker_leaves_the_claim_that_took_over(store: Store) {
    let (_, deliveries) = queued(&store, 5).await;
    let stale = claim(&store, 5, 1_000).await;
    assert_eq!(ids(&stale), deliveries);
    let now = claim(&store, 5, 1_001 + LEASE).await;
    assert_eq!(ids(&now), deliveries, "taken over once the lease ran out");
    let late = 2_000 + LEASE;
    assert!(!store
        .delivery_retry(stale[0].id, stale[0].claimed_until, late, "Twilio 503", 5, late)
        .await
        .unwrap());
    assert!(!store
        .delivery_failed(stale[1].id, stale[1].claimed_until, "Twilio 21211", 5, late)
        .await
        .unwrap());
    store.release(&stale[2..3]).await.unwrap();
    for id in &deliveries[..3] {
        assert_eq!(delivery_status(&store, *id).await, "queued");
    }
    assert!(
        claim(&store, 5, late).await.is_empty(),
        "the new claims still hold: nobody else sends these"
    );

    // The late submission is recorded; the new holder's claim is then gone.
    let handed = Handed {
        id: stale[3].id,
        channel: Channel::Sms,
        provider_id: Some("SMlate".into()),
        took_ms: 40_000,
    };
    store.deliveries_submitted(&[handed], late).await.unwrap();
    assert_eq!(delivery_status(&store, deliveries[3]).await, "submitted");
    assert!(!store
        .extend_claim(now[3].id, now[3].claimed_until, late + LEASE)
        .await
        .unwrap());
    assert!(!store
        .delivery_retry(now[3].id, now[3].claimed_until, late, "timeout", 5, late)
        .await
        .unwrap());
    assert_eq!(delivery_status(&store, deliveries[3]).await, "submitted");

    // The holder's own outcomes apply, under its claim as renewed.
    let renewed = late + LEASE;
    assert!(store
        .extend_claim(now[0].id, now[0].claimed_until, renewed)
        .await
        .unwrap());
    assert!(!store
        .delivery_retry(now[0].id, now[0].claimed_until, late, "Twilio 503", 5, late)
        .await
        .unwrap());
    assert!(store
        .delivery_retry(now[0].id, renewed, late, "Twilio 503", 5, late)
        .await
        .unwrap());
    assert!(store
        .delivery_failed(now[1].id, now[1].claimed_until, "Twilio 21211", 5, late)
        .await
        .unwrap());
    store.release(&now[2..3]).await.unwrap();
    assert_eq!(delivery_status(&store, deliveries[1]).await, "failed");
    assert_eq!(
        ids(&claim(&store, 5, late).await),
        vec![deliveries[0], deliveries[2]],
        "retried and released by their holder"
    );
}

async fn released_and_retried_deliveries_come_back_when_due(store: Store) {
    let (_, deliveries) = queued(&store, 2).await;
    let claimed = claim(&store, 2, 1_000).await;
    store.release(&claimed[..1]).await.unwrap();
    assert!(store
        .delivery_retry(
            claimed[1].id,
            claimed[1].claimed_until,
            10_000,
            "Twilio 503",
            5,
            1_000
        )
        .await
        .unwrap());
    let back = claim(&store, 2, 2_000).await;
    assert_eq!(
        ids(&back),
        vec![deliveries[0]],
        "released: at once; retried: not yet due"
    );
    assert_eq!(back[0].attempts, 1, "a release gives its attempt back");
    let due = claim(&store, 2, 10_000).await;
    assert_eq!(ids(&due), vec![deliveries[1]]);
    assert_eq!(due[0].attempts, 2);
    assert_eq!(store.queued_deliveries().await.unwrap(), 2);
}

async fn recorded_outcomes_are_never_claimed_again(store: Store) {
    let (_, deliveries) = queued(&store, 3).await;
    let claimed = claim(&store, 3, 1_000).await;
    let handed = Handed {
        id: claimed[0].id,
        channel: Channel::Sms,
        provider_id: Some("SMsent0".into()),
        took_ms: 12,
    };
    assert_eq!(
        store.deliveries_submitted(&[handed], 1_100).await.unwrap(),
        vec![None]
    );
    assert!(store
        .delivery_failed(claimed[1].id, claimed[1].claimed_until, "Twilio 21211", 8, 1_100)
        .await
        .unwrap());
    assert_eq!(delivery_status(&store, deliveries[0]).await, "submitted");
    assert_eq!(delivery_status(&store, deliveries[1]).await, "failed");
    let later = claim(&store, 10, 100 * LEASE).await;
    assert_eq!(ids(&later), vec![deliveries[2]], "only the one still queued");
    assert_eq!(store.queued_deliveries().await.unwrap(), 1);
}

async fn a_closed_incident_cancels_what_has_not_left(store: Store) {
    // `close_incident` reads the clock: claims are made at the real time here.
    let now = now_ms();
    let (incident, deliveries) = queued(&store, 3).await;
    let in_flight = claim(&store, 1, now).await;
    assert_eq!(ids(&in_flight), vec![deliveries[0]]);
    assert!(store
        .close_incident(incident, IncidentStatus::FalseAlarm, "dispatcher")
        .await
        .unwrap());
    assert_eq!(delivery_status(&store, deliveries[1]).await, "canceled");
    assert_eq!(delivery_status(&store, deliveries[2]).await, "canceled");
    // The one in flight is its worker's to finish; a retry of it is not sent late.
    assert_eq!(delivery_status(&store, deliveries[0]).await, "queued");
    assert!(store
        .delivery_retry(
            deliveries[0],
            in_flight[0].claimed_until,
            now + 2_000,
            "timeout",
            10_000,
            now + 1_500
        )
        .await
        .unwrap());
    assert_eq!(delivery_status(&store, deliveries[0]).await, "canceled");
    assert!(claim(&store, 10, now + 100 * LEASE).await.is_empty());
}

async fn concurrent_claimers_never_share_a_delivery(store: Store) {
    let (_, deliveries) = queued(&store, 120).await;
    let mut workers = Vec::new();
    for _ in 0..6 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = claim(&store, 7, 1_000).await;
                if got.is_empty() {
                    return mine;
                }
                mine.extend(ids(&got));
            }
        }));
    }
    let mut seen = HashSet::new();
    let mut per_worker = Vec::new();
    for w in workers {
        let mine = w.await.unwrap();
        per_worker.push(mine.len());
        for id in mine {
            assert!(seen.insert(id), "delivery {id} claimed twice");
        }
    }
    assert_eq!(
        seen,
        deliveries.into_iter().collect(),
        "every delivery claimed once: {per_worker:?}"
    );
}

async fn a_signal_delivery_fails_over_to_one_sms(store: Store) {
    let only_signal = volunteer_on(&store, "+13235550301", "signal").await;
    let both = volunteer_on(&store, "+13235550302", "both").await;
    let incident = incident(&store, IncidentStatus::Confirmed).await;
    let audience = Audience::Volunteers {
        ids: &[only_signal, both],
        signal_on: true,
    };
    let planned = store
        .plan_alert(
            incident,
            (AlertPurpose::First, 0),
            audience,
            &texts("TOCSIN #1"),
            (0, i64::MAX / 2),
            &|| {},
        )
        .await
        .unwrap();
    assert_eq!(planned, Some(3), "Signal for one, Signal and SMS for the other");
    let signal = store
        .claim_deliveries(&[Channel::Signal], 10, LEASE, 1_000)
        .await
        .unwrap();
    assert_eq!(signal.len(), 2);
    // A worker whose claim was not this one (stale) fails nothing over.
    let stale = signal[0].claimed_until - 1;
    assert_eq!(
        store
            .fail_over(signal[0].id, stale, "signal-cli down", 3, 1_100)
            .await
            .unwrap(),
        None
    );
    assert_eq!(delivery_status(&store, signal[0].id).await, "queued");
    for delivery in &signal {
        let made = store
            .fail_over(delivery.id, delivery.claimed_until, "signal-cli down", 3, 1_100)
            .await
            .unwrap()
            .expect("the claim is ours");
        assert_eq!(
            made,
            delivery.volunteer_id == only_signal,
            "an SMS only for who has none"
        );
        assert_eq!(delivery_status(&store, delivery.id).await, "failed_over");
        // Failing over again makes nothing more.
        assert_eq!(
            store
                .fail_over(delivery.id, delivery.claimed_until, "again", 3, 1_200)
                .await
                .unwrap(),
            None
        );
    }
    let mut sms: Vec<i64> = claim(&store, 10, 2_000)
        .await
        .iter()
        .map(|c| c.volunteer_id)
        .collect();
    sms.sort_unstable();
    assert_eq!(sms, vec![only_signal, both], "one SMS each");
}

on_both_backends!(
    a_signal_delivery_fails_over_to_one_sms,
    a_claim_holds_until_its_lease_runs_out,
    a_claim_is_extended_only_by_its_holder,
    a_stale_worker_leaves_the_claim_that_took_over,
    released_and_retried_deliveries_come_back_when_due,
    recorded_outcomes_are_never_claimed_again,
    a_closed_incident_cancels_what_has_not_left,
    concurrent_claimers_never_share_a_delivery,
);
