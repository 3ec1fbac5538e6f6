//! Issue 15: what the system knows about a volunteer's pause, said the same way everywhere.
//! The API tells who paused them (the volunteer by text, or a dispatcher) and until when on
//! the network's clock; a volunteer paused by a dispatcher is told so by STATUS, and RESUME
//! by text does not pretend to lift it.

use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::Value;
use tocsin::domain::Role;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

const PASSWORD: &str = "correct horse battery";
const ANN: &str = "+13235550102";
const BOB: &str = "+13235550103";
const CRUZ: &str = "+13235550104";
const DEE: &str = "+13235550105";
const ZONE: &str = "America/Los_Angeles";
const NETWORK: &str = "Eastside Rapid Response";

async fn app(backend: Backend) -> TestApp {
    let app = spawn_app_with(backend, |s| {
        s.network.timezone = ZONE.into();
        s.network.name = NETWORK.into();
    })
    .await;
    let zones: Value =
        serde_json::from_str(include_str!("../../examples/zones-los-angeles.geojson")).expect("zones");
    let (status, body) = app.post("/zones", zones).await;
    assert_eq!(status, 201, "{body}");
    app
}

/// A dashboard session of dispatcher maria: (client, cookie).
async fn maria(app: &TestApp) -> (reqwest::Client, String) {
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account added");
    let http = client();
    let resp = login(app, &http, "maria", PASSWORD).await;
    let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");
    (http, cookie)
}

/// The volunteer page's Pause or Resume button, pressed.
async fn press(app: &TestApp, (http, cookie): &(reqwest::Client, String), id: i64, action: &str) {
    let url = format!("{}/volunteers/{id}", app.base);
    let resp = http
        .get(&url)
        .header("cookie", cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), StatusCode::OK);
    let csrf = hidden(&resp.text().await.expect("html"), "csrf");
    let resp = http
        .post(&url)
        .header("cookie", cookie)
        .form(&[("csrf", csrf.as_str()), ("action", action)])
        .send()
        .await
        .expect("pressed");
    assert!(resp.status().is_redirection(), "{action}: {}", resp.status());
}

async fn one(app: &TestApp, id: i64) -> Value {
    let (status, body) = app.get(&format!("/volunteers/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn pause(v: &Value) -> (&Value, &Value, &Value) {
    (&v["paused"], &v["paused_until"], &v["paused_by"])
}

async fn the_api_says_who_paused_a_volunteer_and_until_when(backend: Backend) {
    let app = app(backend).await;
    let ann = app
        .volunteer("Ann", ANN, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    let bob = app
        .volunteer("Bob", BOB, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    let cruz = app
        .volunteer("Cruz", CRUZ, "es", false, 34.0617, -118.3005, 1500.0)
        .await;
    let dee = app
        .volunteer("Dee", DEE, "en", false, 34.0617, -118.3005, 1500.0)
        .await;

    let before = tocsin::store::now_ms();
    app.text(ANN, "PAUSE 2h").await;
    let after = tocsin::store::now_ms();
    app.text(BOB, "PAUSE").await;
    press(&app, &maria(&app).await, cruz, "pause").await;

    let (status, list) = app.get("/volunteers").await;
    assert_eq!(status, 200, "{list}");
    let by_id = |id: i64| {
        list["volunteers"]
            .as_array()
            .and_then(|l| l.iter().find(|v| v["id"] == id))
            .cloned()
            .expect("listed")
    };

    // Ann: by text, for two hours, in RFC 3339 with the network's offset (not UTC's).
    let a = by_id(ann);
    assert_eq!(
        (&a["paused"], &a["paused_by"]),
        (&Value::Bool(true), &"volunteer".into()),
        "{a}"
    );
    let until = a["paused_until"].as_str().expect("a time");
    let at: Timestamp = until.parse().expect("RFC 3339");
    // Whole seconds: the API drops the milliseconds.
    let (ms, two_hours) = (at.as_millisecond(), 2 * 3_600_000);
    assert!(
        ms > before + two_hours - 1000 && ms <= after + two_hours,
        "{until} is two hours after the PAUSE"
    );
    let offset = at.to_zoned(jiff::tz::TimeZone::get(ZONE).expect("zone")).offset();
    let offset = format!("{:+03}:00", offset.seconds() / 3600);
    assert!(
        until.ends_with(&offset),
        "{until} carries {ZONE}'s offset {offset}"
    );
    assert_eq!(
        one(&app, ann).await["paused_until"],
        until,
        "one volunteer reads the same"
    );

    // Bob: by text until RESUME: no time. Cruz: by the dispatcher, until resumed there.
    let b = by_id(bob);
    assert_eq!(
        pause(&b),
        (&true.into(), &Value::Null, &"volunteer".into()),
        "{b}"
    );
    let c = by_id(cruz);
    assert_eq!(
        pause(&c),
        (&true.into(), &Value::Null, &"dispatcher".into()),
        "{c}"
    );
    assert_eq!(pause(&one(&app, cruz).await), pause(&c));
    let d = by_id(dee);
    assert_eq!(pause(&d), (&false.into(), &Value::Null, &Value::Null), "{d}");

    app.text(ANN, "RESUME").await;
    let a = one(&app, ann).await;
    assert_eq!(pause(&a), (&false.into(), &Value::Null, &Value::Null), "{a}");
    app.stop().await;
}
on_both_backends!(the_api_says_who_paused_a_volunteer_and_until_when);

/// Paused by a dispatcher, a volunteer who texts STATUS is told who paused them and whom to
/// ask, not to send RESUME; RESUME gets a plain "a coordinator paused you", not a false
/// "resumed", and changes nothing of the dispatcher's pause (their own pause by text goes).
async fn a_dispatchers_pause_is_told_and_not_lifted_by_text(backend: Backend) {
    let app = app(backend).await;
    let ann = app
        .volunteer("Ann", ANN, "en", false, 34.0617, -118.3005, 1500.0)
        .await;
    let cruz = app
        .volunteer("Cruz", CRUZ, "es", false, 34.0617, -118.3005, 1500.0)
        .await;
    app.text(ANN, "PAUSE 2h").await;
    let maria = maria(&app).await;
    press(&app, &maria, ann, "pause").await;
    press(&app, &maria, cruz, "pause").await;

    let status = app.text(ANN, "STATUS").await.body;
    assert!(
        status.contains("Paused by a coordinator") && status.contains(NETWORK),
        "{status}"
    );
    assert!(!status.contains("RESUME"), "RESUME would not help: {status}");
    let resume = app.text(ANN, "RESUME").await.body;
    assert!(
        resume.contains("A coordinator paused") && resume.contains(NETWORK),
        "{resume}"
    );
    assert!(!resume.contains("resumed"), "not a false resumed: {resume}");
    let a = one(&app, ann).await;
    assert_eq!(
        pause(&a),
        (&true.into(), &Value::Null, &"dispatcher".into()),
        "{a}"
    );
    let row = app.core().store.volunteer(ann).await.expect("read").expect("Ann");
    assert_eq!(row.paused_until, None, "her own pause by text is lifted");
    // PAUSE on top of a dispatcher's pause is kept, without offering a RESUME that cannot help.
    let paused = app.text(ANN, "PAUSE 2h").await.body;
    assert!(
        paused.contains("Alerts paused until")
            && paused.contains("A coordinator paused them too")
            && paused.contains(NETWORK),
        "{paused}"
    );
    assert!(!paused.contains("Send RESUME"), "{paused}");
    app.text(ANN, "RESUME").await;

    let status = app.text(CRUZ, "ESTADO").await.body;
    assert!(
        status.contains("coordinador") && status.contains(NETWORK) && !status.contains("RESUME"),
        "{status}"
    );
    let resume = app.text(CRUZ, "REANUDAR").await.body;
    assert!(
        resume.contains("Un coordinador") && !resume.contains("reanudadas"),
        "{resume}"
    );
    assert_eq!(one(&app, cruz).await["paused_by"], "dispatcher");

    // Resumed by the dispatcher: alerted again, and told so.
    press(&app, &maria, ann, "resume").await;
    let a = one(&app, ann).await;
    assert_eq!(pause(&a), (&false.into(), &Value::Null, &Value::Null), "{a}");
    let status = app.text(ANN, "STATUS").await.body;
    assert!(status.contains("Receiving alerts"), "{status}");
    let resume = app.text(ANN, "RESUME").await.body;
    assert!(resume.contains("Alerts resumed"), "{resume}");
    app.stop().await;
}
on_both_backends!(a_dispatchers_pause_is_told_and_not_lifted_by_text);
