//! `tocsin bench fanout` run as an operator would, at a tiny size, on both backends (not
//! timed): its last line is one JSON object; every volunteer got exactly one send; the
//! PostgreSQL database it made is gone afterwards; an unreachable server is a clear error.

mod bench_common;

use bench_common::{last_json, pg_admin_url, pg_databases_of, run_bench};
use serde_json::json;

fn fanout(backend: &str) {
    let out = run_bench(&["fanout", "--volunteers", "40", "--backend", backend]);
    let result = last_json(&out.output);
    assert_eq!(result["bench"], json!("fanout"));
    assert_eq!(result["backend"], json!(backend));
    assert_eq!(result["volunteers"], json!(40));
    assert_eq!(result["sends"], json!(40), "{result}");
    assert_eq!(result["distinct"], json!(40), "{result}");
    assert_eq!(result["duplicates"], json!(0), "{result}");
    assert_eq!(result["refused"], json!(0), "{result}");
    for key in [
        "first_send_ms",
        "last_send_ms",
        "webhook_ms",
        "sends_per_s",
        "setup_s",
    ] {
        assert!(result[key].is_number(), "{key} missing in {result}");
    }
    if backend == "postgres" {
        assert!(
            pg_databases_of(out.pid).is_empty(),
            "the benchmark's database was dropped"
        );
    }
}

#[test]
fn bench_fanout_on_sqlite_sends_once_to_every_volunteer() {
    fanout("sqlite");
}

#[test]
fn bench_fanout_on_postgres_sends_once_to_every_volunteer() {
    fanout("postgres");
}

#[test]
fn bench_fanout_names_an_unreachable_database() {
    let out = bench_common::run_raw(&[
        "fanout",
        "--volunteers",
        "1",
        "--backend",
        "postgres",
        "--database-url",
        "postgres://postgres@127.0.0.1:1/postgres",
    ]);
    let stderr = String::from_utf8_lossy(&out.output.stderr);
    assert!(!out.output.status.success());
    assert!(stderr.contains("--database-url"), "{stderr}");
    // The admin URL of the real tests is still the one they use.
    assert!(pg_admin_url().starts_with("postgres"));
}
