use std::time::Duration;

use super::*;

/// The value of the line that starts with `series ` (name and labels, as written).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.parse().ok())
}

#[test]
fn counters_are_written_with_their_labels_as_openmetrics() {
    let m = Metrics::new();
    m.report_received("sms", None);
    m.report_received("sms", None);
    m.report_received("signal", Some("repeat"));
    m.delivery("sms", "submitted");
    m.delivery("sms", "delivered");
    m.provider_error("sms", "Twilio 30003 (HTTP 400)");
    m.page_sent("signal");
    let text = m.render(&Gauges::default());
    assert_eq!(
        value(
            &text,
            r#"tocsin_reports_received_total{channel="sms",flag="none"}"#
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            r#"tocsin_reports_received_total{channel="signal",flag="repeat"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            r#"tocsin_deliveries_total{channel="sms",status="submitted"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            r#"tocsin_provider_errors_total{channel="sms",code="twilio_30003"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&text, r#"tocsin_pages_sent_total{channel="signal"}"#),
        Some(1.0)
    );
    assert!(text.contains("# TYPE tocsin_deliveries counter"), "{text}");
    assert!(text.ends_with("# EOF\n"), "{text}");
}

#[test]
fn latencies_are_histograms_in_seconds() {
    let m = Metrics::new();
    m.send_took("sms", Duration::from_millis(40));
    m.webhook_took("/webhooks/twilio/sms", Duration::from_millis(3));
    let text = m.render(&Gauges::default());
    assert!(
        text.contains("# TYPE tocsin_send_latency_seconds histogram"),
        "{text}"
    );
    assert!(
        text.contains("# UNIT tocsin_send_latency_seconds seconds"),
        "{text}"
    );
    assert_eq!(
        value(&text, r#"tocsin_send_latency_seconds_count{channel="sms"}"#),
        Some(1.0)
    );
    // 40 ms falls in the 0.05 s bucket, not the 0.025 s one.
    assert_eq!(
        value(
            &text,
            r#"tocsin_send_latency_seconds_bucket{le="0.025",channel="sms"}"#
        ),
        Some(0.0),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            r#"tocsin_send_latency_seconds_bucket{le="0.05",channel="sms"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            r#"tocsin_webhook_latency_seconds_count{route="/webhooks/twilio/sms"}"#
        ),
        Some(1.0)
    );
}

#[test]
fn gauges_show_what_the_store_said_at_this_scrape() {
    let m = Metrics::new();
    let first = Gauges {
        incidents: vec![("confirmed".into(), false, 2), ("unverified".into(), true, 1)],
        outbox_depth: 7,
        outbox_oldest_ms: 2_500,
    };
    let text = m.render(&first);
    assert_eq!(
        value(&text, r#"tocsin_incidents{status="confirmed",drill="false"}"#),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(&text, r#"tocsin_incidents{status="unverified",drill="true"}"#),
        Some(1.0)
    );
    assert_eq!(value(&text, "tocsin_outbox_depth"), Some(7.0));
    assert_eq!(value(&text, "tocsin_outbox_oldest_age_seconds"), Some(2.5));
    // The next scrape: the drill is gone, the outbox empty.
    let text = m.render(&Gauges {
        incidents: vec![("confirmed".into(), false, 3)],
        ..Gauges::default()
    });
    assert_eq!(
        value(&text, r#"tocsin_incidents{status="confirmed",drill="false"}"#),
        Some(3.0)
    );
    assert!(!text.contains(r#"drill="true""#), "{text}");
    assert_eq!(value(&text, "tocsin_outbox_depth"), Some(0.0));
    assert_eq!(value(&text, "tocsin_outbox_oldest_age_seconds"), Some(0.0));
}

#[test]
fn error_codes_keep_the_code_and_never_the_text() {
    for (reason, code) in [
        ("Twilio 30003 (HTTP 400)", "twilio_30003"),
        ("Twilio 21211", "twilio_21211"),
        ("HTTP 503", "http_503"),
        ("Signal error -3", "signal_-3"),
        ("request failed: timeout", "timeout"),
        ("bridge timed out", "timeout"),
        ("not on Signal (unregistered)", "signal_unregistered"),
        ("Signal rate limit, proof required", "rate_limited"),
        ("the bridge refused the request: +13235550182 is odd", "other"),
        ("Twilio x", "other"),
    ] {
        assert_eq!(error_code(reason), code, "{reason}");
    }
}
