//! The fake's REST API against real HTTP: the §3.2 resource on create, fetch and list, and
//! the exact 401 for bad credentials.

mod common;

use common::*;

fn is_sid(value: &serde_json::Value, prefix: &str) -> bool {
    value.as_str().is_some_and(|s| {
        s.len() == 34
            && s.starts_with(prefix)
            && s[2..].bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

fn is_rfc2822(value: &serde_json::Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| chrono::DateTime::parse_from_rfc2822(s).is_ok() && s.ends_with(" +0000"))
}

#[tokio::test]
async fn created_message_has_twilio_shape() {
    let fake = start().await;
    let answer = send(
        &fake,
        &[("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", "Hello! 👍")],
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert_eq!(answer.content_type, "application/json; charset=utf-8");
    let json = answer.json();
    // Parsed maps sort their keys, so check the wire order on the raw text.
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| answer.text.find(&format!("\"{k}\":")).expect("key on the wire"))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "keys in Twilio's order: {}",
        answer.text
    );
    assert_eq!(
        keys,
        [
            "account_sid",
            "api_version",
            "body",
            "date_created",
            "date_sent",
            "date_updated",
            "direction",
            "error_code",
            "error_message",
            "from",
            "messaging_service_sid",
            "num_media",
            "num_segments",
            "price",
            "price_unit",
            "sid",
            "status",
            "subresource_uris",
            "to",
            "uri"
        ]
    );
    assert!(is_sid(&json["sid"], "SM"), "{}", json["sid"]);
    let sid = json["sid"].as_str().expect("sid");
    assert_eq!(json["account_sid"], ACCOUNT_SID);
    assert_eq!(json["api_version"], "2010-04-01");
    assert_eq!(json["body"], "Hello! 👍");
    assert!(is_rfc2822(&json["date_created"]) && is_rfc2822(&json["date_updated"]));
    assert_eq!(json["direction"], "outbound-api");
    assert_eq!(json["error_code"], serde_json::Value::Null);
    assert_eq!(json["from"], OUR_NUMBER);
    assert_eq!(json["messaging_service_sid"], serde_json::Value::Null);
    assert_eq!(json["num_media"], "0", "string-typed");
    assert_eq!(json["num_segments"], "1", "string-typed");
    assert_eq!(json["price"], serde_json::Value::Null);
    assert_eq!(json["status"], "queued");
    assert_eq!(json["to"], VOLUNTEER);
    let base = format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}");
    assert_eq!(json["uri"], format!("{base}.json"));
    assert_eq!(json["subresource_uris"]["media"], format!("{base}/Media.json"));

    let recorded = fake.messages();
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].sid.as_str(), recorded[0].num_segments), (sid, 1));

    // Fetch: same shape, current status; unknown SID is a Twilio 404.
    let fetched = get(&format!("{}{base}.json", fake.base_url())).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.json()["sid"], sid);
    let unknown = format!(
        "{}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/SM{}.json",
        fake.base_url(),
        "0".repeat(32)
    );
    get(&unknown).await.assert_error(404, 20404);
}

#[tokio::test]
async fn messaging_service_send_is_accepted_without_sender() {
    let fake = start().await;
    let answer = send(
        &fake,
        &[
            ("To", VOLUNTEER),
            ("MessagingServiceSid", SERVICE_SID),
            ("Body", "hi"),
        ],
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let json = answer.json();
    assert_eq!(json["status"], "accepted");
    assert_eq!(json["from"], serde_json::Value::Null);
    assert_eq!(json["num_segments"], "0");
    assert_eq!(json["messaging_service_sid"], SERVICE_SID);
}

#[tokio::test]
async fn authentication_failures_answer_exact_401() {
    let fake = start().await;
    let expected = r#"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#;
    let form = [("To", VOLUNTEER), ("From", OUR_NUMBER), ("Body", "x")];
    let other_sid = format!(
        "{}/2010-04-01/Accounts/AC{}/Messages.json",
        fake.base_url(),
        "f".repeat(32)
    );
    let attempts = [
        client().post(messages_url(&fake)).form(&form),
        client()
            .post(messages_url(&fake))
            .basic_auth(ACCOUNT_SID, Some("wrong"))
            .form(&form),
        client()
            .post(other_sid)
            .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
            .form(&form),
    ];
    for request in attempts {
        let response = request.send().await.expect("request");
        assert_eq!(response.status().as_u16(), 401);
        assert_eq!(
            response.headers()["content-type"],
            "application/json; charset=utf-8"
        );
        assert!(response.headers().contains_key("www-authenticate"));
        assert_eq!(response.text().await.expect("body"), expected);
    }
    assert!(fake.messages().is_empty());
    assert_eq!(fake.rejected(), vec![(401, 20003); 3]);
}

#[tokio::test]
async fn list_filters_by_recipient_newest_first() {
    let fake = start().await;
    for (to, body) in [(VOLUNTEER, "one"), ("+13235550111", "other"), (VOLUNTEER, "two")] {
        assert_eq!(
            send(&fake, &[("To", to), ("From", OUR_NUMBER), ("Body", body)])
                .await
                .status,
            201
        );
    }
    let url = format!("{}?To=%2B13235550199", messages_url(&fake));
    let page = get(&url).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let bodies: Vec<_> = page.json()["messages"]
        .as_array()
        .expect("array")
        .iter()
        .map(|m| m["body"].clone())
        .collect();
    assert_eq!(bodies, ["two", "one"]);
    assert_eq!(fake.messages_to(VOLUNTEER).len(), 2);
}
