//! Inbound SMS webhooks as Twilio posts them: field set and order of PROTOCOLS §1, Twilio's
//! headers, signed over the exact URL (query included) — and Wrong/Tampered/Missing signatures
//! that a correct validator must refuse.

mod common;

use common::*;
use tocsin_fakes::Signing;

const BODY: &str = "ICE en 3rd & Vermont, ¿vienen? 2+ camionetas";

fn webhook_url(receiver: &Receiver) -> String {
    format!("{}/webhooks/twilio/sms?tenant=east", receiver.base_url)
}

#[tokio::test]
async fn valid_webhook_is_signed_over_exact_url_and_raw_body() {
    let fake = start().await;
    let receiver = Receiver::start(200).await;
    let url = webhook_url(&receiver);
    let reply = fake
        .send_inbound_sms(&url, VOLUNTEER, OUR_NUMBER, BODY, Signing::Valid)
        .await
        .expect("post");

    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type.as_deref(), Some("text/xml"));
    assert_eq!(reply.body, r#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#);
    assert!(reply.message_sid.starts_with("SM") && reply.message_sid.len() == 34);

    let requests = receiver.wait_for(1).await;
    let request = &requests[0];
    assert_eq!(request.path_and_query, "/webhooks/twilio/sms?tenant=east");
    assert!(request.signature_valid(&url));
    assert!(
        !request.signature_valid(&format!("{}/webhooks/twilio/sms", receiver.base_url)),
        "query is signed"
    );
    assert_eq!(request.header("user-agent").as_deref(), Some("TwilioProxy/1.1"));
    assert_eq!(
        request.header("content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let raw = String::from_utf8(request.body.clone()).expect("utf-8");
    assert!(
        raw.contains("Body=ICE+en+3rd+%26+Vermont%2C+%C2%BFvienen%3F+2%2B+camionetas"),
        "{raw}"
    );

    let names: Vec<String> = request.params().into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "ToCountry",
            "ToState",
            "SmsMessageSid",
            "NumMedia",
            "ToCity",
            "FromZip",
            "SmsSid",
            "FromState",
            "SmsStatus",
            "FromCity",
            "Body",
            "FromCountry",
            "To",
            "MessagingServiceSid",
            "ToZip",
            "NumSegments",
            "MessageSid",
            "AccountSid",
            "From",
            "ApiVersion"
        ]
    );
    let sid = Some(reply.message_sid.clone());
    assert_eq!(
        (
            request.param("MessageSid"),
            request.param("SmsSid"),
            request.param("SmsMessageSid")
        ),
        (sid.clone(), sid.clone(), sid)
    );
    assert_eq!(request.param("Body").as_deref(), Some(BODY));
    assert_eq!(request.param("From").as_deref(), Some(VOLUNTEER));
    assert_eq!(request.param("To").as_deref(), Some(OUR_NUMBER));
    assert_eq!(request.param("AccountSid").as_deref(), Some(ACCOUNT_SID));
    assert_eq!(request.param("MessagingServiceSid").as_deref(), Some(SERVICE_SID));
    assert_eq!(request.param("NumMedia").as_deref(), Some("0"));
    assert_eq!(request.param("NumSegments").as_deref(), Some("1"));
    assert_eq!(request.param("SmsStatus").as_deref(), Some("received"));
    assert_eq!(
        request.param("ToCity").as_deref(),
        Some(""),
        "empty geo fields are sent (and signed)"
    );
    assert_eq!(request.param("ApiVersion").as_deref(), Some("2010-04-01"));
}

#[tokio::test]
async fn explicit_sid_is_reused_for_redelivery() {
    let fake = start().await;
    let receiver = Receiver::start(200).await;
    let url = webhook_url(&receiver);
    let sid = "SM0123456789abcdef0123456789abcdef";
    for _ in 0..2 {
        let reply = fake
            .send_inbound_sms_with_sid(&url, VOLUNTEER, OUR_NUMBER, "Y", sid, Signing::Valid)
            .await
            .expect("post");
        assert_eq!(reply.message_sid, sid);
    }
    let requests = receiver.wait_for(2).await;
    assert!(requests
        .iter()
        .all(|r| r.param("MessageSid").as_deref() == Some(sid) && r.signature_valid(&url)));
}

#[tokio::test]
async fn bad_signatures_do_not_validate() {
    let fake = start().await;
    let receiver = Receiver::start(403).await;
    let url = webhook_url(&receiver);
    for signing in [Signing::Wrong, Signing::Tampered, Signing::Missing] {
        let reply = fake
            .send_inbound_sms(&url, VOLUNTEER, OUR_NUMBER, BODY, signing)
            .await
            .expect("post");
        assert_eq!(reply.status, 403, "the receiver's answer is passed back");
    }
    let requests = receiver.wait_for(3).await;
    let [wrong, tampered, missing] = &requests[..] else {
        panic!("three requests: {requests:?}")
    };
    assert!(wrong.header("x-twilio-signature").is_some() && !wrong.signature_valid(&url));
    assert!(tampered.header("x-twilio-signature").is_some() && !tampered.signature_valid(&url));
    assert_ne!(
        tampered.param("Body").as_deref(),
        Some(BODY),
        "Body changed after signing"
    );
    assert!(missing.header("x-twilio-signature").is_none());
}

#[tokio::test]
async fn unreachable_webhook_is_an_error() {
    let fake = start().await;
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/sms", closed.local_addr().expect("addr"));
    drop(closed);
    assert!(fake
        .send_inbound_sms(&url, VOLUNTEER, OUR_NUMBER, "hi", Signing::Valid)
        .await
        .is_err());
}
