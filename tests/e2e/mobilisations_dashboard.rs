//! The dashboard's `/mobilisations`: planning by the form (the API's checks, the field named
//! and the form kept when refused), text escaped, cancelling, CSRF; and in Chromium at a
//! phone's size and a laptop's: the form planned with a typed corner, the page fitting.

use reqwest::StatusCode;
use tocsin::domain::Role;

use crate::browser_sizes::{city, log_in, SIZES};
use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{spawn_app, Backend};
use crate::screenshots::fits;
use crate::webdriver::Browser;

fn next_week() -> String {
    at_hour(7)
}

fn at_hour(hour: usize) -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 7);
    format!("{}T{hour:02}:30", at.strftime("%Y-%m-%d"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_plans_and_cancels_by_the_form() {
    let app = spawn_app(Backend::Sqlite).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, "correct horse battery")
        .await
        .unwrap();
    let http = client();
    let resp = login(&app, &http, "maria", "correct horse battery").await;
    let (session, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");
    let page = || async {
        let resp = http
            .get(format!("{}/mobilisations", app.base))
            .header("cookie", &session)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.text().await.unwrap()
    };
    let empty = page().await;
    assert!(empty.contains("Nothing planned"), "{empty}");
    let csrf = hidden(&empty, "csrf");
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
    let plan = |place: &str, text: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("action", "plan".into()),
            ("kind", "lockout".into()),
            ("starts_at", next_week()),
            ("place", place.to_string()),
            ("text", text.to_string()),
            ("wanted", "12".into()),
            ("audience", "radius".into()),
            ("radius_m", "1500".into()),
        ]
    };
    // Refused: the field is named, the form kept.
    let refused = post(plan("nowhere at all", "<b>Lockout</b> at 7:30")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Not done — place:"), "{html}");
    assert!(
        html.contains("value=\"nowhere at all\""),
        "the form is kept: {html}"
    );
    assert!(!html.contains("<b>Lockout"), "escaped: {html}");

    let done = post(plan("34.0617, -118.3005", "<b>Lockout</b> at 7:30")).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let html = page().await;
    assert!(html.contains("&#60;b&#62;Lockout&#60;/b&#62; at 7:30"), "{html}");
    assert!(!html.contains("<b>Lockout"), "escaped: {html}");
    let (_, list) = app.get("/mobilisations").await;
    let id = list["mobilisations"][0]["id"].as_i64().unwrap();
    assert_eq!(list["mobilisations"][0]["created_by"], "dispatcher maria");

    let forged = post(vec![
        ("csrf", "guess".into()),
        ("action", "cancel".into()),
        ("id", id.to_string()),
    ])
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "CSRF is checked");
    let done = post(vec![
        ("csrf", csrf.clone()),
        ("action", "cancel".into()),
        ("id", id.to_string()),
    ])
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let (_, m) = app.get(&format!("/mobilisations/{id}")).await;
    assert_eq!(m["status"], "cancelled");
    let again = post(vec![
        ("csrf", csrf),
        ("action", "cancel".into()),
        ("id", id.to_string()),
    ])
    .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_plans_at_a_typed_corner_at_both_sizes() {
    let app = city().await;
    let browser = Browser::start().await;
    log_in(&browser, &app, "maria").await;
    for (n, (size, width, height)) in SIZES.iter().enumerate() {
        browser.resize(*width, *height).await;
        browser.goto(&format!("{}/mobilisations", app.base)).await;
        browser.find("#plan").await;
        let starts = at_hour(7 + n);
        browser
            .js(&format!(
                "document.getElementById('starts_at').value = '{starts}'; return 0;"
            ))
            .await;
        browser.type_in("#place", "Vermont and 3rd").await;
        browser
            .type_in("#text", &format!("Hearing {size}: wear a shirt"))
            .await;
        browser.click("#plan-submit").await;
        let notice = browser
            .wait_text("#notice", "the notice", |t| !t.is_empty())
            .await;
        assert_eq!(notice, "Planned.", "at {size}");
        let rows = browser
            .js("return document.querySelectorAll('table.mobilisations tbody tr').length;")
            .await;
        assert_eq!(rows.as_u64(), Some(n as u64 + 1), "at {size}");
        fits(&browser, &format!("mobilisations at {width}x{height}")).await;
    }
    browser.quit().await;
    app.stop().await;
}
