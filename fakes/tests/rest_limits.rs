//! Throttling and scripted failures: 20429 for MPS and concurrency, 5xx from `fail_next`.
//! Refused sends create nothing and are recorded.

mod common;

use std::time::{Duration, Instant};

use common::*;

#[tokio::test]
async fn max_mps_answers_20429() {
    let fake = start().await;
    fake.set_max_mps(Some(2));
    let form = [("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", "x")];
    let window = Instant::now();
    assert_eq!(send(&fake, &form).await.status, 201);
    assert_eq!(send(&fake, &form).await.status, 201);
    let third = send(&fake, &form).await;
    third.assert_error(429, 20429);
    assert_eq!(third.json()["message"], "Too Many Requests");
    assert_eq!(fake.messages().len(), 2);
    assert_eq!(fake.rejected(), vec![(429, 20429)]);
    // The window rolls: a second after the first send there is room again, not before.
    loop {
        let answer = send(&fake, &form).await;
        if answer.status == 201 {
            break;
        }
        answer.assert_error(429, 20429);
        assert!(window.elapsed() < WAIT, "no room again within {WAIT:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        window.elapsed() >= Duration::from_secs(1),
        "room again after {:?}",
        window.elapsed()
    );
}

#[tokio::test]
async fn too_many_in_flight_answers_20429() {
    let mut config = config();
    config.max_concurrent = 2;
    let fake = tocsin_fakes::FakeTwilio::start(config).await.expect("start");
    fake.set_latency(Duration::from_millis(400));
    // Five sends at once; each stays in flight for the latency, so only two get in.
    let handles: Vec<_> = (0..5)
        .map(|_| {
            let fake = fake.clone();
            tokio::spawn(async move {
                send(&fake, &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", "x")]).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for handle in handles {
        answers.push(handle.await.expect("task"));
    }
    let created = answers.iter().filter(|a| a.status == 201).count();
    let throttled: Vec<_> = answers.iter().filter(|a| a.status == 429).collect();
    assert_eq!((created, throttled.len()), (2, 3));
    throttled[0].assert_error(429, 20429);
    assert_eq!(fake.messages().len(), 2);
    assert_eq!(fake.rejected(), vec![(429, 20429); 3]);
}

#[tokio::test]
async fn fail_next_answers_5xx_and_creates_nothing() {
    let fake = start().await;
    fake.fail_next(2, 503);
    let form = [("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", "x")];
    for _ in 0..2 {
        let answer = send(&fake, &form).await;
        answer.assert_error(503, 20500);
        assert_eq!(answer.json()["message"], "Internal Server Error");
    }
    assert!(fake.messages().is_empty());
    assert_eq!(send(&fake, &form).await.status, 201);
    assert_eq!(fake.messages().len(), 1);
    assert_eq!(fake.rejected(), vec![(503, 20500), (503, 20500)]);
}
