//! `/metrics` through the real binary: a sent alert, its receipt, a refused send and the report
//! behind them are counted; the main listener wants a `read` token, `metrics.bind` none; and
//! the text holds no phone number.

use std::sync::Mutex;

use reqwest::Method;
use serde_json::json;
use tocsin_fakes::Outcome;

use crate::binary::tocsin;
use crate::binary_net::{serve, Net, WAIT};
use crate::helpers::{eventually, API_TOKEN};

const REPORTER: &str = "+13235550191";
const VOLUNTEER: &str = "+13235550192";
const LANDLINE: &str = "+13235550193";
const FAR_PHONE: &str = "+13235550194";

/// The value of the series written exactly so (name and labels), if present.
pub(crate) fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.parse().ok())
}

async fn scrape(http: &reqwest::Client, url: &str, token: Option<&str>) -> (u16, String) {
    let mut req = http.get(url);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.expect("answered");
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

/// Scrapes `/metrics` with the admin token until `done` holds of its text (or `WAIT` passed);
/// the last text.
pub(crate) async fn metrics_until(net: &Net<'_>, done: impl Fn(&str) -> bool) -> String {
    let url = format!("{}/metrics", net.base);
    let last = Mutex::new(String::new());
    eventually(WAIT, || async {
        let (status, text) = scrape(&net.http, &url, Some(API_TOKEN)).await;
        let ok = status == 200 && done(&text);
        *last.lock().unwrap() = text;
        ok
    })
    .await;
    last.into_inner().unwrap()
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_a_sent_alert_its_receipt_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let metrics_addr = format!("127.0.0.1:{}", free_port());
    let (twilio, server) = serve(dir.path(), &[("TOCSIN_METRICS__BIND", &metrics_addr)]).await;
    let net = Net::of(&twilio, &server);
    let url = format!("{}/metrics", server.base);
    // A landline Twilio refuses at once (21211); a phone the carrier cannot reach (30003).
    twilio.set_outcome(LANDLINE, Outcome::Reject(21211));
    twilio.set_outcome(FAR_PHONE, Outcome::Undelivered(30003));
    for (name, phone, trusted) in [
        ("Rosa", REPORTER, true),
        ("Ann", VOLUNTEER, false),
        ("Dee", LANDLINE, false),
        ("Fay", FAR_PHONE, false),
    ] {
        let lat = if trusted { 34.3 } else { 34.0617 };
        let area = json!({"type": "circle", "lat": lat, "lon": -118.3005, "radius_m": 2000});
        let body = json!({"name": name, "phone": phone, "language": "en", "trusted": trusted, "area": area});
        let (_, v) = net.api(Method::POST, "/volunteers", Some(body)).await;
        assert!(v["id"].is_i64(), "{v}");
    }

    let (status, _) = scrape(&net.http, &url, None).await;
    assert_eq!(status, 401, "no token, no metrics");
    let (status, before) = scrape(&net.http, &url, Some(API_TOKEN)).await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(
        value(
            &before,
            r#"tocsin_deliveries_total{channel="sms",status="submitted"}"#
        ),
        None,
        "nothing sent yet: {before}"
    );

    net.text(REPORTER, "Raid at 34.0617, -118.3005 now").await;
    net.nth_to(VOLUNTEER, 1).await;
    // A token of scope read, made at the command line while the server runs.
    let made = tocsin(dir.path(), None, 1)
        .args(["token", "add", "prometheus", "--scope", "read"])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let read = String::from_utf8_lossy(&made.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .to_string();

    // Counted once the outbox recorded the send and the receipts came back.
    let sms = |status: &str| format!(r#"tocsin_deliveries_total{{channel="sms",status="{status}"}}"#);
    let last = Mutex::new(String::new());
    let counted = eventually(WAIT, || async {
        let (status, text) = scrape(&net.http, &url, Some(&read)).await;
        assert_eq!(status, 200, "a read token may scrape: {text}");
        let done = value(&text, &sms("submitted")) == Some(2.0)
            && value(&text, &sms("delivered")) == Some(1.0)
            && value(&text, &sms("undelivered")) == Some(1.0);
        *last.lock().unwrap() = text;
        done
    })
    .await;
    let text = last.into_inner().unwrap();
    assert!(counted, "{text}");
    assert_eq!(value(&text, &sms("failed")), Some(1.0), "the landline: {text}");
    assert_eq!(
        value(
            &text,
            r#"tocsin_reports_received_total{channel="sms",flag="none"}"#
        ),
        Some(1.0),
        "{text}"
    );
    for code in ["twilio_21211", "twilio_30003"] {
        let series = format!(r#"tocsin_provider_errors_total{{channel="sms",code="{code}"}}"#);
        assert_eq!(value(&text, &series), Some(1.0), "{code}: {text}");
    }
    assert_eq!(
        value(&text, r#"tocsin_send_latency_seconds_count{channel="sms"}"#),
        Some(3.0),
        "one provider call per volunteer: {text}"
    );
    let webhook = |route: &str| format!(r#"tocsin_webhook_latency_seconds_count{{route="{route}"}}"#);
    assert_eq!(
        value(&text, &webhook("/webhooks/twilio/sms")),
        Some(1.0),
        "{text}"
    );
    assert!(value(&text, &webhook("/webhooks/twilio/status")).is_some_and(|n| n >= 3.0));
    assert_eq!(
        value(&text, r#"tocsin_incidents{status="confirmed",drill="false"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(value(&text, "tocsin_outbox_depth"), Some(0.0), "{text}");
    for phone in [REPORTER, VOLUNTEER, LANDLINE, FAR_PHONE] {
        assert!(
            !text.contains(&phone[1..]),
            "no phone number in the metrics: {text}"
        );
    }

    // The private listener: the same text with no token, and nothing else.
    let http = reqwest::Client::new();
    let (status, open) = scrape(&http, &format!("http://{metrics_addr}/metrics"), None).await;
    assert_eq!(status, 200, "{open}");
    assert_eq!(value(&open, &sms("delivered")), Some(1.0), "{open}");
    let other = http
        .get(format!("http://{metrics_addr}/api/v1/status"))
        .bearer_auth(API_TOKEN)
        .send()
        .await
        .expect("answered");
    assert_eq!(other.status(), 404, "only /metrics there");
    let log = std::fs::read_to_string(&server.log).unwrap_or_default();
    assert!(log.contains("metrics served without a token"), "{log}");
}
