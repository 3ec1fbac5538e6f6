//! `tocsin bench calls` run as an operator would, at a tiny size, on both backends (not timed):
//! every volunteer who wants a call is called exactly once, nothing is refused, and the JSON
//! has the documented keys. The rate is printed, not asserted (a loaded test machine).

mod bench_common;

use bench_common::{last_json, run_bench};
use serde_json::json;

fn calls(backend: &str) {
    let out = run_bench(&["calls", "--cps", "5", "--seconds", "2", "--backend", backend]);
    let result = last_json(&out.output);
    assert_eq!(result["bench"], json!("calls"));
    assert_eq!(result["backend"], json!(backend));
    assert_eq!(result["volunteers"], json!(10));
    assert_eq!(result["calls"], json!(10), "{result}");
    assert_eq!(result["duplicates"], json!(0), "{result}");
    assert_eq!(result["refused"], json!(0), "{result}");
    // Paced: ten calls at 5 per second take at least 9 intervals of 1/5 s.
    assert!(result["seconds"].as_f64().is_some_and(|s| s >= 1.75), "{result}");
    for key in ["achieved_cps", "ratio", "cps"] {
        assert!(result[key].is_number(), "{key} missing in {result}");
    }
    eprintln!("{result}");
}

#[test]
fn bench_calls_on_sqlite_calls_every_volunteer_once_at_the_pace() {
    calls("sqlite");
}

#[test]
fn bench_calls_on_postgres_calls_every_volunteer_once_at_the_pace() {
    calls("postgres");
}
