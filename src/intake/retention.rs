//! Reporters' numbers are kept only as long as needed (`privacy.reporter_retention_hours`).

use std::time::Duration;

use crate::app::{Shared, Shutdown};
use crate::store::now_ms;

pub async fn run(core: Shared, mut shutdown: Shutdown) {
    let keep_ms = core.settings.privacy.reporter_retention_hours as i64 * 3_600_000;
    loop {
        match core.store.erase_reporters(now_ms() - keep_ms).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reports = n, "erased reporters' numbers past retention"),
            Err(e) => tracing::error!(error = %e, "erasing reporters' numbers failed"),
        }
        if let Err(e) = core
            .store
            .end_idle_conversations(now_ms() - crate::intake::join::IDLE_MS)
            .await
        {
            tracing::error!(error = %e, "ending idle conversations failed");
        }
        // Receipts that never found their delivery within a day never will.
        if let Err(e) = core.store.purge_early_receipts(now_ms() - 86_400_000).await {
            tracing::error!(error = %e, "purging early receipts failed");
        }

        let never = tokio::sync::Notify::new();
        if !crate::app::wait(&never, Duration::from_secs(600), &mut shutdown).await {
            return;
        }
    }
}
