//! `tocsin demo` through the real binary, with nothing set in the environment: it prints the
//! dashboard, a login and an API token; its scripted night reaches an all-clear within a
//! minute, seen through the API with the printed token; the printed login works; its logs
//! hold no number and no message text; and it reads no configuration.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::dashboard_http::{client, login_at};

/// The demo's process, killed when the test ends however it ends.
pub(crate) struct Demo {
    child: Child,
    pub(crate) base: String,
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) token: String,
    pub(crate) log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `tocsin demo` with `args` and reads its three lines (at most `within`).
pub(crate) fn start_demo(args: &[&str], within: Duration) -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("demo.log");
    let port = free_port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .current_dir(dir.path())
        .env_clear()
        .env("TMPDIR", dir.path())
        // Ignored: the demo reads no configuration (else it would fail on both).
        .env("TOCSIN_CONFIG", dir.path().join("missing.toml"))
        .env("TOCSIN_DATABASE__URL", "postgres://tocsin@127.0.0.1:1/none")
        .args(["demo", "--port", &port])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("tocsin demo starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + within;
    let mut lines = Vec::new();
    while lines.len() < 3 {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the demo printed {lines:?} only; its log:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        }
    }
    let base = lines[0]
        .strip_prefix("dashboard: ")
        .and_then(|url| url.strip_suffix('/'))
        .unwrap_or_else(|| panic!("first line: {:?}", lines[0]))
        .to_string();
    assert_eq!(base, format!("http://127.0.0.1:{port}"), "the port asked for");
    let login = lines[1]
        .strip_prefix("login: ")
        .unwrap_or_else(|| panic!("second line: {:?}", lines[1]));
    let (user, password) = login.split_once(' ').expect("login: NAME PASSWORD");
    let token = lines[2]
        .strip_prefix("api token: ")
        .unwrap_or_else(|| panic!("third line: {:?}", lines[2]));
    Demo {
        child,
        base,
        user: user.to_string(),
        password: password.to_string(),
        token: token.to_string(),
        log,
        _dir: dir,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_plays_a_night_to_the_all_clear_and_its_login_works() {
    let started = Instant::now();
    let demo = start_demo(&["--speed", "10"], Duration::from_secs(30));
    let http = client();

    let mut seen = Value::Null;
    let mut all_clear = false;
    while started.elapsed() < Duration::from_secs(60) {
        let resp = http
            .get(format!("{}/api/v1/incidents", demo.base))
            .bearer_auth(&demo.token)
            .send()
            .await
            .expect("API answered");
        assert_eq!(resp.status(), StatusCode::OK, "the printed token is taken");
        seen = resp.json().await.expect("JSON");
        let incidents = seen["incidents"].as_array().cloned().unwrap_or_default();
        if incidents.iter().any(|i| i["status"] == "all_clear") {
            all_clear = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let log = std::fs::read_to_string(&demo.log).unwrap_or_default();
    assert!(all_clear, "no all-clear within 60 s: {seen}\n{log}");
    let incidents = seen["incidents"].as_array().cloned().unwrap_or_default();
    let raid = incidents
        .iter()
        .find(|i| i["status"] == "all_clear")
        .expect("the all-clear");
    assert_eq!(raid["reporters"], 3, "three witnesses merged into one: {raid}");
    assert_eq!(raid["confirmed_by"], "verifier", "{raid}");
    assert!(raid["escalation_step"].as_i64() >= Some(1), "escalated: {raid}");
    let counts = &raid["counts"];
    assert!(counts["coming"].as_i64() >= Some(5), "volunteers came: {raid}");
    assert!(counts["cant"].as_i64() >= Some(1), "some could not: {raid}");
    assert!(
        incidents.iter().any(|i| i["status"] == "not_found"),
        "the rumour was checked and found to be nothing: {seen}"
    );

    let wrong = login_at(&demo.base, &http, &demo.user, "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let resp = login_at(&demo.base, &http, &demo.user, &demo.password).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "the printed login works");

    for secret in [
        "+1213555", "+1323555", "+1310555", "+1626555", "ICE raid", "Redada",
    ] {
        assert!(!log.contains(secret), "the demo's log holds {secret:?}");
    }
    assert!(
        log.contains("demo night over: all clear"),
        "the script logs its steps"
    );
}
