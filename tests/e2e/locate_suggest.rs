//! Issue 15: the locate field suggests places as the dispatcher types, the last word taken as
//! a start: "Verm", "vermont a" (the street), "vermont and 3" (the corner), from the imported
//! extract (`tests/data/tiny.osm.pbf`). A plain submit still reads whole words only; texts
//! made to hurt (`%`, `_`, quotes, long runs of words) get nothing odd, quickly.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use tocsin::domain::Role;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::on_both_backends;
use crate::webdriver::Browser;

const PASSWORD: &str = "correct horse battery";
const CORNER: &str = "South Vermont Avenue & West 3rd Street";

async fn app(backend: Backend) -> TestApp {
    let app = spawn_app_with(backend, |s| {
        s.dashboard.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into();
    })
    .await;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.osm.pbf");
    let (data, _) = tocsin::cli::osm::read(&path, false).expect("extract read");
    app.core()
        .store
        .replace_places(&data)
        .await
        .expect("places stored");
    app.core().refresh_index().await.expect("places loaded");
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account added");
    app
}

/// A new report nobody could place yet: its incident's id.
async fn unplaced(app: &TestApp) -> i64 {
    app.text("+13235550301", "ICE raid happening right now, come")
        .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, list) = app.get("/incidents").await;
        if let Some(id) = list["incidents"][0]["id"].as_i64() {
            assert!(app.incident(id).await["lat"].is_null());
            return id;
        }
        assert!(Instant::now() < deadline, "an incident: {list}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn labels(found: &Value) -> Vec<&str> {
    found["matches"]
        .as_array()
        .map(|m| m.iter().filter_map(|f| f["label"].as_str()).collect())
        .unwrap_or_default()
}

async fn partial_words_suggest_streets_and_corners(backend: Backend) {
    let app = app(backend).await;
    let http = client();
    let (session, _) =
        set_cookie(&login(&app, &http, "maria", PASSWORD).await, "tocsin_session").expect("logged in");
    let suggest = |q: String| {
        let req = http
            .get(format!("{}/fragments/places", app.base))
            .query(&[("q", q)])
            .header("cookie", &session);
        async move {
            let resp = req.send().await.expect("answered");
            assert_eq!(resp.status(), StatusCode::OK);
            resp.json::<Value>().await.expect("JSON")
        }
    };

    for typed in ["Verm", "vermont a", "s vermont av"] {
        let found = suggest(typed.into()).await;
        assert_eq!(
            labels(&found).first(),
            Some(&"South Vermont Avenue"),
            "{typed}: {found}"
        );
        assert_eq!(
            found["matches"][0]["approximate"], true,
            "a whole street: {found}"
        );
    }
    for typed in [
        "vermont and 3",
        "Vermont & 3r",
        "South Vermont Avenue and w",
        "3rd / verm",
    ] {
        let found = suggest(typed.into()).await;
        let top = &found["matches"][0];
        assert_eq!(top["located_by"], "intersection", "{typed}: {found}");
        assert!(
            top["label"]
                .as_str()
                .is_some_and(|l| l.contains("Vermont") && l.contains("3rd")),
            "{typed}: {found}"
        );
        assert_eq!(top["approximate"], false);
    }
    // The API's search answers as the field does.
    let (status, api) = app.get("/places/search?q=vermont%20and%203").await;
    assert_eq!(status, 200);
    assert_eq!(labels(&api).first(), Some(&CORNER), "{api}");

    // Hostile texts: not patterns, bounded, refused past the limit naming the field.
    let mut texts: Vec<String> = ["%", "_", "%_%", "' OR 1=1 --", "v%t", "\"verm\"%"]
        .map(String::from)
        .to_vec();
    texts.push("a and ".repeat(33));
    texts.push("%_'".repeat(66));
    texts.push("vermont and 3 ".repeat(14));
    for text in texts {
        let start = Instant::now();
        let found = suggest(text.clone()).await;
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{text:.30}: {:?}",
            start.elapsed()
        );
        let names = labels(&found);
        assert!(names.len() <= 10, "{found}");
        if !text.contains("verm") {
            assert!(names.is_empty(), "{text:.30}: {found}");
        }
    }
    let long = suggest("vermont ".repeat(26)).await;
    assert!(
        long["problem"]
            .as_str()
            .is_some_and(|p| p.starts_with("where:") && p.contains("200")),
        "{long}"
    );

    // Submitting the unfinished words places nothing: only a chosen suggestion does.
    let id = unplaced(&app).await;
    let page = http
        .get(format!("{}/incidents/{id}", app.base))
        .header("cookie", &session)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let resp = http
        .post(format!("{}/incidents/{id}/locate", app.base))
        .header("cookie", &session)
        .form(&[
            ("csrf", hidden(&page, "csrf").as_str()),
            ("where", "vermont and 3"),
        ])
        .send()
        .await
        .expect("posted");
    assert_ne!(resp.status(), StatusCode::SEE_OTHER, "not placed");
    assert!(app.incident(id).await["lat"].is_null());
    app.stop().await;
}
on_both_backends!(partial_words_suggest_streets_and_corners);

/// In the browser: "Verm", the street chosen (the field asks for a cross street), "3", the
/// corner chosen by keyboard and placed. Phone and desktop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corner_is_found_letter_by_letter_in_the_browser() {
    let app = app(Backend::Sqlite).await;
    let id = unplaced(&app).await;
    let browser = Browser::start().await;
    browser.log_in(&app.base, "maria", PASSWORD).await;
    browser.resize(390, 844).await;
    browser.goto(&format!("{}/incidents/{id}", app.base)).await;
    browser.find("#map").await;

    browser.type_in("#where", "Verm").await;
    browser
        .wait_text("#where-list", "the street", |t| {
            t.contains("South Vermont Avenue")
        })
        .await;
    browser.press("#where", "\u{E015}\u{E007}").await;
    browser
        .wait_text("#where-chosen", "a cross street asked for", |t| {
            t.contains("roughly")
        })
        .await;
    browser.press("#where", "3").await;
    browser
        .wait_text("#where-list", "the corner", |t| t.contains(CORNER))
        .await;
    browser
        .js("document.getElementById('locate-form').scrollIntoView({block: 'start'}); return 0")
        .await;
    browser.screenshot_at("locate-partial-phone", 390, 844).await;
    browser.screenshot_at("locate-partial", 1280, 900).await;
    browser.press("#where", "\u{E015}\u{E007}").await;
    let chosen = browser
        .wait_text("#where-chosen", "the corner chosen", |t| {
            t.contains("intersection")
        })
        .await;
    assert!(chosen.contains(CORNER), "{chosen}");
    browser.click("#place").await;
    browser
        .wait_text("#notice", "placed", |t| t.contains("Placed"))
        .await;
    let placed = app.incident(id).await;
    assert!(
        (placed["lat"].as_f64().unwrap_or(0.0) - 34.069).abs() < 1e-4,
        "{placed}"
    );
    browser.quit().await;
    app.stop().await;
}
