//! `tocsin bench login` run as an operator would, small (not timed): every wrong login is
//! answered 401 or 429 (nothing else), the other account gets in, and the figures are there.

mod bench_common;

use bench_common::{last_json, run_bench};
use serde_json::json;

#[test]
fn bench_login_answers_every_attempt_and_lets_the_other_account_in() {
    let out = run_bench(&["login", "--parallel", "30", "--backend", "sqlite"]);
    let result = last_json(&out.output);
    assert_eq!(result["bench"], json!("login"));
    assert_eq!(result["parallel"], json!(30));
    assert_eq!(result["other"], json!(0), "{result}");
    let (wrong, busy) = (
        result["wrong"].as_u64().unwrap(),
        result["busy"].as_u64().unwrap(),
    );
    assert_eq!(wrong + busy, 30, "{result}");
    assert!(busy > 0 && wrong > 0, "some checked, some turned away: {result}");
    assert!(result["correct_login_ms"].is_number(), "ben got in: {result}");
    for key in [
        "rss_before_mb",
        "rss_peak_mb",
        "rss_after_mb",
        "rss_growth_mb",
        "burst_ms",
    ] {
        assert!(result[key].is_number(), "{key} missing in {result}");
    }
}
