//! `tocsin bench throttle` run as an operator would, at a tiny size, on both backends (not
//! timed): every volunteer got exactly one send and the JSON has the documented keys. The
//! number of 429s is printed, not asserted: a loaded test machine delays sends by tens of
//! milliseconds, which the provider's one-second window may see as a burst (see e2e/pace.rs).

mod bench_common;

use bench_common::{last_json, run_bench};
use serde_json::json;

fn throttle(backend: &str) {
    let out = run_bench(&["throttle", "--mps", "20", "--seconds", "2", "--backend", backend]);
    let result = last_json(&out.output);
    assert_eq!(result["bench"], json!("throttle"));
    assert_eq!(result["backend"], json!(backend));
    assert_eq!(result["mps"], json!(20));
    assert_eq!(result["volunteers"], json!(40));
    assert_eq!(result["sends"], json!(40), "{result}");
    assert_eq!(result["duplicates"], json!(0), "{result}");
    assert_eq!(result["refused"], json!(0), "{result}");
    for key in ["achieved_mps", "ratio", "refused_429", "seconds"] {
        assert!(result[key].is_number(), "{key} missing in {result}");
    }
    eprintln!("{result}");
}

#[test]
fn bench_throttle_on_sqlite_sends_once_to_every_volunteer() {
    throttle("sqlite");
}

#[test]
fn bench_throttle_on_postgres_sends_once_to_every_volunteer() {
    throttle("postgres");
}
