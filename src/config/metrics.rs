//! `[metrics]`: where Prometheus may scrape `/metrics` without a token (issue 16 §5).

use anyhow::bail;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Metrics {
    /// A listener of its own serving `/metrics` with no token (None: only the main listener's
    /// `/metrics`, which needs a `read` token). Bind it to a private interface only.
    pub bind: Option<String>,
}

impl Metrics {
    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(bind) = &self.bind {
            let (host, port) = bind.rsplit_once(':').unwrap_or(("", ""));
            if host.is_empty() || port.parse::<u16>().is_err() {
                bail!("metrics.bind: {bind:?} is not an address and port (like \"10.0.0.5:9464\")");
            }
        }
        Ok(())
    }
}
