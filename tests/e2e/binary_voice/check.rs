//! `tocsin check` and the hotline: the number's Voice webhook, as Twilio lists it.

use crate::helpers::{ACCOUNT_SID, AUTH_TOKEN, HOTLINE};

/// `tocsin check` reads the number's Voice webhook: none is noted (calls are optional), ours
/// passes, another fails the check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_names_the_numbers_voice_webhook() {
    use crate::binary_check::{check, env, fakes, line, SMS_URL};
    let dir = tempfile::tempdir().unwrap();
    let config = tocsin_fakes::FakeTwilioConfig::new(ACCOUNT_SID, AUTH_TOKEN, &[HOTLINE]).sms_url(SMS_URL);
    let (twilio, signal) = fakes(config).await;
    crate::binary_run::migrated(dir.path(), &[]);
    let ran = check(dir.path(), env(&twilio, &signal)).await;
    assert!(ran.ok, "{}", ran.out);
    assert!(
        line(&ran, "voice webhook").contains("calls are not answered by tocsin"),
        "{}",
        ran.out
    );
    let voice_url = SMS_URL.replace("/sms", "/voice");
    twilio.set_voice_url(HOTLINE, &voice_url);
    let ran = check(dir.path(), env(&twilio, &signal)).await;
    assert!(ran.ok, "{}", ran.out);
    assert_eq!(
        line(&ran, "voice webhook"),
        format!("ok    voice webhook ({HOTLINE} → {voice_url})")
    );
    twilio.set_voice_url(HOTLINE, "https://old.example.org/voice");
    let ran = check(dir.path(), env(&twilio, &signal)).await;
    assert!(
        !ran.ok && line(&ran, "voice webhook").starts_with("FAIL "),
        "{}",
        ran.out
    );
}
