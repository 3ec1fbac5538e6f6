//! Whole phone numbers on the dashboard: lists (the roster, an incident's alerted volunteers)
//! show the last four digits to everyone; an admin sees one volunteer's whole number on their
//! page, and that read is in the audit log; a dispatcher never sees it.

use std::time::Duration;

use serde_json::json;
use tocsin::domain::Role;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

const ANN: &str = "+13235550102";
const PASSWORD: &str = "correct horse battery";

/// A session cookie for a new account (the login form has its own tests).
async fn session(app: &TestApp, name: &str, role: Role) -> String {
    tocsin::accounts::add_user(app.core(), name, role, PASSWORD)
        .await
        .expect("account");
    let logins = tocsin::login::Logins::new(app.core().store.vault());
    let tocsin::login::Attempt::In(user) = logins.attempt(app.core(), name, PASSWORD).await.expect("store")
    else {
        panic!("the password is right");
    };
    let opened = tocsin::accounts::open_session(app.core(), &user)
        .await
        .expect("session");
    format!("tocsin_session={}", opened.token)
}

async fn page(app: &TestApp, cookie: &str, path: &str) -> String {
    let resp = app
        .http
        .get(format!("{}{path}", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.expect("html")
}

async fn phone_reads(app: &TestApp) -> Vec<serde_json::Value> {
    let (status, audit) = app.get("/audit").await;
    assert_eq!(status, 200, "{audit}");
    audit["entries"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|e| e["action"] == "volunteer_phone_read")
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

async fn admins_see_a_whole_number_only_on_the_volunteers_page_and_it_is_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app
        .volunteer("Ann", ANN, "en", false, 34.06, -118.3, 1000.0)
        .await;
    let (status, report) = app
        .post("/reports", json!({"text": "raid", "lat": 34.06, "lon": -118.3}))
        .await;
    assert_eq!(status, 201);
    let incident = report["incident_id"].as_i64().expect("incident");
    assert_eq!(
        app.post(&format!("/incidents/{incident}/confirm"), json!({}))
            .await
            .0,
        200
    );
    app.twilio.wait_for_messages(1, Duration::from_secs(15)).await;
    let ada = session(&app, "ada", Role::Admin).await;
    let maria = session(&app, "maria", Role::Dispatcher).await;

    for cookie in [&ada, &maria] {
        let list = page(&app, cookie, "/volunteers").await;
        assert!(
            list.contains("•••0102") && !list.contains(ANN),
            "roster masked: {list}"
        );
        let inc = page(&app, cookie, &format!("/incidents/{incident}")).await;
        assert!(
            inc.contains("•••0102") && !inc.contains(ANN),
            "alerted list masked: {inc}"
        );
        let live = page(&app, cookie, &format!("/incidents/{incident}/live")).await;
        assert!(!live.contains(ANN), "the live fragment too");
    }
    let own = page(&app, &maria, &format!("/volunteers/{ann}")).await;
    assert!(
        own.contains("•••0102") && !own.contains(ANN),
        "a dispatcher: masked"
    );
    assert!(phone_reads(&app).await.is_empty(), "no whole number shown yet");

    let own = page(&app, &ada, &format!("/volunteers/{ann}")).await;
    assert!(
        own.contains(ANN),
        "an admin sees the whole number on the volunteer's page"
    );
    let reads = phone_reads(&app).await;
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0]["actor"], "ada");
    assert_eq!(reads[0]["volunteer_id"].as_i64(), Some(ann));
    assert_eq!(reads[0]["detail"], "dashboard");
    app.stop().await;
}
on_both_backends!(admins_see_a_whole_number_only_on_the_volunteers_page_and_it_is_audited);
