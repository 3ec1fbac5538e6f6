//! Every dashboard page in headless Chromium at a phone's size (390 x 844) and a laptop's
//! (1280 x 900), with a small network's worth of data: incidents unplaced, confirmed with
//! answers and closed; reports in English, Spanish, Vietnamese and Tagalog; volunteers in four
//! languages, paused by text and by a dispatcher, one waiting for approval. Each page is
//! checked to have loaded. With `TOCSIN_SCREENSHOTS=docs/screenshots` it also writes
//! `<page>-phone.png` and `<page>-wide.png` there (the README's screenshots):
//!
//!     TOCSIN_SCREENSHOTS=docs/screenshots cargo test --test e2e screenshots

use serde_json::json;

use crate::browser_sizes::{city, log_in, unplaced, CORNER, PASTED, SIZES};
use crate::helpers::TestApp;
use crate::webdriver::Browser;

const MARIA: &str = "+13235550901";
const ANN: &str = "+13235550102";
const CARLOS: &str = "+13235550104";
const MINJUN: &str = "+13235550105";
const BETO: &str = "+13235550103";
const JOINER: &str = "+13235550140";

/// The page at `path`, once per size: loaded afresh (maps fit the window they open in),
/// `ready` waited for, then shown as `<name>-<size>.png`.
async fn shoot(browser: &Browser, app: &TestApp, name: &str, path: &str, ready: &str) {
    shoot_down(browser, app, name, path, ready, false).await;
}

/// `shoot`, scrolled down to `ready` when `scroll`.
async fn shoot_down(browser: &Browser, app: &TestApp, name: &str, path: &str, ready: &str, scroll: bool) {
    for (size, width, height) in SIZES {
        browser.resize(width, height).await;
        browser.goto(&format!("{}{path}", app.base)).await;
        browser.find(ready).await;
        settle(browser).await;
        if scroll {
            let script = format!(
                "document.querySelector({}).scrollIntoView({{block: 'start'}}); return 0;",
                json!(ready)
            );
            browser.js(&script).await;
        }
        fits(browser, &format!("{name} at {width}x{height}")).await;
        browser
            .screenshot_at(&format!("{name}-{size}"), width, height)
            .await;
    }
}

/// Waits until a map on the page, if any, has drawn tocsin's own base map (zones, streets)
/// for the view it settled on (map.js marks it `data-drawn`).
async fn settle(browser: &Browser) {
    let ready = "var m = document.getElementById('map'); return !m || m.hasAttribute('data-drawn');";
    let ok = crate::helpers::eventually(crate::webdriver::WAIT, || async {
        browser.js(ready).await == true
    })
    .await;
    assert!(ok, "the map drew on {}", browser.url().await);
}

/// The page fits the window's width: nothing cut off, no sideways scrolling.
pub(crate) async fn fits(browser: &Browser, what: &str) {
    let wide = browser
        .js("var d = document.documentElement; return [d.scrollWidth, d.clientWidth];")
        .await;
    assert!(
        wide[0].as_i64() <= wide[1].as_i64(),
        "{what}: {wide} (content wider than the window)"
    );
}

/// A report by text from its own number; the incident it opened.
async fn report(app: &TestApp, from: &str, text: &str) -> i64 {
    let before = app.get("/incidents").await.1["incidents"][0]["id"]
        .as_i64()
        .unwrap_or(0);
    app.text(from, text).await;
    let id = app.latest_incident_id().await;
    assert!(id > before, "a new incident for {text:?}");
    id
}

/// A volunteer with a circular home area and a language; their id.
async fn volunteer(app: &TestApp, name: &str, phone: &str, lang: &str, at: (f64, f64), m: f64) -> i64 {
    app.volunteer(name, phone, lang, false, at.0, at.1, m).await
}

/// The volunteers (Beto paused by text, one joiner waiting, Wei a verifier): (Beto, Dana).
async fn people(app: &TestApp) -> (i64, i64) {
    volunteer(app, "Ann Lee", ANN, "en", PASTED, 1500.0).await;
    volunteer(app, "Carlos Ruiz", CARLOS, "es", CORNER, 1000.0).await;
    volunteer(app, "Min-jun Park", MINJUN, "ko", CORNER, 800.0).await;
    let wei = volunteer(app, "Wei Chen", "+13235550106", "zh", (34.2, -118.5), 1200.0).await;
    let dana = volunteer(app, "Dana Cruz", "+13235550107", "en", CORNER, 600.0).await;
    let beto = volunteer(app, "Beto Alvarez", BETO, "es", (34.066, -118.289), 900.0).await;
    let reply = app.text(BETO, "PAUSA 3h").await;
    assert!(reply.body.contains("pausa hasta"), "{}", reply.body);
    crate::vetting::join(app, JOINER).await;
    let (status, body) = app
        .api(
            reqwest::Method::PATCH,
            &format!("/volunteers/{wei}"),
            Some(json!({"roles": ["verifier"]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (beto, dana)
}

/// Incidents in every state: (the confirmed raid, an unplaced one, a confirmed unplaced one).
async fn incidents(app: &TestApp) -> (i64, i64, i64) {
    // Closed: a van seen and gone (placed by the coordinates in the text).
    app.text(
        "+13235550201",
        "ICE van parked at 34.0633, -118.2846, two agents inside",
    )
    .await;
    let closed = app.latest_incident_id().await;
    let (status, body) = app.post(&format!("/incidents/{closed}/confirm"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .post(&format!("/incidents/{closed}/all-clear"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");

    // Confirmed, two reports (English, then Spanish merged in), answers coming in.
    let raid = report(
        app,
        "+13235550202",
        "ICE raid at Vermont and 3rd, agents detaining people outside the market. Please come!",
    )
    .await;
    let also = report(
        app,
        "+13235550203",
        "Sí, los vi también: como seis agentes en la esquina de Vermont y la 3, con chalecos",
    )
    .await;
    let (status, body) = app
        .post(&format!("/incidents/{also}/merge"), json!({"into": raid}))
        .await;
    assert_eq!(status, 200, "{body}");
    if app.incident(raid).await["lat"].is_null() {
        let place = json!({"lat": CORNER.0, "lon": CORNER.1});
        let (status, body) = app.post(&format!("/incidents/{raid}/locate"), place).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = app.post(&format!("/incidents/{raid}/confirm"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    app.wait_incident(raid, "three delivered", |v| v["counts"]["delivered"] == 3)
        .await;
    app.text(ANN, "Y").await;
    app.text(CARLOS, "SI VOY").await;
    app.text(MINJUN, "2").await;

    // Waiting for a dispatcher: Vietnamese (a street only), and Tagalog (no place at all).
    report(
        app,
        "+13235550204",
        "Có xe ICE ở góc đường Vermont, họ đang hỏi giấy tờ mọi người",
    )
    .await;
    let open = unplaced(
        app,
        "+13235550205",
        "May mga ahente ng ICE sa harap ng paaralan malapit sa parke ngayon",
    )
    .await;
    // Confirmed before anyone knew where: placing it will alert the area.
    let checkpoint = unplaced(app, "+13235550206", "Checkpoint, they are stopping every car").await;
    let (status, body) = app
        .post(&format!("/incidents/{checkpoint}/verify"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    // The verifiers' pass: none within reach of the Vietnamese report's street.
    app.dispatch_now().await;
    (raid, open, checkpoint)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_of_every_dashboard_page_at_a_phones_size_and_a_laptops() {
    let app = city().await;
    let browser = Browser::start().await;
    shoot(&browser, &app, "login", "/login", "#password").await;
    let (beto, dana) = people(&app).await;
    log_in(&browser, &app, "maria").await;
    // Dana paused by a dispatcher, from her page.
    browser.goto(&format!("{}/volunteers/{dana}", app.base)).await;
    browser.click("#pause").await;
    browser
        .wait_text("#notice", "paused", |t| t.contains("Paused"))
        .await;
    let (raid, open, checkpoint) = incidents(&app).await;

    // Her paging number, then on duty from the header.
    browser.goto(&format!("{}/account", app.base)).await;
    browser.type_in("#phone", MARIA).await;
    browser.click("#save").await;
    browser
        .wait_text("#notice", "saved", |t| t.starts_with("Saved"))
        .await;
    shoot(&browser, &app, "account", "/account", "#account-form").await;
    browser.click(".duty button").await;
    browser
        .wait_text(".duty button", "on duty", |t| t == "On duty")
        .await;

    shoot(&browser, &app, "queue", "/", ".needs-person").await;
    let queue = browser.text("#queue").await;
    assert!(
        queue.contains("need a dispatcher") && queue.contains("Recently closed"),
        "{queue}"
    );

    shoot(
        &browser,
        &app,
        "incident",
        &format!("/incidents/{raid}"),
        "#live .n-coming",
    )
    .await;
    browser
        .wait_text("#live .n-coming", "two coming", |t| t == "2")
        .await;
    // Further down: who was alerted, delivered, answered; the incident's history.
    let alerted = format!("/incidents/{raid}");
    shoot_down(
        &browser,
        &app,
        "incident-alerted",
        &alerted,
        "table.alerted",
        true,
    )
    .await;
    let rows = browser.text("table.alerted tbody").await;
    assert!(
        rows.contains("Ann Lee") && rows.contains("coming") && rows.contains("•••0104"),
        "{rows}"
    );
    shoot(
        &browser,
        &app,
        "incident-unplaced",
        &format!("/incidents/{open}"),
        "#locate-form",
    )
    .await;

    // Suggestions as the dispatcher types a corner (on a phone, scrolled to the field).
    for (size, width, height) in SIZES {
        browser.resize(width, height).await;
        browser.goto(&format!("{}/incidents/{open}", app.base)).await;
        settle(&browser).await;
        browser.type_in("#where", "vermont and 3rd").await;
        browser
            .wait_text("#where-list", "a suggestion", |t| t.contains("West 3rd Street"))
            .await;
        if size == "phone" {
            browser
                .js("document.getElementById('locate-form').scrollIntoView({block: 'start'}); return 0")
                .await;
        }
        fits(&browser, &format!("locate at {width}x{height}")).await;
        browser
            .screenshot_at(&format!("locate-{size}"), width, height)
            .await;
    }

    // Placing an incident already confirmed alerts the area: the dialog asks first.
    for (size, width, height) in SIZES {
        browser.resize(width, height).await;
        browser
            .goto(&format!("{}/incidents/{checkpoint}", app.base))
            .await;
        settle(&browser).await;
        browser.type_in("#where", "34.0690, -118.2915").await;
        browser
            .wait_text("#where-list", "a suggestion", |t| t.contains("coordinates"))
            .await;
        browser.press("#where", "\u{E00C}").await;
        browser.click("#place").await;
        browser
            .wait_text("#confirm-dialog-question", "the count", |t| {
                t.starts_with("Text 3 people")
            })
            .await;
        fits(&browser, &format!("confirm-locate at {width}x{height}")).await;
        browser
            .screenshot_at(&format!("confirm-locate-{size}"), width, height)
            .await;
        browser.click("#confirm-dialog-no").await;
    }
    assert!(
        app.incident(checkpoint).await["lat"].is_null(),
        "not placed when cancelled"
    );

    // The all-clear asks first (the dialog with its count), and the page without JavaScript.
    let sent = app.twilio.message_count();
    for (size, width, height) in SIZES {
        browser.resize(width, height).await;
        browser.goto(&format!("{}/incidents/{raid}", app.base)).await;
        settle(&browser).await;
        browser.click("#resolve").await;
        browser
            .wait_text("#confirm-dialog-question", "the count", |t| {
                t.starts_with("Text 3 people")
            })
            .await;
        fits(&browser, &format!("confirm-dialog at {width}x{height}")).await;
        browser
            .screenshot_at(&format!("confirm-dialog-{size}"), width, height)
            .await;
        browser.click("#confirm-dialog-no").await;
        browser
            .js("document.querySelector('form[data-confirm=false_alarm]').submit(); return 0;")
            .await;
        browser
            .wait_text("#confirm-question", "the question", |t| {
                t.starts_with("Text 3 people")
            })
            .await;
        fits(&browser, &format!("confirm-page at {width}x{height}")).await;
        browser
            .screenshot_at(&format!("confirm-page-{size}"), width, height)
            .await;
    }
    app.send_now().await;
    assert_eq!(app.twilio.message_count(), sent, "nothing sent unconfirmed");
    assert_eq!(app.incident(raid).await["status"], "confirmed");

    shoot(&browser, &app, "reports", "/reports", "#block-1").await;
    shoot(&browser, &app, "volunteers", "/volunteers", "#waiting").await;
    shoot(
        &browser,
        &app,
        "volunteer-new",
        "/volunteers/new",
        "#volunteer-form",
    )
    .await;
    shoot(
        &browser,
        &app,
        "volunteer",
        &format!("/volunteers/{beto}"),
        "#paused-by",
    )
    .await;
    let lockout = crate::mobilisations_rsvp::planned_and_answered(&app, [ANN, CARLOS, MINJUN]).await;
    shoot(
        &browser,
        &app,
        "mobilisations",
        "/mobilisations",
        "table.mobilisations",
    )
    .await;
    let change = format!("/mobilisations/{lockout}/change");
    shoot(&browser, &app, "mobilisation-change", &change, "#change").await;
    shoot(&browser, &app, "audit", "/audit", "table.audit").await;
    shoot(&browser, &app, "not-found", "/incidents/999", "main.narrow h1").await;
    assert_eq!(browser.text("h1").await, "No such incident");
    browser.quit().await;
    app.stop().await;
}
