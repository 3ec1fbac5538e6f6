//! API tokens with scopes: each group of routes answers only a token whose scope reaches it
//! (403 naming the scope otherwise), and whole numbers go only to admin tokens, each such read
//! in `GET /api/v1/audit`. Making and revoking tokens through the API: `tokens_admin.rs`.

use serde_json::{json, Value};
use tocsin::audit::Actor;
use tocsin::domain::Scope;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

const ANN: &str = "+13235550102";

/// A token made as `tocsin token add` makes it.
pub(crate) async fn token(app: &TestApp, name: &str, scope: Scope) -> String {
    match tocsin::tokens::add(app.core(), &Actor::Cli, name, scope).await {
        Ok(made) => made.secret,
        Err(e) => panic!("token {name}: {e}"),
    }
}

pub(crate) async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app
        .http
        .request(method, format!("{}/api/v1{path}", app.base))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.expect("API answered");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, token, reqwest::Method::GET, path, None).await
}

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, token, reqwest::Method::POST, path, Some(body)).await
}

pub(crate) fn assert_needs(answer: (u16, Value), scope: &str, what: &str) {
    let (status, body) = answer;
    assert_eq!(status, 403, "{what}: {body}");
    assert_eq!(
        body,
        json!({"error": format!("this needs a token with scope {scope}"), "field": "scope", "scope_needed": scope}),
        "{what}"
    );
}

fn circle() -> Value {
    json!({"type": "circle", "lat": 34.06, "lon": -118.3, "radius_m": 1000})
}

async fn each_token_reaches_only_what_its_scope_allows(backend: Backend) {
    let app = spawn_app(backend).await;
    let ann = app
        .volunteer("Ann", ANN, "en", false, 34.06, -118.3, 1000.0)
        .await;
    let (status, report) = app
        .post(
            "/reports",
            json!({"text": "raid at the corner", "lat": 34.06, "lon": -118.3}),
        )
        .await;
    assert_eq!(status, 201, "{report}");
    let incident = report["incident_id"].as_i64().expect("incident");
    let reader = token(&app, "board", Scope::Read).await;
    let desk = token(&app, "desk", Scope::Dispatch).await;
    let boss = token(&app, "boss", Scope::Admin).await;

    // read: incidents and counts, not the reports' text; nothing more.
    assert_eq!(get(&app, &reader, "/status").await.0, 200);
    let (status, list) = get(&app, &reader, "/incidents").await;
    assert_eq!(
        (status, list["incidents"][0]["id"].as_i64()),
        (200, Some(incident))
    );
    let (status, one) = get(&app, &reader, &format!("/incidents/{incident}")).await;
    assert_eq!(status, 200, "{one}");
    assert!(one["counts"].is_object() && one.get("reports").is_none(), "{one}");
    assert_needs(
        get(&app, &reader, "/volunteers").await,
        "dispatch",
        "read lists volunteers",
    );
    assert_needs(
        get(&app, &reader, "/reports").await,
        "dispatch",
        "read lists reports",
    );
    assert_needs(
        post(&app, &reader, "/reports", json!({"text": "raid"})).await,
        "dispatch",
        "read reports",
    );
    assert_needs(
        post(
            &app,
            &reader,
            &format!("/incidents/{incident}/confirm"),
            json!({}),
        )
        .await,
        "dispatch",
        "read confirms",
    );
    assert_needs(get(&app, &reader, "/zones").await, "dispatch", "read lists zones");

    // dispatch: the incident's actions and reports; volunteers masked; no roster changes.
    let (status, one) = get(&app, &desk, &format!("/incidents/{incident}")).await;
    assert_eq!(status, 200);
    assert_eq!(one["reports"][0]["text"], "raid at the corner");
    let (status, list) = get(&app, &desk, "/volunteers").await;
    assert_eq!(status, 200, "GET /volunteers is dispatch, POST /volunteers admin");
    assert_eq!(list["volunteers"][0]["phone_last4"], "0102");
    let (status, shown) = get(&app, &desk, &format!("/volunteers/{ann}")).await;
    assert_eq!((status, shown["phone_last4"].as_str()), (200, Some("0102")));
    assert!(
        shown.get("phone").is_none(),
        "dispatch sees no whole number: {shown}"
    );
    let new = json!({"name": "Bo", "phone": "+13235550103", "area": circle()});
    assert_needs(
        post(&app, &desk, "/volunteers", new.clone()).await,
        "admin",
        "dispatch adds a volunteer",
    );
    assert_needs(
        call(
            &app,
            &desk,
            reqwest::Method::PATCH,
            &format!("/volunteers/{ann}"),
            Some(json!({"roles": ["verifier"]})),
        )
        .await,
        "admin",
        "dispatch changes roles",
    );
    assert_needs(
        call(
            &app,
            &desk,
            reqwest::Method::DELETE,
            &format!("/volunteers/{ann}"),
            None,
        )
        .await,
        "admin",
        "dispatch removes a volunteer",
    );
    assert_needs(
        post(
            &app,
            &desk,
            "/zones",
            json!({"type": "FeatureCollection", "features": []}),
        )
        .await,
        "admin",
        "dispatch imports zones",
    );
    assert_needs(
        call(&app, &desk, reqwest::Method::DELETE, "/zones/Ktown", None).await,
        "admin",
        "dispatch removes a zone",
    );
    assert_needs(
        get(&app, &desk, "/audit").await,
        "admin",
        "dispatch reads the audit log",
    );
    assert_needs(
        get(&app, &desk, "/tokens").await,
        "admin",
        "dispatch lists tokens",
    );
    assert_eq!(get(&app, &desk, "/zones").await.0, 200);
    let (status, done) = post(&app, &desk, &format!("/incidents/{incident}/confirm"), json!({})).await;
    assert_eq!(
        (status, done["status"].as_str()),
        (200, Some("confirmed")),
        "{done}"
    );
    assert_eq!(
        post(&app, &desk, "/reports", json!({"text": "second sighting"}))
            .await
            .0,
        201
    );
    let (status, list) = get(&app, &desk, "/volunteers").await;
    assert_eq!(status, 200);
    assert!(list["volunteers"][0].get("phone").is_none());

    // admin: the roster, and one whole number at a time, audited before it is shown.
    let (status, shown) = get(&app, &boss, &format!("/volunteers/{ann}")).await;
    assert_eq!((status, shown["phone"].as_str()), (200, Some(ANN)), "{shown}");
    assert_eq!(post(&app, &boss, "/volunteers", new).await.0, 201);
    let (status, audit) = get(&app, &boss, "/audit").await;
    assert_eq!(status, 200, "{audit}");
    let entries = audit["entries"].as_array().cloned().unwrap_or_default();
    let reads: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "volunteer_phone_read")
        .collect();
    assert_eq!(
        reads.len(),
        1,
        "only the admin's read is a whole-number read: {audit}"
    );
    assert_eq!(reads[0]["actor"], "token:boss");
    assert_eq!(reads[0]["volunteer_id"].as_i64(), Some(ann));
    assert_eq!(reads[0]["detail"], "api");
    assert!(
        entries
            .iter()
            .any(|e| e["actor"] == "token:desk" && e["incident_id"].as_i64() == Some(incident)),
        "the dispatch token's confirmation is in the log under its name: {audit}"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["actor"] == "token:boss" && e["action"] == "volunteer_add"),
        "{audit}"
    );
    let ids: Vec<i64> = entries.iter().filter_map(|e| e["id"].as_i64()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    for key in [
        "id",
        "at",
        "actor",
        "action",
        "incident_id",
        "volunteer_id",
        "detail",
    ] {
        assert!(entries[0].get(key).is_some(), "{key} in {}", entries[0]);
    }
    // The configuration's token is still an admin token, acting as `api`.
    let (status, shown) = app.get(&format!("/volunteers/{ann}")).await;
    assert_eq!((status, shown["phone"].as_str()), (200, Some(ANN)));
    let (_, audit) = get(&app, &boss, "/audit?limit=1").await;
    assert_eq!(audit["entries"].as_array().map(Vec::len), Some(1));
    assert_eq!(audit["entries"][0]["action"], "volunteer_phone_read");
    assert_eq!(audit["entries"][0]["actor"], "api");
    let newest = audit["entries"][0]["id"].as_i64().unwrap_or(0);
    let (_, older) = get(&app, &boss, &format!("/audit?limit=2&before={newest}")).await;
    let older_ids: Vec<i64> = older["entries"]
        .as_array()
        .map(|l| l.iter().filter_map(|e| e["id"].as_i64()).collect())
        .unwrap_or_default();
    assert!(
        older_ids.len() == 2 && older_ids.iter().all(|id| *id < newest),
        "{older}"
    );
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("limit=x", "limit"),
        ("before=-1", "before"),
    ] {
        let (status, body) = get(&app, &boss, &format!("/audit?{query}")).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some(field)),
            "{query}: {body}"
        );
    }

    // No token, a wrong one, or one that looks like ours but is not: 401.
    for bad in [
        "",
        "tocsin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "test-token-0123456789x",
    ] {
        let (status, body) = get(&app, bad, "/incidents").await;
        assert_eq!(status, 401, "{bad:?}: {body}");
    }
    app.stop().await;
}
on_both_backends!(each_token_reaches_only_what_its_scope_allows);
