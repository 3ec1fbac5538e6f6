use serde_json::json;

use super::*;

fn rules() -> Rules<'static> {
    static EXTRA: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    Rules {
        extra_kinds: EXTRA.get_or_init(|| vec!["march".to_string()]),
        tz: TimeZone::get("America/Los_Angeles").unwrap(),
        // 2026-12-03T12:00:00Z
        now_ms: 1_764_763_200_000 + 365 * 86_400_000,
    }
}

fn body() -> Value {
    json!({
        "kind": "Eviction", "starts_at": "2026-12-10T07:30", "place": "Vermont and 3rd",
        "text": "Lockout at 7:30. Bring a friend.", "wanted": 15, "audience": {"radius_m": 1500}
    })
}

#[test]
fn a_whole_draft_reads_on_the_networks_clock() {
    let d = rules().from_json(&body()).unwrap();
    assert_eq!(d.kind, "eviction");
    // 07:30 in Los Angeles in December is 15:30 UTC.
    assert_eq!(
        d.starts_at,
        "2026-12-10T15:30:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond()
    );
    assert_eq!((d.wanted, d.disclose), (15, Disclose::Yes));
    assert_eq!(d.audience, Audience::RadiusM(1500));
    assert_eq!(d.reminders_s, None);
}

#[test]
fn each_wrong_field_is_named() {
    let wrong = |k: &str, v: Value| {
        let mut b = body();
        b[k] = v;
        rules().from_json(&b).unwrap_err().field
    };
    assert_eq!(wrong("kind", json!("picnic")), "kind");
    assert_eq!(wrong("starts_at", json!("tomorrow")), "starts_at");
    assert_eq!(wrong("starts_at", json!("2020-01-01T07:00")), "starts_at");
    assert_eq!(wrong("starts_at", json!("2031-01-01T07:00")), "starts_at");
    assert_eq!(wrong("place", json!("")), "place");
    assert_eq!(wrong("text", json!("x".repeat(301))), "text");
    assert_eq!(wrong("text", json!("bell\u{7}")), "text");
    assert_eq!(wrong("wanted", json!(0)), "wanted");
    assert_eq!(wrong("wanted", json!("15")), "wanted");
    assert_eq!(wrong("audience", json!({"radius_m": 10})), "audience");
    assert_eq!(wrong("audience", json!("everyone")), "audience");
    assert_eq!(wrong("disclose", json!("some")), "disclose");
    assert_eq!(wrong("reminders_s", json!([10])), "reminders_s");
    assert_eq!(wrong("widen_before_s", json!(-1)), "widen_before_s");
    let mut b = body();
    b.as_object_mut().unwrap().remove("place");
    assert_eq!(rules().from_json(&b).unwrap_err().field, "place");
}

#[test]
fn configured_kinds_offsets_and_offsets_with_a_zone() {
    let mut b = body();
    b["kind"] = json!("march");
    b["reminders_s"] = json!([3600, 86400, 3600]);
    b["starts_at"] = json!("2026-12-10T07:30:00-08:00");
    let d = rules().from_json(&b).unwrap();
    assert_eq!(d.kind, "march");
    assert_eq!(d.reminders_s, Some(vec![86400, 3600]));
    assert_eq!(
        d.starts_at,
        "2026-12-10T15:30:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond()
    );
}

#[test]
fn a_change_names_what_cannot_change_and_checks_what_can() {
    let r = rules();
    let c = r
        .change_from_json(&json!({"starts_at": "2026-12-11T08:00", "wanted": 3}))
        .unwrap();
    assert!(c.starts_at.is_some() && c.place.is_none() && c.text.is_none());
    assert_eq!(c.wanted, Some(3));
    let field = |v: Value| r.change_from_json(&v).unwrap_err().field;
    assert_eq!(field(json!({"kind": "hearing"})), "kind");
    assert_eq!(field(json!({"audience": {"radius_m": 900}})), "audience");
    assert_eq!(field(json!({"colour": "red"})), "body");
    assert_eq!(field(json!({})), "body");
    assert_eq!(field(json!({"starts_at": null})), "body");
    assert_eq!(field(json!("starts_at")), "body");
    assert_eq!(field(json!({"starts_at": "2020-01-01T07:30"})), "starts_at");
    assert_eq!(field(json!({"starts_at": 7})), "starts_at");
    assert_eq!(field(json!({"wanted": 0})), "wanted");
    assert_eq!(field(json!({"wanted": "5"})), "wanted");
    assert_eq!(field(json!({"text": ""})), "text");
    assert_eq!(field(json!({"place": "x".repeat(500)})), "place");
}

#[test]
fn a_textareas_line_breaks_are_line_breaks() {
    assert_eq!(
        bounded("text", "Lockout.\r\nBring water.", 300).unwrap(),
        "Lockout.\nBring water."
    );
    assert_eq!(
        bounded("text", "Lockout.\rBring water.", 300).unwrap_err().field,
        "text"
    );
}
