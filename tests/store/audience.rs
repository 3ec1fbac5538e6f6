//! Counting before sending (`Store::reach_of_volunteers`, `Store::reach_of_first_alert`): how
//! many people, on which channels, and how many read each language, counted the way the send
//! will plan it (a language without a catalogue reads English, as the alert's text does).

use tocsin::domain::{Channel, IncidentStatus, Language, Standing};
use tocsin::store::alerts::Audience;
use tocsin::store::volunteers::NewVolunteer;
use tocsin::store::Store;

use crate::on_both_backends;
use crate::support::{incident, texts};

async fn reader(store: &Store, phone: &str, language: &str, channel: &str) -> i64 {
    store
        .insert_volunteer(NewVolunteer {
            name: "Reader",
            phone,
            language,
            trusted: false,
            area: r#"{"type":"circle","lat":34.062,"lon":-118.3,"radius_m":1500}"#.into(),
            channel,
            signal: None,
            roles: String::new(),
            standing: Standing::Approved,
        })
        .await
        .expect("volunteer added")
}

async fn the_headcount_says_how_many_read_each_language(store: Store) {
    let ids = vec![
        reader(&store, "+13235558001", "en", "sms").await,
        reader(&store, "+13235558002", "es", "sms").await,
        reader(&store, "+13235558003", "es", "both").await,
        reader(&store, "+13235558004", "ko", "signal").await,
        reader(&store, "+13235558005", "fr", "sms").await,
    ];
    let paused = reader(&store, "+13235558006", "zh", "sms").await;
    assert!(store.set_paused(paused, true).await.unwrap());
    let mut all = ids.clone();
    all.push(paused);
    let now = tocsin::store::now_ms();
    let h = store.reach_of_volunteers(&all, true, now).await.unwrap();
    assert_eq!((h.people, h.sms, h.signal), (5, 4, 2), "{h:?}");
    assert_eq!(
        h.languages,
        vec![(Language::EN, 2), (Language::ES, 2), (Language::KO, 1)],
        "French reads English; the paused Chinese reader is not counted"
    );
    assert_eq!((h.reading(Language::ES), h.reading(Language::ZH)), (2, 0));

    // An update goes to those the first alert reached: the same languages.
    let id = incident(&store, IncidentStatus::Confirmed).await;
    let planned = store
        .plan_alert(
            id,
            (tocsin::domain::AlertPurpose::First, 0),
            Audience::Volunteers {
                ids: &all,
                signal_on: true,
            },
            &texts("TOCSIN #1"),
            (now, now + 3_600_000),
            &|| {},
        )
        .await
        .unwrap();
    assert_eq!(planned, Some(6), "5 people, one of them on both channels");
    assert_eq!(
        store.reach_of_first_alert(id).await.unwrap().people,
        0,
        "nothing in flight yet: nobody reached"
    );
    // Claimed: in flight, so they may have been reached.
    let claimed = store
        .claim_deliveries(&[Channel::Sms, Channel::Signal], 10, 60_000, now)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 6);
    let h = store.reach_of_first_alert(id).await.unwrap();
    assert_eq!((h.people, h.sms, h.signal), (5, 4, 2), "{h:?}");
    assert_eq!(
        h.languages,
        vec![(Language::EN, 2), (Language::ES, 2), (Language::KO, 1)]
    );
}

on_both_backends!(the_headcount_says_how_many_read_each_language);
