//! The account reads `tocsin check` relies on: the Account, the account's numbers with their
//! SMS webhook, and the Messaging Service, in Twilio's shapes, refused like Twilio without
//! the right credentials.

mod common;

use common::*;

#[tokio::test]
async fn the_account_answers_with_its_status_and_refuses_a_wrong_token() {
    let fake = start().await;
    let url = format!("{}/2010-04-01/Accounts/{ACCOUNT_SID}.json", fake.base_url());
    let ok = get(&url).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let json = ok.json();
    assert_eq!(json["sid"], ACCOUNT_SID);
    assert_eq!(json["status"], "active");
    assert_eq!(json["type"], "Full");
    assert_eq!(json["uri"], format!("/2010-04-01/Accounts/{ACCOUNT_SID}.json"));

    let refused = client()
        .get(&url)
        .basic_auth(ACCOUNT_SID, Some("wrong-token"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        refused
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Basic realm=\"Twilio API\"")
    );
    let status = refused.status().as_u16();
    let text = refused.text().await.expect("body");
    let body: serde_json::Value = serde_json::from_str(&text).expect("JSON body");
    assert_eq!((status, body["code"].as_u64()), (401, Some(20003)));
    assert_eq!(body["message"], "Authenticate");
    assert_eq!(fake.rejected(), vec![(401, 20003)]);
}

#[tokio::test]
async fn numbers_are_listed_with_the_webhook_a_test_sets() {
    let fake = tocsin_fakes::FakeTwilio::start(config().sms_url("https://a.example/sms"))
        .await
        .expect("fake starts");
    let url = format!(
        "{}/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json?PhoneNumber=%2B12135550100",
        fake.base_url()
    );
    let listed = get(&url).await.json();
    let numbers = listed["incoming_phone_numbers"].as_array().expect("a list");
    assert_eq!(numbers.len(), 1);
    assert_eq!(numbers[0]["phone_number"], OUR_NUMBER);
    assert_eq!(numbers[0]["sms_url"], "https://a.example/sms");
    assert_eq!(numbers[0]["sms_method"], "POST");
    assert!(numbers[0]["sid"]
        .as_str()
        .is_some_and(|s| s.starts_with("PN") && s.len() == 34));

    fake.set_sms_url(OUR_NUMBER, "https://b.example/sms");
    assert_eq!(
        get(&url).await.json()["incoming_phone_numbers"][0]["sms_url"],
        "https://b.example/sms"
    );

    let other = url.replace("%2B12135550100", "%2B12135550199");
    let none = get(&other).await.json();
    assert_eq!(none["incoming_phone_numbers"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn the_messaging_service_has_an_inbound_url_and_others_are_not_found() {
    let fake = start().await;
    fake.set_service_inbound_url("https://c.example/sms");
    let service = get(&format!("{}/v1/Services/{SERVICE_SID}", fake.base_url())).await;
    assert_eq!(service.status, 200, "{}", service.text);
    let json = service.json();
    assert_eq!(json["inbound_request_url"], "https://c.example/sms");
    assert_eq!(json["use_inbound_webhook_on_number"], false);
    let missing = get(&format!("{}/v1/Services/MG{:032}", fake.base_url(), 0)).await;
    missing.assert_error(404, 20404);
}
