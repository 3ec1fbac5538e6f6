//! Issue 15 §5: times in `network.timezone`. A volunteer pauses by text and is told the time
//! on the network's clock; STATUS names their zone; the dashboard shows the local clock time,
//! that they are paused, by whom and until when; a dispatcher's pause names the dispatcher.
//! Plus both pages in a real browser (at both window sizes in `browser_sizes.rs`).

use reqwest::StatusCode;
use serde_json::Value;
use tocsin::domain::clock;
use tocsin::domain::Role;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

const PASSWORD: &str = "correct horse battery";
const ANN: &str = "+13235550102";
const ZONE: &str = "America/Los_Angeles";

async fn app(backend: Backend) -> TestApp {
    let app = spawn_app_with(backend, |s| {
        s.network.timezone = ZONE.into();
        s.dashboard.tile_url = "http://127.0.0.1:9/{z}/{x}/{y}.png".into();
    })
    .await;
    let zones: Value =
        serde_json::from_str(include_str!("../../examples/zones-los-angeles.geojson")).expect("zones");
    let (status, body) = app.post("/zones", zones).await;
    assert_eq!(status, 201, "{body}");
    app
}

fn now() -> i64 {
    tocsin::store::now_ms()
}

/// The local clock times as the dashboard shows them ("05:42", "Dec 3 00:50") `offset_ms` from
/// any moment between `from` and now: the minute may turn while the server answers.
fn clocks(from: i64, offset_ms: i64) -> Vec<String> {
    let tz = jiff::tz::TimeZone::get(ZONE).expect("zone");
    let to = now();
    [from, to]
        .iter()
        .map(|t| clock::clock(t + offset_ms, to, &tz))
        .collect()
}

async fn page(app: &TestApp, http: &reqwest::Client, cookie: &str, path: &str) -> String {
    let resp = http
        .get(format!("{}{path}", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    resp.text().await.expect("html")
}

async fn paused_by_text_and_by_a_dispatcher_in_local_time(backend: Backend) {
    let app = app(backend).await;
    let start = now();
    let ann = app
        .volunteer("Ann", ANN, "en", false, 34.0617, -118.3005, 1500.0)
        .await;

    let reply = app.text(ANN, "PAUSE 2h").await;
    let until = clocks(start, 2 * 3_600_000);
    // A text says the time of day, and the day after it when not today ("00:50 on 12/3").
    let hhmm: Vec<&str> = until.iter().filter_map(|t| t.rsplit(' ').next()).collect();
    assert!(
        hhmm.iter()
            .any(|t| reply.body.contains(&format!("paused until {t}"))),
        "the reply says {until:?} on the network's clock: {}",
        reply.body
    );
    assert!(!reply.body.contains("UTC"), "{}", reply.body);
    let status = app.text(ANN, "STATUS").await;
    assert!(
        status.body.contains("Area: 1500 m in ") && !status.body.contains("-118."),
        "STATUS names the zone, not coordinates: {}",
        status.body
    );
    assert!(hhmm.iter().any(|t| status.body.contains(t)), "{}", status.body);

    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account added");
    let http = client();
    let resp = login(&app, &http, "maria", PASSWORD).await;
    let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");

    let list = page(&app, &http, &cookie, "/volunteers").await;
    assert!(
        until
            .iter()
            .any(|t| list.contains(&format!("paused by text until {t} (in "))),
        "the list shows Ann paused until {until:?} on the local clock: {list}"
    );
    let form = page(&app, &http, &cookie, &format!("/volunteers/{ann}")).await;
    assert!(
        until
            .iter()
            .any(|t| form.contains(&format!("paused by text until {t} (in "))),
        "the volunteer's page shows who paused and until when: {form}"
    );

    let csrf = hidden(&form, "csrf");
    let resp = http
        .post(format!("{}/volunteers/{ann}", app.base))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str()), ("action", "pause")])
        .send()
        .await
        .expect("paused");
    assert!(resp.status().is_redirection(), "{}", resp.status());
    let form = page(&app, &http, &cookie, &format!("/volunteers/{ann}")).await;
    assert!(
        form.contains("paused by dispatcher maria until resumed here; also paused by text until"),
        "{form}"
    );
    let resp = http
        .post(format!("{}/volunteers/{ann}", app.base))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str()), ("action", "resume")])
        .send()
        .await
        .expect("resumed");
    assert!(resp.status().is_redirection(), "{}", resp.status());
    let form = page(&app, &http, &cookie, &format!("/volunteers/{ann}")).await;
    assert!(!form.contains("id=\"paused-by\""), "{form}");
    app.stop().await;
}
on_both_backends!(paused_by_text_and_by_a_dispatcher_in_local_time);

/// The volunteer and incident pages in a real browser: local times, who
/// paused, and what is known of the place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_times_and_place_facts_in_the_browser() {
    const TRUSTED: &str = "+13235550101";
    let app = app(Backend::Sqlite).await;
    let start = now();
    app.volunteer("Rosa", TRUSTED, "en", true, 34.2, -118.5, 1000.0)
        .await;
    let ann = app
        .volunteer("Ann", ANN, "es", false, 34.0617, -118.3005, 1500.0)
        .await;
    let reply = app.text(ANN, "PAUSA 3h").await;
    assert!(reply.body.contains("pausa hasta"), "{}", reply.body);
    app.text(TRUSTED, "ICE raid in Koreatown right now").await;
    let incident = app.latest_incident_id().await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, PASSWORD)
        .await
        .expect("account added");

    let browser = crate::webdriver::Browser::start().await;
    browser.log_in(&app.base, "maria", PASSWORD).await;

    browser.goto(&format!("{}/volunteers/{ann}", app.base)).await;
    let paused = browser.text("#paused-by").await;
    let until = clocks(start, 3 * 3_600_000);
    assert!(
        until
            .iter()
            .any(|t| paused.contains(&format!("paused by text until {t}"))),
        "{paused}"
    );

    browser.goto(&format!("{}/incidents/{incident}", app.base)).await;
    let facts = browser.text("#place-facts").await;
    assert!(
        facts.contains("Koreatown") && facts.contains("approximate (by zone, ±"),
        "{facts}"
    );
    let age = browser.text("span.age").await;
    let opened = clocks(start, 0);
    assert!(
        opened.iter().any(|t| age.starts_with(&format!("{t} ("))),
        "the incident's time on the local clock {opened:?}: {age}"
    );
    browser.quit().await;
    app.stop().await;
}
