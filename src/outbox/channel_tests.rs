//! Each channel claims and sends with permits of its own: a Signal alert goes out at once
//! while an SMS backlog waits for its sender's rate. Before, the SMS deliveries (lower ids,
//! claimed first) held every permit while waiting for their slots, and the Signal delivery
//! waited behind them. What is asserted is an order (how many SMS were out when the Signal
//! message left), not a duration.

use std::time::Duration;

use tocsin_fakes::{FakeSignal, FakeSignalConfig, FakeTwilio, FakeTwilioConfig, Signing};

use crate::app::Running;
use crate::audit::Actor;
use crate::config::Settings;
use crate::domain::{Language, Phone, Reach};
use crate::geo::Area;
use crate::roster::{self, HomeArea, Signup};

const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";
const HOTLINE: &str = "+12135550100";
const REPORTER: &str = "+13235550181";
const ON_SIGNAL: &str = "+13235550190";
const SMS_CROWD: usize = 12;
const SPOT: (f64, f64) = (34.0617, -118.3005);

async fn add(running: &Running, phone: &str, reach: Reach, trusted: bool, lat: f64) {
    let signup = Signup {
        name: format!("V{}", &phone[phone.len() - 4..]),
        phone: Phone::parse(phone).expect("a valid number"),
        language: Language::EN,
        trusted,
        area: HomeArea::Shape(Area::Circle {
            lat,
            lon: SPOT.1,
            radius_m: 1000.0,
        }),
        reach,
        signal_id: None,
        roles: Vec::new(),
    };
    roster::add(&running.core, &Actor::Cli, signup)
        .await
        .expect("volunteer added");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_alert_is_not_held_up_behind_an_sms_backlog() {
    let dir = tempfile::tempdir().expect("temp dir");
    let twilio = FakeTwilio::start(FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]))
        .await
        .expect("fake Twilio");
    let signal = FakeSignal::start(FakeSignalConfig::new(HOTLINE))
        .await
        .expect("fake signal-cli");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut s = Settings::defaults();
    s.http.bind = addr.to_string();
    s.http.public_url = format!("http://{addr}");
    s.database.url = format!("sqlite://{}", dir.path().join("tocsin.db").display());
    s.crypto.key_file = dir.path().join("tocsin.key").display().to_string();
    s.twilio.account_sid = Some(ACCOUNT_SID.into());
    s.twilio.auth_token = Some(AUTH_TOKEN.into());
    s.twilio.from = vec![HOTLINE.into()];
    s.twilio.api_base = twilio.base_url();
    // A slow sender: 12 SMS take over 5 s. Signal is not limited.
    s.twilio.mps = 2.0;
    s.signal.rpc_url = Some(signal.base_url());
    s.signal.account = Some(HOTLINE.into());
    s.signal.mps = 1000.0;
    s.dispatch.merge_m = 0.0;
    let running = Running::start_on(s, listener).await.expect("tocsin starts");

    add(&running, REPORTER, Reach::Sms, true, SPOT.0 + 0.3).await;
    for i in 0..SMS_CROWD {
        add(
            &running,
            &format!("+1323555{:04}", 4000 + i),
            Reach::Sms,
            false,
            SPOT.0,
        )
        .await;
    }
    add(&running, ON_SIGNAL, Reach::Signal, false, SPOT.0).await;

    let url = format!("http://{addr}/webhooks/twilio/sms");
    let reply = twilio
        .send_inbound_sms(
            &url,
            REPORTER,
            HOTLINE,
            "ICE at 34.0617, -118.3005",
            Signing::Valid,
        )
        .await
        .expect("webhook answered");
    assert_eq!(reply.status, 200, "{}", reply.body);

    let sent = signal.wait_for_sent(1, Duration::from_secs(30)).await;
    let sms_by_then = twilio.messages().len();
    assert_eq!(sent.len(), 1, "the Signal volunteer was alerted");
    assert_eq!(sent[0].recipients, vec![ON_SIGNAL.to_string()]);
    assert!(
        sms_by_then < SMS_CROWD / 2,
        "the Signal alert waited for the SMS backlog: {sms_by_then} of {SMS_CROWD} SMS were out before it"
    );
    let all = twilio.wait_for_messages(SMS_CROWD, Duration::from_secs(30)).await;
    assert_eq!(all.len(), SMS_CROWD, "the SMS backlog was sent too");
    assert!(twilio.rejected().is_empty(), "{:?}", twilio.rejected());
    running.stop().await;
}
