//! Reporters' numbers are kept only as long as needed (`privacy.reporter_retention_hours`), and
//! so are voice messages left on the hotline (a voice names its caller) and inbound message ids (a provider redelivers within minutes). What a pass erases is
//! scrubbed from the database files before the pass ends (`Store::scrub`).

use std::time::Duration;

use crate::state::{Core, Shared, Shutdown};
use crate::store::{now_ms, StoreError};

/// What one pass erased.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    /// Reports whose reporter's number was erased.
    pub reporters: u64,
    /// Inbound message ids forgotten.
    pub message_ids: u64,
    /// Idle JOIN conversations ended.
    pub conversations: u64,
    /// Receipts that never found their delivery.
    pub early_receipts: u64,
    /// Questions to reporters left unanswered past `intake.followup_s`.
    pub followups: u64,
    /// Voice messages left on the hotline (a voice names its caller as a number does).
    pub voice_messages: u64,
}

impl Erased {
    fn any(&self) -> bool {
        *self != Erased::default()
    }
}

pub async fn run(core: Shared, mut shutdown: Shutdown) {
    loop {
        match pass(&core).await {
            Ok(erased) if erased.reporters > 0 => {
                tracing::info!(
                    reports = erased.reporters,
                    "erased reporters' numbers past retention"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "erasing past retention failed"),
        }
        let never = tokio::sync::Notify::new();
        if !crate::state::wait(&never, Duration::from_secs(600), &mut shutdown).await {
            return;
        }
    }
}

/// One pass now (the task runs one every ten minutes; tests call it directly).
pub async fn pass(core: &Core) -> Result<Erased, StoreError> {
    let keep_ms = core.settings.privacy.reporter_retention_hours as i64 * 3_600_000;
    let now = now_ms();
    let store = &core.store;
    let erased = Erased {
        reporters: store.erase_reporters(now - keep_ms).await?,
        message_ids: store.purge_inbound(now - keep_ms).await?,
        conversations: store
            .end_idle_conversations(now - crate::intake::join::IDLE_MS)
            .await?,
        // Receipts that never found their delivery within a day never will.
        early_receipts: store.purge_early_receipts(now - 86_400_000).await?,
        followups: store
            .end_stale_followups(now - core.settings.intake.followup_s as i64 * 1000)
            .await?,
        voice_messages: store.erase_voice_messages(now - keep_ms).await?,
    };
    if erased.any() {
        store
            .scrub(&[
                "reports",
                "inbound_messages",
                "conversations",
                "early_receipts",
                "followups",
                "voice_calls",
            ])
            .await;
    }
    Ok(erased)
}
