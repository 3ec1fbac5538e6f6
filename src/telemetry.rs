//! Logging. Filter with `TOCSIN_LOG` (or `RUST_LOG`), e.g. `TOCSIN_LOG=debug`. Log lines carry
//! ids (incident, report, delivery, volunteer), never a phone number or a message body.
//! Metrics for Prometheus are in `metrics`.

pub mod metrics;

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = std::env::var("TOCSIN_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    // Logs go to stderr so that CLI output on stdout stays clean for scripts.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
