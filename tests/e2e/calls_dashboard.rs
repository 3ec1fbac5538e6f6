//! The dashboard's volunteer page shows and changes when a volunteer is called after a
//! confirmed alert's text (issue 17 §2), as the API and the CLI do.

use reqwest::StatusCode;
use serde_json::json;
use tocsin::domain::Role;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{spawn_app, Backend};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sees_and_changes_when_a_volunteer_is_called() {
    let app = spawn_app(Backend::Sqlite).await;
    tocsin::accounts::add_user(app.core(), "ana", Role::Admin, "correct horse battery")
        .await
        .unwrap();
    let (status, v) = app
        .post(
            "/volunteers",
            json!({"name": "Rosa", "phone": "+13235550601", "call": "night",
                "area": {"type": "circle", "lat": 34.06, "lon": -118.3, "radius_m": 800.0}}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let id = v["id"].as_i64().expect("id");
    let http = client();
    let resp = login(&app, &http, "ana", "correct horse battery").await;
    let (session, _) = set_cookie(&resp, "tocsin_session").expect("session");
    let page = |http: reqwest::Client, session: String| {
        let url = format!("{}/volunteers/{id}", app.base);
        async move {
            let resp = http.get(url).header("cookie", session).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            resp.text().await.unwrap()
        }
    };
    let html = page(http.clone(), session.clone()).await;
    assert!(html.contains("<option value=\"night\" selected>"), "{html}");
    assert!(html.contains("22-7"), "the night hours are named");

    let csrf = hidden(&html, "csrf");
    let saved = http
        .post(format!("{}/volunteers/{id}", app.base))
        .header("cookie", &session)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "save"),
            ("name", "Rosa"),
            ("language", "en"),
            ("channel", "sms"),
            ("call", "always"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        saved.status(),
        StatusCode::SEE_OTHER,
        "{}",
        saved.text().await.unwrap_or_default()
    );
    let (_, v) = app.get(&format!("/volunteers/{id}")).await;
    assert_eq!(v["call"], "always", "{v}");
    let html = page(http.clone(), session.clone()).await;
    assert!(html.contains("<option value=\"always\" selected>"));

    // Anything else is refused, naming the field, and changes nothing.
    let refused = http
        .post(format!("{}/volunteers/{id}", app.base))
        .header("cookie", &session)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "save"),
            ("name", "Rosa"),
            ("language", "en"),
            ("call", "sometimes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("call"));
    let (_, v) = app.get(&format!("/volunteers/{id}")).await;
    assert_eq!(v["call"], "always");
}
