//! Group commit for SQLite: commits are written to the WAL without an fsync each
//! (`synchronous = NORMAL`), and whoever promises that a write is on disk (the inbound webhook
//! before its 2xx) waits here for one `fdatasync` of the WAL that began after its commit. Every
//! caller waiting at the same time shares that one fsync.
//!
//! Why: with `synchronous = FULL` each commit fsynced the WAL on the one connection, twice per
//! report; at 500 reports/s the connection spent most of its time in fsync and every other
//! statement queued behind it (docs/benchmarks.md, "Intake"). SQLite itself still syncs the
//! WAL before each checkpoint and the database file after it, so nothing it checkpoints can be
//! lost; writes nobody waits for are synced within `BACKGROUND` by the task below.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How long a write nobody waited for may stay in the page cache only.
const BACKGROUND: Duration = Duration::from_millis(100);

pub(super) struct WalSync {
    wal: PathBuf,
    /// Tickets handed out: one per caller, taken after its commit returned.
    requested: AtomicU64,
    /// Every ticket up to this one is on disk. Held while an fsync runs, so callers queue
    /// behind the one in progress and the next one takes all of them at once.
    synced: tokio::sync::Mutex<u64>,
    /// fsyncs attempted (tests, debugging: how many callers each one served).
    fsyncs: AtomicU64,
}

impl WalSync {
    /// For the database at `path`; None for an in-memory one (nothing to sync).
    pub(super) fn new(path: Option<PathBuf>) -> Option<Arc<WalSync>> {
        let path = path?;
        let mut wal = path.into_os_string();
        wal.push("-wal");
        Some(Arc::new(WalSync {
            wal: wal.into(),
            requested: AtomicU64::new(0),
            synced: tokio::sync::Mutex::new(0),
            fsyncs: AtomicU64::new(0),
        }))
    }

    /// Returns once every commit that returned before this call is on disk.
    pub(super) async fn sync(&self) -> std::io::Result<()> {
        let ticket = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        let mut synced = self.synced.lock().await;
        if *synced >= ticket {
            return Ok(()); // an fsync that began after our commit already covered it
        }
        // Everyone who took a ticket so far had committed before this fsync starts.
        let upto = self.requested.load(Ordering::SeqCst);
        let wal = self.wal.clone();
        self.fsyncs.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || sync_file(&wal))
            .await
            .map_err(std::io::Error::other)??;
        *synced = upto;
        Ok(())
    }

    /// Syncs the WAL every `BACKGROUND`, for writes nobody waits for
    /// (dispatcher, outbox, dashboard). Ends when the store is dropped.
    pub(super) fn spawn_background(this: &Arc<WalSync>) {
        let weak = Arc::downgrade(this);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(BACKGROUND).await;
                let Some(sync) = weak.upgrade() else { return };
                // Cheap when nothing was written: the kernel has nothing to flush.
                if let Err(e) = sync.sync().await {
                    tracing::warn!(error = %e, "background sync of the SQLite WAL failed");
                }
            }
        });
    }
}

/// `fdatasync` of the WAL through a descriptor of our own: Linux syncs the file, whoever wrote
/// it. No WAL file: SQLite removed it after a final checkpoint, which it synced.
fn sync_file(wal: &std::path::Path) -> std::io::Result<()> {
    match std::fs::File::open(wal) {
        Ok(file) => file.sync_data(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "tocsin-durable-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        dir
    }

    #[tokio::test]
    async fn callers_waiting_together_share_fsyncs_and_a_missing_wal_is_nothing_to_sync() {
        let dir = fresh_dir();
        let db = dir.join("t.db");
        let sync = WalSync::new(Some(db.clone())).expect("a file database");
        // No WAL yet (SQLite removed it, or never wrote one): nothing to sync.
        sync.sync().await.expect("no WAL is no error");
        std::fs::write(dir.join("t.db-wal"), b"frames").expect("WAL");
        let calls = (0..50).map(|_| sync.sync());
        for result in futures_util::future::join_all(calls).await {
            result.expect("synced");
        }
        // Every ticket is covered by three fsyncs in all: the one before the WAL existed, the
        // first of the 50 alone, then the 49 queued behind it together.
        assert_eq!(*sync.synced.lock().await, 51);
        assert_eq!(sync.fsyncs.load(Ordering::Relaxed), 3);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn an_in_memory_database_has_nothing_to_sync() {
        assert!(WalSync::new(None).is_none());
    }
}
