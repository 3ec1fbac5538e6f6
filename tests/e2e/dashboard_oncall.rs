//! Issue 14 in the browser (headless Chromium, at a phone's size and a laptop's): a dispatcher
//! gives the phone pages reach her on and goes on duty from the dashboard, a report no verifier can reach pages them and waits first
//! in the queue, and the tab's title counts what waits for a person.

use tocsin::domain::Role;

use crate::helpers::{eventually, spawn_app, Backend};
use crate::webdriver::Browser;

const PASSWORD: &str = "correct horse battery";
const MARIA: &str = "+13235550901";
const STRANGER: &str = "+13235550199";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_on_duty_sees_and_is_paged_for_what_waits_for_a_person() {
    let app = spawn_app(Backend::Sqlite).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account added");
    let browser = Browser::start().await;
    browser.resize(390, 844).await;
    browser.log_in(&app.base, "maria", PASSWORD).await;

    // No phone yet: the header offers her paging settings, where she gives her number. A
    // mistake is named; the number is never shown back whole.
    browser.click(".duty-link").await;
    browser.type_in("#phone", "12345").await;
    browser.click("#save").await;
    browser
        .wait_text("#notice", "refused", |t| t.starts_with("phone:"))
        .await;
    browser.type_in("#phone", MARIA).await;
    browser.click("#save").await;
    browser
        .wait_text("#notice", "saved", |t| t.starts_with("Saved"))
        .await;
    let page = browser.text("main").await;
    assert!(
        page.contains("now ending in 01") && !page.contains("5550901"),
        "{page}"
    );
    browser.goto(&format!("{}/", app.base)).await;
    browser.find("#queue").await;

    // Off duty until she says so; one tap puts her on duty.
    assert_eq!(browser.text(".duty button").await, "Off duty");
    browser.click(".duty button").await;
    browser
        .wait_text(".duty button", "on duty", |t| t == "On duty")
        .await;
    let maria = app
        .core()
        .store
        .dispatcher_named("maria")
        .await
        .unwrap()
        .expect("maria");
    assert!(maria.on_duty);
    browser.wait_text("#live-status", "live", |t| t == "live").await;

    // No verifier anywhere: the report waits for a person, first in the queue, counted in the
    // title, and Maria is paged.
    app.text(STRANGER, "Eviction happening now at 34.0617, -118.3005")
        .await;
    let waiting = browser
        .wait_text("#queue", "needs a dispatcher", |t| {
            t.contains("Needs a dispatcher: no verifier within reach")
        })
        .await;
    assert!(waiting.contains("1 need a dispatcher"), "{waiting}");
    let title = eventually(std::time::Duration::from_secs(10), || async {
        browser.js("return document.title").await == "(1) Queue · tocsin"
    })
    .await;
    assert!(
        title,
        "the title counts: {}",
        browser.js("return document.title").await
    );
    assert!(!browser
        .js("return document.getElementById('attention').hidden")
        .await
        .as_bool()
        .unwrap_or(true));
    let paged = app
        .twilio
        .wait_for_messages(1, std::time::Duration::from_secs(15))
        .await;
    assert!(
        paged
            .iter()
            .any(|m| m.to == MARIA && m.body.contains("NEEDS A DISPATCHER")),
        "{paged:?}"
    );
    browser.quit().await;
    app.stop().await;
}
