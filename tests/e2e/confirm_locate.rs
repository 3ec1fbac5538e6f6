//! No accidental broadcast when placing (issue 15 §2): placing a confirmed incident that was
//! not placed yet sends its first alert, and placing one known only roughly sends the exact
//! place to those coming; both ask first, with the count, on a page of their own (no
//! JavaScript) or in the dialog (its words from `/headcount?action=locate`). Placing an
//! undecided incident texts no volunteer's alert and asks nothing.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::dashboard_locate::{app, unplaced};
use crate::helpers::{eventually, Backend, TestApp};
use crate::on_both_backends;
use crate::webdriver::Browser;

const SAM: &str = "+13235550171";
const CORNER_WORDS: &str = "Vermont and 3rd";
const WAIT: Duration = Duration::from_secs(15);

struct Desk {
    http: reqwest::Client,
    session: String,
    csrf: String,
}

async fn desk(app: &TestApp, id: i64) -> Desk {
    let http = client();
    let resp = login(app, &http, "maria", "correct horse battery").await;
    let (session, _) = set_cookie(&resp, "tocsin_session").expect("session");
    let page = http
        .get(format!("{}/incidents/{id}", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-confirm=\"locate\""), "the dialog is offered");
    let csrf = hidden(&page, "csrf");
    Desk { http, session, csrf }
}

impl Desk {
    async fn locate(&self, app: &TestApp, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.http
            .post(format!("{}/incidents/{id}/locate", app.base))
            .header("cookie", &self.session)
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    async fn headcount(&self, app: &TestApp, id: i64, query: &str) -> (StatusCode, Value) {
        let resp = self
            .http
            .get(format!("{}/incidents/{id}/headcount?{query}", app.base))
            .header("cookie", &self.session)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

async fn placing_a_confirmed_incident_asks_before_its_first_alert(backend: Backend) {
    let app = app(backend).await;
    app.volunteer("Sam", SAM, "en", false, 34.069, -118.2915, 1500.0)
        .await;
    let id = unplaced(&app, 1).await;
    let (status, body) = app.post(&format!("/incidents/{id}/verify"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let desk = desk(&app, id).await;

    // The dialog's count, for the words as typed.
    let (status, words) = desk
        .headcount(&app, id, "action=locate&where=Vermont%20and%203rd")
        .await;
    assert_eq!(status, StatusCode::OK, "{words}");
    assert_eq!(words["question"], "Text 1 person: 1 SMS, 0 Signal?", "{words}");
    assert_eq!(words["title"], "Place it here and alert the area?");

    // Without JavaScript the first POST asks, placing nothing and sending nothing.
    let ask = desk.locate(&app, id, &[("where", CORNER_WORDS)]).await;
    assert_eq!(ask.status(), StatusCode::OK);
    let html = ask.text().await.unwrap();
    assert!(html.contains("Text 1 person: 1 SMS, 0 Signal?"), "{html}");
    assert!(html.contains("action=\"/incidents/"), "{html}");
    app.dispatch_now().await;
    app.send_now().await;
    assert!(
        app.incident(id).await["lat"].is_null(),
        "not placed before confirming"
    );
    assert!(
        app.twilio.messages_to(SAM).is_empty(),
        "nothing sent before confirming"
    );

    // Confirming posts the resolved point back.
    let (lat, lon) = (hidden(&html, "lat"), hidden(&html, "lon"));
    let (words_back, csrf) = (hidden(&html, "where"), hidden(&html, "csrf"));
    assert_eq!(csrf, desk.csrf);
    let done = desk
        .locate(
            &app,
            id,
            &[
                ("where", &words_back),
                ("lat", &lat),
                ("lon", &lon),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let view = app.incident(id).await;
    assert!((view["lat"].as_f64().unwrap() - 34.069).abs() < 0.001, "{view}");
    let alerted = eventually(WAIT, || async {
        app.dispatch_now().await;
        app.send_now().await;
        !app.twilio.messages_to(SAM).is_empty()
    })
    .await;
    assert!(alerted, "the first alert once placed");
    let sent = app.twilio.messages_to(SAM);
    assert_eq!(sent.len(), 1, "the first alert, once");
    assert!(sent[0].body.contains(&format!("#{id}")), "{}", sent[0].body);
}

async fn placing_an_undecided_incident_asks_nothing(backend: Backend) {
    let app = app(backend).await;
    app.volunteer("Sam", SAM, "en", false, 34.069, -118.2915, 1500.0)
        .await;
    let id = unplaced(&app, 2).await;
    let desk = desk(&app, id).await;
    let (status, _) = desk
        .headcount(&app, id, "action=locate&lat=34.069&lon=-118.2915")
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "texts nobody: the dialog is skipped"
    );
    let done = desk.locate(&app, id, &[("where", "34.069, -118.2915")]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER, "placed at once");
    assert!(!app.incident(id).await["lat"].is_null());
    // Ambiguous or unknown words are not counted; the page shows the choices or the reason.
    let (status, _) = desk
        .headcount(&app, id, "action=locate&where=zion%20market")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn placing_a_rough_alerted_incident_asks_before_the_exact_place(backend: Backend) {
    let app = app(backend).await;
    app.text("+13235550301", "ICE raid in Westlake right now").await;
    let (_, list) = app.get("/incidents").await;
    let id = list["incidents"][0]["id"].as_i64().expect("an incident");
    let view = app.incident(id).await;
    assert_eq!(view["approximate"], true, "{view}");
    let (lat, lon) = (view["lat"].as_f64().unwrap(), view["lon"].as_f64().unwrap());
    app.volunteer("Sam", SAM, "en", false, lat, lon, 1500.0).await;
    let (status, body) = app.post(&format!("/incidents/{id}/verify"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let alerted = eventually(WAIT, || async {
        app.dispatch_now().await;
        app.send_now().await;
        !app.twilio.messages_to(SAM).is_empty()
    })
    .await;
    assert!(alerted, "alerted by its zone");
    app.text(SAM, &format!("Y{id}")).await;
    let before = app.twilio.messages_to(SAM).len();

    let desk = desk(&app, id).await;
    // Merging an exactly placed incident into it would send the exact place too: asked.
    let (status, words) = desk.headcount(&app, id, "action=merge&other=999999").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no such incident: nothing counted {words}"
    );
    let (_, exact) = app
        .post(
            "/reports",
            json!({"text": format!("ICE at {:.5}, {:.5}", lat + 0.03, lon)}),
        )
        .await;
    let other = exact["incident_id"].as_i64().expect("another incident");
    assert_ne!(other, id);
    let (status, words) = desk
        .headcount(&app, id, &format!("action=merge&other={other}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{words}");
    assert_eq!(
        words["question"],
        "Text the exact place to 1 person: 1 SMS, 0 Signal?"
    );
    let here = format!("{lat:.5}, {lon:.5}");
    let ask = desk.locate(&app, id, &[("where", &here)]).await;
    assert_eq!(ask.status(), StatusCode::OK);
    let html = ask.text().await.unwrap();
    assert!(
        html.contains("Text the exact place to 1 person: 1 SMS, 0 Signal?"),
        "{html}"
    );
    assert_eq!(app.incident(id).await["approximate"], true, "still rough");

    let (plat, plon) = (hidden(&html, "lat"), hidden(&html, "lon"));
    let done = desk
        .locate(
            &app,
            id,
            &[
                ("where", &here),
                ("lat", &plat),
                ("lon", &plon),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.incident(id).await["approximate"], false);
    let told = eventually(WAIT, || async {
        app.send_now().await;
        app.twilio.messages_to(SAM).len() > before
    })
    .await;
    assert!(told, "the exact place sent once confirmed");
    let sent = app.twilio.messages_to(SAM);
    assert!(
        sent.last().unwrap().body.contains("maps.google.com"),
        "{}",
        sent.last().unwrap().body
    );
}

on_both_backends!(placing_a_confirmed_incident_asks_before_its_first_alert);
on_both_backends!(placing_an_undecided_incident_asks_nothing);
on_both_backends!(placing_a_rough_alerted_incident_asks_before_the_exact_place);

/// In the browser the same question comes as a dialog; cancelling it places nothing, saying
/// yes places it and alerts. At a phone's size and a laptop's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn placing_a_confirmed_incident_asks_in_a_dialog_in_the_browser() {
    let app = app(Backend::Sqlite).await;
    app.volunteer("Sam", SAM, "en", false, 34.069, -118.2915, 1500.0)
        .await;
    let browser = Browser::start().await;
    browser.log_in(&app.base, "maria", "correct horse battery").await;
    for (n, (width, height)) in [(390, 844), (1280, 900)].into_iter().enumerate() {
        browser.resize(width, height).await;
        let id = unplaced(&app, 20 + n as u32).await;
        let (status, body) = app.post(&format!("/incidents/{id}/verify"), json!({})).await;
        assert_eq!(status, 200, "{body}");
        browser.goto(&format!("{}/incidents/{id}", app.base)).await;
        browser.find("#map").await;
        browser.type_in("#where", "34.0690, -118.2915").await;
        browser.click("#place").await;
        browser
            .wait_text("#confirm-dialog-question", "the count", |t| {
                t == "Text 1 person: 1 SMS, 0 Signal?"
            })
            .await;
        let title = browser.text("#confirm-dialog-title").await;
        assert_eq!(title, "Place it here and alert the area?");
        if n == 0 {
            // Cancelled: nothing placed, nothing sent.
            browser
                .js("document.getElementById('confirm-dialog').close(''); return 0")
                .await;
            app.dispatch_now().await;
            assert!(
                app.incident(id).await["lat"].is_null(),
                "not placed when cancelled"
            );
            browser.click("#place").await;
            browser
                .wait_text("#confirm-dialog-question", "asked again", |t| {
                    t.starts_with("Text 1")
                })
                .await;
        }
        browser.click("#confirm-dialog-yes").await;
        browser
            .wait_text("#notice", "placed", |t| t.contains("Placed"))
            .await;
        assert!(app.incident(id).await["lat"].is_number(), "placed once confirmed");
    }
    let alerted = eventually(WAIT, || async {
        app.dispatch_now().await;
        app.send_now().await;
        app.twilio.messages_to(SAM).len() == 2
    })
    .await;
    assert!(alerted, "one first alert per incident placed");
    browser.quit().await;
    app.stop().await;
}
