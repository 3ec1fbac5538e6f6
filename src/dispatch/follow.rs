//! Following other instances (PostgreSQL): a volunteer or zone changed anywhere rebuilds this
//! instance's geofence index within moments (not at the next dispatcher poll), and deliveries
//! planned anywhere wake this instance's outbox. A burst of changes costs one rebuild. When
//! the notification connection drops, the index is refreshed and the workers woken on
//! reconnecting, since notifications sent meanwhile are lost; the polls remain the fallback.

use std::time::Duration;

use crate::state::{Shared, Shutdown};
use crate::store::notify::{Change, Listener};

/// Wait between attempts to (re)connect the listener.
const RETRY: Duration = Duration::from_secs(1);

pub async fn run(core: Shared, mut shutdown: Shutdown) {
    while !*shutdown.borrow() {
        let mut listener = match core.store.listener().await {
            Ok(Some(listener)) => listener,
            Ok(None) => return, // SQLite: nothing to follow
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for other instances' changes; retrying");
                tokio::select! {
                    _ = tokio::time::sleep(RETRY) => continue,
                    _ = shutdown.changed() => return,
                }
            }
        };
        // Whatever happened before we listened.
        apply(&core, Change::Missed).await;
        loop {
            let change = tokio::select! {
                c = listener.recv() => c,
                _ = shutdown.changed() => return,
            };
            match change {
                Ok(change) => apply(&core, coalesce(change, &mut listener)).await,
                Err(e) => {
                    tracing::warn!(error = %e, "listening for other instances' changes failed; reconnecting");
                    break;
                }
            }
        }
    }
}

/// The change and any others already waiting, as one.
fn coalesce(mut change: Change, listener: &mut Listener) -> Change {
    while let Some(next) = listener.buffered() {
        change = match (change, next) {
            (Change::Missed, _) | (_, Change::Missed) => Change::Missed,
            (a, b) if a == b => a,
            _ => Change::Missed,
        };
    }
    change
}

async fn apply(core: &Shared, change: Change) {
    if matches!(change, Change::Volunteers | Change::Missed) {
        if let Err(e) = core.refresh_index().await {
            tracing::error!(error = %e, "refreshing the geofence index failed");
        }
    }
    if matches!(change, Change::Work | Change::Missed) {
        core.outbox_wake.notify_one();
        core.dispatch_wake.notify_one();
    }
}
