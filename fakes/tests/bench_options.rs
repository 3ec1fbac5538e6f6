//! The options benchmarks set (tocsin's `src/bench` uses this fake as its Twilio): no status
//! callbacks, no limit on requests in flight, acceptance times to read back, a wait that only
//! gives up when sends stall; and no log line, at any level, holding a number or a text.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use tocsin_fakes::{FakeTwilio, FakeTwilioConfig, Outcome};

fn bench_config() -> FakeTwilioConfig {
    FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[OUR_NUMBER])
        .max_concurrent(usize::MAX)
        .status_callbacks(false)
}

#[tokio::test]
async fn without_status_callbacks_nothing_is_posted_and_the_status_stays() {
    let fake = FakeTwilio::start(bench_config()).await.expect("start");
    let receiver = Receiver::start(200).await;
    let url = format!("{}/status", receiver.base_url);
    let form = [
        ("To", VOLUNTEER),
        ("From", OUR_NUMBER),
        ("Body", "alert"),
        ("StatusCallback", url.as_str()),
    ];
    let answer = send(&fake, &form).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let sid = answer.json()["sid"].as_str().expect("sid").to_owned();
    // Ten times the default callback delay.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(receiver.requests().is_empty());
    assert!(fake.callbacks().is_empty());
    // Still the faithful resource, found by its SID.
    let fetched = get(&format!(
        "{}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        fake.base_url()
    ))
    .await;
    assert_eq!(fetched.status, 200, "{}", fetched.text);
    assert_eq!(fetched.json()["status"], "queued");
    assert_eq!(fetched.json()["to"], VOLUNTEER);
}

#[tokio::test]
async fn many_sends_at_once_acceptance_times_in_order() {
    let fake = FakeTwilio::start(bench_config()).await.expect("start");
    let sends: Vec<_> = (0..40)
        .map(|i| {
            let fake = fake.clone();
            tokio::spawn(async move {
                let to = format!("+1323555{i:04}");
                send(&fake, &[("To", &to), ("From", OUR_NUMBER), ("Body", "x")])
                    .await
                    .status
            })
        })
        .collect();
    assert!(fake.wait_for_count(40, WAIT).await);
    for send in sends {
        assert_eq!(send.await.expect("task"), 201);
    }
    assert!(fake.rejected().is_empty(), "no concurrency limit");
    let messages = fake.messages();
    assert_eq!(fake.message_count(), 40);
    assert!(messages
        .windows(2)
        .all(|pair| pair[0].accepted_at <= pair[1].accepted_at));
}

#[tokio::test]
async fn wait_for_count_gives_up_only_when_sends_stall() {
    let fake = FakeTwilio::start(bench_config()).await.expect("start");
    let sender = {
        let fake = fake.clone();
        tokio::spawn(async move {
            // Six sends 100 ms apart: longer in all than the idle limit below.
            for _ in 0..6 {
                send(&fake, &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", "x")]).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    assert!(fake.wait_for_count(6, Duration::from_millis(400)).await);
    sender.await.expect("task");
    let started = std::time::Instant::now();
    assert!(!fake.wait_for_count(7, Duration::from_millis(150)).await);
    assert!(started.elapsed() >= Duration::from_millis(150));
}

/// A `tracing` writer into a buffer the test reads.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn logs_hold_no_number_and_no_text() {
    let log = LogBuffer::default();
    let writer = log.clone();
    // Every level of the fake's own lines (the HTTP crates' are not the fake's to word).
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("tocsin_fakes=trace"))
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut config = config();
    config.callback_delay = Duration::from_millis(1);
    let fake = FakeTwilio::start(config).await.expect("start");
    let receiver = Receiver::start(200).await;
    let url = format!("{}/status", receiver.base_url);
    let created = send(
        &fake,
        &[
            ("To", VOLUNTEER),
            ("From", OUR_NUMBER),
            ("Body", "secret words"),
            ("StatusCallback", url.as_str()),
        ],
    )
    .await;
    assert_eq!(created.status, 201);
    fake.set_outcome("+13235550198", Outcome::Reject(21614));
    let refused = send(
        &fake,
        &[
            ("To", "+13235550198"),
            ("From", OUR_NUMBER),
            ("Body", "secret words"),
        ],
    )
    .await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        send(&fake, &[("To", "12"), ("From", OUR_NUMBER), ("Body", "x")])
            .await
            .status,
        400
    );
    fake.wait_for_callbacks(2, WAIT).await;

    let text = String::from_utf8(log.0.lock().expect("log buffer").clone()).expect("UTF-8");
    assert!(text.contains("message created"), "debug lines are on: {text}");
    for secret in ["3235550199", "3235550198", "2135550100", "secret words"] {
        assert!(!text.contains(secret), "{secret} in the log:\n{text}");
    }
}
