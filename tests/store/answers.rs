//! Volunteers' answers: an answer is credited only to an alert that reached the volunteer (or
//! may have) of an incident still open, the latest answer counts, and only vetted volunteers
//! count as responders.

use tocsin::domain::{AlertPurpose, Channel, IncidentStatus, Standing};
use tocsin::store::alerts::confirm;
use tocsin::store::outbox::Handed;
use tocsin::store::volunteers::NewVolunteer;
use tocsin::store::Store;

use crate::on_both_backends;
use crate::support::{deliveries_of, incident, plan_first, queued, volunteer};

async fn only_an_alert_that_reached_a_volunteer_may_be_answered(store: Store) {
    let (incident, deliveries) = queued(&store, 1).await;
    let volunteer = deliveries_of(&store, incident).await[0].1;
    assert!(
        store.open_alerts(volunteer).await.unwrap().is_empty(),
        "still in our outbox"
    );
    assert_eq!(store.latest_open_alert(volunteer).await.unwrap(), None);

    let claimed = store
        .claim_deliveries(&[Channel::Sms], 1, 60_000, 1_000)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let (on, alert, purpose) = store
        .latest_open_alert(volunteer)
        .await
        .unwrap()
        .expect("in flight: it may have reached them");
    assert_eq!((on, purpose), (incident, AlertPurpose::First));
    let handed = Handed {
        id: deliveries[0],
        channel: Channel::Sms,
        provider_id: Some("SMa1".into()),
        took_ms: 3,
    };
    store.deliveries_submitted(&[handed], 1_100).await.unwrap();
    let open = store.open_alerts(volunteer).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].incident_id, open[0].alert_id), (incident, alert));

    assert!(store
        .close_incident(incident, IncidentStatus::AllClear, "over")
        .await
        .unwrap());
    assert!(store.open_alerts(volunteer).await.unwrap().is_empty(), "closed");
    assert_eq!(store.latest_open_alert(volunteer).await.unwrap(), None);
}

async fn the_latest_answer_counts_and_only_vetted_volunteers_respond(store: Store) {
    let approved = volunteer(&store, "+13235550401").await;
    let unvetted = store
        .insert_volunteer(NewVolunteer {
            name: "New",
            phone: "+13235550402",
            language: "en",
            trusted: false,
            area: "{}".into(),
            channel: "sms",
            signal: None,
            roles: String::new(),
            standing: Standing::Unvetted,
        })
        .await
        .unwrap();
    let id = incident(&store, IncidentStatus::Confirmed).await;
    assert_eq!(plan_first(&store, id, &[approved, unvetted]).await, Some(2));
    let alert = deliveries_of(&store, id).await;
    let alert_id: i64 = sqlx::query_scalar("SELECT alert_id FROM deliveries WHERE id = $1")
        .bind(alert[0].0)
        .fetch_one(store.pool())
        .await
        .unwrap();

    let answer = |volunteer: i64, answer: &'static str, at: i64| {
        let store = store.clone();
        async move {
            let mut tx = store.write().await.unwrap();
            confirm(&mut tx, id, volunteer, alert_id, answer, at)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
    };
    answer(approved, "coming", 1_000).await;
    answer(unvetted, "coming", 1_000).await;
    let counts = store.incident_counts(id).await.unwrap();
    assert_eq!((counts.targeted, counts.queued), (2, 2));
    assert_eq!((counts.coming, counts.unvetted_coming), (1, 1));

    answer(approved, "cant", 2_000).await;
    answer(unvetted, "on_scene", 2_000).await;
    let counts = store.incident_counts(id).await.unwrap();
    assert_eq!((counts.coming, counts.cant, counts.on_scene), (0, 1, 0));
    assert_eq!((counts.unvetted_coming, counts.unvetted_on_scene), (0, 1));

    // An answer that is not one is refused by the database, and the last one stands.
    let mut tx = store.write().await.unwrap();
    assert!(confirm(&mut tx, id, approved, alert_id, "bogus", 3_000)
        .await
        .is_err());
    drop(tx);
    assert_eq!(store.incident_counts(id).await.unwrap().cant, 1);
}

on_both_backends!(
    only_an_alert_that_reached_a_volunteer_may_be_answered,
    the_latest_answer_counts_and_only_vetted_volunteers_respond,
);
