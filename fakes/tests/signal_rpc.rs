//! The fake signal-cli daemon's HTTP and JSON-RPC framing against real HTTP (PROTOCOLS §6.2,
//! §6.5): status codes, the Host check, error objects, notifications and batches, and the
//! small methods.

#[path = "signal_common/mod.rs"]
mod signal_common;

use serde_json::json;
use signal_common::*;

#[tokio::test]
async fn wrong_content_type_method_and_path() {
    let fake = start().await;
    let url = format!("{}/api/v1/rpc", fake.base_url());
    let body = r#"{"jsonrpc":"2.0","method":"version","id":1}"#;

    let no_type = client().post(&url).body(body).send().await.expect("request");
    assert_eq!(no_type.status(), 415);
    let text = client()
        .post(&url)
        .header("Content-Type", "text/plain")
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(text.status(), 415);
    let with_charset = client()
        .post(&url)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(with_charset.status(), 200);

    let get = client().get(&url).send().await.expect("request");
    assert_eq!(get.status(), 405);
    let put_events = client()
        .post(format!("{}/api/v1/events", fake.base_url()))
        .send()
        .await
        .expect("request");
    assert_eq!(put_events.status(), 405);
    for path in ["/api/v1/rpcx", "/api/v1/rpc/more", "/", "/v2/send"] {
        let answer = client()
            .post(format!("{}{path}", fake.base_url()))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        assert_eq!(answer.status(), 404, "{path}");
    }
    let check = Answer::from(
        client()
            .get(format!("{}/api/v1/check", fake.base_url()))
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert_eq!((check.status, check.text.as_str()), (200, ""));
}

#[tokio::test]
async fn host_header_is_checked() {
    let fake = start().await;
    let port = fake.base_url().rsplit(':').next().expect("port").to_owned();
    let check = |host: String| {
        let fake = fake.clone();
        async move {
            client()
                .get(format!("{}/api/v1/check", fake.base_url()))
                .header("Host", host)
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    };
    for ok in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_owned(),
        format!("localhost:{port}"),
        "LOCALHOST".to_owned(),
        format!("[::1]:{port}"),
        "[::1]".to_owned(),
        "::1".to_owned(),
    ] {
        assert_eq!(check(ok.clone()).await, 200, "{ok}");
    }
    for bad in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        "127.0.0.1:1".to_owned(),
        format!("localhost.evil.example:{port}"),
        "10.0.0.1".to_owned(),
    ] {
        assert_eq!(check(bad.clone()).await, 421, "{bad}");
    }
    // The check applies to the RPC endpoint too, before anything else.
    let answer = client()
        .post(format!("{}/api/v1/rpc", fake.base_url()))
        .header("Host", "rebind.example")
        .body("x")
        .send()
        .await
        .expect("request");
    assert_eq!(answer.status(), 421);
}

#[tokio::test]
async fn jsonrpc_error_objects() {
    let fake = start().await;

    let parse = post_raw(&fake, "{\"jsonrpc\":\"2.0\",").await;
    assert_eq!(parse.status, 200);
    let parse = parse.json();
    assert_eq!(parse["error"]["code"], -32700);
    assert_eq!(parse["id"], json!(null));
    assert_eq!(parse["error"]["data"], json!(null));

    let no_method = post(&fake, &json!({"jsonrpc": "2.0", "id": 7})).await;
    assert_eq!(no_method.status, 200);
    assert_eq!(
        no_method.json(),
        json!({"jsonrpc": "2.0", "error": {"code": -32600, "message": "method field must be set", "data": null}, "id": 7})
    );
    // The `data` member is present (null), not omitted.
    assert!(no_method.text.contains("\"data\":null"), "{}", no_method.text);

    let version = post(&fake, &json!({"jsonrpc": "1.0", "method": "version", "id": 8}))
        .await
        .json();
    assert_eq!(version["error"]["code"], -32600);
    assert_eq!(
        version["error"]["message"],
        "only jsonrpc version 2.0 is supported"
    );

    let unknown = call(&fake, "listGroupz", json!({})).await;
    assert_eq!(error(&unknown)["code"], -32601);
    assert_eq!(error(&unknown)["message"], "Method not implemented");

    let other_account = call(&fake, "version", json!({"account": "+19995550000"})).await;
    assert_eq!(
        error(&other_account),
        &json!({"code": -32602, "message": "Specified account does not exist", "data": null})
    );
    let our_account = call(&fake, "version", json!({"account": ACCOUNT})).await;
    assert_eq!(result(&our_account), &json!({"version": "0.14.6"}));

    let scalar = post_raw(&fake, "42").await.json();
    assert_eq!(scalar["error"]["code"], -32600);
    let empty_batch = post_raw(&fake, "[]").await.json();
    assert_eq!(
        empty_batch["error"],
        json!({"code": -32600, "message": "invalid request", "data": null})
    );
    let bad_param_type = call(&fake, "send", json!({"recipient": [ANA], "message": 5})).await;
    assert_eq!(error(&bad_param_type)["code"], -32600);
}

#[tokio::test]
async fn notifications_get_201_and_no_body() {
    let fake = start().await;
    let answer = post(&fake, &json!({"jsonrpc": "2.0", "method": "version"})).await;
    assert_eq!((answer.status, answer.text.as_str()), (201, ""));
    // Even a failing notification produces no answer.
    let answer = post(&fake, &json!({"jsonrpc": "2.0", "method": "nope"})).await;
    assert_eq!((answer.status, answer.text.as_str()), (201, ""));
    // A notification's send still happens.
    let answer = post(
        &fake,
        &json!({"jsonrpc": "2.0", "method": "send", "params": {"recipient": ANA, "message": "fire and forget"}}),
    )
    .await;
    assert_eq!(answer.status, 201);
    assert_eq!(fake.sent_to(ANA).len(), 1);
    // An explicit null id is a request, not a notification.
    let answer = post(&fake, &json!({"jsonrpc": "2.0", "method": "version", "id": null})).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json(),
        json!({"jsonrpc": "2.0", "result": {"version": "0.14.6"}, "id": null})
    );
}

#[tokio::test]
async fn batches() {
    let fake = start().await;
    let batch = json!([
        {"jsonrpc": "2.0", "method": "version", "id": "a"},
        {"jsonrpc": "2.0", "method": "version"},
        {"jsonrpc": "2.0", "method": "nope", "id": "b"},
        {"jsonrpc": "2.0", "id": "c"},
        {"jsonrpc": "2.0", "method": "send", "params": {"recipient": ANA, "message": "hi"}, "id": "d"},
    ]);
    let answer = post(&fake, &batch).await;
    assert_eq!(answer.status, 200);
    let responses = answer.json();
    let responses = responses.as_array().expect("batch answers an array");
    assert_eq!(
        responses.len(),
        4,
        "no element for the notification: {responses:?}"
    );
    let by_id = |id: &str| {
        responses
            .iter()
            .find(|r| r["id"] == id)
            .expect("response for id")
            .clone()
    };
    assert_eq!(by_id("a")["result"], json!({"version": "0.14.6"}));
    assert_eq!(by_id("b")["error"]["code"], -32601);
    assert_eq!(by_id("c")["error"]["message"], "method field must be set");
    assert_eq!(by_id("d")["result"]["results"][0]["type"], "SUCCESS");

    let only_notifications = json!([
        {"jsonrpc": "2.0", "method": "version"},
        {"jsonrpc": "2.0", "method": "listAccounts"},
    ]);
    let answer = post(&fake, &only_notifications).await;
    assert_eq!((answer.status, answer.text.as_str()), (201, ""));
    // Every request object is logged, batch elements one by one.
    let methods: Vec<_> = fake.rpc_log().iter().map(|r| r["method"].clone()).collect();
    assert_eq!(methods.len(), 7);
    assert_eq!(methods[6], "listAccounts");
}

#[tokio::test]
async fn version_list_accounts_and_user_status() {
    let fake = start().await;
    fake.register(ANA, ANA_UUID);
    let version = call(&fake, "version", json!({})).await;
    assert_eq!(result(&version), &json!({"version": "0.14.6"}));
    let accounts = call(&fake, "listAccounts", json!({})).await;
    assert_eq!(result(&accounts), &json!([{"number": ACCOUNT}]));

    let status = call(&fake, "getUserStatus", json!({"recipient": [ANA, BEN, ANA_UUID]})).await;
    assert_eq!(
        result(&status),
        &json!([
            {"recipient": ANA, "number": ANA, "uuid": ANA_UUID, "isRegistered": true},
            {"recipient": BEN, "number": BEN, "uuid": null, "isRegistered": false},
            {"recipient": ANA_UUID, "number": ANA, "uuid": ANA_UUID, "isRegistered": true},
        ])
    );
    // A single value and the plural key are accepted too (PROTOCOLS §6.3).
    let single = call(&fake, "getUserStatus", json!({"recipients": ANA})).await;
    assert_eq!(result(&single)[0]["isRegistered"], true);
    let bad = call(&fake, "getUserStatus", json!({"recipient": ["2135550100"]})).await;
    assert_eq!(error(&bad)["code"], -1);
}
