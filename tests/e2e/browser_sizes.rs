//! Issue 15's "done means" in headless Chromium, at a phone's size (390 x 844) and a laptop's
//! (1280 x 900), one app and one browser for both: a report placed by typing an intersection
//! and by pasting coordinates; a broadcast sent only through the confirmation step (the dialog,
//! and the page a browser without JavaScript gets), nothing sent when it is cancelled; the
//! base map drawing streets and zones with no tile server configured; local times shown.

use std::time::Duration;

use serde_json::Value;
use tocsin::domain::clock;
use tocsin::domain::Role;

use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::webdriver::Browser;

pub(crate) const PASSWORD: &str = "correct horse battery";
pub(crate) const ZONE: &str = "America/Los_Angeles";
/// Where South Vermont Avenue and West 3rd Street meet in `tests/data/tiny.osm.pbf`.
pub(crate) const CORNER: (f64, f64) = (34.069, -118.2915);
/// Coordinates as a dispatcher pastes them, a few blocks from the corner.
pub(crate) const PASTED: (f64, f64) = (34.0633, -118.2846);
/// The two window sizes every page is tested and shown at, with the screenshots' suffixes.
pub(crate) const SIZES: [(&str, u32, u32); 2] = [("phone", 390, 844), ("wide", 1280, 900)];
const ANN: &str = "+13235550102";
const BETO: &str = "+13235550103";

/// The app as a network runs it: the tiny extract's streets, places and zones imported, times
/// in Los Angeles, no tile server (`dashboard.tile_url` empty, the default), a dispatcher.
pub(crate) async fn city() -> TestApp {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.network.timezone = ZONE.into();
        s.dashboard.tile_url = String::new();
    })
    .await;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.osm.pbf");
    let (data, boundaries) = tocsin::cli::osm::read(&path, true).expect("extract read");
    app.core()
        .store
        .replace_places(&data)
        .await
        .expect("places stored");
    let zones: Vec<tocsin::geo::zones::Zone> = boundaries
        .iter()
        .filter_map(|b| {
            let area = tocsin::geo::Area::from_json(&b.geometry).ok()?;
            tocsin::geo::zones::Zone::new(&b.name, &[], area).ok()
        })
        .collect();
    assert!(!zones.is_empty(), "the extract has zones");
    tocsin::zoning::import(app.core(), &tocsin::audit::Actor::Cli, &zones)
        .await
        .expect("zones imported");
    app.core().refresh_index().await.expect("places loaded");
    tocsin::accounts::add_user(app.core(), "maria", Role::Admin, PASSWORD)
        .await
        .expect("account added");
    app
}

pub(crate) async fn log_in(browser: &Browser, app: &TestApp, name: &str) {
    browser.log_in(&app.base, name, PASSWORD).await;
}

/// A new unplaced incident reported by its own number (so nothing merges); its id.
pub(crate) async fn unplaced(app: &TestApp, from: &str, text: &str) -> i64 {
    let before = app.get("/incidents").await.1["incidents"][0]["id"]
        .as_i64()
        .unwrap_or(0);
    app.text(from, text).await;
    let id = app.latest_incident_id().await;
    assert!(id > before, "a new incident for {text:?}");
    assert!(app.incident(id).await["lat"].is_null(), "unplaced: {text:?}");
    id
}

fn close(v: &Value, (lat, lon): (f64, f64)) -> bool {
    let (a, b) = (v["lat"].as_f64().unwrap_or(0.0), v["lon"].as_f64().unwrap_or(0.0));
    (a - lat).abs() < 1e-4 && (b - lon).abs() < 1e-4
}

/// How a moment `offset_ms` after something that happened between `from` and `to` shows on
/// the clock of `tz` (the minute may turn in between).
fn clocks((from, to): (i64, i64), offset_ms: i64, tz: &jiff::tz::TimeZone) -> Vec<String> {
    let now = tocsin::store::now_ms();
    [from, to]
        .iter()
        .map(|t| clock::clock(t + offset_ms, now, tz))
        .collect()
}

fn now() -> i64 {
    tocsin::store::now_ms()
}

/// Types `words` in the incident page's one locate field, waits for the suggestions to show
/// `expect`, closes them and places: the server reads the words.
async fn place_by_words(browser: &Browser, words: &str, expect: &str) {
    browser.type_in("#where", words).await;
    browser
        .wait_text("#where-list", expect, |t| t.contains(expect))
        .await;
    browser.press("#where", "\u{E00C}").await;
    browser.click("#place").await;
    browser
        .wait_text("#notice", "placed", |t| t.contains("Placed"))
        .await;
}

/// The map's drawn features, counted by their stroke: (streets, zones, tile images).
async fn drawn(browser: &Browser) -> Value {
    browser
        .js("var m = document.getElementById('map'); return [\
             m.querySelectorAll('path[stroke=\"#8a8a8a\"]').length, \
             m.querySelectorAll('path[stroke=\"#6b5b95\"]').length, \
             m.querySelectorAll('img.leaflet-tile, .leaflet-tile-pane img').length];")
        .await
}

/// Nothing goes out unless asked: a dispatch and an outbox pass, then the count is unchanged.
async fn nothing_sent(app: &TestApp, before: usize, why: &str) {
    app.dispatch_now().await;
    app.send_now().await;
    assert_eq!(app.twilio.message_count(), before, "{why}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn placing_confirming_the_base_map_and_local_times_at_a_phones_size_and_a_laptops() {
    let app = city().await;
    let tz = jiff::tz::TimeZone::get(ZONE).expect("zone");
    app.volunteer("Ann", ANN, "en", false, PASTED.0, PASTED.1, 1500.0)
        .await;
    let beto = app
        .volunteer("Beto", BETO, "es", false, 34.07, -118.29, 800.0)
        .await;
    let before_pause = now();
    let reply = app.text(BETO, "PAUSA 3h").await;
    let paused_at = (before_pause, now());
    assert!(reply.body.contains("pausa hasta"), "{}", reply.body);
    let browser = Browser::start().await;
    log_in(&browser, &app, "maria").await;

    for (n, (size, width, height)) in SIZES.into_iter().enumerate() {
        browser.resize(width, height).await;
        let at = |what: &str| format!("{what} at {width}x{height}");

        // An intersection typed in the one field.
        let from = now();
        let corner = unplaced(&app, &format!("+1323555{:04}", 310 + n), "ICE raid now, come").await;
        let opened = (from, now());
        browser.goto(&format!("{}/incidents/{corner}", app.base)).await;
        // The incident's time on the network's clock, not UTC.
        let age = browser.text("span.age").await;
        let local = clocks(opened, 0, &tz);
        assert!(
            local.iter().any(|t| age.starts_with(&format!("{t} ("))),
            "{}: {age} is one of {local:?}",
            at("the incident's local time")
        );
        let utc = clocks(opened, 0, &jiff::tz::TimeZone::UTC);
        assert!(
            !utc.iter().any(|t| age.starts_with(&format!("{t} ("))),
            "{}: {age}",
            at("not UTC")
        );
        place_by_words(&browser, "Vermont and 3rd", "West 3rd Street").await;
        let placed = app.incident(corner).await;
        assert!(close(&placed, CORNER), "{}: {placed}", at("the corner"));
        assert_eq!(placed["located_by"], "dispatcher");

        // Its map: streets and the zone drawn by tocsin itself, no tile asked for.
        assert_eq!(
            browser
                .js("return document.getElementById('map').getAttribute('data-tiles')")
                .await,
            "",
            "no tile server configured"
        );
        browser.find("#map[data-drawn]").await;
        let zones = browser
            .js("return Array.from(document.querySelectorAll('#map .zone-label')).map(function (l) { return l.textContent; })")
            .await;
        assert!(
            zones.as_array().is_some_and(|z| z.contains(&placed["zone"])),
            "{}: {zones} holds {}",
            at("the zone's name"),
            placed["zone"]
        );
        let shapes = drawn(&browser).await;
        assert!(
            shapes[0].as_i64().unwrap_or(0) >= 1 && shapes[1].as_i64().unwrap_or(0) >= 1,
            "{}: streets, zones drawn: {shapes}",
            at("the base map")
        );
        assert_eq!(shapes[2], 0, "{}: no tiles", at("the base map"));
        let fits = browser
            .js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            .await;
        assert_eq!(fits, true, "{}: no sideways scroll", at("the incident page"));

        // Coordinates pasted in the same field.
        let pasted = unplaced(&app, &format!("+1323555{:04}", 320 + n), "La migra está aquí").await;
        browser.goto(&format!("{}/incidents/{pasted}", app.base)).await;
        place_by_words(&browser, "34.0633, -118.2846", "coordinates").await;
        let placed = app.incident(pasted).await;
        assert!(close(&placed, PASTED), "{}: {placed}", at("pasted"));

        // Confirming texts Ann only once the dialog's count is agreed to; Cancel sends nothing.
        let before = app.twilio.message_count();
        for answer in ["#confirm-dialog-no", "#confirm-dialog-yes"] {
            browser.click("#verify").await;
            browser
                .wait_text("#confirm-dialog-question", "the count", |t| {
                    t == "Text 1 person: 1 SMS, 0 Signal?"
                })
                .await;
            nothing_sent(&app, before, &at("the dialog open")).await;
            browser.click(answer).await;
        }
        browser
            .wait_text("#notice", "confirmed", |t| t.contains("Confirmed"))
            .await;
        let sent = app
            .twilio
            .wait_for_messages(before + 1, Duration::from_secs(15))
            .await;
        assert_eq!(sent.len(), before + 1, "{}", at("one alert"));
        assert_eq!(sent[before].to, ANN);

        // Without the dialog (as without JavaScript) the server asks on a page of its own.
        browser
            .js("document.querySelector('form[data-confirm=resolve]').submit(); return 0;")
            .await;
        browser
            .wait_text("#confirm-question", "the question", |t| {
                t == "Text 1 person: 1 SMS, 0 Signal?"
            })
            .await;
        nothing_sent(&app, before + 1, &at("the confirmation page")).await;
        assert_eq!(app.incident(pasted).await["status"], "confirmed");
        browser.click("#confirm-yes").await;
        browser
            .wait_text("#status", "all clear", |t| t == "all clear")
            .await;
        let sent = app
            .twilio
            .wait_for_messages(before + 2, Duration::from_secs(15))
            .await;
        assert!(sent[before + 1].body.contains("ALL CLEAR"), "{}", at("all clear"));

        // A pause on the volunteer's page and the queue's ages: the network's clock too.
        browser.goto(&format!("{}/volunteers/{beto}", app.base)).await;
        let paused = browser.text("#paused-by").await;
        let until = clocks(paused_at, 3 * 3_600_000, &tz);
        assert!(
            until
                .iter()
                .any(|t| paused.contains(&format!("paused by text until {t}"))),
            "{}: {paused} names one of {until:?}",
            at("the pause")
        );
        browser.goto(&format!("{}/", app.base)).await;
        let age = browser.text(&format!("#incident-{corner} .age")).await;
        assert!(
            local.iter().any(|t| age.starts_with(&format!("{t} ("))),
            "{}: {age}",
            at("the queue's local time")
        );
        let menu = browser
            .js("return getComputedStyle(document.querySelector('details.menu')).display")
            .await;
        assert_eq!(
            menu == "none",
            size == "wide",
            "{}: the header folds into a menu on a phone only",
            at("the header")
        );
    }
    browser.quit().await;
    app.stop().await;
}

/// Live pages (the queue, an incident) hold a stream open; one left for another closes it,
/// also when the browser keeps it in its back/forward cache. Otherwise a few trips use up the
/// six connections a browser opens to one server and the next page waits, here for about a
/// minute: each of these loads must take less than ten seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn going_back_and_forth_between_live_pages_never_waits_for_a_connection() {
    let app = city().await;
    let id = unplaced(&app, "+13235550330", "ICE at the school").await;
    let browser = Browser::start().await;
    log_in(&browser, &app, "maria").await;
    browser.page_load_timeout(Duration::from_secs(10)).await;
    for trip in 0..8 {
        browser.goto(&format!("{}/incidents/{id}", app.base)).await;
        browser.wait_text("#live-status", "live", |t| t == "live").await;
        browser.goto(&format!("{}/", app.base)).await;
        browser.wait_text("#live-status", "live", |t| t == "live").await;
        let shown = browser.text(&format!("#incident-{id} .excerpt")).await;
        assert_eq!(shown, "ICE at the school", "trip {trip}");
    }
    browser.goto(&format!("{}/volunteers", app.base)).await;
    browser.find("#add-volunteer").await;
    browser.quit().await;
    app.stop().await;
}
