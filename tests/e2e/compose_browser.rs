//! The update composer in a real browser (headless Chromium), at a phone's size and a laptop's:
//! a field per language the alerted volunteers read, each with a live line saying how many SMS
//! segments the whole message costs and in which encoding, updated as the dispatcher types;
//! the confirmation dialog says the same per language with the exact texts; nothing is sent
//! until the dispatcher confirms, and then each volunteer gets their language's version.

use std::time::Duration;

use serde_json::json;
use tocsin::domain::Role;

use crate::helpers::{eventually, spawn_app_with, Backend, TestApp};
use crate::webdriver::Browser;

const PASSWORD: &str = "correct horse battery";
const ED: &str = "+13235550131";
const ANA: &str = "+13235550132";
const KIM: &str = "+13235550133";
const LAT: f64 = 34.0617;
const LON: f64 = -118.3005;
const WAIT: Duration = Duration::from_secs(15);
const GSM: &str = "1 SMS segment · GSM-7";
const BACKSPACE: &str = "\u{E003}";

async fn alerted_incident(app: &TestApp) -> i64 {
    app.volunteer("Ed", ED, "en", false, LAT, LON, 1000.0).await;
    app.volunteer("Ana", ANA, "es", false, LAT, LON, 1000.0).await;
    app.volunteer("Kim", KIM, "ko", false, LAT, LON, 1000.0).await;
    let (_, report) = app
        .post("/reports", json!({"text": "raid at 34.0617, -118.3005"}))
        .await;
    let id = report["incident_id"].as_i64().expect("incident");
    let (status, body) = app.post(&format!("/incidents/{id}/verify"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    app.twilio.wait_for_messages(3, WAIT).await;
    id
}

fn last_to(app: &TestApp, to: &str) -> String {
    app.twilio
        .messages_to(to)
        .last()
        .map(|m| m.body.clone())
        .unwrap_or_default()
}

/// One update written, measured, cancelled once, then confirmed, at `width` x `height`.
async fn compose_at(
    browser: &Browser,
    app: &TestApp,
    id: i64,
    (width, height): (u32, u32),
    shot: &str,
    english: &str,
) {
    browser.resize(width, height).await;
    browser.goto(&format!("{}/incidents/{id}", app.base)).await;
    browser.find("#update-text-es").await;
    assert_eq!(
        browser.text("#update-audience").await,
        "Read by: English 1, Español 1, 한국어 1"
    );
    assert!(
        browser
            .js("return document.getElementById('update-more').open")
            .await
            == json!(false),
        "nobody reads Chinese: folded away"
    );

    // Kim reads English after a Korean prefix: English's line is the dearer case, UCS-2.
    browser.type_in("#update-text", english).await;
    browser
        .wait_text("#update-size-en", "Korean readers' size", |t| {
            t.contains("UCS-2 (costs more)") && t.contains("한국어")
        })
        .await;
    // With a Korean version, English goes to English readers only: GSM-7 again.
    browser
        .type_in("#update-text-ko", "요원들이 떠났습니다. 교회에서 모이세요")
        .await;
    browser
        .wait_text("#update-size-en", "English alone", |t| t == GSM)
        .await;
    browser
        .wait_text("#update-size-ko", "Korean", |t| t.contains("UCS-2"))
        .await;
    // Spanish: an accent that folds stays GSM-7; a tick that does not makes it UCS-2, and
    // UCS-2 holds 70 characters a segment, not 160: the same words now cost two.
    browser
        .type_in("#update-text-es", "Se fueron. Reúnanse en la iglesia")
        .await;
    browser
        .wait_text("#update-size-es", "Spanish folded", |t| t == GSM)
        .await;
    browser.press("#update-text-es", " ✅").await;
    browser
        .wait_text("#update-size-es", "UCS-2", |t| {
            t == "2 segments · UCS-2 (costs more)"
        })
        .await;
    let costly = browser
        .js("return document.getElementById('update-size-es').classList.contains('costly')")
        .await;
    assert_eq!(costly, json!(true));
    browser.press("#update-text-es", &BACKSPACE.repeat(2)).await;
    browser
        .wait_text("#update-size-es", "GSM-7 again", |t| t == GSM)
        .await;
    let fits = browser
        .js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        .await;
    assert_eq!(fits, json!(true), "no sideways scroll at {width} px");
    browser
        .js("document.querySelector('form[data-composer]').scrollIntoView(); window.scrollBy(0, -12); return true;")
        .await;
    browser.screenshot_at(shot, width, height).await;
    // Markup typed by the dispatcher stays text in the dialog too.
    let english = format!("{english} <b>now</b>");
    browser.press("#update-text", " <b>now</b>").await;
    let english = english.as_str();

    // The dialog: the count, who reads what, and per language the size and the exact text.
    let before = app.twilio.messages().len();
    browser.click("#send-update").await;
    let lines = browser
        .wait_text("#confirm-dialog-lines", "the lines", |t| t.contains("Español"))
        .await;
    assert_eq!(
        browser.text("#confirm-dialog-question").await,
        "Text 3 people: 3 SMS, 0 Signal?"
    );
    for part in [
        "English · 1 person · 1 SMS segment · GSM-7",
        "Español · 1 person · 1 SMS segment · GSM-7 · their own version",
        "novedad: Se fueron. Reunanse en la iglesia",
        "한국어 · 1 person",
        english,
    ] {
        assert!(lines.contains(part), "{part} in {lines}");
    }
    let markup = browser
        .js("return document.querySelectorAll('#confirm-dialog-lines b, #confirm-dialog-lines img').length")
        .await;
    assert_eq!(markup, json!(0), "the texts are text");
    browser
        .screenshot_at(&shot.replace("composer", "confirm"), width, height)
        .await;
    // Cancelled: nothing is sent.
    browser.click("#confirm-dialog-no").await;
    app.send_now().await;
    assert_eq!(
        app.twilio.messages().len(),
        before,
        "nothing sent without confirming"
    );
    assert!(!browser.alert_open().await);

    browser.click("#send-update").await;
    browser
        .wait_text("#confirm-dialog-lines", "the lines", |t| t.contains("Español"))
        .await;
    browser.click("#confirm-dialog-yes").await;
    browser
        .wait_text("#notice", "update sent", |t| t.contains("Update sent"))
        .await;
    assert!(eventually(WAIT, || async { app.twilio.messages().len() == before + 3 }).await);
    assert!(last_to(app, ED).contains(english), "{}", last_to(app, ED));
    assert!(
        last_to(app, ANA).contains("novedad: Se fueron. Reunanse en la iglesia"),
        "{}",
        last_to(app, ANA)
    );
    assert!(
        last_to(app, KIM).contains("교회에서 모이세요"),
        "{}",
        last_to(app, KIM)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_composer_measures_each_language_as_typed_at_a_phone_and_a_laptop_size() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.dashboard.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into();
    })
    .await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account");
    let id = alerted_incident(&app).await;
    let browser = Browser::start().await;
    browser.log_in(&app.base, "maria", PASSWORD).await;

    compose_at(
        &browser,
        &app,
        id,
        (390, 844),
        "update-composer-phone",
        "Agents left 3rd St. Regroup at the church",
    )
    .await;
    compose_at(
        &browser,
        &app,
        id,
        (1280, 900),
        "update-composer-wide",
        "Agents gone. Regroup at the church on 4th at 6",
    )
    .await;
    browser.quit().await;
    app.stop().await;
}
