//! The dashboard's change of a planned mobilisation (`/mobilisations/{id}/change`, posted as
//! `action=change`): prefilled with what is stored; a wrong field named and the form kept; only
//! what differs sent, so a new text does not text everyone "CHANGED" and a new time does; CSRF;
//! a cancelled one refused; and in Chromium at both sizes, a new place typed as a corner.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tocsin::domain::Role;

use crate::browser_sizes::{city, log_in, PASTED, SIZES};
use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{eventually, spawn_app, Backend};
use crate::screenshots::fits;
use crate::webdriver::Browser;

const INVITED: &str = "+13235550951";

fn at_hour(hour: usize) -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 7);
    format!("{}T{hour:02}:30", at.strftime("%Y-%m-%d"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_changes_the_time_and_those_invited_are_told() {
    let app = spawn_app(Backend::Sqlite).await;
    app.volunteer("In", INVITED, "en", false, 34.0617, -118.3005, 300.0)
        .await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, "correct horse battery")
        .await
        .unwrap();
    let http = client();
    let resp = login(&app, &http, "maria", "correct horse battery").await;
    let (session, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");
    let get = |path: String| {
        let (http, session, base) = (&http, &session, &app.base);
        async move {
            let resp = http
                .get(format!("{base}{path}"))
                .header("cookie", session)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            resp.text().await.unwrap()
        }
    };
    let csrf = hidden(&get("/mobilisations".into()).await, "csrf");
    let post = |fields: Vec<(&'static str, String)>| {
        let (http, session, base) = (&http, &session, &app.base);
        async move {
            http.post(format!("{base}/mobilisations"))
                .header("cookie", session)
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };
    let place = "34.0617, -118.3005";
    let text = "<b>Lockout</b> at 7:30";
    let planned = post(vec![
        ("csrf", csrf.clone()),
        ("action", "plan".into()),
        ("kind", "lockout".into()),
        ("starts_at", at_hour(7)),
        ("place", place.into()),
        ("text", text.into()),
        ("wanted", "12".into()),
        ("audience", "radius".into()),
        ("radius_m", "1500".into()),
    ])
    .await;
    assert_eq!(planned.status(), StatusCode::SEE_OTHER);
    let (_, list) = app.get("/mobilisations").await;
    let (id, code) = (
        list["mobilisations"][0]["id"].as_i64().unwrap(),
        list["mobilisations"][0]["code"].as_i64().unwrap(),
    );
    let texts = || app.twilio.messages_to(INVITED);
    let invited = eventually(Duration::from_secs(15), || async {
        texts().iter().any(|s| s.body.contains(&format!("YES{code}")))
    })
    .await;
    assert!(invited, "{:?}", texts());

    // The form holds what is stored: the time on the network's clock, the place as typed.
    let html = get("/mobilisations".into()).await;
    assert!(
        html.contains(&format!("href=\"/mobilisations/{id}/change\"")),
        "{html}"
    );
    let form = get(format!("/mobilisations/{id}/change")).await;
    assert!(form.contains(&format!("value=\"{}\"", at_hour(7))), "{form}");
    assert!(form.contains(&format!("value=\"{place}\"")), "{form}");
    assert!(
        form.contains("&#60;b&#62;Lockout&#60;/b&#62; at 7:30</textarea>"),
        "{form}"
    );
    assert!(!form.contains("<b>Lockout"), "escaped: {form}");
    assert!(form.contains("value=\"12\""), "{form}");

    let change = |csrf: &str, starts_at: String, text: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("action", "change".into()),
            ("id", id.to_string()),
            ("starts_at", starts_at),
            ("place", place.to_string()),
            ("text", text.to_string()),
            ("wanted", "12".into()),
        ]
    };
    // A time in the past: named, the typed values kept.
    let past = post(change(&csrf, "2020-01-02T07:30".into(), "Lockout moved")).await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = past.text().await.unwrap();
    assert!(html.contains("Not done — starts_at: is in the past"), "{html}");
    assert!(html.contains("value=\"2020-01-02T07:30\""), "kept: {html}");
    assert!(html.contains(">Lockout moved</textarea>"), "kept: {html}");

    let forged = post(change("guess", at_hour(9), text)).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "CSRF is checked");

    let same = post(change(&csrf, at_hour(7), text)).await;
    assert_eq!(same.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(same.text().await.unwrap().contains("Nothing to change"));

    // A new text only: changed, nobody texted.
    let worded = post(change(&csrf, at_hour(7), "Lockout at 7:30. Bring water.")).await;
    assert_eq!(worded.status(), StatusCode::SEE_OTHER);
    assert_eq!(worded.headers()["location"], "/mobilisations?done=changed");
    let (_, m) = app.get(&format!("/mobilisations/{id}")).await;
    assert_eq!(m["text"], "Lockout at 7:30. Bring water.");

    // A new time: changed, and everyone invited is told (once: the new text sent nothing).
    let moved = post(change(&csrf, at_hour(9), "Lockout at 7:30. Bring water.")).await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    assert_eq!(moved.headers()["location"], "/mobilisations?done=moved");
    let (_, m) = app.get(&format!("/mobilisations/{id}")).await;
    let starts = m["starts_at"].as_str().unwrap_or("");
    assert!(starts.starts_with(&format!("{}:00", at_hour(9))), "{m}");
    let told = eventually(Duration::from_secs(15), || async {
        texts().iter().any(|s| s.body.contains("CHANGED"))
    })
    .await;
    assert!(told, "{:?}", texts());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let changed = texts().iter().filter(|s| s.body.contains("CHANGED")).count();
    assert_eq!(changed, 1, "a new text alone is not sent: {:?}", texts());
    let html = get("/mobilisations?done=moved".into()).await;
    assert!(html.contains("Changed: everyone invited is told the new time or place."));

    // Cancelled: refused, named, the form not offered.
    let cancelled = post(vec![
        ("csrf", csrf.clone()),
        ("action", "cancel".into()),
        ("id", id.to_string()),
    ])
    .await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    let late = post(change(&csrf, at_hour(10), "Lockout")).await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = late.text().await.unwrap();
    assert!(
        html.contains(&format!("Not done — mobilisation {id} is not planned any more")),
        "{html}"
    );
    let form = get(format!("/mobilisations/{id}/change")).await;
    assert!(!form.contains("id=\"change-submit\""), "{form}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_place_changes_to_a_typed_corner_at_both_sizes() {
    let app = city().await;
    let browser = Browser::start().await;
    log_in(&browser, &app, "maria").await;
    for (n, (size, width, height)) in SIZES.iter().enumerate() {
        let plan = json!({"kind": "hearing", "starts_at": at_hour(8 + n),
            "place": format!("{}, {}", PASTED.0, PASTED.1),
            "text": format!("Hearing {size}: wear a shirt"), "wanted": 8, "audience": {"radius_m": 1500}});
        let (status, m) = app.post("/mobilisations", plan).await;
        assert_eq!(status, 201, "{m}");
        let id = m["id"].as_i64().unwrap();
        browser.resize(*width, *height).await;
        browser.goto(&format!("{}/mobilisations", app.base)).await;
        browser.click(&format!("#change-{id}")).await;
        browser.find("#change").await;
        browser.type_in("#place", "Vermont and 3rd").await;
        fits(&browser, &format!("the change form at {width}x{height}")).await;
        browser
            .screenshot_at(&format!("mobilisation-change-{size}"), *width, *height)
            .await;
        browser.click("#change-submit").await;
        let notice = browser
            .wait_text("#notice", "the notice", |t| !t.is_empty())
            .await;
        assert_eq!(
            notice, "Changed: everyone invited is told the new time or place.",
            "at {size}"
        );
        fits(&browser, &format!("mobilisations at {width}x{height}")).await;
        browser
            .screenshot_at(&format!("mobilisation-changed-{size}"), *width, *height)
            .await;
        let (_, m) = app.get(&format!("/mobilisations/{id}")).await;
        assert_eq!(m["place"]["typed"], "Vermont and 3rd", "at {size}");
    }
    browser.quit().await;
    app.stop().await;
}
