//! `spawn_app()`: the application as operators run it, wired to a fake Twilio and a fresh
//! database; plus small helpers that wait on conditions (never on fixed sleeps).

use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::Connection;
use tempfile::TempDir;
use tocsin::app::Running;
use tocsin::config::Settings;
use tocsin_fakes::{FakeSignal, FakeSignalConfig, FakeTwilio, FakeTwilioConfig, InboundReply, Signing};

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";
pub const HOTLINE: &str = "+12135550100";
/// A second number of the network's, for pools of senders.
pub const HOTLINE2: &str = "+12135550101";
pub const API_TOKEN: &str = "test-token-0123456789";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a scenario once per backend, each as its own test.
#[macro_export]
macro_rules! on_both_backends {
    ($scenario:ident) => {
        mod $scenario {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                super::$scenario($crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                super::$scenario($crate::helpers::Backend::Postgres).await
            }
        }
    };
}

pub struct TestApp {
    pub base: String,
    pub twilio: FakeTwilio,
    /// The Signal bridge, when the app was started with one.
    pub signal: Option<FakeSignal>,
    pub http: reqwest::Client,
    running: Option<Running>,
    pg_database: Option<String>,
    _dir: TempDir,
}

pub fn pg_admin_url() -> String {
    std::env::var("TOCSIN_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// The app with a Signal bridge (fake signal-cli) for the network's number as well.
pub async fn spawn_signal_app(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let signal = FakeSignal::start(FakeSignalConfig::new(HOTLINE))
        .await
        .expect("fake signal-cli starts");
    let url = signal.base_url();
    let mut app = spawn_app_with(backend, |s| {
        s.signal.rpc_url = Some(url);
        s.signal.account = Some(HOTLINE.into());
        adjust(s);
    })
    .await;
    assert!(
        signal.wait_for_subscribers(1, Duration::from_secs(10)).await,
        "tocsin follows the bridge's events"
    );
    app.signal = Some(signal);
    app
}

pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    // Logs show with a failing test's output (RUST_LOG=debug for more).
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .try_init();
    let dir = tempfile::tempdir().expect("temp dir");
    // Callbacks come 20 ms after a send: often before tocsin recorded it (the early-receipt path).
    let config = FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE, HOTLINE2]);
    let twilio = FakeTwilio::start(config).await.expect("fake Twilio starts");

    let (url, pg_database) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}", dir.path().join("tocsin.db").display()),
            None,
        ),
        Backend::Postgres => {
            let name = format!("tocsin_test_{:016x}", rand_u64());
            let admin = pg_admin_url();
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {admin} for these tests: {e}"));
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create database");
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin);
            (format!("{base}/{name}"), Some(name))
        }
    };

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut settings = Settings::defaults();
    settings.http.bind = addr.to_string();
    settings.http.public_url = format!("http://{addr}");
    settings.database.url = url;
    settings.crypto.key_file = dir.path().join("tocsin.key").display().to_string();
    settings.api.token = Some(API_TOKEN.into());
    settings.twilio.account_sid = Some(ACCOUNT_SID.into());
    settings.twilio.auth_token = Some(AUTH_TOKEN.into());
    settings.twilio.from = vec![HOTLINE.into()];
    // Unthrottled unless a test says otherwise: the fakes do not limit the rate by default.
    settings.twilio.mps = 1000.0;
    // The fake, like a Twilio account, caps requests in flight (4 unless a test says otherwise).
    settings.twilio.concurrency = 4;
    settings.signal.mps = 1000.0;
    settings.twilio.api_base = twilio.base_url();
    // Scenarios report several incidents at one spot on purpose; merging is tested in guard.rs.
    settings.dispatch.merge_m = 0.0;
    // Older scenarios read the exact place in the alert; progressive disclosure (the default)
    // has its own tests in lifecycle.rs.
    settings.dispatch.progressive_disclosure = false;
    // Older scenarios count every message sent; what reporters are told has its own tests
    // (followup.rs) and the binary's whole flow.
    settings.intake.tell_reporter = false;
    adjust(&mut settings);

    settings.validate().expect("test settings are valid");

    let running = Running::start_on(settings, listener)
        .await
        .expect("tocsin starts");
    TestApp {
        base: format!("http://{addr}"),
        twilio,
        signal: None,
        http: reqwest::Client::new(),
        running: Some(running),
        pg_database,
        _dir: dir,
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos() ^ std::process::id() as u128);
    h.finish()
}

impl TestApp {
    pub fn sms_url(&self) -> String {
        format!("{}/webhooks/twilio/sms", self.base)
    }

    /// Plays a person texting the hotline.
    pub async fn text(&self, from: &str, body: &str) -> InboundReply {
        self.twilio
            .send_inbound_sms(&self.sms_url(), from, HOTLINE, body, Signing::Valid)
            .await
            .expect("webhook answered")
    }

    pub async fn api(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(API_TOKEN);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("API answered");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.api(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.api(reqwest::Method::POST, path, Some(body)).await
    }

    /// Adds a volunteer with a circular home area; returns the id.
    // A volunteer is these eight facts; a struct would only rename them at every call.
    #[allow(clippy::too_many_arguments)]
    pub async fn volunteer(
        &self,
        name: &str,
        phone: &str,
        lang: &str,
        trusted: bool,
        lat: f64,
        lon: f64,
        radius_m: f64,
    ) -> i64 {
        let (status, body) = self
            .post(
                "/volunteers",
                json!({"name": name, "phone": phone, "language": lang, "trusted": trusted,
                       "area": {"type": "circle", "lat": lat, "lon": lon, "radius_m": radius_m}}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().expect("id")
    }

    pub async fn incident(&self, id: i64) -> Value {
        let (status, body) = self.get(&format!("/incidents/{id}")).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Waits until the incident's counts satisfy `pred`; panics with the last view otherwise.
    pub async fn wait_incident(&self, id: i64, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let last = self.incident(id).await;
            if pred(&last) {
                return last;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "incident {id} never reached: {what}; last seen {last}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub async fn latest_incident_id(&self) -> i64 {
        let (_, body) = self.get("/incidents").await;
        body["incidents"][0]["id"].as_i64().expect("an incident")
    }

    pub fn core(&self) -> &tocsin::app::Shared {
        &self.running.as_ref().expect("running").core
    }

    /// Runs one dispatcher pass now, so that "nothing was dispatched" is a checked fact.
    pub async fn dispatch_now(&self) {
        tocsin::dispatch::step(self.core()).await.expect("dispatch step");
    }

    /// Runs one outbox pass now: whatever was due has gone to the fakes when it returns, so
    /// that "nobody was alerted" is a checked fact too.
    pub async fn send_now(&self) {
        tocsin::outbox::run_pending_deliveries(self.core())
            .await
            .expect("outbox pass");
    }

    /// A second instance on the same database and key, with its own HTTP port and its own
    /// fake Twilio (so that each instance's sends can be counted). Stop it before `self`.
    pub async fn second_instance(&self, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let config = FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE, HOTLINE2]);
        let twilio = FakeTwilio::start(config).await.expect("fake Twilio starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut settings = self.core().settings.clone();
        settings.http.bind = addr.to_string();
        settings.http.public_url = format!("http://{addr}");
        settings.twilio.api_base = twilio.base_url();
        adjust(&mut settings);
        let running = Running::start_on(settings, listener)
            .await
            .expect("second instance starts");
        TestApp {
            base: format!("http://{addr}"),
            twilio,
            signal: None,
            http: reqwest::Client::new(),
            running: Some(running),
            pg_database: None,
            _dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Stops the server but keeps its database (files or PostgreSQL database) for a look.
    pub async fn halt(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
        if let Some(name) = self.pg_database.take() {
            if let Ok(mut conn) = sqlx::PgConnection::connect(&pg_admin_url()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

/// Polls `check` until it is true or `limit` passes.
pub async fn eventually<F, Fut>(limit: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
