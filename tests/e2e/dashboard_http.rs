//! The dashboard's rules at the HTTP level, without a browser: pages need a session, forms
//! need its CSRF token, admin pages need an admin, every page carries a strict CSP, failed
//! logins are slowed, and the session cookie is what the spec says.

use reqwest::redirect::Policy;
use reqwest::StatusCode;
use tocsin::domain::Role;

use crate::helpers::{spawn_app, spawn_app_with, Backend};

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// `name=value` of the cookie set by a response.
pub(crate) fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<(String, String)> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            let pair = v.split(';').next().unwrap_or("").to_string();
            (pair, v.to_string())
        })
}

pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .expect("hidden field");
    html[start..].split('"').next().unwrap_or("").to_string()
}

pub(crate) async fn login(
    app: &crate::helpers::TestApp,
    http: &reqwest::Client,
    name: &str,
    password: &str,
) -> reqwest::Response {
    login_at(&app.base, http, name, password).await
}

/// The login form of the server at `base`, filled in and posted.
pub(crate) async fn login_at(
    base: &str,
    http: &reqwest::Client,
    name: &str,
    password: &str,
) -> reqwest::Response {
    let form = http
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("login form");
    let csrf = hidden(&form.text().await.expect("html"), "csrf");
    http.post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", name),
            ("password", password),
        ])
        .send()
        .await
        .expect("login answered")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_needs_a_session_a_csrf_token_and_the_right_role() {
    let app = spawn_app(Backend::Sqlite).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, "correct horse battery")
        .await
        .unwrap();
    let http = client();

    let resp = http.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/login");
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    for path in ["/fragments/queue", "/events", "/incidents/1/live"] {
        let resp = http.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
    }

    let resp = login(&app, &http, "maria", "wrong password!").await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.text().await.unwrap().contains("Wrong username or password"));

    let resp = login(&app, &http, "maria", "correct horse battery").await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (session, raw) = set_cookie(&resp, "tocsin_session").expect("session cookie");
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Strict") && raw.contains("Path=/"),
        "{raw}"
    );
    assert!(!raw.contains("Secure"), "http public_url: no Secure flag");

    let page = http
        .get(format!("{}/", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<script>") && !html.contains(" on"),
        "no inline script or handlers"
    );
    let csrf = hidden(&html, "csrf");

    let (_, report) = app
        .post(
            "/reports",
            serde_json::json!({"text": "raid at 34.0617, -118.3005"}),
        )
        .await;
    let incident = report["incident_id"].as_i64().unwrap();
    let url = format!("{}/incidents/{incident}/act", app.base);
    let forged = http
        .post(&url)
        .header("cookie", &session)
        .form(&[("action", "verify")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let forged = http
        .post(&url)
        .header("cookie", &session)
        .form(&[("action", "verify"), ("csrf", "guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "wrong CSRF token");
    assert_eq!(app.incident(incident).await["status"], "unverified");
    let done = http
        .post(&url)
        .header("cookie", &session)
        .form(&[("action", "verify"), ("csrf", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.incident(incident).await["status"], "confirmed");
    let again = http
        .post(url.replace("/act", "/locate"))
        .header("cookie", &session)
        .form(&[("where", "95, 0"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("where: latitude 95 is outside -90..90"));

    let audit = http
        .get(format!("{}/audit", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(
        audit.status(),
        StatusCode::FORBIDDEN,
        "dispatchers do not see the audit log"
    );
    let entries = app.core().store.audit_entries(10).await.unwrap();
    assert!(entries
        .iter()
        .any(|e| e.action == "confirm" && e.actor == "maria" && e.incident_id == Some(incident)));

    // Roles are set in the volunteer form (verifier, drill group), by admins only (issue 11):
    // a dispatcher's form that sets them is refused (tests/e2e/vetting_dashboard.rs has more).
    let added = http
        .post(format!("{}/volunteers", app.base))
        .header("cookie", &session)
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Vera"),
            ("phone", "+13235550177"),
            ("language", "en"),
            ("channel", "sms"),
            ("verifier", "on"),
            ("drill", "on"),
            ("lat", "34.06"),
            ("lon", "-118.30"),
            ("radius_m", "800"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::FORBIDDEN);
    let (_, list) = app.get("/volunteers").await;
    assert_eq!(
        list["volunteers"],
        serde_json::json!([]),
        "Vera not added: {list}"
    );

    let out = http
        .post(format!("{}/logout", app.base))
        .header("cookie", &session)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = http
        .get(format!("{}/", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "the session is gone after logout"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failed_logins_are_slowed_and_say_so() {
    let app = spawn_app(Backend::Sqlite).await;
    let http = client();
    for _ in 0..5 {
        login(&app, &http, "nobody", "not the password").await;
    }
    let started = std::time::Instant::now();
    let resp = login(&app, &http, "nobody", "not the password").await;
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(2),
        "the sixth try waits"
    );
    assert!(resp.text().await.unwrap().contains("slowed down"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_splits_a_wrongly_merged_report_out_and_sees_the_history() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.dispatch.merge_m = 300.0).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, "correct horse battery")
        .await
        .unwrap();
    let http = client();
    let resp = login(&app, &http, "maria", "correct horse battery").await;
    let (session, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");
    let mut reports = Vec::new();
    for text in ["raid at 34.0617, -118.3005", "raid at 34.0619, -118.3007"] {
        let (_, r) = app.post("/reports", serde_json::json!({"text": text})).await;
        reports.push((
            r["incident_id"].as_i64().unwrap(),
            r["report_id"].as_i64().unwrap(),
        ));
    }
    let incident = reports[0].0;
    assert_eq!(reports[1].0, incident, "merged");
    let page = http
        .get(format!("{}/incidents/{incident}", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2 independent reporters"),
        "the history shows why it is verifying"
    );
    let csrf = hidden(&page, "csrf");
    let second = reports[1].1.to_string();
    let split = http
        .post(format!("{}/incidents/{incident}/act", app.base))
        .header("cookie", &session)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "split"),
            ("report_id", second.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(split.status(), StatusCode::SEE_OTHER);
    let location = split.headers()["location"].to_str().unwrap().to_string();
    let new_id = app.latest_incident_id().await;
    assert_ne!(new_id, incident);
    assert_eq!(location, format!("/incidents/{new_id}?done=split"));
    assert_eq!(app.incident(new_id).await["reporters"], 1);
    assert_eq!(app.incident(incident).await["reporters"], 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_sees_held_reports_and_blocks_and_unblocks_a_sender() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.intake.max_reports_per_number_per_hour = 2;
    })
    .await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, "correct horse battery")
        .await
        .unwrap();
    let http = client();
    let resp = login(&app, &http, "maria", "correct horse battery").await;
    let (session, _) = set_cookie(&resp, "tocsin_session").expect("session cookie");
    let flooder = "+13235550401";
    for i in 0..3 {
        app.text(
            flooder,
            &format!("<script>alert({i})</script> raid at 34.06, -118.30"),
        )
        .await;
    }
    let get_page = || async {
        http.get(format!("{}/reports", app.base))
            .header("cookie", &session)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let page = get_page().await;
    assert!(page.contains(">rate_limited<"), "the third report is held");
    assert!(!page.contains("<script>alert"), "report text is escaped");
    assert!(!page.contains(&flooder[2..]), "no number on the page");
    let (_, reports) = app.get("/reports").await;
    let first = reports["reports"].as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap();
    let csrf = hidden(&page, "csrf");
    let post = |fields: Vec<(&'static str, String)>| {
        let (http, session, base) = (&http, &session, &app.base);
        async move {
            http.post(format!("{base}/reports"))
                .header("cookie", session)
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };
    let done = post(vec![
        ("csrf", csrf.clone()),
        ("action", "block".into()),
        ("report_id", first.to_string()),
        ("reason", "flooding".into()),
    ])
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    app.text(flooder, "raid again").await;
    let (_, reports) = app.get("/reports").await;
    assert_eq!(reports["reports"][0]["flagged"], "blocked");
    let (_, blocked) = app.get("/blocklist").await;
    let block = blocked["blocked"][0]["id"].as_i64().expect("a block");
    assert_eq!(blocked["blocked"][0]["reason"], "flooding");
    let entries = app.core().store.audit_entries(10).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "block" && e.actor == "maria"));
    let refused = post(vec![
        ("csrf", "guess".into()),
        ("action", "unblock".into()),
        ("id", block.to_string()),
    ])
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "CSRF is checked");
    let done = post(vec![
        ("csrf", csrf),
        ("action", "unblock".into()),
        ("id", block.to_string()),
    ])
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let (_, blocked) = app.get("/blocklist").await;
    assert_eq!(blocked["blocked"].as_array().map(Vec::len), Some(0));
    app.stop().await;
}
