//! Answers reach the right incident (issue 12): with two incidents open, an answer naming one
//! goes to it, a bare one is asked about and never guessed; natural words and commands count in
//! every language; what a volunteer sends that tocsin does not understand is kept for the
//! dispatcher as unclear and opens no incident.

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

pub(crate) const REPORTER: &str = "+13235550301";
const ANN: &str = "+13235550302";
const BETO: &str = "+13235550303";
const WAIT: Duration = Duration::from_secs(15);

pub(crate) async fn with_zones(backend: Backend) -> TestApp {
    let app = spawn_app(backend).await;
    let zones: Value =
        serde_json::from_str(include_str!("../../examples/zones-los-angeles.geojson")).unwrap();
    let (status, body) = app.post("/zones", zones).await;
    assert_eq!(status, 201, "{body}");
    app
}

/// A trusted reporter's sighting at a point; waits until `n` messages went out in all, and the
/// incident's alerts are delivered. Returns the incident's id.
pub(crate) async fn sighting(app: &TestApp, text: &str, n: usize, delivered: i64) -> i64 {
    let reply = app.text(REPORTER, text).await;
    assert_eq!(reply.status, 200);
    app.twilio.wait_for_messages(n, WAIT).await;
    let id = app.latest_incident_id().await;
    app.wait_incident(id, "delivered", |v| v["counts"]["delivered"] == delivered)
        .await;
    id
}

pub(crate) fn counts(view: &Value) -> (i64, i64, i64) {
    let c = &view["counts"];
    let n = |k: &str| c[k].as_i64().unwrap_or(-1);
    (n("coming"), n("cant"), n("on_scene"))
}

async fn incidents(app: &TestApp) -> usize {
    app.get("/incidents").await.1["incidents"]
        .as_array()
        .map_or(0, |a| a.len())
}

async fn with_two_incidents_open_answers_go_where_they_say_and_bare_ones_are_asked_about(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", REPORTER, "en", true, 34.2, -118.5, 1000.0)
        .await;
    // Ann covers Koreatown and Westlake.
    app.volunteer("Ann", ANN, "en", false, 34.06, -118.285, 5000.0)
        .await;
    app.volunteer("Beto", BETO, "es", false, 34.06, -118.285, 5000.0)
        .await;

    let kt = sighting(&app, "ICE raid at 34.0670, -118.3000", 2, 2).await;
    let alert = &app.twilio.messages_to(ANN)[0];
    assert!(alert.body.contains(&format!("Y{kt}=coming")), "{}", alert.body);
    assert!(app.twilio.messages_to(BETO)[0]
        .body
        .contains(&format!("SI{kt}=voy")));
    // One open incident: a bare answer answers it, in natural words too.
    let ack = app.text(ANN, "on my way").await;
    assert!(ack.body.contains(&format!("coming to #{kt}")), "{}", ack.body);
    let ack = app.text(BETO, "si voy").await;
    assert!(ack.body.contains(&format!("vas a #{kt}")), "{}", ack.body);

    let wl = sighting(&app, "Eviction now at 34.0560, -118.2750", 4, 2).await;
    assert_ne!(wl, kt);
    assert!(app.twilio.messages_to(ANN)[1]
        .body
        .contains(&format!("N{wl}=can't")));

    // A bare answer with two open: one question naming both, the newest first; nothing applied.
    let ask = app.text(ANN, "N").await;
    let (at_wl, at_kt) = (
        ask.body.find(&format!("#{wl} Westlake")),
        ask.body.find(&format!("#{kt} Koreatown")),
    );
    assert!(
        at_wl.is_some() && at_kt.is_some() && at_wl < at_kt,
        "{}",
        ask.body
    );
    assert_eq!(counts(&app.incident(wl).await), (0, 0, 0));
    assert_eq!(counts(&app.incident(kt).await), (2, 0, 0));
    // The next message naming one applies the held answer there.
    let ack = app.text(ANN, &wl.to_string()).await;
    assert!(ack.body.contains(&format!("#{wl}")), "{}", ack.body);
    assert_eq!(counts(&app.incident(wl).await), (0, 1, 0));
    // The held answer is used once: the number alone means nothing now.
    app.text(ANN, &wl.to_string()).await;
    assert_eq!(counts(&app.incident(wl).await), (0, 1, 0));

    // Coded answers in any form go to the incident they name.
    for (text, id, expected) in [
        (format!("HERE{kt}"), kt, (1, 0, 1)),
        (format!("{wl} y"), wl, (1, 0, 0)),
        (format!("#{wl} aquí"), wl, (0, 0, 1)),
        (format!("yes #{kt}"), kt, (2, 0, 0)),
    ] {
        let ack = app.text(ANN, &text).await;
        assert!(ack.body.contains(&format!("#{id}")), "{text}: {}", ack.body);
        assert_eq!(counts(&app.incident(id).await), expected, "{text}");
    }
    // Beto answers in Spanish, with the number before the word.
    let ack = app.text(BETO, &format!("#{wl} no puedo")).await;
    assert!(ack.body.contains("no puedes"), "{}", ack.body);
    assert_eq!(counts(&app.incident(wl).await), (0, 1, 1));
    let ask = app.text(BETO, "¡Ya voy!").await;
    assert!(ask.body.contains("Que alerta"), "{}", ask.body);

    // A number they were not alerted for is refused, naming what is open.
    let ack = app.text(ANN, "Y 99999").await;
    assert!(
        ack.body.contains("#99999") && ack.body.contains(&format!("#{kt}")),
        "{}",
        ack.body
    );
    assert_eq!(incidents(&app).await, 2, "no answer became an incident");
    app.stop().await;
}
on_both_backends!(with_two_incidents_open_answers_go_where_they_say_and_bare_ones_are_asked_about);

async fn an_unclear_message_is_kept_for_the_dispatcher_and_opens_no_incident(backend: Backend) {
    let app = with_zones(backend).await;
    let ann = app
        .volunteer("Ann", ANN, "en", false, 34.06, -118.285, 5000.0)
        .await;
    let reply = app.text(ANN, "what time is it?").await;
    assert!(reply.body.contains("Not understood"), "{}", reply.body);
    assert_eq!(incidents(&app).await, 0);
    let (_, body) = app.get("/reports").await;
    let latest = &body["reports"][0];
    assert_eq!(latest["flagged"], "unclear", "{latest}");
    assert_eq!(latest["volunteer_id"], json!(ann), "{latest}");
    assert!(latest["incident_id"].is_null(), "{latest}");
    // Korean, to a Korean volunteer: the same, in Korean.
    let reply = app.text(BETO, "도움말").await;
    assert!(
        reply.body.contains("JOIN") || reply.body.contains("가입"),
        "{}",
        reply.body
    );
    // A sighting word or a place is never unclear; a place opens an incident.
    for text in ["la migra aqui", "Koreatown now"] {
        let reply = app.text(ANN, text).await;
        assert!(!reply.body.contains("Not understood"), "{text}: {}", reply.body);
        let (_, body) = app.get("/reports").await;
        assert!(body["reports"][0]["flagged"].is_null(), "{text}: {body}");
    }
    app.text(ANN, "ICE at 34.0670, -118.3000").await;
    assert!(incidents(&app).await >= 1);
    app.stop().await;
}
on_both_backends!(an_unclear_message_is_kept_for_the_dispatcher_and_opens_no_incident);

async fn commands_in_every_language_and_with_one_typo(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Ann", ANN, "es", false, 34.06, -118.285, 5000.0)
        .await;
    let help = app.text(ANN, "AYUDA").await;
    assert!(help.body.contains("Voluntarios"), "{}", help.body);
    let help = app.text(ANN, "HEPL").await;
    assert!(help.body.contains("Voluntarios"), "{}", help.body);
    let area = app.text(ANN, "ZONA Westlake").await;
    assert!(area.body.contains("Westlake"), "{}", area.body);
    let area = app.text(ANN, "区域Koreatown").await;
    assert!(area.body.contains("Koreatown"), "{}", area.body);
    // A typo of STOP is kept by tocsin, and said so: never silently.
    let stop = app.text(ANN, "STPO").await;
    assert!(stop.body.contains("No recibiras"), "{}", stop.body);
    let (_, vols) = app.get("/volunteers").await;
    let ann = vols["volunteers"]
        .as_array()
        .and_then(|a| a.iter().find(|v| v["name"] == "Ann").cloned())
        .unwrap_or(Value::Null);
    assert_eq!(ann["opted_out"], true, "{ann}");
    assert_eq!(incidents(&app).await, 0, "no command became an incident");
    app.stop().await;
}
on_both_backends!(commands_in_every_language_and_with_one_typo);

/// Every natural answer the issue lists, and the (coming, can't, on scene) counts it leaves.
pub(crate) const NATURAL_ANSWERS: [(&str, (i64, i64, i64)); 21] = [
    ("coming", (1, 0, 0)),
    ("can't", (0, 1, 0)),
    ("on my way", (1, 0, 0)),
    ("no puedo", (0, 1, 0)),
    ("omw", (1, 0, 0)),
    ("못가요", (0, 1, 0)),
    ("voy", (1, 0, 0)),
    ("不行", (0, 1, 0)),
    ("si voy", (1, 0, 0)),
    ("here", (0, 0, 1)),
    ("ya voy", (1, 0, 0)),
    ("aquí", (0, 0, 1)),
    ("네", (1, 0, 0)),
    ("ya llegué", (0, 0, 1)),
    ("예", (1, 0, 0)),
    ("도착", (0, 0, 1)),
    ("갑니다", (1, 0, 0)),
    ("到了", (0, 0, 1)),
    ("是", (1, 0, 0)),
    ("好", (1, 0, 0)),
    ("来", (1, 0, 0)),
];

async fn every_listed_natural_answer_counts(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", REPORTER, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", ANN, "en", false, 34.06, -118.285, 5000.0)
        .await;
    let id = sighting(&app, "ICE raid at 34.0670, -118.3000", 1, 1).await;
    for (text, expected) in NATURAL_ANSWERS {
        let ack = app.text(ANN, text).await;
        assert!(ack.body.contains(&format!("#{id}")), "{text}: {}", ack.body);
        assert_eq!(counts(&app.incident(id).await), expected, "{text}");
    }
    assert_eq!(incidents(&app).await, 1, "no answer became an incident");
    app.stop().await;
}
on_both_backends!(every_listed_natural_answer_counts);

async fn a_verifier_answers_an_alert_by_its_number_while_a_check_waits(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", REPORTER, "en", true, 34.2, -118.5, 1000.0)
        .await;
    let (lat, lon) = (34.0560, -118.2750);
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": "Vera", "phone": ANN, "language": "en", "roles": ["verifier"],
                   "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": 300}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let alerted = sighting(&app, &format!("ICE raid at {lat}, {lon}"), 1, 1).await;
    // A stranger's report 1 km south: Vera is asked to check it.
    app.text("+13235550399", &format!("ICE raid at {}, {lon}", lat - 0.009))
        .await;
    app.twilio.wait_for_messages(2, WAIT).await;
    let checked = app.latest_incident_id().await;
    assert_ne!(checked, alerted);
    let check = &app.twilio.messages_to(ANN)[1];
    assert!(
        check.body.contains(&format!("CONFIRM {checked}")),
        "{}",
        check.body
    );

    // Y with the alert's number answers the alert, whatever came after it.
    let ack = app.text(ANN, &format!("Y{alerted}")).await;
    assert!(
        ack.body.contains(&format!("coming to #{alerted}")),
        "{}",
        ack.body
    );
    assert_eq!(counts(&app.incident(alerted).await), (1, 0, 0));
    // "yes" with the checked incident's number decides nothing: the two choices are repeated.
    let ack = app.text(ANN, &format!("yes {checked}")).await;
    assert!(ack.body.contains("CONFIRM"), "{}", ack.body);
    assert_eq!(app.incident(checked).await["status"], "verifying");
    let ack = app.text(ANN, &format!("CONFIRM {checked}")).await;
    assert!(
        ack.body.contains(&format!("#{checked} is confirmed")),
        "{}",
        ack.body
    );
    app.stop().await;
}
on_both_backends!(a_verifier_answers_an_alert_by_its_number_while_a_check_waits);

/// A volunteer's report with no place asks them where; their answer in their own words is that
/// answer (kept with the incident), never an unclear message.
async fn a_volunteer_asked_where_is_heard_not_called_unclear(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Ann", ANN, "en", false, 34.06, -118.285, 5000.0)
        .await;
    let reply = app.text(ANN, "ICE agents outside the school").await;
    assert!(reply.body.contains("Where is it?"), "{}", reply.body);
    let incident = app.latest_incident_id().await;
    let reply = app.text(ANN, "the blue one by the laundromat").await;
    assert!(!reply.body.contains("Not understood"), "{}", reply.body);
    assert!(reply.body.contains("added to your report"), "{}", reply.body);
    let (_, body) = app.get("/reports").await;
    let latest = &body["reports"][0];
    assert!(latest["flagged"].is_null(), "{latest}");
    assert_eq!(latest["incident_id"], json!(incident), "{latest}");
    assert_eq!(incidents(&app).await, 1, "no second incident");
    app.stop().await;
}
on_both_backends!(a_volunteer_asked_where_is_heard_not_called_unclear);

/// A sighting placed only by its zone is alerted as what it is: the zone, no map link that looks
/// exact, no promise of the place to those who say Y, and no empty one in their reply.
async fn a_zone_only_sighting_promises_no_place_it_does_not_have(backend: Backend) {
    let app = with_zones(backend).await;
    app.volunteer("Rosa", REPORTER, "en", true, 34.2, -118.5, 1000.0)
        .await;
    app.volunteer("Ann", ANN, "en", false, 34.06, -118.285, 5000.0)
        .await;
    let id = sighting(&app, "ICE raid in Koreatown now", 1, 1).await;
    assert_eq!(app.incident(id).await["located_by"], "zone");
    let alert = &app.twilio.messages_to(ANN)[0];
    assert!(alert.body.contains("Koreatown"), "{}", alert.body);
    for not in ["get the place", "get place", "maps.google"] {
        assert!(!alert.body.contains(not), "{not}: {}", alert.body);
    }
    let ack = app.text(ANN, &format!("Y{id}")).await;
    assert!(ack.body.contains(&format!("coming to #{id}")), "{}", ack.body);
    assert!(!ack.body.contains("maps.google"), "{}", ack.body);
    app.stop().await;
}
on_both_backends!(a_zone_only_sighting_promises_no_place_it_does_not_have);
