//! Issue 15 §4, a place from any words: the incident page's one locate field places a report
//! by pasted coordinates, by degrees-minutes-seconds, by an intersection of the imported
//! places (`tests/data/tiny.osm.pbf`), without JavaScript (a plain form POST, the server
//! reading the words; several matches shown as choices; bad words refused naming the field)
//! and in the browser with a suggestion chosen by keyboard. Placing records `dispatcher`, as
//! the API's locate does.

use reqwest::StatusCode;
use tocsin::domain::Role;
use tocsin::geo::places::Place;
use tocsin::geo::zones::Zone;
use tocsin::geo::Area;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::webdriver::Browser;

const PASSWORD: &str = "correct horse battery";
/// Where South Vermont Avenue and West 3rd Street meet in the extract.
const CORNER: (f64, f64) = (34.069, -118.2915);

/// The app with the tiny extract's streets, addresses, places and zones, and one more
/// place whose name holds another's (so that "zion market" matches two).
pub(crate) async fn app(backend: Backend) -> TestApp {
    let app = spawn_app_with(backend, |s| {
        s.dashboard.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into();
    })
    .await;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.osm.pbf");
    let (mut data, boundaries) = tocsin::cli::osm::read(&path, true).expect("extract read");
    data.places.push(Place {
        name: "Zion Market Express".into(),
        lat: 34.0671,
        lon: -118.2921,
    });
    app.core()
        .store
        .replace_places(&data)
        .await
        .expect("places stored");
    let zones: Vec<Zone> = boundaries
        .iter()
        .filter_map(|b| Zone::new(&b.name, &[], Area::from_json(&b.geometry).ok()?).ok())
        .collect();
    assert_eq!(zones.len(), 2);
    tocsin::zoning::import(app.core(), &tocsin::audit::Actor::Cli, &zones)
        .await
        .expect("zones imported");
    app.core().refresh_index().await.expect("places loaded");
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account added");
    app
}

/// A new unplaced incident (its own reporter, so nothing merges).
pub(crate) async fn unplaced(app: &TestApp, n: u32) -> i64 {
    let latest = || async {
        let (_, body) = app.get("/incidents").await;
        body["incidents"][0]["id"].as_i64().unwrap_or(0)
    };
    let before = latest().await;
    app.text(
        &format!("+1323555{:04}", 300 + n),
        "ICE raid happening right now, come",
    )
    .await;
    let mut id = latest().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while id <= before {
        assert!(std::time::Instant::now() < deadline, "a new incident");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        id = latest().await;
    }
    assert!(app.incident(id).await["lat"].is_null());
    id
}

fn close(v: &serde_json::Value, (lat, lon): (f64, f64)) -> bool {
    let (a, b) = (v["lat"].as_f64().unwrap_or(0.0), v["lon"].as_f64().unwrap_or(0.0));
    (a - lat).abs() < 1e-4 && (b - lon).abs() < 1e-4
}

async fn without_javascript(backend: Backend) {
    let app = app(backend).await;
    let http = client();
    let (session, _) =
        set_cookie(&login(&app, &http, "maria", PASSWORD).await, "tocsin_session").expect("logged in");
    let first = unplaced(&app, 1).await;
    let page = http
        .get(format!("{}/incidents/{first}", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"where\""), "one locate field");
    assert!(!page.contains("name=\"lon\" id=\"lon\""), "no longer two fields");
    let csrf = hidden(&page, "csrf");
    let post = |id: i64, fields: Vec<(&'static str, String)>| {
        let (http, session, csrf) = (&http, &session, &csrf);
        let url = format!("{}/incidents/{id}/locate", app.base);
        async move {
            let mut form = fields;
            form.push(("csrf", csrf.clone()));
            let resp = http
                .post(url)
                .header("cookie", session)
                .form(&form)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            (status, resp.text().await.unwrap_or_default())
        }
    };

    // Suggestions, with the session (the API's search needs a token).
    let suggest = |q: &'static str, cookie: bool| {
        let mut req = http
            .get(format!("{}/fragments/places", app.base))
            .query(&[("q", q)]);
        if cookie {
            req = req.header("cookie", &session);
        }
        async move { req.send().await.unwrap() }
    };
    let found: serde_json::Value = suggest("vermont & 3rd", true).await.json().await.unwrap();
    let top = &found["matches"][0];
    assert_eq!(top["located_by"], "intersection", "{found}");
    assert_eq!(top["label"], "South Vermont Avenue & West 3rd Street", "{found}");
    assert_eq!(top["what"], "intersection");
    assert!(top["zone"].is_string(), "the zone it lies in: {found}");
    let dms: serde_json::Value = suggest("34°03'48\"N 118°17'05\"W", true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(dms["matches"][0]["located_by"], "coordinates", "{dms}");
    let bad: serde_json::Value = suggest("95, 10", true).await.json().await.unwrap();
    assert!(
        bad["problem"]
            .as_str()
            .unwrap_or("")
            .contains("where: latitude 95"),
        "{bad}"
    );
    let stranger = suggest("vermont", false).await;
    assert_ne!(stranger.status(), StatusCode::OK, "suggestions need a session");

    // Pasted coordinates.
    let (status, body) = post(first, vec![("where", "34.0633, -118.2846".into())]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let placed = app.incident(first).await;
    assert!(close(&placed, (34.0633, -118.2846)), "{placed}");
    assert_eq!(
        placed["located_by"], "dispatcher",
        "as the API's locate: {placed}"
    );
    assert_eq!(placed["approximate"], false);

    // Degrees, minutes and seconds.
    let second = unplaced(&app, 2).await;
    let (status, body) = post(second, vec![("where", "34°03'48\"N 118°17'05\"W".into())]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let placed = app.incident(second).await;
    assert!(close(&placed, (34.063333, -118.284722)), "{placed}");

    // An intersection of the imported streets; its zone is recorded.
    let third = unplaced(&app, 3).await;
    let (status, body) = post(third, vec![("where", "Vermont and 3rd".into())]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let placed = app.incident(third).await;
    assert!(close(&placed, CORNER), "{placed}");
    assert_eq!(placed["zone"], top["zone"], "{placed}");

    // Words that cannot be placed: the page again, naming the field, nothing moved.
    let fourth = unplaced(&app, 4).await;
    for (words, why) in [
        ("95, 10", "where: latitude 95 is outside -90..90"),
        ("-118.2846, 34.0633", "longitude first"),
        ("the blue house nobody knows", "where: no place known matches"),
        ("Vermont", "is only known roughly"),
        ("", "where: type where it is"),
    ] {
        let (status, body) = post(fourth, vec![("where", words.into())]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{words:?}");
        assert!(body.contains(why), "{words:?}: {body}");
        assert!(app.incident(fourth).await["lat"].is_null());
    }
    let hostile = "<script>alert(1)</script> and 3rd";
    let (_, body) = post(fourth, vec![("where", hostile.into())]).await;
    assert!(!body.contains("<script>alert(1)"), "the words come back escaped");

    // Several places match: the choices, each placing by its own form.
    let (status, body) = post(fourth, vec![("where", "zion market".into())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("id=\"where-choices\""), "{body}");
    assert!(
        body.contains("Zion Market Express") && body.contains("place"),
        "{body}"
    );
    assert!(app.incident(fourth).await["lat"].is_null(), "nothing placed yet");
    let choice = body
        .split("<li><form")
        .find(|f| f.contains("value=\"Zion Market Express\""))
        .expect("a choice per place");
    let (status, _) = post(
        fourth,
        vec![
            ("where", "Zion Market Express".into()),
            ("lat", hidden(choice, "lat")),
            ("lon", hidden(choice, "lon")),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(close(&app.incident(fourth).await, (34.0671, -118.2921)));
    app.stop().await;
}

crate::on_both_backends!(without_javascript);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_places_a_report_by_a_suggestion_in_the_browser() {
    let app = app(Backend::Sqlite).await;
    let id = unplaced(&app, 9).await;
    let browser = Browser::start().await;
    browser.log_in(&app.base, "maria", PASSWORD).await;
    browser.goto(&format!("{}/incidents/{id}", app.base)).await;
    browser.find("#map").await;

    browser.resize(390, 844).await;
    browser.type_in("#where", "vermont and 3rd").await;
    browser
        .wait_text("#where-list", "a suggestion", |t| t.contains("West 3rd Street"))
        .await;
    // On a phone the field sits below the map: shown as the dispatcher scrolled to it.
    browser
        .js("document.getElementById('locate-form').scrollIntoView({block: 'start'}); return 0")
        .await;
    // Chosen by keyboard: down to the first suggestion, Enter.
    browser.press("#where", "\u{E015}\u{E007}").await;
    let chosen = browser
        .wait_text("#where-chosen", "what was chosen", |t| t.contains("intersection"))
        .await;
    assert!(
        chosen.contains("South Vermont Avenue & West 3rd Street"),
        "{chosen}"
    );
    browser.click("#place").await;
    browser
        .wait_text("#notice", "placed", |t| t.contains("Placed"))
        .await;
    let placed = app.incident(id).await;
    assert!(close(&placed, CORNER), "{placed}");
    assert_eq!(placed["located_by"], "dispatcher");
    assert!(!browser.alert_open().await);

    // A tap on the map places it too: the field gets the point, then says what it is.
    let tapped = unplaced(&app, 10).await;
    browser.resize(1280, 900).await;
    browser.goto(&format!("{}/incidents/{tapped}", app.base)).await;
    browser.find("#map.placeable").await;
    browser.click("#map").await;
    browser
        .wait_text("#where-chosen", "the tapped point", |t| t.contains("coordinates"))
        .await;
    let typed = browser.js("return document.getElementById('where').value").await;
    assert!(typed.as_str().unwrap_or("").contains(", -118."), "{typed}");
    browser.click("#place").await;
    browser
        .wait_text("#notice", "placed", |t| t.contains("Placed"))
        .await;
    assert!(app.incident(tapped).await["lat"].is_number());
    browser.quit().await;
    app.stop().await;
}
