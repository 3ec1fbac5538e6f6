//! The real `tocsin` binary, started as an operator would, against the fake Twilio: the whole
//! flow works, the key file is private, and the logs never hold a number or a message body.

use std::process::{Child, Command};
use std::time::Duration;

use serde_json::{json, Value};
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig, Outcome, Signing};

use crate::helpers::{eventually, ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, HOTLINE};

const REPORTER: &str = "+13235550181";
pub(crate) const VOLUNTEER: &str = "+13235550182";
const LANDLINE: &str = "+13235550184";
const BODY: &str = "Redada en la esquina 34.0617, -118.3005 ayuda";

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) base: String,
    pub(crate) log: std::path::PathBuf,
}

impl Drop for Server {
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

pub(crate) fn tocsin(dir: &std::path::Path, twilio: Option<&FakeTwilio>, port: u16) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tocsin"));
    cmd.current_dir(dir)
        .env_clear()
        .env("TOCSIN_LOG", "debug")
        .env("TOCSIN_HTTP__BIND", format!("127.0.0.1:{port}"))
        .env("TOCSIN_HTTP__PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env(
            "TOCSIN_DATABASE__URL",
            format!("sqlite://{}/tocsin.db", dir.display()),
        )
        .env("TOCSIN_CRYPTO__KEY_FILE", dir.join("secret/tocsin.key"))
        .env("TOCSIN_API__TOKEN", API_TOKEN)
        .env("TOCSIN_TWILIO__MPS", "1000")
        .env("TOCSIN_SIGNAL__MPS", "1000");
    if let Some(t) = twilio {
        cmd.env("TOCSIN_TWILIO__ACCOUNT_SID", ACCOUNT_SID)
            .env("TOCSIN_TWILIO__AUTH_TOKEN", AUTH_TOKEN)
            .env("TOCSIN_TWILIO__FROM", HOTLINE)
            .env("TOCSIN_TWILIO__API_BASE", t.base_url());
    }
    cmd
}

pub(crate) async fn start(dir: &std::path::Path, twilio: Option<&FakeTwilio>) -> Server {
    start_with(dir, twilio, &[]).await
}

/// `tocsin serve` with these extra settings (environment variables); its log goes to
/// `dir/tocsin.log`, appended to across restarts.
pub(crate) async fn start_with(
    dir: &std::path::Path,
    twilio: Option<&FakeTwilio>,
    env: &[(&str, &str)],
) -> Server {
    let port = free_port();
    let log = dir.join("tocsin.log");
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    let child = tocsin(dir, twilio, port)
        .envs(env.iter().copied())
        .arg("serve")
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .expect("the tocsin binary starts");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let up = eventually(Duration::from_secs(20), || async {
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
    })
    .await;
    assert!(
        up,
        "tocsin serve did not come up: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    Server { child, base, log }
}

pub(crate) async fn call(http: &reqwest::Client, method: reqwest::Method, url: String, body: Value) -> Value {
    let resp = http
        .request(method, url)
        .bearer_auth(API_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    resp.json().await.unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_the_whole_flow_and_logs_no_number_or_text() {
    let dir = tempfile::tempdir().unwrap();
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .unwrap();
    let server = start(dir.path(), Some(&twilio)).await;
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1", server.base);

    let health: Value = http
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["sms"], "configured");
    assert_eq!(
        (&health["status"], &health["problems"]),
        (&Value::from("ok"), &serde_json::json!([])),
        "{health}"
    );
    // Dee's number is a landline Twilio refuses (21211): its error text quotes the number.
    twilio.set_outcome(LANDLINE, Outcome::Reject(21211));
    for (name, phone, trusted) in [
        ("Rosa", REPORTER, true),
        ("Ann", VOLUNTEER, false),
        ("Dee", LANDLINE, false),
    ] {
        let v = call(&http, reqwest::Method::POST, format!("{api}/volunteers"), json!({
            "name": name, "phone": phone, "language": "es", "trusted": trusted,
            "area": {"type": "circle", "lat": if trusted { 34.3 } else { 34.0617 }, "lon": -118.3005, "radius_m": 2000}
        }))
        .await;
        assert!(v["id"].is_i64(), "{v}");
    }
    let sms_url = format!("{}/webhooks/twilio/sms", server.base);
    let reply = twilio
        .send_inbound_sms(&sms_url, REPORTER, HOTLINE, BODY, Signing::Valid)
        .await
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    let sent = twilio.wait_for_messages(1, Duration::from_secs(15)).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, VOLUNTEER);
    twilio
        .send_inbound_sms(&sms_url, VOLUNTEER, HOTLINE, "SI", Signing::Valid)
        .await
        .unwrap();
    let incidents = call(
        &http,
        reqwest::Method::GET,
        format!("{api}/incidents"),
        Value::Null,
    )
    .await;
    let id = incidents["incidents"][0]["id"].as_i64().unwrap();
    assert_eq!(incidents["incidents"][0]["counts"]["coming"], 1, "{incidents}");
    call(
        &http,
        reqwest::Method::POST,
        format!("{api}/incidents/{id}/resolve"),
        json!({}),
    )
    .await;
    let sent = twilio.wait_for_messages(3, Duration::from_secs(15)).await;
    assert_eq!(
        sent.len(),
        3,
        "all-clear sent, and the reporter told it is over: {sent:?}"
    );
    assert!(sent
        .iter()
        .any(|m| m.to == REPORTER && m.body.contains("todo despejado")));

    // A volunteer added with the CLI while the server runs is alerted too.
    let added = tocsin(dir.path(), Some(&twilio), 1)
        .args(["volunteer", "add", "--name", "Cy", "--phone", "+13235550183"])
        .args(["--lat", "34.0617", "--lon", "-118.3005", "--radius-m", "500"])
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let seen = eventually(Duration::from_secs(10), || async {
        let url = format!("{api}/status");
        let h: Value = http
            .get(url)
            .bearer_auth(API_TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        h["alertable_volunteers"] == 4
    })
    .await;
    assert!(seen, "the running server picked up the CLI's volunteer");
    let again = "ICE 34.0617, -118.3005";
    twilio
        .send_inbound_sms(&sms_url, REPORTER, HOTLINE, again, Signing::Valid)
        .await
        .unwrap();
    let sent = twilio.wait_for_messages(5, Duration::from_secs(15)).await;
    assert_eq!(sent.len(), 5, "second alert to Ann and Cy");
    assert!(sent.iter().any(|m| m.to == "+13235550183"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("secret/tocsin.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the generated key file is private");
    }
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(
        log.contains("generated a new data-encryption key") && log.contains("secret/tocsin.key"),
        "{log}"
    );
    assert!(log.contains("alert planned"), "the flow is logged: {log}");
    assert!(
        twilio.rejected().iter().any(|(_, code)| *code == 21211),
        "Dee's send was refused"
    );
    for secret in [
        REPORTER,
        VOLUNTEER,
        LANDLINE,
        &LANDLINE[2..],
        &REPORTER[2..],
        &VOLUNTEER[2..],
        "Redada en la esquina",
        "esquina",
    ] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_twilio_the_binary_starts_and_says_sms_is_not_configured() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), None).await;
    let health: Value = reqwest::get(format!("{}/healthz", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["sms"], "not configured");
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(
        health["problems"],
        serde_json::json!(["sms not configured"]),
        "{health}"
    );
    let ready = reqwest::get(format!("{}/readyz", server.base)).await.unwrap();
    assert_eq!(ready.status(), 200, "ready for traffic all the same");
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(log.contains("SMS is not configured"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_alerts_over_signal_and_takes_reports_from_it() {
    use tocsin_fakes::{FakeSignal, FakeSignalConfig};
    let dir = tempfile::tempdir().unwrap();
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .unwrap();
    let signal = FakeSignal::start(FakeSignalConfig::new(HOTLINE)).await.unwrap();
    let port = free_port();
    let log = dir.path().join("tocsin.log");
    let out = std::fs::File::create(&log).unwrap();
    let child = tocsin(dir.path(), Some(&twilio), port)
        .env("TOCSIN_SIGNAL__RPC_URL", signal.base_url())
        .env("TOCSIN_SIGNAL__ACCOUNT", HOTLINE)
        .arg("serve")
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .unwrap();
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log,
    };
    let http = reqwest::Client::new();
    assert!(
        signal.wait_for_subscribers(1, Duration::from_secs(20)).await,
        "the binary follows the bridge"
    );
    let api = format!("{}/api/v1", server.base);
    for (name, phone, trusted, lat) in [("Rosa", REPORTER, true, 34.3), ("Ann", VOLUNTEER, false, 34.0617)] {
        let v = call(
            &http,
            reqwest::Method::POST,
            format!("{api}/volunteers"),
            json!({
                "name": name, "phone": phone, "channel": "signal", "trusted": trusted,
                "area": {"type": "circle", "lat": lat, "lon": -118.3005, "radius_m": 2000}
            }),
        )
        .await;
        assert!(v["id"].is_i64(), "{v}");
    }
    signal.incoming(REPORTER, BODY);
    let alerted = eventually(Duration::from_secs(15), || async {
        signal.sent_to(VOLUNTEER).len() == 1
    })
    .await;
    assert!(alerted, "the volunteer got the alert on Signal");
    signal.incoming(VOLUNTEER, "aquí");
    let counted = eventually(Duration::from_secs(15), || async {
        let list = call(
            &http,
            reqwest::Method::GET,
            format!("{api}/incidents"),
            Value::Null,
        )
        .await;
        list["incidents"][0]["counts"]["on_scene"] == 1
    })
    .await;
    assert!(counted, "the Signal reply was counted");
    assert!(twilio.messages().is_empty(), "nothing went by SMS");
    let log = std::fs::read_to_string(&server.log).unwrap();
    for secret in [REPORTER, VOLUNTEER, &REPORTER[2..], "esquina"] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}
