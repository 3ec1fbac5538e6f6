//! Tokens made and revoked through the API (admin): shown once, stored as a hash, last use
//! written at most once a minute, and a revoked token refused at once, on every instance.

use serde_json::{json, Value};
use tocsin::domain::Scope;

use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;
use crate::tokens::{assert_needs, call, get, post, token};

async fn admins_make_and_revoke_tokens_and_a_revoked_token_is_refused_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let boss = token(&app, "boss", Scope::Admin).await;
    let desk = token(&app, "desk", Scope::Dispatch).await;
    assert_needs(
        post(&app, &desk, "/tokens", json!({"name": "mine", "scope": "admin"})).await,
        "admin",
        "dispatch makes a token",
    );
    for (body, field) in [
        (json!({"name": "bad name", "scope": "read"}), "name"),
        (json!({"name": "ok", "scope": "root"}), "scope"),
        (json!({"scope": "read"}), "name"),
    ] {
        let (status, answer) = post(&app, &boss, "/tokens", body.clone()).await;
        assert_eq!(
            (status, answer["field"].as_str()),
            (422, Some(field)),
            "{body}: {answer}"
        );
    }
    let (status, made) = post(&app, &boss, "/tokens", json!({"name": "ci-bot", "scope": "read"})).await;
    assert_eq!(status, 201, "{made}");
    let ci = made["token"].as_str().unwrap_or_default().to_string();
    assert!(ci.starts_with("tocsin_") && ci.len() == 7 + 43, "{ci}");
    assert_eq!(
        post(
            &app,
            &boss,
            "/tokens",
            json!({"name": "ci-bot", "scope": "admin"})
        )
        .await
        .0,
        409
    );
    assert_eq!(get(&app, &ci, "/incidents").await.0, 200);

    // Only a hash is stored: no column of the table holds the token.
    let rows = sqlx::query_as::<_, (String, String, String)>(
        "SELECT name, scope, token_hash FROM api_tokens ORDER BY name",
    )
    .fetch_all(app.core().store.pool())
    .await
    .expect("tokens table");
    let ci_row = rows.iter().find(|r| r.0 == "ci-bot").expect("ci-bot stored");
    assert_eq!(ci_row.1, "read");
    assert_eq!(ci_row.2, tocsin::accounts::token_hash(&ci));
    assert!(rows.iter().all(|r| !r.0.contains(&ci) && !r.2.contains(&ci)));

    // The list never shows a token; it shows when each was last used.
    let (status, list) = get(&app, &boss, "/tokens").await;
    assert_eq!(status, 200);
    assert!(!list.to_string().contains("tocsin_"), "{list}");
    let find = |list: &Value, name: &str| {
        list["tokens"]
            .as_array()
            .and_then(|l| l.iter().find(|t| t["name"] == name).cloned())
            .unwrap_or(Value::Null)
    };
    let used = find(&list, "ci-bot")["last_used_at"].clone();
    assert!(used.is_i64(), "{list}");
    assert_eq!(get(&app, &ci, "/status").await.0, 200);
    // Zone changes are audited as the token that made them.
    let zone = json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"name": "Plaza"},
        "geometry": {"type": "Polygon", "coordinates": [[[-118.30, 34.06], [-118.29, 34.06],
            [-118.29, 34.07], [-118.30, 34.06]]]}}]});
    assert_eq!(post(&app, &boss, "/zones", zone).await.0, 201);
    assert_eq!(
        call(&app, &boss, reqwest::Method::DELETE, "/zones/Plaza", None)
            .await
            .0,
        204
    );
    let (_, list) = get(&app, &boss, "/tokens").await;
    assert_eq!(
        find(&list, "ci-bot")["last_used_at"],
        used,
        "written at most once a minute"
    );
    assert!(find(&list, "desk")["last_used_at"].is_i64(), "{list}");
    assert_eq!(find(&list, "ci-bot")["revoked_at"], Value::Null);

    let other = if backend == Backend::Postgres {
        Some(app.second_instance(|_| {}).await)
    } else {
        None
    };
    if let Some(b) = &other {
        assert_eq!(get(b, &ci, "/incidents").await.0, 200);
    }
    let revoke = |name: &str| format!("/tokens/{name}");
    assert_eq!(
        call(&app, &boss, reqwest::Method::DELETE, &revoke("ci-bot"), None)
            .await
            .0,
        204
    );
    assert_eq!(get(&app, &ci, "/incidents").await.0, 401, "refused at once");
    if let Some(b) = other {
        assert_eq!(
            get(&b, &ci, "/incidents").await.0,
            401,
            "refused at once by the other instance too"
        );
        b.stop().await;
    }
    assert_eq!(
        call(&app, &boss, reqwest::Method::DELETE, &revoke("ci-bot"), None)
            .await
            .0,
        204
    );
    assert_eq!(
        call(&app, &boss, reqwest::Method::DELETE, &revoke("nobody"), None)
            .await
            .0,
        404
    );
    let (_, list) = get(&app, &boss, "/tokens").await;
    assert!(find(&list, "ci-bot")["revoked_at"].is_i64(), "{list}");
    let (_, audit) = get(&app, &boss, "/audit").await;
    let actions: Vec<(String, String, String)> = audit["entries"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|e| {
                    (
                        e["actor"].to_string(),
                        e["action"].to_string(),
                        e["detail"].to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for action in ["zones_import", "zone_remove"] {
        assert!(
            actions
                .iter()
                .any(|(actor, a, _)| actor == "\"token:boss\"" && a == &format!("\"{action}\"")),
            "{action} by token:boss in {actions:?}"
        );
    }
    assert!(
        actions.contains(&(
            "\"token:boss\"".into(),
            "\"token_add\"".into(),
            "\"ci-bot read\"".into()
        )),
        "{actions:?}"
    );
    assert!(
        actions.contains(&(
            "\"token:boss\"".into(),
            "\"token_revoke\"".into(),
            "\"ci-bot\"".into()
        )),
        "{actions:?}"
    );
    app.stop().await;
}
on_both_backends!(admins_make_and_revoke_tokens_and_a_revoked_token_is_refused_at_once);
