//! Stepping the outbox: one `run_pending_deliveries` pass sends what is due and says what it
//! did, with no worker running and nothing to wait for.

use tocsin_fakes::{FakeSignal, FakeSignalConfig, FakeTwilio, FakeTwilioConfig, SignalOutcome};

use super::{run_pending_deliveries, Pass};
use crate::audit::Actor;
use crate::config::Settings;
use crate::domain::{Language, Phone, Reach};
use crate::geo::Area;
use crate::roster::{self, HomeArea, Signup};
use crate::state::{Core, Shared};

const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";
const HOTLINE: &str = "+12135550100";
const ON_SMS: &str = "+13235550101";
const STOPPED: &str = "+13235550102";
const NOT_ON_SIGNAL: &str = "+13235550103";

async fn volunteer(core: &Shared, phone: &str, reach: Reach) -> i64 {
    let signup = Signup {
        name: format!("V{}", &phone[phone.len() - 4..]),
        phone: Phone::parse(phone).expect("a valid number"),
        language: Language::EN,
        trusted: false,
        area: HomeArea::Shape(Area::Circle {
            lat: 34.06,
            lon: -118.3,
            radius_m: 1000.0,
        }),
        reach,
        signal_id: None,
        roles: Vec::new(),
    };
    roster::add(core, &Actor::Cli, signup)
        .await
        .expect("volunteer added")
}

/// A confirmed incident's first alert, queued for each (volunteer, channel).
async fn queue(core: &Shared, to: &[(i64, &str)]) {
    let pool = core.store.pool();
    let now = crate::store::now_ms();
    let incident: i64 = sqlx::query_scalar(
        "INSERT INTO incidents (kind, status, created_at, updated_at) VALUES ('raid', 'confirmed', $1, $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(pool)
    .await
    .expect("incident");
    let alert: i64 = sqlx::query_scalar(
        "INSERT INTO alerts (incident_id, purpose, created_at) VALUES ($1, 'first', $2) RETURNING id",
    )
    .bind(incident)
    .bind(now)
    .fetch_one(pool)
    .await
    .expect("alert");
    for (volunteer, channel) in to {
        sqlx::query(
            "INSERT INTO deliveries (alert_id, volunteer_id, channel, body, priority, status, next_attempt_at, \
             expires_at, created_at, updated_at) VALUES ($1, $2, $3, 'ICE at 5th and Main', 0, 'queued', $4, $5, $4, $4)",
        )
        .bind(alert)
        .bind(volunteer)
        .bind(*channel)
        .bind(now)
        .bind(now + 3_600_000)
        .execute(pool)
        .await
        .expect("delivery");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_pass_sends_fails_over_and_opts_out_what_is_due() {
    let dir = tempfile::tempdir().expect("temp dir");
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .expect("fake Twilio");
    let signal = FakeSignal::start(FakeSignalConfig::new(HOTLINE))
        .await
        .expect("fake signal-cli");
    let mut s = Settings::defaults();
    s.database.url = format!("sqlite://{}", dir.path().join("tocsin.db").display());
    s.crypto.key_file = dir.path().join("tocsin.key").display().to_string();
    s.twilio.account_sid = Some(ACCOUNT_SID.into());
    s.twilio.auth_token = Some(AUTH_TOKEN.into());
    s.twilio.from = vec![HOTLINE.into()];
    s.twilio.api_base = twilio.base_url();
    s.twilio.mps = 1000.0;
    s.signal.rpc_url = Some(signal.base_url());
    s.signal.account = Some(HOTLINE.into());
    s.signal.mps = 1000.0;
    let core = Core::open(s).await.expect("core opens");

    let on_sms = volunteer(&core, ON_SMS, Reach::Sms).await;
    let stopped = volunteer(&core, STOPPED, Reach::Sms).await;
    let not_on_signal = volunteer(&core, NOT_ON_SIGNAL, Reach::Signal).await;
    twilio.opt_out(STOPPED);
    signal.set_outcome(NOT_ON_SIGNAL, SignalOutcome::Unregistered);
    queue(
        &core,
        &[(on_sms, "sms"), (stopped, "sms"), (not_on_signal, "signal")],
    )
    .await;

    let pass = run_pending_deliveries(&core).await.expect("a pass");
    // The Signal delivery failed over, and its SMS replacement went out in the same pass.
    assert_eq!(
        pass,
        Pass {
            claimed: 4,
            submitted: 2,
            opted_out: 1,
            failed_over: 1,
            ..Pass::default()
        }
    );
    let mut to: Vec<String> = twilio.messages().into_iter().map(|m| m.to).collect();
    to.sort();
    assert_eq!(to, [ON_SMS, NOT_ON_SIGNAL]);
    // Nothing is left to do.
    assert_eq!(
        run_pending_deliveries(&core).await.expect("a pass"),
        Pass::default()
    );
}
