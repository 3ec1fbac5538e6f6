//! Issue 11 through the real binary, on SQLite and PostgreSQL, for what `binary_trust` does
//! not cover: dashboard roles (point 9: a dispatcher cannot trust or approve, an admin can,
//! audited), Signal's trail (point 6: a Signal sender's number and account id are nowhere in
//! the database in clear), and a signal-cli daemon reached over plain http refused at start.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use tocsin_fakes::{FakeSignal, FakeSignalConfig};

use crate::binary::{start_with, tocsin};
use crate::binary_run::{on_backend, run_cli};
use crate::dashboard_http::{client, hidden, login_at, set_cookie};
use crate::disk::{files_in, found_in_files, found_in_rows, pg_rows_as_text_at, text};
use crate::helpers::{eventually, Backend, API_TOKEN, HOTLINE};

const PASSWORD: &str = "correct horse battery";
const SENDER: &str = "+13235550177";
const SENDER_UUID: &str = "5b9e7c1a-2f4d-4e8b-9a3c-71d0e6f8b245";
const ANN: &str = "+13235550102";

async fn api(http: &reqwest::Client, base: &str, path: &str) -> Value {
    http.get(format!("{base}/api/v1{path}"))
        .bearer_auth(API_TOKEN)
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .unwrap_or(Value::Null)
}

async fn scenario(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let bridge = FakeSignal::start(FakeSignalConfig::new(HOTLINE)).await.unwrap();
    let rpc_url = bridge.base_url();
    let mut env = vec![
        ("TOCSIN_SIGNAL__ACCOUNT", HOTLINE),
        ("TOCSIN_SIGNAL__RPC_URL", rpc_url.as_str()),
    ];
    if let Some(url) = &database_url {
        env.push(("TOCSIN_DATABASE__URL", url.as_str()));
    }
    crate::binary_run::migrated(dir.path(), &env);
    let run = |args: &[&str], stdin: Option<&str>| {
        let ran = run_cli(dir.path(), &env, args, stdin);
        assert!(ran.ok, "{args:?}: {}", ran.err);
        ran.out
    };
    run(&["user", "add", "maria"], Some(PASSWORD));
    run(&["user", "add", "ada", "--role", "admin"], Some(PASSWORD));
    run(
        &[
            "volunteer",
            "add",
            "--name",
            "Ann",
            "--phone",
            ANN,
            "--lat",
            "34.06",
            "--lon",
            "-118.30",
            "--radius-m",
            "500",
        ],
        None,
    );
    let server = start_with(dir.path(), None, &env).await;
    let http = client();
    let ann = api(&http, &server.base, "/volunteers").await["volunteers"][0]["id"]
        .as_i64()
        .expect("Ann listed");

    // Point 9: trusting a volunteer on the dashboard is an admin's act.
    let sign_in = |name: &'static str| {
        let (http, base) = (http.clone(), server.base.clone());
        async move {
            let resp = login_at(&base, &http, name, PASSWORD).await;
            let (cookie, _) = set_cookie(&resp, "tocsin_session").expect("logged in");
            let page = http
                .get(format!("{base}/volunteers/{ann}"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            let csrf = hidden(&page.text().await.unwrap(), "csrf");
            (cookie, csrf)
        }
    };
    let trust = |(cookie, csrf): (String, String)| {
        let (http, base) = (http.clone(), server.base.clone());
        async move {
            let form = [
                ("csrf", csrf.as_str()),
                ("action", "save"),
                ("name", "Ann"),
                ("language", "en"),
                ("channel", "sms"),
                ("trusted", "on"),
            ];
            let resp = http
                .post(format!("{base}/volunteers/{ann}"))
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .unwrap();
            (resp.status(), resp.text().await.unwrap_or_default())
        }
    };
    let (status, body) = trust(sign_in("maria").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("Only an admin can"), "{body}");
    assert_eq!(
        api(&http, &server.base, &format!("/volunteers/{ann}")).await["trusted"],
        false
    );
    let (status, _) = trust(sign_in("ada").await).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        api(&http, &server.base, &format!("/volunteers/{ann}")).await["trusted"],
        true
    );
    let audit = api(&http, &server.base, "/audit").await;
    let entries = audit["entries"].as_array().expect("entries");
    assert!(
        entries
            .iter()
            .any(|e| e["actor"] == "ada" && e["action"] == "volunteer_trust"),
        "{audit}"
    );
    assert!(!entries
        .iter()
        .any(|e| e["actor"] == "maria" && e["action"] == "volunteer_trust"));

    // Point 6: a report over Signal leaves the sender's number and account id nowhere in clear.
    assert!(
        bridge.wait_for_subscribers(1, Duration::from_secs(15)).await,
        "tocsin follows the bridge"
    );
    bridge.register(SENDER, SENDER_UUID);
    bridge.incoming(SENDER, "Agents at the bus depot on 3rd");
    let reported = eventually(Duration::from_secs(15), || async {
        api(&http, &server.base, "/reports").await["reports"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    })
    .await;
    assert!(reported, "the Signal report arrived");
    assert!(
        eventually(Duration::from_secs(15), || async {
            !bridge.sent_to(SENDER).is_empty()
        })
        .await,
        "acknowledged on Signal"
    );
    let needles = [
        text("number", SENDER),
        text("number without +", &SENDER[1..]),
        text("account id", SENDER_UUID),
        text("account id upper", &SENDER_UUID.to_uppercase()),
        text("Ann's number", ANN),
    ];
    let control = [text("an account name, kept in clear", "maria")];
    let (found, seen) = match &database_url {
        None => {
            let files: Vec<_> = files_in(dir.path())
                .into_iter()
                .filter(|(name, _)| name.starts_with("tocsin.db"))
                .collect();
            (found_in_files(&files, &needles), found_in_files(&files, &control))
        }
        Some(url) => {
            let rows = pg_rows_as_text_at(url).await;
            (found_in_rows(&rows, &needles), found_in_rows(&rows, &control))
        }
    };
    assert!(!seen.is_empty(), "the scan reads the data");
    assert!(found.is_empty(), "in clear: {found:?}");
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_and_signals_trail_through_the_binary_on_sqlite() {
    on_backend(Backend::Sqlite, scenario).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_and_signals_trail_through_the_binary_on_postgres() {
    on_backend(Backend::Postgres, scenario).await;
}

#[test]
fn a_signal_daemon_over_plain_http_to_another_machine_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = tocsin(dir.path(), None, 1)
        .env("TOCSIN_SIGNAL__ACCOUNT", HOTLINE)
        .env("TOCSIN_SIGNAL__RPC_URL", "http://10.20.30.40:8080/api/v1/rpc")
        .arg("serve")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "refused");
    assert!(
        stderr.contains("signal.rpc_url") && stderr.contains("plain http"),
        "{stderr}"
    );
    // Loopback, or https elsewhere, is accepted by the check (here: fails later, or runs).
    crate::binary_run::migrated(dir.path(), &[]);
    let out = tocsin(dir.path(), None, 1)
        .env("TOCSIN_SIGNAL__ACCOUNT", HOTLINE)
        .env("TOCSIN_SIGNAL__RPC_URL", "https://signal.example.org/api/v1/rpc")
        .args(["user", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
