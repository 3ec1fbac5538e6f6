//! The server's geofence index, kept current one change at a time. A change (a volunteer
//! added, removed, paused, or with a new area) is applied in place under a short write lock:
//! new areas go to the small dynamic tree, old ones are masked out of the packed tree by
//! their id's slots. When those grow past their share (`AreaIndex::needs_repack`), a thread
//! copies the live areas (under a read lock: lookups go on), packs them off-lock, then swaps
//! the result in and replays the changes made meanwhile. Lookups never wait for a repack.

use std::collections::HashMap;
use std::sync::{Arc, LockResult, Mutex, RwLock, RwLockReadGuard};

use super::AreaIndex;
use crate::geo::area::Area;

#[derive(Debug, Default)]
pub struct LiveIndex {
    index: RwLock<AreaIndex>,
    compaction: Mutex<Compaction>,
}

#[derive(Debug, Default)]
struct Compaction {
    /// While a repack runs: each id changed since its copy, and its areas now.
    pending: Option<HashMap<i64, Vec<Area>>>,
    /// A repack thread is at work (at most one).
    running: bool,
    /// Bumped by every full replacement, so that a repack of an older index is dropped.
    epoch: u64,
    /// Repacks swapped in so far.
    done: u64,
}

impl LiveIndex {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The index as it is now, for lookups (hold it briefly: changes wait for it).
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, AreaIndex>> {
        self.index.read()
    }

    /// Replaces everything (a full build); a repack under way is dropped.
    pub fn replace_all(&self, mut index: AreaIndex) {
        index.manual_repack = true;
        index.reserve_headroom();
        let mut live = self.index.write().unwrap_or_else(|e| e.into_inner());
        let mut compaction = self.lock_compaction();
        compaction.epoch += 1;
        compaction.pending = None;
        *live = index;
    }

    /// Applies changes in one go: each id's areas become the given ones (none: not alertable).
    /// Starts a repack in the background when one is due.
    pub fn apply(self: &Arc<Self>, changes: impl IntoIterator<Item = (i64, Vec<Area>)>) {
        let due = {
            let mut live = self.index.write().unwrap_or_else(|e| e.into_inner());
            let mut compaction = self.lock_compaction();
            for (id, areas) in changes {
                if let Some(pending) = compaction.pending.as_mut() {
                    pending.insert(id, areas.clone());
                }
                live.replace(id, areas);
            }
            let due = live.needs_repack() && !compaction.running;
            compaction.running |= due;
            due
        };
        if due {
            self.start_repack();
        }
    }

    /// Ids whose areas contain the point (`AreaIndex::matching`).
    pub fn matching(&self, lat: f64, lon: f64) -> Vec<i64> {
        self.read().unwrap_or_else(|e| e.into_inner()).matching(lat, lon)
    }

    /// The box around every indexed area (`AreaIndex::bounds`).
    pub fn bounds(&self) -> Option<[f64; 4]> {
        self.read().unwrap_or_else(|e| e.into_inner()).bounds()
    }

    /// Number of ids indexed.
    pub fn len(&self) -> usize {
        self.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a repack is under way.
    pub fn is_repacking(&self) -> bool {
        self.lock_compaction().running
    }

    /// Full replacements (`replace_all`) since this index was made.
    pub fn full_builds(&self) -> u64 {
        self.lock_compaction().epoch
    }

    /// Repacks swapped in since this index was made.
    pub fn repacks(&self) -> u64 {
        self.lock_compaction().done
    }

    fn lock_compaction(&self) -> std::sync::MutexGuard<'_, Compaction> {
        self.compaction.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn start_repack(self: &Arc<Self>) {
        let this = self.clone();
        let spawned = std::thread::Builder::new()
            .name("geofence-repack".into())
            .spawn(move || this.repack());
        if let Err(e) = spawned {
            self.lock_compaction().running = false;
            // Lookups stay exact without a repack, only slower: try again at the next change.
            tracing::warn!(error = %e, "cannot start repacking the geofence index");
        }
    }

    /// Copies the live areas, packs them off-lock, swaps the result in and replays the
    /// changes made since the copy.
    fn repack(&self) {
        let (builder, epoch) = {
            let live = self.index.read().unwrap_or_else(|e| e.into_inner());
            let mut compaction = self.lock_compaction();
            compaction.pending = Some(HashMap::new());
            let epoch = compaction.epoch;
            drop(compaction);
            (live.live_copy(), epoch)
        };
        let mut packed = builder.finish();
        packed.manual_repack = true;
        packed.reserve_headroom();
        let mut live = self.index.write().unwrap_or_else(|e| e.into_inner());
        let mut compaction = self.lock_compaction();
        let pending = compaction.pending.take().unwrap_or_default();
        compaction.running = false;
        if compaction.epoch != epoch {
            return; // replaced in full meanwhile
        }
        for (id, areas) in pending {
            packed.replace(id, areas);
        }
        *live = packed;
        compaction.done += 1;
    }
}

#[cfg(test)]
mod tests;
