//! `tocsin bench intake` run as an operator would, at a tiny size, on both backends (not
//! timed): every webhook answered 200 with TwiML, every report is stored and none flagged
//! (the benchmark raises the global flood limit and uses a number per report), and reports
//! 550 m apart (or anywhere, with merging off) open one incident each.

mod bench_common;

use bench_common::{last_json, run_bench};
use serde_json::json;

fn intake(backend: &str, places: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["intake", "--rate", "40", "--seconds", "2"];
    args.extend_from_slice(&["--places", places, "--backend", backend]);
    args.extend_from_slice(extra);
    let out = run_bench(&args);
    let result = last_json(&out.output);
    assert_eq!(result["bench"], json!("intake"));
    assert_eq!(result["backend"], json!(backend));
    assert_eq!(result["places"], json!(places));
    assert_eq!(result["requests"], json!(80));
    assert_eq!(result["ok"], json!(80), "{result}");
    assert_eq!(result["errors"], json!(0), "{result}");
    assert_eq!(result["stored"], json!(80), "{result}");
    assert_eq!(result["with_incident"], json!(80), "{result}");
    assert_eq!(result["flagged"], json!(0), "{result}");
    assert_eq!(result["sends"], json!(0), "nobody is alerted: {result}");
    for key in ["p50_ms", "p99_ms", "max_ms", "issued_per_s", "late_max_ms"] {
        assert!(result[key].is_number(), "{key} missing in {result}");
    }
    result
}

#[test]
fn bench_intake_on_sqlite_stores_every_report() {
    let result = intake("sqlite", "distinct", &[]);
    assert_eq!(result["incidents"], json!(80), "{result}");
}

#[test]
fn bench_intake_on_postgres_stores_every_report() {
    let result = intake("postgres", "distinct", &[]);
    assert_eq!(result["incidents"], json!(80), "{result}");
}

#[test]
fn bench_intake_at_one_place_merges_reports_into_few_incidents() {
    let result = intake("sqlite", "one", &[]);
    let incidents = result["incidents"].as_i64().expect("a count");
    // Reports racing each other may each open one before either is committed; most join.
    assert!((1..80).contains(&incidents), "{result}");
}

#[test]
fn bench_intake_without_merging_opens_an_incident_per_report() {
    let result = intake("sqlite", "one", &["--merge-m", "0"]);
    assert_eq!(result["merge_m"], json!(0.0), "{result}");
    assert_eq!(result["incidents"], json!(80), "{result}");
}
