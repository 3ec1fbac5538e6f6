//! Running `tocsin bench ...` through the real binary, for the benchmark tests. PostgreSQL
//! comes from `TOCSIN_TEST_PG` (default: the local server); it must be reachable: a test
//! that needs it fails rather than skips.

#![allow(dead_code)]

use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub struct Ran {
    pub output: Output,
    pub pid: u32,
}

pub fn pg_admin_url() -> String {
    std::env::var("TOCSIN_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Runs `tocsin bench ARGS` (PostgreSQL at `TOCSIN_TEST_PG`) and returns what it printed.
pub fn run_raw(args: &[&str]) -> Ran {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tocsin"));
    command
        .env_clear()
        .env("TOCSIN_LOG", "warn")
        .arg("bench")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !args.contains(&"--database-url") {
        command.args(["--database-url", &pg_admin_url()]);
    }
    let child = command.spawn().expect("run tocsin");
    let pid = child.id();
    let output = child.wait_with_output().expect("tocsin ran");
    Ran { output, pid }
}

/// Like `run_raw`, and it must succeed.
pub fn run_bench(args: &[&str]) -> Ran {
    let ran = run_raw(args);
    assert!(
        ran.output.status.success(),
        "tocsin bench {args:?} failed\n{}\n{}",
        String::from_utf8_lossy(&ran.output.stdout),
        String::from_utf8_lossy(&ran.output.stderr)
    );
    ran
}

/// The last line of stdout, which must be one JSON object.
pub fn last_json(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().expect("some output");
    let value: Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("last line is not JSON ({e}): {last}"));
    assert!(value.is_object(), "{last}");
    value
}

/// Databases the benchmark process `pid` made that are still there.
pub fn pg_databases_of(pid: u32) -> Vec<String> {
    use sqlx::{Connection, Row};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let admin = pg_admin_url();
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {admin} for these tests: {e}"));
        let rows = sqlx::query("SELECT datname FROM pg_database WHERE datname LIKE $1")
            .bind(format!("tocsin_bench_{pid}_%"))
            .fetch_all(&mut conn)
            .await
            .expect("list databases");
        rows.iter().map(|r| r.get::<String, _>("datname")).collect()
    })
}
