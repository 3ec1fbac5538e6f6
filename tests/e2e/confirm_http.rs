//! No accidental broadcast (issue 15 §2), without a browser: a dashboard action that texts
//! people answers its first POST with a confirmation page saying how many people and on which
//! channels, counted as the send will count them, and sends nothing; the confirmed POST
//! (`confirm=yes`, with the session's CSRF token) sends. Updates can be followed by a
//! labelled correction.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tocsin::domain::Role;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{eventually, spawn_signal_app, Backend, TestApp};
use crate::on_both_backends;

const ON_SMS: &str = "+13235550112";
const ON_SIGNAL: &str = "+13235550111";
const ON_BOTH: &str = "+13235550113";
const FAR: &str = "+13235550114";
const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;
const WAIT: Duration = Duration::from_secs(15);

async fn volunteer(app: &TestApp, name: &str, phone: &str, channel: &str, lat: f64) {
    let (status, body) = app
        .post(
            "/volunteers",
            json!({"name": name, "phone": phone, "language": "en", "channel": channel,
                   "area": {"type": "circle", "lat": lat, "lon": LON, "radius_m": 1000}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

/// Messages sent so far on both channels: (SMS, Signal).
fn sent(app: &TestApp) -> (usize, usize) {
    let signal = app.signal.as_ref().map(|s| s.sent().len()).unwrap_or(0);
    (app.twilio.messages().len(), signal)
}

async fn a_broadcast_is_sent_only_once_confirmed_with_its_count_per_channel(backend: Backend) {
    let app = spawn_signal_app(backend, |_| {}).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, "correct horse battery")
        .await
        .unwrap();
    volunteer(&app, "Sam", ON_SMS, "sms", LAT).await;
    volunteer(&app, "Sig", ON_SIGNAL, "signal", LAT).await;
    volunteer(&app, "Bo", ON_BOTH, "both", LAT).await;
    volunteer(&app, "Far", FAR, "sms", 34.3).await;
    let http = client();
    let resp = login(&app, &http, "maria", "correct horse battery").await;
    let (session, _) = set_cookie(&resp, "tocsin_session").expect("session");
    let (_, report) = app
        .post("/reports", json!({"text": "raid at 34.0617, -118.3005"}))
        .await;
    let id = report["incident_id"].as_i64().unwrap();
    let page = http
        .get(format!("{}/incidents/{id}", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "csrf");
    assert!(page.contains("data-confirm=\"verify\""), "the dialog is offered");
    let url = format!("{}/incidents/{id}/act", app.base);
    let post = |fields: Vec<(&'static str, String)>| {
        let (http, url, session) = (http.clone(), url.clone(), session.clone());
        async move {
            http.post(&url)
                .header("cookie", &session)
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };

    // The first POST asks: three people in the area, Bo on both channels.
    let ask = post(vec![("csrf", csrf.clone()), ("action", "verify".into())]).await;
    assert_eq!(ask.status(), StatusCode::OK);
    let html = ask.text().await.unwrap();
    assert!(html.contains("Text 3 people: 2 SMS, 2 Signal?"), "{html}");
    assert!(html.contains("name=\"confirm\" value=\"yes\""), "{html}");
    app.dispatch_now().await;
    app.send_now().await;
    assert_eq!(app.incident(id).await["status"], "unverified", "nothing decided");
    assert_eq!(sent(&app), (0, 0), "nothing sent before confirming");

    // The dialog's words come from the server, the same count.
    let words: Value = http
        .get(format!("{}/incidents/{id}/headcount?action=verify", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            words["people"].as_i64(),
            words["sms"].as_i64(),
            words["signal"].as_i64()
        ),
        (Some(3), Some(2), Some(2))
    );
    assert_eq!(words["question"], "Text 3 people: 2 SMS, 2 Signal?");

    // Confirming still needs the CSRF token.
    let forged = post(vec![
        ("csrf", "guess".into()),
        ("action", "verify".into()),
        ("confirm", "yes".into()),
    ])
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.incident(id).await["status"], "unverified");

    let done = post(vec![
        ("csrf", csrf.clone()),
        ("action", "verify".into()),
        ("confirm", "yes".into()),
    ])
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert!(
        eventually(WAIT, || async { sent(&app) == (2, 2) }).await,
        "sent: {:?}",
        sent(&app)
    );

    // An update asks with the same count (everyone reached), then goes once confirmed.
    let headcount = || async {
        http.get(format!("{}/incidents/{id}/headcount?action=update", app.base))
            .header("cookie", &session)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    assert!(eventually(WAIT, || async { headcount().await["people"] == 3 }).await);
    let text = "Regroup at the church";
    let ask = post(vec![
        ("csrf", csrf.clone()),
        ("action", "update".into()),
        ("text", text.into()),
    ])
    .await;
    let html = ask.text().await.unwrap();
    assert!(
        html.contains("Text 3 people: 2 SMS, 2 Signal?") && html.contains(text),
        "{html}"
    );
    app.send_now().await;
    assert_eq!(sent(&app), (2, 2), "no update before confirming");
    let done = post(vec![
        ("csrf", csrf.clone()),
        ("action", "update".into()),
        ("text", text.into()),
        ("confirm", "yes".into()),
    ])
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert!(
        eventually(WAIT, || async { sent(&app) == (4, 4) }).await,
        "sent: {:?}",
        sent(&app)
    );

    // A correction follows it, labelled; the update stays.
    let fix = "Not the church: the school on 4th";
    let ask = post(vec![
        ("csrf", csrf.clone()),
        ("action", "correction".into()),
        ("text", fix.into()),
    ])
    .await;
    assert!(ask.text().await.unwrap().contains("Correction: Not the church"));
    let done = post(vec![
        ("csrf", csrf.clone()),
        ("action", "correction".into()),
        ("text", fix.into()),
        ("confirm", "yes".into()),
    ])
    .await;
    assert_eq!(
        done.headers()["location"],
        format!("/incidents/{id}?done=correction")
    );
    assert!(eventually(WAIT, || async { sent(&app) == (6, 6) }).await);
    let last = app.twilio.messages_to(ON_SMS);
    assert!(
        last.iter()
            .any(|m| m.body.contains("update: Correction: Not the church")),
        "{:?}",
        last.last().map(|m| &m.body)
    );
    assert!(last.iter().any(|m| m.body.contains("Regroup at the church")));

    // All clear: asked, then sent to everyone reached.
    let ask = post(vec![("csrf", csrf.clone()), ("action", "resolve".into())]).await;
    let html = ask.text().await.unwrap();
    assert!(
        html.contains("Text 3 people: 2 SMS, 2 Signal?") && html.contains("Yes, all clear"),
        "{html}"
    );
    assert_eq!(app.incident(id).await["status"], "confirmed");
    let done = post(vec![
        ("csrf", csrf.clone()),
        ("action", "resolve".into()),
        ("confirm", "yes".into()),
    ])
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.incident(id).await["status"], "all_clear");
    assert!(
        eventually(WAIT, || async { sent(&app) == (8, 8) }).await,
        "sent: {:?}",
        sent(&app)
    );
    assert!(
        app.twilio.messages_to(FAR).is_empty(),
        "outside the area: never texted"
    );
    app.stop().await;
}

on_both_backends!(a_broadcast_is_sent_only_once_confirmed_with_its_count_per_channel);
