//! The JSON API: bearer token, and clear refusals naming the field.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;

fn volunteer(phone: &str, area: Value) -> Value {
    json!({"name": "Ann", "phone": phone, "language": "en", "area": area})
}

async fn bad_volunteers_are_refused_naming_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let circle = json!({"type": "circle", "lat": 34.06, "lon": -118.3, "radius_m": 1000});
    let cases = [
        (volunteer("2135550100", circle.clone()), "phone"),
        (volunteer("+1555", circle.clone()), "phone"),
        (json!({"phone": "+13235550102", "area": circle}), "name"),
        (
            volunteer(
                "+13235550102",
                json!({"type": "circle", "lat": 34.06, "lon": -118.3, "radius_m": 0}),
            ),
            "area.radius_m",
        ),
        (
            volunteer(
                "+13235550102",
                json!({"type": "circle", "lat": 134.06, "lon": -118.3, "radius_m": 10}),
            ),
            "area.lat",
        ),
        (
            volunteer(
                "+13235550102",
                json!({"type": "Polygon", "coordinates": [[[-118.31, 34.05], [-118.29, 34.05], [-118.29, 34.07], [-118.31, 34.07]]]}),
            ),
            "area",
        ),
        (
            json!({"name": "Ann", "phone": "+13235550102", "language": "fr", "area": circle}),
            "language",
        ),
        (
            json!({"name": "Ann", "phone": "+13235550102", "trusted": "yes", "area": circle}),
            "trusted",
        ),
        (
            json!({"name": "Ann", "phone": "+13235550102", "channel": "fax", "area": circle}),
            "channel",
        ),
        (
            json!({"name": "Ann", "phone": "+13235550102", "channel": "signal", "signal_address": "bob", "area": circle}),
            "signal_address",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = app.post("/volunteers", body.clone()).await;
        assert_eq!(status, 422, "{body} -> {answer}");
        let named = answer["field"].as_str().unwrap_or("");
        assert!(
            named.starts_with(field),
            "expected field {field}, got {answer} for {body}"
        );
        assert!(!answer["error"].as_str().unwrap_or("").is_empty());
    }
    assert_eq!(
        app.get("/volunteers").await.1["volunteers"],
        json!([]),
        "nothing half-written"
    );

    let ok = volunteer(
        "+13235550102",
        json!({"type": "circle", "lat": 34.06, "lon": -118.3, "radius_m": 1000}),
    );
    assert_eq!(app.post("/volunteers", ok.clone()).await.0, 201);
    assert_eq!(
        app.post("/volunteers", ok).await.0,
        409,
        "one volunteer per number"
    );
    let (status, answer) = app.post("/reports", json!({"text": ""})).await;
    assert_eq!((status, answer["field"].as_str()), (422, Some("text")));
    let (status, _) = app.get("/incidents/999").await;
    assert_eq!(status, 404);
    let (status, _) = app.get("/incidents/abc").await;
    assert_eq!(status, 404);
    app.stop().await;
}
on_both_backends!(bad_volunteers_are_refused_naming_the_field);

async fn the_api_needs_the_token_and_hides_the_phone_book(backend: Backend) {
    let app = spawn_app(backend).await;
    app.volunteer("Ann", "+13235550102", "en", false, 34.06, -118.3, 1000.0)
        .await;
    for auth in [None, Some("Bearer wrong-token-0123456789")] {
        let mut req = app.http.get(format!("{}/api/v1/volunteers", app.base));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401);
        let body: Value = resp.json().await.unwrap();
        assert!(body["error"].is_string());
    }
    let (status, list) = app.get("/volunteers").await;
    assert_eq!(status, 200);
    let listed = &list["volunteers"][0];
    assert_eq!(listed["phone_last4"], "0102");
    assert!(
        listed.get("phone").is_none(),
        "the list shows no full numbers: {listed}"
    );

    let (status, body) = app
        .post(
            "/reports",
            json!({"text": "raid", "lat": 34.06, "lon": -118.3, "kind": "raid"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(
        body["report_id"].is_i64() && body["incident_id"].is_i64(),
        "{body}"
    );
    let (status, body) = app.post("/reports", json!({"text": "raid", "lat": 34.06})).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("lon")));
    let (status, body) = app
        .post("/reports", json!({"text": "raid", "kind": "party"}))
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("kind")));
    let resp = app
        .http
        .post(format!("{}/api/v1/reports", app.base))
        .bearer_auth(crate::helpers::API_TOKEN)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    app.stop().await;
}
on_both_backends!(the_api_needs_the_token_and_hides_the_phone_book);

async fn reports_with_and_without_a_place_alternate_without_error(backend: Backend) {
    // Regression: sqlx's Any driver sent a NULL f64 as float4 to PostgreSQL; the cached
    // statement then refused a real coordinate on the same connection.
    let app = spawn_app(backend).await;
    for n in 0..12 {
        let body = if n % 2 == 0 {
            json!({"text": format!("report {n}")})
        } else {
            json!({"text": format!("report {n}"), "lat": 34.06, "lon": -118.3})
        };
        let (status, answer) = app.post("/reports", body).await;
        assert_eq!(status, 201, "report {n}: {answer}");
    }
    app.stop().await;
}
on_both_backends!(reports_with_and_without_a_place_alternate_without_error);
