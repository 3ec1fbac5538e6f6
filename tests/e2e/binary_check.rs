//! `tocsin check` through the real binary, against the fake Twilio and the fake signal-cli:
//! it passes when everything is set up, and fails naming the item that is not (the number's
//! webhook, the credentials, the Signal account, the database, the key's mode) without
//! printing a secret or creating anything.

use tocsin_fakes::{FakeSignal, FakeSignalConfig, FakeTwilio, FakeTwilioConfig};

use crate::binary_run::{migrated, run_cli, Ran};
use crate::helpers::{ACCOUNT_SID, AUTH_TOKEN, HOTLINE};

const PUBLIC: &str = "https://tocsin.example.org";
pub(crate) const SMS_URL: &str = "https://tocsin.example.org/webhooks/twilio/sms";
const SERVICE: &str = "MG0123456789abcdef0123456789abcdef";

/// Settings pointing at the fakes, as an operator's environment would.
pub(crate) fn env(twilio: &FakeTwilio, signal: &FakeSignal) -> Vec<(&'static str, String)> {
    vec![
        ("TOCSIN_HTTP__PUBLIC_URL", PUBLIC.into()),
        ("TOCSIN_TWILIO__ACCOUNT_SID", ACCOUNT_SID.into()),
        ("TOCSIN_TWILIO__AUTH_TOKEN", AUTH_TOKEN.into()),
        ("TOCSIN_TWILIO__FROM", HOTLINE.into()),
        ("TOCSIN_TWILIO__API_BASE", twilio.base_url()),
        ("TOCSIN_SIGNAL__RPC_URL", signal.base_url()),
        ("TOCSIN_SIGNAL__ACCOUNT", HOTLINE.into()),
    ]
}

/// `tocsin check` off the runtime's threads (the fakes answer on them meanwhile).
pub(crate) async fn check(dir: &std::path::Path, env: Vec<(&'static str, String)>) -> Ran {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        run_cli(&dir, &env, &["check"], None)
    })
    .await
    .expect("check ran")
}

pub(crate) fn line<'a>(ran: &'a Ran, item: &str) -> &'a str {
    ran.out
        .lines()
        .find(|l| l.get(6..).is_some_and(|rest| rest.starts_with(item)))
        .unwrap_or_else(|| panic!("no line for {item:?} in:\n{}", ran.out))
}

pub(crate) async fn fakes(config: FakeTwilioConfig) -> (FakeTwilio, FakeSignal) {
    let twilio = FakeTwilio::start(config).await.expect("fake Twilio starts");
    let signal = FakeSignal::start(FakeSignalConfig::new(HOTLINE))
        .await
        .expect("fake signal-cli starts");
    (twilio, signal)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_passes_against_the_fakes_and_names_a_wrong_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let (twilio, signal) =
        fakes(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]).sms_url(SMS_URL)).await;
    migrated(dir.path(), &[]);

    let ran = check(dir.path(), env(&twilio, &signal)).await;
    assert!(ran.ok, "check passes:\n{}\n{}", ran.out, ran.err);
    assert!(!ran.out.contains("FAIL"), "{}", ran.out);
    for item in [
        "configuration",
        "database",
        "key",
        "twilio credentials",
        "sms webhook",
        "status callback",
        "signal",
    ] {
        assert!(line(&ran, item).starts_with("ok "), "{item}: {}", ran.out);
    }
    assert!(
        line(&ran, "twilio credentials").contains("AC…cdef active"),
        "{}",
        ran.out
    );
    assert!(line(&ran, "sms webhook").contains(SMS_URL), "{}", ran.out);
    assert!(line(&ran, "signal").contains("registered"), "{}", ran.out);
    assert!(
        !ran.out.contains(AUTH_TOKEN) && !ran.err.contains(AUTH_TOKEN),
        "the token is never printed"
    );

    twilio.set_sms_url(HOTLINE, "https://old.example.org/webhooks/twilio/sms");
    let ran = check(dir.path(), env(&twilio, &signal)).await;
    assert!(!ran.ok, "a wrong webhook fails the check:\n{}", ran.out);
    assert_eq!(
        line(&ran, "sms webhook"),
        format!("FAIL  sms webhook: {HOTLINE} points at https://old.example.org/webhooks/twilio/sms, expected {SMS_URL}")
    );
    assert!(
        line(&ran, "twilio credentials").starts_with("ok "),
        "only the webhook fails"
    );
    assert_eq!(ran.out.matches("FAIL").count(), 1, "{}", ran.out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_names_refused_credentials_and_a_signal_account_the_bridge_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let (twilio, signal) =
        fakes(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]).sms_url(SMS_URL)).await;
    migrated(dir.path(), &[]);
    let wrong = "fedcba9876543210fedcba9876543210";
    let mut settings = env(&twilio, &signal);
    settings.push(("TOCSIN_TWILIO__AUTH_TOKEN", wrong.into()));
    settings.push(("TOCSIN_SIGNAL__ACCOUNT", "+12135550199".into()));

    let ran = check(dir.path(), settings).await;
    assert!(!ran.ok, "{}", ran.out);
    let credentials = line(&ran, "twilio credentials");
    assert!(
        credentials.starts_with("FAIL  twilio credentials: Twilio refused them"),
        "{credentials}"
    );
    assert!(
        credentials.contains("20003"),
        "Twilio's code is named: {credentials}"
    );
    assert!(
        twilio.rejected().contains(&(401, 20003)),
        "the fake refused as Twilio does"
    );
    assert!(line(&ran, "sms webhook").starts_with("skip "), "{}", ran.out);
    assert!(
        line(&ran, "signal").starts_with("FAIL  signal: the bridge at"),
        "{}",
        ran.out
    );
    assert!(line(&ran, "database").starts_with("ok "), "{}", ran.out);
    assert!(
        !ran.out.contains(wrong) && !ran.err.contains(wrong),
        "the token is never printed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_asks_a_single_account_bridge_whether_its_account_is_registered() {
    let dir = tempfile::tempdir().unwrap();
    let twilio =
        FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]).sms_url(SMS_URL))
            .await
            .expect("fake Twilio starts");
    let mut config = FakeSignalConfig::new(HOTLINE);
    config.single_account = true;
    let signal = FakeSignal::start(config).await.expect("fake signal-cli starts");
    migrated(dir.path(), &[]);
    let ran = check(dir.path(), env(&twilio, &signal)).await;
    assert!(ran.ok, "{}\n{}", ran.out, ran.err);
    assert!(
        line(&ran, "signal").contains("single-account bridge"),
        "{}",
        ran.out
    );
    let methods: Vec<String> = signal
        .rpc_log()
        .iter()
        .filter_map(|r| r["method"].as_str().map(str::to_string))
        .collect();
    assert!(
        methods.contains(&"listAccounts".to_string()) && methods.contains(&"getUserStatus".to_string()),
        "{methods:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reads_a_messaging_services_inbound_url() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]).sms_url(SMS_URL);
    config.messaging_service_sid = Some(SERVICE.into());
    let (twilio, signal) = fakes(config).await;
    migrated(dir.path(), &[]);
    let mut settings: Vec<_> = env(&twilio, &signal)
        .into_iter()
        .filter(|(k, _)| *k != "TOCSIN_TWILIO__FROM")
        .collect();
    settings.push(("TOCSIN_TWILIO__MESSAGING_SERVICE_SID", SERVICE.into()));

    let ran = check(dir.path(), settings.clone()).await;
    assert!(ran.ok, "{}\n{}", ran.out, ran.err);
    assert!(line(&ran, "sms webhook").contains(SERVICE), "{}", ran.out);

    twilio.set_service_inbound_url("https://old.example.org/sms");
    let ran = check(dir.path(), settings).await;
    assert!(!ran.ok);
    assert!(
        line(&ran, "sms webhook").starts_with(&format!(
            "FAIL  sms webhook: service {SERVICE} points at https://old.example.org/sms"
        )),
        "{}",
        ran.out
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_names_a_missing_database_and_creates_none() {
    let dir = tempfile::tempdir().unwrap();
    let ran = check(dir.path(), Vec::new()).await;
    assert!(!ran.ok, "{}", ran.out);
    assert!(
        line(&ran, "database").starts_with("FAIL  database: no database file at"),
        "{}",
        ran.out
    );
    assert!(
        line(&ran, "key").starts_with("FAIL  key: no key file at"),
        "{}",
        ran.out
    );
    assert!(line(&ran, "twilio").starts_with("skip "), "{}", ran.out);
    assert!(line(&ran, "signal").starts_with("skip "), "{}", ran.out);
    assert!(!dir.path().join("tocsin.db").exists(), "no database was created");
    assert!(
        !dir.path().join("secret/tocsin.key").exists(),
        "no key was created"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_fails_a_key_file_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    migrated(dir.path(), &[]);
    let key = dir.path().join("secret/tocsin.key");
    let ran = check(dir.path(), Vec::new()).await;
    assert!(ran.ok, "{}", ran.out);
    assert!(
        line(&ran, "key").contains("mode 0600, matches the database"),
        "{}",
        ran.out
    );
    assert!(
        line(&ran, "key file location").starts_with("warn "),
        "beside the database: {}",
        ran.out
    );

    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let ran = check(dir.path(), Vec::new()).await;
    assert!(!ran.ok);
    assert!(
        line(&ran, "key").starts_with("FAIL  key:") && line(&ran, "key").contains("0644"),
        "{}",
        ran.out
    );
}

/// On PostgreSQL: an empty database is named as not tocsin's, a migrated one passes, and a
/// key that is not the database's fails the key item.
#[cfg(unix)]
async fn on_postgres(pg: Option<String>) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let url = pg.expect("a PostgreSQL database");
    let dir = tempfile::tempdir().unwrap();
    let env = vec![("TOCSIN_DATABASE__URL", url.clone())];

    let ran = check(dir.path(), env.clone()).await;
    assert!(!ran.ok);
    assert!(
        line(&ran, "database").contains("is not a tocsin database"),
        "{}",
        ran.out
    );

    migrated(dir.path(), &[("TOCSIN_DATABASE__URL", &url)]);
    let ran = check(dir.path(), env.clone()).await;
    assert!(ran.ok, "{}\n{}", ran.out, ran.err);
    assert!(
        line(&ran, "database").contains("migrations applied"),
        "{}",
        ran.out
    );
    assert!(line(&ran, "key").contains("matches the database"), "{}", ran.out);
    assert!(
        line(&ran, "key file location").starts_with("skip "),
        "{}",
        ran.out
    );

    let key = dir.path().join("secret/tocsin.key");
    std::fs::remove_file(&key).unwrap();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&key)
        .unwrap();
    file.write_all(b"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n")
        .unwrap();
    let ran = check(dir.path(), env).await;
    assert!(!ran.ok);
    assert_eq!(
        line(&ran, "key"),
        "FAIL  key: not the key this database was encrypted with: tocsin would refuse to start"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reads_a_postgresql_database_and_its_key() {
    crate::binary_run::on_backend(crate::helpers::Backend::Postgres, on_postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_names_a_bad_setting_as_its_first_and_only_item() {
    let dir = tempfile::tempdir().unwrap();
    let ran = check(dir.path(), vec![("TOCSIN_TWILIO__VALIDITY_S", "0".into())]).await;
    assert!(!ran.ok);
    assert_eq!(
        ran.out.trim_end(),
        "FAIL  configuration: twilio.validity_s: must be between 1 and 36000 seconds"
    );
}
