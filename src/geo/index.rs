//! In-memory spatial index from points to the ids whose areas contain them.
//!
//! Layout: every area is stored in a slot of `Shapes` in a compact form (circles with their
//! unit vector and chord thresholds, polygon rings in one flat coordinate vector). The areas
//! given to `build` (and all live ones at each repack) sit in a packed Hilbert R-tree of `f32`
//! boxes whose leaf `i` is slot `i`, slots and coordinates in curve order, so the areas one
//! query meets are neighbours in memory. Areas inserted later go to a small rstar tree beside
//! it; removed ones become dead slots. When either grows past a fraction of the packed part,
//! everything is repacked.
//!
//! `LiveIndex` (see `live`) holds one for the server: changes are applied in place and the
//! repacking is done off to the side, so that lookups and changes never wait for it.
//!
//! Exactness: boxes only filter (each covers `Area::bbox`, rounded outwards), and the answer
//! for each candidate is exactly `Area::contains` (see `shapes`), so `matching` agrees with a
//! brute-force scan. `Area::bbox` is always finite, which both trees need.

mod builder;
mod live;
mod packed;
mod shapes;
mod winding;

use std::collections::HashMap;

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use super::area::Area;
pub use builder::AreaIndexBuilder;
pub use live::LiveIndex;
use packed::Packed;
use shapes::{Probe, Shapes, NONE};

/// An inserted area's box in the overlay tree, and its slot.
type Entry = GeomWithData<Rectangle<[f32; 2]>, usize>;

/// The overlay is repacked into the tree once it holds this many areas and at least
/// 1/`OVERLAY_SHARE` as many as are packed; dead packed slots and garbage coordinates likewise
/// once they pass this many and half of what is packed.
const REPACK_MIN: usize = 1024;
const OVERLAY_SHARE: usize = 8;

/// In-memory spatial index of areas keyed by an i64 id. A volunteer may have
/// several areas under one id: all are kept and a point matches the id once.
#[derive(Debug, Clone, Default)]
pub struct AreaIndex {
    shapes: Shapes,
    /// Over slots `0..packed.len()`.
    packed: Packed,
    /// Over slots from `packed.len()` on.
    overlay: RTree<Entry>,
    /// Dead slots past the packed ones, reused by inserts.
    free: Vec<usize>,
    /// Dead slots among the packed ones (the packed tree still lists them).
    dead_packed: usize,
    /// Every id with at least one area, and the first slot of its chain (`Shapes::next`).
    by_id: HashMap<i64, usize>,
    /// Repacking is left to the owner (`LiveIndex`, in the background): see `needs_repack`.
    manual_repack: bool,
}

impl AreaIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the index in one go (packed tree, areas laid out along a Hilbert curve).
    /// `AreaIndexBuilder` does the same for areas that arrive one at a time.
    pub fn build(items: impl IntoIterator<Item = (i64, Area)>) -> Self {
        let mut builder = AreaIndexBuilder::new();
        for (id, area) in items {
            builder.add(id, &area);
        }
        builder.finish()
    }

    /// The index over `shapes`, all packed, slot `i` having box `leaves[i]`.
    fn assemble(mut shapes: Shapes, leaves: Vec<[f32; 4]>) -> Self {
        let mut by_id: HashMap<i64, usize> = HashMap::with_capacity(shapes.len());
        for slot in (0..shapes.len()).rev() {
            let next = by_id.insert(shapes.id(slot), slot).unwrap_or(NONE);
            shapes.set_next(slot, next);
        }
        AreaIndex {
            shapes,
            packed: Packed::build(leaves),
            overlay: RTree::new(),
            free: Vec::new(),
            dead_packed: 0,
            by_id,
            manual_repack: false,
        }
    }

    /// Adds an area for `id`, keeping any it already has.
    pub fn insert(&mut self, id: i64, area: Area) {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.shapes.put(slot, id, &area);
                slot
            }
            None => self.shapes.push(id, &area),
        };
        if let Some(next) = self.by_id.insert(id, slot) {
            self.shapes.set_next(slot, next);
        }
        self.overlay.insert(self.overlay_entry(slot));
        self.maybe_repack();
    }

    /// Removes all of `id`'s areas, then adds `areas` (none: `id` is gone).
    pub fn replace(&mut self, id: i64, areas: Vec<Area>) {
        self.remove(id);
        for area in areas {
            self.insert(id, area);
        }
    }

    /// Removes all of `id`'s areas; false if it had none.
    pub fn remove(&mut self, id: i64) -> bool {
        let Some(mut slot) = self.by_id.remove(&id) else {
            return false;
        };
        while slot != NONE {
            if slot < self.packed.len() {
                self.dead_packed += 1;
            } else {
                self.overlay.remove(&self.overlay_entry(slot));
                self.free.push(slot);
            }
            let next = self.shapes.next(slot);
            self.shapes.set_next(slot, NONE);
            self.shapes.kill(slot);
            slot = next;
        }
        self.maybe_repack();
        true
    }

    /// Ids with some area containing the point, ascending, without duplicates.
    pub fn matching(&self, lat: f64, lon: f64) -> Vec<i64> {
        let mut ids = Vec::new();
        self.matching_into(lat, lon, &mut ids);
        ids
    }

    /// `matching` into a vector the caller keeps (it is cleared first), to save allocations.
    pub fn matching_into(&self, lat: f64, lon: f64, ids: &mut Vec<i64>) {
        ids.clear();
        // `Area::contains` refuses such a point for every area; this also keeps NaN out of the trees.
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return;
        }
        let probe = Probe::new(lat, lon);
        self.packed.visit(probe.xy, &mut |slot| {
            if let Some(id) = self.shapes.test(slot, &probe) {
                ids.push(id);
            }
        });
        if self.overlay.size() > 0 {
            for entry in self.overlay.locate_all_at_point(&probe.xy) {
                if let Some(id) = self.shapes.test(entry.data, &probe) {
                    ids.push(id);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
    }

    /// One box, `[min lon, min lat, max lon, max lat]`, around every live area (None when
    /// empty): where the people are, for a map with nothing else to open on. A scan of every
    /// area, for occasional use.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        let mut all: Option<[f64; 4]> = None;
        for &first in self.by_id.values() {
            let mut slot = first;
            while slot != NONE {
                let b = self.shapes.bbox(slot).map(f64::from);
                all = Some(match all {
                    None => b,
                    Some(a) => [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])],
                });
                slot = self.shapes.next(slot);
            }
        }
        all
    }

    /// Number of ids (not areas).
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    fn overlay_entry(&self, slot: usize) -> Entry {
        let b = self.shapes.bbox(slot);
        GeomWithData::new(
            Rectangle::from_aabb(AABB::from_corners([b[0], b[1]], [b[2], b[3]])),
            slot,
        )
    }

    fn maybe_repack(&mut self) {
        if !self.manual_repack && self.needs_repack() {
            self.repack();
        }
    }

    /// Room for the inserts expected before the next repack (twice the overlay's share, as
    /// changes go on while a repack is built), so that none of them reallocates.
    pub fn reserve_headroom(&mut self) {
        let slots = 2 * (REPACK_MIN + self.packed.len() / OVERLAY_SHARE);
        self.shapes.reserve(slots);
        self.by_id.reserve(slots);
    }

    /// Whether the overlay, the dead packed slots or the garbage coordinates have grown past
    /// their share of the packed part, so that a repack is due.
    pub fn needs_repack(&self) -> bool {
        let packed = self.packed.len();
        let overlay = self.overlay.size();
        let garbage = self.shapes.garbage();
        (overlay >= REPACK_MIN && overlay * OVERLAY_SHARE >= packed)
            || (self.dead_packed >= REPACK_MIN && self.dead_packed * 2 >= packed)
            || (garbage >= REPACK_MIN && garbage * 2 >= self.shapes.coords_len())
    }

    /// Lays every live area out again in one packed tree.
    fn repack(&mut self) {
        let manual = self.manual_repack;
        let builder = std::mem::take(self).live_copy();
        *self = builder.finish();
        self.manual_repack = manual;
    }

    /// A builder holding a copy of every live area; `finish` it for the repacked index.
    fn live_copy(&self) -> AreaIndexBuilder {
        let mut builder = AreaIndexBuilder::new();
        for slot in (0..self.shapes.len()).filter(|&s| self.shapes.is_live(s)) {
            builder.add_copy(&self.shapes, slot);
        }
        builder
    }
}

#[cfg(test)]
mod tests;
