//! The dispatcher dashboard in a real browser (headless Chromium) against the real server: a
//! dispatcher logs in, sees reports arrive live, places one, verifies it, watches the
//! confirmation come in, sends an update and the all-clear; hostile report text stays text.
//! Plus the HTTP-level rules (sessions, CSRF, roles, headers) without a browser.

use std::time::Duration;

use tocsin::domain::Role;

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::webdriver::Browser;

const PASSWORD: &str = "correct horse battery";
const ANN: &str = "+13235550102";
const STRANGER: &str = "+13235550199";
const ATTACKER: &str = "+13235550166";
const XSS: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";
const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;

/// The app with map tiles pointed at a closed port: maps must work without tiles.
async fn app() -> TestApp {
    spawn_app_with(Backend::Sqlite, |s| {
        s.dashboard.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into();
    })
    .await
}

async fn account(app: &TestApp, name: &str, role: Role) {
    tocsin::accounts::add_user(app.core(), name, role, PASSWORD)
        .await
        .expect("account added");
}

async fn log_in(browser: &Browser, app: &TestApp, name: &str) {
    browser.log_in(&app.base, name, PASSWORD).await;
}

/// The confirmation dialog of an action that texts people: it shows the server's count; the
/// dispatcher says yes. Screenshots of it at a phone's size and a laptop's.
async fn confirm(browser: &Browser, question: &str, shot: &str) {
    browser
        .wait_text("#confirm-dialog-question", "the count", |t| t == question)
        .await;
    let open = browser
        .js("return document.getElementById('confirm-dialog').open")
        .await;
    assert_eq!(open.as_bool(), Some(true), "the dialog is open");
    browser.screenshot_at(&format!("{shot}-phone"), 390, 844).await;
    browser.screenshot_at(&format!("{shot}-wide"), 1280, 900).await;
    browser.click("#confirm-dialog-yes").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_takes_a_report_from_arrival_to_all_clear_in_the_browser() {
    let app = app().await;
    account(&app, "maria", Role::Dispatcher).await;
    let ann = app.volunteer("Ann", ANN, "en", false, LAT, LON, 1000.0).await;
    let browser = Browser::start().await;

    browser.goto(&format!("{}/login", app.base)).await;
    log_in(&browser, &app, "maria").await;
    browser.wait_text("#live-status", "live", |t| t == "live").await;
    assert_eq!(browser.text("#open-count").await, "0");

    // Reports arrive while the page is open: no reload.
    app.text(STRANGER, "Eviction happening now at the blue building on Vermont")
        .await;
    app.text(ATTACKER, XSS).await;
    browser
        .wait_text("#open-count", "two incidents", |t| t == "2")
        .await;
    let queue = browser.text("#queue").await;
    assert!(
        queue.contains("blue building") && queue.contains("not placed"),
        "{queue}"
    );
    assert!(queue.contains(XSS), "the hostile text shows as text: {queue}");
    assert!(!browser.alert_open().await, "no script of the report ran");

    // Place the eviction (typed coordinates), verify, and watch the alert go out.
    browser.click("#incident-1 a").await;
    browser.find("#map").await;
    browser.type_in("#where", &format!("{LAT}, {LON}")).await;
    browser.click("#place").await;
    browser
        .wait_text("#notice", "placed", |t| t.contains("Placed"))
        .await;
    assert_eq!(browser.text("#incident-title .kind").await, "eviction");
    // Without tiles, the map still draws the point and Ann's home area.
    let shapes = browser
        .js("return document.querySelectorAll('#map svg path').length")
        .await;
    assert!(
        shapes.as_i64().unwrap_or(0) >= 2,
        "point and area drawn: {shapes}"
    );
    browser.click("#verify").await;
    // It texts people: a dialog first says how many, on which channels; nothing is sent yet.
    confirm(&browser, "Text 1 person: 1 SMS, 0 Signal?", "confirm-verify").await;
    browser
        .wait_text("#notice", "confirmed", |t| t.contains("Confirmed"))
        .await;
    let sent = app.twilio.wait_for_messages(1, Duration::from_secs(15)).await;
    assert_eq!(sent[0].to, ANN);
    browser
        .wait_text("#live .n-delivered", "delivered", |t| t == "1")
        .await;

    // Ann answers by SMS; the page shows it by itself.
    app.text(ANN, "Y").await;
    browser
        .wait_text("#live .n-coming", "Ann coming", |t| t == "1")
        .await;
    let row = browser.text("table.alerted tbody").await;
    assert!(
        row.contains("Ann") && row.contains("coming") && row.contains("•••0102"),
        "{row}"
    );
    assert!(!row.contains(ANN), "a dispatcher sees the number masked: {row}");

    browser
        .type_in("#update-text", "Agents left by 3rd St — regroup at the church")
        .await;
    browser.click("#send-update").await;
    confirm(&browser, "Text 1 person: 1 SMS, 0 Signal?", "confirm-update").await;
    browser
        .wait_text("#notice", "update sent", |t| t.contains("Update sent"))
        .await;
    let sent = app.twilio.wait_for_messages(2, Duration::from_secs(15)).await;
    assert!(
        sent[1].body.contains("update: Agents left by 3rd St - regroup"),
        "{}",
        sent[1].body
    );

    browser.click("#resolve").await;
    confirm(&browser, "Text 1 person: 1 SMS, 0 Signal?", "confirm-all-clear").await;
    browser
        .wait_text("#status", "all clear", |t| t == "all clear")
        .await;
    let sent = app.twilio.wait_for_messages(3, Duration::from_secs(15)).await;
    assert!(sent[2].body.contains("ALL CLEAR"), "{}", sent[2].body);
    assert_eq!(
        app.twilio.messages_to(ANN).len(),
        3,
        "first alert, update, all-clear: once each"
    );

    // The hostile report on its own page: text, not markup.
    browser.goto(&format!("{}/incidents/2", app.base)).await;
    let shown = browser.text("#live .report-text").await;
    assert_eq!(shown, XSS);
    let injected = browser
        .js("return document.querySelectorAll('#live script, #live img').length")
        .await;
    assert_eq!(injected.as_i64(), Some(0));
    assert!(!browser.alert_open().await);
    // The confirmation page without the dialog (as without JavaScript): it asks, sends nothing.
    browser
        .js("document.querySelector('form[data-confirm=false_alarm]').submit(); return true;")
        .await;
    browser
        .wait_text("#confirm-question", "the question", |t| {
            t.starts_with("Nobody will be texted")
        })
        .await;
    browser.click("#confirm-no").await;
    browser.find("#incident-title").await;
    assert_eq!(
        app.incident(2).await["status"],
        "unverified",
        "cancelled: nothing done"
    );

    // The reports on a phone: cards, the header on one line, "Block sender" whole.
    browser.resize(390, 844).await;
    browser.goto(&format!("{}/reports", app.base)).await;
    let fits = browser
        .js(
            "var b = document.querySelector('#block-2').getBoundingClientRect(), \
             t = document.querySelector('header.top').getBoundingClientRect(); \
             return [b.right <= document.documentElement.clientWidth, t.height < 60, \
             document.documentElement.scrollWidth <= document.documentElement.clientWidth];",
        )
        .await;
    assert_eq!(
        fits,
        serde_json::json!([true, true, true]),
        "button whole, header one line, no sideways scroll"
    );
    browser.resize(1280, 900).await;

    browser.goto(&format!("{}/volunteers", app.base)).await;
    let list = browser.text(&format!("#volunteer-{ann}")).await;
    assert!(
        list.contains("Ann") && list.contains("•••0102") && !list.contains(ANN),
        "{list}"
    );

    browser.click(".logout button").await;
    browser.find("#password").await;
    browser.goto(&format!("{}/", app.base)).await;
    browser.find("#password").await;
    assert!(browser.url().await.ends_with("/login"), "logged out");
    browser.quit().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_is_added_with_a_drawn_area_paused_and_shown_whole_to_admins() {
    let app = app().await;
    account(&app, "ada", Role::Admin).await;
    let browser = Browser::start().await;
    log_in(&browser, &app, "ada").await;

    browser.goto(&format!("{}/volunteers/new", app.base)).await;
    browser.type_in("#name", "Beto").await;
    browser.type_in("#phone", "+13235550103").await;
    // A polygon drawn with three clicks around the middle of the map.
    browser.click("#draw-polygon").await;
    for (x, y) in [(-60, -40), (60, -40), (0, 50)] {
        browser
            .js(&format!(
                "var m = document.getElementById('map'), r = m.getBoundingClientRect();\
                 var o = {{clientX: r.left + r.width / 2 + {x}, clientY: r.top + r.height / 2 + {y}, bubbles: true}};\
                 ['mousedown', 'mouseup', 'click'].forEach(function (t) {{ m.dispatchEvent(new MouseEvent(t, o)); }});\
                 return true;"
            ))
            .await;
    }
    let area = browser.js("return document.getElementById('area').value").await;
    assert!(area.as_str().unwrap_or("").contains("Polygon"), "drawn: {area}");
    browser.click("#save").await;
    browser
        .wait_text("#notice", "added", |t| t.contains("added"))
        .await;
    assert_eq!(
        browser.text("#phone").await,
        "+13235550103",
        "admins see whole numbers"
    );

    browser.click("#pause").await;
    browser
        .wait_text("#notice", "paused", |t| t.contains("Paused"))
        .await;
    let (_, list) = app.get("/volunteers").await;
    assert_eq!(list["volunteers"][0]["name"], "Beto");
    assert_eq!(
        app.core().index.read().map(|i| i.len()).unwrap_or(9),
        0,
        "paused: not alertable"
    );

    browser.goto(&format!("{}/audit", app.base)).await;
    let audit = browser.text("table.audit").await;
    assert!(
        audit.contains("volunteer_pause") && audit.contains("volunteer_add") && audit.contains("ada"),
        "{audit}"
    );
    browser.quit().await;
    app.stop().await;
}
