//! Issue 18 §1 and §5 through the API on both backends: a mobilisation planned at a place typed
//! as words, on the network's clock; every wrong field named; a case's hearing added once; the
//! place sealed at rest; cancelling; the calendar feed with a header or `?token=`, without the
//! exact place.

use serde_json::{json, Value};
use sqlx::Row;

use crate::answers::with_zones;
use crate::helpers::{Backend, API_TOKEN};
use crate::on_both_backends;

/// A week ahead, 07:30 on the network's clock (UTC in tests).
fn next_week() -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 7);
    format!("{}T07:30", at.strftime("%Y-%m-%d"))
}

fn eviction() -> Value {
    json!({
        "kind": "eviction", "starts_at": next_week(), "place": "34.0617, -118.3005",
        "text": "Lockout at 7:30. Bring water, a friend.", "wanted": 15,
        "audience": {"zones": ["Koreatown"]}
    })
}

async fn planned_listed_cancelled_and_in_the_calendar(backend: Backend) {
    let app = with_zones(backend).await;
    let (status, m) = app.post("/mobilisations", eviction()).await;
    assert_eq!(status, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    assert_eq!(
        (m["status"].as_str(), m["kind"].as_str()),
        (Some("planned"), Some("eviction"))
    );
    assert!(
        m["starts_at"].as_str().unwrap().contains("T07:30:00"),
        "on the network's clock: {m}"
    );
    assert!(
        (m["place"]["lat"].as_f64().unwrap() - 34.0617).abs() < 1e-6,
        "{m}"
    );
    assert!(m["zone"].is_string(), "{m}");
    assert_eq!(m["reminders_s"], json!([86400, 7200]), "the configured reminders");
    assert_eq!(m["audience"], json!({"zones": ["Koreatown"]}));

    // Each wrong field is named, and nothing is stored.
    let wrong = [
        ("kind", json!("picnic")),
        ("starts_at", json!("2001-01-01T07:30")),
        ("place", json!("somewhere over the rainbow")),
        ("wanted", json!(0)),
        ("audience", json!({"zones": ["Atlantis"]})),
        ("audience", json!({"volunteers": [999999]})),
        ("audience", json!({"role": "boss"})),
        ("audience", json!({"radius_m": 5})),
    ];
    for (field, value) in wrong {
        let mut body = eviction();
        body[field] = value.clone();
        let (status, e) = app.post("/mobilisations", body).await;
        assert_eq!(
            (status, e["field"].as_str()),
            (422, Some(field)),
            "{field} = {value}: {e}"
        );
    }
    let (_, list) = app.get("/mobilisations").await;
    assert_eq!(list["mobilisations"].as_array().unwrap().len(), 1, "{list}");

    // The same form sent twice plans one mobilisation.
    let (status, e) = app.post("/mobilisations", eviction()).await;
    assert_eq!(status, 409, "{e}");
    // A case's hearing at one time is added once, however its number is spaced.
    let mut hearing = eviction();
    hearing["kind"] = json!("hearing");
    hearing["case"] = json!("24STUD0113");
    let (status, _) = app.post("/mobilisations", hearing.clone()).await;
    assert_eq!(status, 201);
    hearing["case"] = json!("24 stud 0113");
    let (status, e) = app.post("/mobilisations", hearing).await;
    assert_eq!(status, 409, "{e}");

    // At rest: the place and the text are sealed, the case number is nowhere.
    let rows = sqlx::query("SELECT place_enc, text_enc, COALESCE(same_hash, '') AS c FROM mobilisations")
        .fetch_all(app.core().store.pool())
        .await
        .unwrap();
    for r in rows {
        let place: Vec<u8> = r.try_get("place_enc").unwrap();
        let text: Vec<u8> = r.try_get("text_enc").unwrap();
        let case: String = r.try_get("c").unwrap();
        assert!(!String::from_utf8_lossy(&place).contains("34.0617"));
        assert!(!String::from_utf8_lossy(&text).contains("Lockout"));
        assert!(!case.to_lowercase().contains("stud"));
    }

    // The calendar: with the header, or ?token= (calendar apps send no header); never the place.
    let url = format!("{}/api/v1/mobilisations.ics", app.base);
    let feed = app.http.get(&url).bearer_auth(API_TOKEN).send().await.unwrap();
    assert_eq!(feed.status(), 200);
    assert!(feed.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = feed.text().await.unwrap();
    assert!(text.contains(&format!("UID:mobilisation-{id}@")), "{text}");
    assert!(text.contains("Bring water\\, a friend"), "{text}");
    assert!(
        !text.contains("34.06") && !text.contains("118.30"),
        "no exact place: {text}"
    );
    let by_query = app
        .http
        .get(format!("{url}?token={API_TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_query.status(), 200);
    let wrong = app.http.get(format!("{url}?token=nope")).send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let elsewhere = app
        .http
        .get(format!("{}/api/v1/mobilisations?token={API_TOKEN}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 401, "a token in a URL only for the calendar");

    let (status, m) = app.post(&format!("/mobilisations/{id}/cancel"), json!({})).await;
    assert_eq!((status, m["status"].as_str()), (200, Some("cancelled")), "{m}");
    let (status, _) = app.post(&format!("/mobilisations/{id}/cancel"), json!({})).await;
    assert_eq!(status, 409);
    let text = app
        .http
        .get(&url)
        .bearer_auth(API_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("STATUS:CANCELLED"), "{text}");
    let (_, audit) = app.get("/audit").await;
    let audit = audit.to_string();
    assert!(
        audit.contains("mobilisation_created") && audit.contains("mobilisation_cancelled"),
        "{audit}"
    );
    app.stop().await;
}
on_both_backends!(planned_listed_cancelled_and_in_the_calendar);
