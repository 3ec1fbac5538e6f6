//! Planning an alert (`Store::plan_alert`) writes the alert and its deliveries together, only
//! while the incident calls for it, once: planned again (or concurrently) it changes nothing,
//! and a plan that fails leaves nothing behind. A fan-out cut short is finished later.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use sqlx::Row;
use tocsin::domain::{AlertPurpose, Channel, IncidentStatus, Standing};
use tocsin::store::alerts::{confirm, Audience, Bodies, Planned};
use tocsin::store::outbox::Handed;
use tocsin::store::volunteers::NewVolunteer;
use tocsin::store::Store;

use crate::on_both_backends;
use crate::support::{count, deliveries_of, incident, plan_first, texts, volunteer, volunteers};

const ALERTS: &str = "SELECT COUNT(*) FROM alerts WHERE incident_id = $1";

async fn planning_writes_the_alert_and_a_delivery_per_reachable_volunteer(store: Store) {
    let reached = volunteers(&store, 100, 3).await;
    let paused = volunteer(&store, "+13235559001").await;
    assert!(store.set_paused(paused, true).await.unwrap());
    let opted_out = volunteer(&store, "+13235559002").await;
    store.set_opted_out(opted_out, true).await.unwrap();
    let pending = store
        .insert_volunteer(NewVolunteer {
            name: "Joiner",
            phone: "+13235559003",
            language: "en",
            trusted: false,
            area: "{}".into(),
            channel: "sms",
            signal: None,
            roles: String::new(),
            standing: Standing::Pending,
        })
        .await
        .unwrap();
    let id = incident(&store, IncidentStatus::Confirmed).await;
    let mut audience = reached.clone();
    audience.extend([paused, opted_out, pending, 999_999]);

    let started = Arc::new(AtomicUsize::new(0));
    let seen = started.clone();
    let written = store
        .plan_alert(
            id,
            (AlertPurpose::First, 0),
            Audience::Volunteers {
                ids: &audience,
                signal_on: false,
            },
            &Bodies::same(vec![("en", "TOCSIN #1".into()), ("es", "TOCSIN #1 es".into())]),
            (5_000, 905_000),
            &move || {
                seen.fetch_add(1, Ordering::SeqCst);
            },
        )
        .await
        .unwrap();
    assert_eq!(
        written,
        Some(3),
        "paused, opted out, pending and unknown volunteers are skipped"
    );
    assert_eq!(started.load(Ordering::SeqCst), 1, "sending was woken once");
    let deliveries = deliveries_of(&store, id).await;
    let to: Vec<i64> = deliveries.iter().map(|d| d.1).collect();
    assert_eq!(to, reached);
    assert!(deliveries.iter().all(|d| d.2 == "queued"), "{deliveries:?}");
    let row = sqlx::query(
        "SELECT a.purpose, a.complete, d.body, d.expires_at, d.next_attempt_at FROM alerts a \
         JOIN deliveries d ON d.alert_id = a.id WHERE a.incident_id = $1 ORDER BY d.id LIMIT 1",
    )
    .bind(id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>("purpose"), "first");
    assert_eq!(
        row.get::<String, _>("body"),
        "TOCSIN #1",
        "in the volunteer's language"
    );
    assert_eq!(row.get::<i64, _>("expires_at"), 905_000);
    assert_eq!(row.get::<i64, _>("next_attempt_at"), 5_000, "due at once");
    let inc = store.incident(id).await.unwrap().unwrap();
    assert_eq!(inc.first_alert_at, Some(5_000));
    assert!(store.incidents_to_alert().await.unwrap().is_empty());
    assert!(
        store.incomplete_alerts(i64::MAX).await.unwrap().is_empty(),
        "complete"
    );

    // Planned again: nothing changes.
    assert_eq!(plan_first(&store, id, &audience).await, None);
    assert_eq!(count(&store, ALERTS, id).await, 1);
    assert_eq!(deliveries_of(&store, id).await.len(), 3);
}

async fn only_a_confirmed_incident_gets_a_first_alert(store: Store) {
    let ids = volunteers(&store, 200, 2).await;
    for &status in IncidentStatus::ALL {
        let id = incident(&store, status).await;
        let planned = plan_first(&store, id, &ids).await;
        assert_eq!(planned.is_some(), status == IncidentStatus::Confirmed, "{status}");
        let alerts = count(&store, ALERTS, id).await;
        assert_eq!(
            alerts,
            i64::from(planned.is_some()),
            "{status}: no alert row unless planned"
        );
    }
}

async fn a_failed_plan_leaves_nothing_half_written(store: Store) {
    let ids = volunteers(&store, 300, 3).await;
    let id = incident(&store, IncidentStatus::Confirmed).await;
    let woken = Arc::new(AtomicUsize::new(0));
    let seen = woken.clone();
    let failed = store
        .plan_alert(
            id,
            (AlertPurpose::First, 0),
            Audience::Volunteers {
                ids: &ids,
                signal_on: false,
            },
            &Bodies::same(Vec::new()),
            (0, i64::MAX / 2),
            &move || {
                seen.fetch_add(1, Ordering::SeqCst);
            },
        )
        .await;
    assert!(failed.is_err(), "an alert without text is refused");
    assert_eq!(woken.load(Ordering::SeqCst), 0);
    assert_eq!(count(&store, ALERTS, id).await, 0, "no alert row");
    assert!(deliveries_of(&store, id).await.is_empty(), "no delivery");
    let inc = store.incident(id).await.unwrap().unwrap();
    assert_eq!(inc.first_alert_at, None, "the incident still calls for its alert");
    assert_eq!(store.incidents_to_alert().await.unwrap().len(), 1);
    assert_eq!(plan_first(&store, id, &ids).await, Some(3), "and gets it");
}

async fn concurrent_plans_write_one_alert(store: Store) {
    let ids = volunteers(&store, 400, 5).await;
    let id = incident(&store, IncidentStatus::Confirmed).await;
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (store, ids) = (store.clone(), ids.clone());
        tasks.push(tokio::spawn(async move { plan_first(&store, id, &ids).await }));
    }
    let mut planned = Vec::new();
    for t in tasks {
        planned.extend(t.await.unwrap());
    }
    assert_eq!(planned, vec![5], "one plan of four wrote the alert");
    assert_eq!(count(&store, ALERTS, id).await, 1);
    assert_eq!(deliveries_of(&store, id).await.len(), 5);
}

async fn a_fanout_cut_short_is_finished_once(store: Store) {
    let ids = volunteers(&store, 1000, 260).await;
    let id = incident(&store, IncidentStatus::Confirmed).await;
    let woken = Arc::new(AtomicUsize::new(0));
    let seen = woken.clone();
    let written = store
        .plan_alert(
            id,
            (AlertPurpose::First, 0),
            Audience::Volunteers {
                ids: &ids,
                signal_on: false,
            },
            &texts("TOCSIN #1"),
            (0, i64::MAX / 2),
            &move || {
                seen.fetch_add(1, Ordering::SeqCst);
            },
        )
        .await
        .unwrap();
    assert_eq!(written, Some(260));
    assert_eq!(
        woken.load(Ordering::SeqCst),
        1,
        "woken once, after the first batch"
    );
    // As if the process had stopped after the first transaction: the rest is not written
    // and the alert is not complete.
    let first: Vec<i64> = deliveries_of(&store, id).await.iter().map(|d| d.0).collect();
    sqlx::query("DELETE FROM deliveries WHERE id > $1")
        .bind(first[99])
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE alerts SET complete = FALSE WHERE incident_id = $1")
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();

    let incomplete = store.incomplete_alerts(1).await.unwrap();
    assert_eq!(incomplete.len(), 1);
    let planned: Planned = incomplete[0];
    assert_eq!((planned.incident_id, planned.purpose), (id, AlertPurpose::First));
    let audience = Audience::Volunteers {
        ids: &ids,
        signal_on: false,
    };
    let rest = store
        .finish_alert(&planned, audience, &texts("TOCSIN #1"))
        .await
        .unwrap();
    assert_eq!(rest, 160, "what was missing, and nothing twice");
    assert!(store.incomplete_alerts(i64::MAX).await.unwrap().is_empty());
    let mut to: Vec<i64> = deliveries_of(&store, id).await.iter().map(|d| d.1).collect();
    to.sort_unstable();
    assert_eq!(to, ids, "every volunteer once");
    let audience = Audience::Volunteers {
        ids: &ids,
        signal_on: false,
    };
    assert_eq!(
        store
            .finish_alert(&planned, audience, &texts("TOCSIN #1"))
            .await
            .unwrap(),
        0
    );
}

/// The all-clear goes to everyone the first alert reached or may have reached (in flight,
/// sent), those coming first, once; not to whom it never left for (cancelled unsent).
async fn the_all_clear_goes_to_everyone_the_alert_may_have_reached(store: Store) {
    let ids = volunteers(&store, 600, 3).await;
    let id = incident(&store, IncidentStatus::Confirmed).await;
    assert_eq!(plan_first(&store, id, &ids).await, Some(3));
    let now = tocsin::store::now_ms();
    let claimed = store
        .claim_deliveries(&[Channel::Sms], 2, 60_000, now)
        .await
        .unwrap();
    let (in_flight, sent) = (claimed[0].volunteer_id, claimed[1].volunteer_id);
    let handed = Handed {
        id: claimed[1].id,
        channel: Channel::Sms,
        provider_id: Some("SMac".into()),
        took_ms: 4,
    };
    store.deliveries_submitted(&[handed], now).await.unwrap();
    let alert_id: i64 = sqlx::query_scalar("SELECT alert_id FROM deliveries WHERE id = $1")
        .bind(claimed[1].id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    let mut tx = store.write().await.unwrap();
    confirm(&mut tx, id, sent, alert_id, "coming", now).await.unwrap();
    tx.commit().await.unwrap();
    assert!(store
        .close_incident(id, IncidentStatus::AllClear, "over")
        .await
        .unwrap());
    assert_eq!(store.reached_by_first_alert(id).await.unwrap(), {
        let mut r = vec![in_flight, sent];
        r.sort_unstable();
        r
    });
    let to_end: Vec<i64> = store
        .incidents_to_all_clear()
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(to_end, vec![id]);

    let bodies = texts("ALL CLEAR");
    for expected in [Some(2), None] {
        let planned = store
            .plan_alert(
                id,
                (AlertPurpose::AllClear, 0),
                Audience::ReachedByFirstAlert,
                &bodies,
                (now, now + 60_000),
                &|| {},
            )
            .await
            .unwrap();
        assert_eq!(planned, expected, "written once");
    }
    assert!(store.incidents_to_all_clear().await.unwrap().is_empty());
    let order = sqlx::query(
        "SELECT d.volunteer_id, d.priority FROM deliveries d JOIN alerts a ON a.id = d.alert_id \
         WHERE a.incident_id = $1 AND a.purpose = 'all_clear' ORDER BY d.priority, d.id",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let order: Vec<i64> = order.iter().map(|r| r.get("volunteer_id")).collect();
    assert_eq!(order, vec![sent, in_flight], "those coming first");
}

/// A `Bodies` of one text (one language only) is a valid value, but `bodies::language_case`
/// then writes `CASE v.language ELSE $5 END`, which neither SQLite nor PostgreSQL accepts.
/// Dispatch always passes every language, so it does not show today.
async fn a_single_language_alert_is_planned(store: Store) {
    let ids = volunteers(&store, 500, 2).await;
    let id = incident(&store, IncidentStatus::Confirmed).await;
    let planned = store
        .plan_alert(
            id,
            (AlertPurpose::First, 0),
            Audience::Volunteers {
                ids: &ids,
                signal_on: false,
            },
            &Bodies::same(vec![("en", "TOCSIN #1".into())]),
            (0, i64::MAX / 2),
            &|| {},
        )
        .await;
    match planned {
        Ok(written) => assert_eq!(written, Some(2)),
        Err(e) => panic!("a one-language alert is refused: {e}"),
    }
}

on_both_backends!(
    a_single_language_alert_is_planned,
    planning_writes_the_alert_and_a_delivery_per_reachable_volunteer,
    only_a_confirmed_incident_gets_a_first_alert,
    a_failed_plan_leaves_nothing_half_written,
    concurrent_plans_write_one_alert,
    a_fanout_cut_short_is_finished_once,
    the_all_clear_goes_to_everyone_the_alert_may_have_reached,
);
