//! Logins through the real binary, on SQLite and PostgreSQL: an account made with `tocsin user
//! add` locks after `dashboard.lockout_after` wrong passwords while `tocsin serve` runs, `tocsin
//! user list` shows it locked, `tocsin user unlock` frees it at once, and the audit log holds
//! the lock, the unlock and the login.

use crate::binary::start_with;
use crate::binary_run::{on_backend, run_cli};
use crate::dashboard_http::{client, login_at};
use crate::helpers::{Backend, API_TOKEN};
use reqwest::StatusCode;

const RIGHT: &str = "correct horse battery";

async fn lock_and_unlock(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![("TOCSIN_DASHBOARD__LOCKOUT_AFTER", "3")];
    if let Some(url) = &database_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    let run = |args: &[&str], stdin: Option<&str>| {
        let ran = run_cli(dir.path(), &env, args, stdin);
        (ran.ok, ran.out, ran.err)
    };
    let (ok, _, err) = run(&["user", "add", "maria"], Some(RIGHT));
    assert!(ok, "{err}");
    let server = start_with(dir.path(), None, &env).await;
    let http = client();
    for _ in 0..2 {
        let resp = login_at(&server.base, &http, "maria", "wrong password!").await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    let resp = login_at(&server.base, &http, "maria", "wrong password!").await;
    assert_eq!(
        resp.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "locked at the third"
    );
    let resp = login_at(&server.base, &http, "maria", RIGHT).await;
    assert_eq!(
        resp.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password"
    );

    let (_, listed, _) = run(&["user", "list"], None);
    assert!(
        listed.contains("maria\tdispatcher\tlocked for 15 more minutes"),
        "{listed}"
    );
    let (ok, _, err) = run(&["user", "unlock", "ghost"], None);
    assert!(!ok && err.contains("NAME: no account named ghost"), "{err}");
    let (ok, out, err) = run(&["user", "unlock", "maria"], None);
    assert!(ok && out.contains("unlocked maria"), "{out}{err}");
    let (_, listed, _) = run(&["user", "list"], None);
    assert!(!listed.contains("locked"), "{listed}");

    let resp = login_at(&server.base, &http, "maria", RIGHT).await;
    assert_eq!(
        resp.status(),
        StatusCode::SEE_OTHER,
        "the running server sees the unlock"
    );

    let audit: serde_json::Value = http
        .get(format!("{}/api/v1/audit", server.base))
        .bearer_auth(API_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<(&str, &str, &str)> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("");
            (s("actor"), s("action"), s("detail"))
        })
        .collect();
    for wanted in [
        (
            "tocsin",
            "login_locked",
            "maria after 3 failed logins, for 15 minutes",
        ),
        ("cli", "user_unlock", "maria"),
        ("maria", "login", "dashboard"),
    ] {
        assert!(actions.contains(&wanted), "{wanted:?} in {actions:?}");
    }
    let log = std::fs::read_to_string(&server.log).unwrap_or_default();
    assert!(
        !log.contains(RIGHT) && !log.contains("wrong password!"),
        "no password in the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_locks_and_unlocks_an_account_on_sqlite() {
    on_backend(Backend::Sqlite, lock_and_unlock).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_locks_and_unlocks_an_account_on_postgres() {
    on_backend(Backend::Postgres, lock_and_unlock).await;
}
