//! `/metrics` on both backends: the gauges are read from the store at each scrape (incidents by
//! status, drills apart; the outbox's backlog), and a token that does not check out gets 401.

use serde_json::json;

use crate::helpers::{spawn_app, Backend, API_TOKEN};
use crate::on_both_backends;

/// The sum of the series of `name` whose labels contain `label`.
fn sum(text: &str, name: &str, label: &str) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")) && l.contains(label))
        .filter_map(|l| l.rsplit_once(' ')?.1.parse::<f64>().ok())
        .sum()
}

async fn gauges_come_from_the_store(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = format!("{}/metrics", app.base);
    let wrong = app
        .http
        .get(&url)
        .bearer_auth("tocsin_not_a_token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    for (text, drill) in [("Raid at the market", false), ("Drill: raid at the school", true)] {
        let body = json!({"text": text, "lat": 34.0617, "lon": -118.3005, "drill": drill});
        let (status, v) = app.post("/reports", body).await;
        assert_eq!(status, 201, "{v}");
    }
    let resp = app.http.get(&url).bearer_auth(API_TOKEN).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let content_type = resp.headers()["content-type"].to_str().unwrap_or("").to_string();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = resp.text().await.unwrap();
    assert_eq!(sum(&text, "tocsin_incidents", r#"drill="false""#), 1.0, "{text}");
    assert_eq!(sum(&text, "tocsin_incidents", r#"drill="true""#), 1.0, "{text}");
    assert_eq!(
        sum(&text, "tocsin_reports_received_total", r#"channel="api""#),
        2.0,
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("tocsin_outbox_depth ")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("tocsin_outbox_oldest_age_seconds ")),
        "{text}"
    );
    app.stop().await;
}

on_both_backends!(gauges_come_from_the_store);
