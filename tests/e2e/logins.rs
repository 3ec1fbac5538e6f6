//! Logins under attack (issue 11, point 8), over HTTP: an account locks after
//! `dashboard.lockout_after` wrong passwords (audited, the right password refused meanwhile,
//! an unknown name answered the same), a burst of attempts is turned away with 429 while
//! another account still gets in, the login form's CSRF token is the server's, and the
//! client address comes from the proxy's header only when it is trusted.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tocsin::domain::Role;

use crate::dashboard_http::{client, hidden, login, set_cookie};
use crate::helpers::{spawn_app_with, Backend, TestApp};

const RIGHT: &str = "correct horse battery";

async fn actions(app: &TestApp) -> Vec<(String, String)> {
    let (_, audit) = app.get("/audit").await;
    audit["entries"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
                    (s("action"), s("detail"))
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn locks_after_wrong_passwords(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.dashboard.lockout_after = 3;
        s.dashboard.lockout_minutes = 15;
    })
    .await;
    for name in ["maria", "ben"] {
        tocsin::accounts::add_user(app.core(), name, Role::Dispatcher, RIGHT)
            .await
            .unwrap();
    }
    let http = client();
    for _ in 0..2 {
        let resp = login(&app, &http, "maria", "wrong password!").await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    // A good login in between starts the count again.
    let resp = login(&app, &http, "maria", RIGHT).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    for _ in 0..2 {
        login(&app, &http, "maria", "wrong password!").await;
    }
    let third = login(&app, &http, "maria", "wrong password!").await;
    assert_eq!(
        third.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the third in a row locks"
    );
    assert_eq!(third.headers()["retry-after"], "900");
    let text = third.text().await.unwrap();
    assert!(text.contains("locked for 15 more minutes"), "{text}");
    // Locked: even the right password is refused, and says so.
    let resp = login(&app, &http, "maria", RIGHT).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        set_cookie(&resp, "tocsin_session").is_none(),
        "no session while locked"
    );
    assert!(resp.text().await.unwrap().contains("tocsin user unlock"));
    // Another account is not touched.
    let resp = login(&app, &http, "ben", RIGHT).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let log = actions(&app).await;
    assert!(
        log.iter()
            .any(|(a, d)| a == "login_locked" && d.starts_with("maria after 3 failed logins")),
        "{log:?}"
    );
    assert_eq!(log.iter().filter(|(a, _)| a == "login").count(), 2, "{log:?}");
    // An unknown name locks the same way: nothing tells which names exist.
    for _ in 0..2 {
        let resp = login(&app, &http, "nobody", "wrong password!").await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    let resp = login(&app, &http, "nobody", "wrong password!").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.text().await.unwrap().contains("locked for 15 more minutes"));
    // An admin unlocks: the right password works again.
    assert!(app.core().store.unlock_user("maria").await.unwrap());
    let resp = login(&app, &http, "maria", RIGHT).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_locks_after_wrong_passwords_on_sqlite() {
    locks_after_wrong_passwords(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_locks_after_wrong_passwords_on_postgres() {
    locks_after_wrong_passwords(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_wrong_logins_is_turned_away_while_another_account_gets_in() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.dashboard.lockout_after = 1000).await;
    for name in ["maria", "ben"] {
        tocsin::accounts::add_user(app.core(), name, Role::Dispatcher, RIGHT)
            .await
            .unwrap();
    }
    let http = client();
    let form = http.get(format!("{}/login", app.base)).send().await.unwrap();
    let csrf = hidden(&form.text().await.unwrap(), "csrf");
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..40 {
        let (http, url, csrf) = (http.clone(), format!("{}/login", app.base), csrf.clone());
        // Half against one account, half against names of their own.
        let name = if i % 2 == 0 {
            "maria".to_string()
        } else {
            format!("guess{i}")
        };
        burst.spawn(async move {
            let resp = http
                .post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("username", &name),
                    ("password", "wrong password!"),
                ])
                .send()
                .await
                .unwrap();
            let retry = resp.headers().get("retry-after").is_some();
            (resp.status(), retry)
        });
    }
    // Meanwhile ben logs in. Turned away, he tries again each time an attempt of the burst has
    // been answered (its place at the gate is free); with the burst over nothing holds him back.
    let mut answers = Vec::new();
    let mut ben = login(&app, &http, "ben", RIGHT).await;
    for _ in 0..=40 {
        if ben.status() != StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        if let Some(done) = burst.join_next().await {
            answers.push(done.unwrap());
        }
        ben = login(&app, &http, "ben", RIGHT).await;
    }
    assert_eq!(
        ben.status(),
        StatusCode::SEE_OTHER,
        "ben gets in during the burst"
    );
    while let Some(done) = burst.join_next().await {
        answers.push(done.unwrap());
    }
    let (mut wrong, mut busy) = (0, 0);
    for answer in answers {
        match answer {
            (StatusCode::UNAUTHORIZED, _) => wrong += 1,
            (StatusCode::TOO_MANY_REQUESTS, true) => busy += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!(wrong + busy, 40);
    assert!(busy > 0, "some were turned away at once");
    assert!(wrong > 0, "some were checked");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_csrf_token_is_the_servers_and_other_sites_cannot_post() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    tocsin::accounts::add_user(app.core(), "maria", Role::Dispatcher, RIGHT)
        .await
        .unwrap();
    let http = client();
    let post = |fields: Vec<(&'static str, String)>, headers: Vec<(&'static str, &'static str)>| {
        let mut req = http.post(format!("{}/login", app.base)).form(&fields);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.send()
    };
    let with = |csrf: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("username", "maria".to_string()),
            ("password", RIGHT.to_string()),
        ]
    };
    // A pair of the client's choosing, as the old cookie/field check accepted.
    let resp = post(with("chosen"), vec![("cookie", "tocsin_login=chosen")])
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.text().await.unwrap().contains("expired (csrf)"));
    // A token of another server (another key) is not this one's.
    let other = tocsin::login::LoginCsrf::new([1; 32]).issue(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    assert_eq!(
        post(with(&other), vec![]).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // The server's own token, with no cookie at all.
    let form = http.get(format!("{}/login", app.base)).send().await.unwrap();
    assert!(
        set_cookie(&form, "tocsin_login").is_none(),
        "no cookie to pair with"
    );
    let csrf = hidden(&form.text().await.unwrap(), "csrf");
    // Posted from another site's page (the browser says so): refused, whatever the token.
    let resp = post(with(&csrf), vec![("sec-fetch-site", "cross-site")])
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.text().await.unwrap().contains("another site"));
    let resp = post(with(&csrf), vec![("sec-fetch-site", "same-origin")])
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie(&resp, "tocsin_session").is_some());
    app.stop().await;
}

/// Five failures from one address slow its next try (`throttle`), whatever name it tries.
async fn sixth_try_waits(app: &TestApp, http: &reqwest::Client, from: &str, tag: &str) -> bool {
    let form = http.get(format!("{}/login", app.base)).send().await.unwrap();
    let csrf = hidden(&form.text().await.unwrap(), "csrf");
    let started = Instant::now();
    http.post(format!("{}/login", app.base))
        .header("x-forwarded-for", from)
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", tag),
            ("password", "wrong password!"),
        ])
        .send()
        .await
        .unwrap();
    started.elapsed() >= Duration::from_secs(2)
}

async fn fail_five_times(app: &TestApp, http: &reqwest::Client, from: &str) {
    for i in 0..5 {
        assert!(!sixth_try_waits(app, http, from, &format!("name{i}")).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_header_names_the_client_only_when_trusted() {
    // Trusted: each address is slowed on its own, by the right-most entry.
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.http.trusted_proxy_header = Some("X-Forwarded-For".into());
    })
    .await;
    let http = client();
    fail_five_times(&app, &http, "6.6.6.6, 203.0.113.9").await;
    assert!(
        sixth_try_waits(&app, &http, "7.7.7.7, 203.0.113.9", "x").await,
        "same client"
    );
    assert!(
        !sixth_try_waits(&app, &http, "6.6.6.6, 198.51.100.7", "y").await,
        "another client"
    );
    app.stop().await;

    // Not trusted: a header the client writes changes nothing.
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    fail_five_times(&app, &http, "203.0.113.9").await;
    assert!(
        sixth_try_waits(&app, &http, "198.51.100.7", "z").await,
        "spoofing does not help"
    );
    app.stop().await;
}
