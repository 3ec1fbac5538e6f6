//! Send validation: Twilio's codes and legacy error bodies for malformed requests, opt-outs
//! and scripted rejections. Every refusal must create nothing and be recorded.

mod common;

use common::*;
use tocsin_fakes::Outcome;

#[tokio::test]
async fn validation_errors_use_twilio_codes() {
    let fake = start().await;
    let long = "a".repeat(1601);
    let cases: [(&[(&str, &str)], u64); 8] = [
        (&[("From", OUR_NUMBER), ("Body", "x")], 21604),
        (&[("To", ""), ("From", OUR_NUMBER), ("Body", "x")], 21604),
        (
            &[("To", "5551234567"), ("From", OUR_NUMBER), ("Body", "x")],
            21211,
        ),
        (&[("To", VOLUNTEER), ("Body", "x")], 21603),
        (
            &[("To", VOLUNTEER), ("From", "+12135559999"), ("Body", "x")],
            21606,
        ),
        (
            &[
                ("To", VOLUNTEER),
                ("MessagingServiceSid", "MGffffffffffffffffffffffffffffffff"),
                ("Body", "x"),
            ],
            21606,
        ),
        (&[("To", VOLUNTEER), ("From", OUR_NUMBER)], 21602),
        (&[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", &long)], 21617),
    ];
    for (form, code) in cases {
        send(&fake, form).await.assert_error(400, code);
    }
    let bad_to = send(
        &fake,
        &[("To", "5551234567"), ("From", OUR_NUMBER), ("Body", "x")],
    )
    .await;
    assert_eq!(
        bad_to.json()["message"],
        "The 'To' number 5551234567 is not a valid phone number."
    );
    let e164_edge = [
        ("+0123456789", 21211),
        ("+1234567", 21211),
        ("+1234567890123456", 21211),
    ];
    for (to, code) in e164_edge {
        send(&fake, &[("To", to), ("From", OUR_NUMBER), ("Body", "x")])
            .await
            .assert_error(400, code);
    }
    assert!(fake.messages().is_empty(), "refusals create nothing");
    assert_eq!(fake.rejected().len(), 12);
    assert!(fake.rejected().iter().all(|(status, _)| *status == 400));

    // Exactly 1600 characters is still fine; media without a body too.
    let max = "a".repeat(1600);
    assert_eq!(
        send(&fake, &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", &max)])
            .await
            .status,
        201
    );
    let mms = [
        ("To", VOLUNTEER),
        ("From", OUR_NUMBER),
        ("MediaUrl", "https://e.org/a.png"),
        ("MediaUrl", "https://e.org/b.png"),
    ];
    let answer = send(&fake, &mms).await;
    assert_eq!(answer.json()["num_media"], "2", "repeated keys are kept");
}

#[tokio::test]
async fn invalid_status_callback_and_validity_period_are_refused() {
    let fake = start().await;
    let base = [("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", "x")];
    for url in [
        "not a url",
        "/relative/path",
        "https://bad_host.example.org/status",
        "ftp://example.org/x",
    ] {
        let form: Vec<_> = base.iter().copied().chain([("StatusCallback", url)]).collect();
        send(&fake, &form).await.assert_error(400, 21609);
    }
    for period in ["0", "36001", "ten"] {
        let form: Vec<_> = base.iter().copied().chain([("ValidityPeriod", period)]).collect();
        send(&fake, &form).await.assert_error(400, 21624);
    }
    let form: Vec<_> = base.iter().copied().chain([("ValidityPeriod", "600")]).collect();
    assert_eq!(send(&fake, &form).await.status, 201);
    assert_eq!(fake.messages()[0].validity_period, Some(600));
}

#[tokio::test]
async fn opt_out_and_scripted_rejections() {
    let fake = start().await;
    let form = |to| [("To", to), ("From", OUR_NUMBER), ("Body", "alert")];
    fake.opt_out(VOLUNTEER);
    let answer = send(&fake, &form(VOLUNTEER)).await;
    answer.assert_error(400, 21610);
    assert_eq!(
        answer.json()["message"],
        "Attempt to send to unsubscribed recipient"
    );

    fake.set_outcome("+13235550111", Outcome::Reject(21612));
    send(&fake, &form("+13235550111")).await.assert_error(400, 21612);
    fake.set_outcome("+13235550112", Outcome::Reject(21614));
    send(&fake, &form("+13235550112")).await.assert_error(400, 21614);
    assert!(fake.messages().is_empty());
    assert_eq!(fake.rejected(), vec![(400, 21610), (400, 21612), (400, 21614)]);

    fake.opt_in(VOLUNTEER);
    assert_eq!(send(&fake, &form(VOLUNTEER)).await.status, 201);
}
