//! `GET /api/v1/openapi.json`: the API's description, made from the handlers' annotations by
//! the same calls that build the router. Checked both ways: every documented route answers
//! (not the router's "no such route"), and the router has no route outside the document (the
//! API's router file registers routes only through `routes!`, which documents them).

use serde_json::Value;

use crate::helpers::{spawn_app, Backend, API_TOKEN};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_is_documented_and_every_documented_route_exists() {
    let app = spawn_app(Backend::Sqlite).await;
    let resp = app
        .http
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "no token needed");
    let doc: Value = resp.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{doc}"
    );
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let paths = doc["paths"].as_object().expect("paths");

    let mut operations = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "post", "patch", "delete", "put"].contains(&method.as_str()) {
                continue;
            }
            let scope = op["security"][0]["bearer"][0].as_str().unwrap_or("");
            assert!(
                ["read", "dispatch", "admin"].contains(&scope),
                "{method} {path}: scope {scope:?}"
            );
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            operations.push((method.to_uppercase(), path.clone()));
        }
    }
    // Each one answers as a route: with the admin token and a harmless body, never the
    // router's bare 404 (no body) or 405.
    for (method, path) in &operations {
        let url = format!(
            "{}/api/v1{}",
            app.base,
            path.replace("{id}", "999999").replace("{name}", "nobody")
        );
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let resp = app
            .http
            .request(method.clone(), &url)
            .bearer_auth(API_TOKEN)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body = resp.text().await.unwrap();
        assert_ne!(status, 405, "{method} {path} is not routed");
        assert!(
            status != 404 || !body.is_empty(),
            "{method} {path}: the router has no such route"
        );
        // Without a token: refused, so the scope in the document is enforced.
        let anon = app.http.request(method.clone(), &url).send().await.unwrap();
        assert_eq!(anon.status(), 401, "{method} {path} without a token");
    }
    // The routes the README's API table lists are all there.
    for (method, path) in [
        ("GET", "/incidents/{id}"),
        ("POST", "/incidents/{id}/update"),
        ("POST", "/incidents/{id}/all-clear"),
        ("POST", "/incidents/{id}/confirm"),
        ("DELETE", "/blocklist/{id}"),
        ("PATCH", "/volunteers/{id}"),
        ("DELETE", "/tokens/{name}"),
        ("GET", "/places/search"),
        ("GET", "/audit"),
        // One path, methods of different scopes: both kept.
        ("GET", "/volunteers"),
        ("POST", "/volunteers"),
        ("GET", "/zones"),
        ("POST", "/zones"),
    ] {
        assert!(
            operations.contains(&(method.to_string(), path.to_string())),
            "{method} {path} documented"
        );
    }
    assert!(operations.len() >= 34, "{} operations", operations.len());

    // The other way round: the API's router registers nothing but through `routes!` (which
    // documents each handler), except the document itself.
    let source = include_str!("../../src/web/api/mod.rs");
    let routed: Vec<&str> = source
        .lines()
        .filter(|l| l.trim_start().starts_with(".route("))
        .collect();
    assert_eq!(
        routed.len(),
        1,
        "only /openapi.json is routed by hand: {routed:?}"
    );
    assert!(source.contains("\"/openapi.json\""));
    let registered = source.matches("routes!(").count();
    assert!(registered >= 30, "{registered}");
    app.stop().await;
}
