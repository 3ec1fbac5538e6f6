//! In-memory spatial index from points to the ids whose areas contain them.
//!
//! An R-tree holds each area's bounding box as a candidate filter; the exact
//! answer always comes from `Area::contains`, so `matching` agrees with a
//! brute-force scan. `Area::bbox` is always finite, which rstar needs (it
//! panics when sorting NaN envelopes).

use std::collections::HashMap;

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use super::area::Area;

/// A tree entry: an area's box and the slot its area is stored in.
type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

#[derive(Debug, Clone)]
struct Slot {
    id: i64,
    area: Area,
    /// The exact box the tree holds, kept so removal finds the same entry.
    rect: Rectangle<[f64; 2]>,
}

/// In-memory spatial index of areas keyed by an i64 id. A volunteer may have
/// several areas under one id: all are kept and a point matches the id once.
#[derive(Debug, Clone, Default)]
pub struct AreaIndex {
    tree: RTree<Entry>,
    slots: Vec<Option<Slot>>,
    /// Emptied slots, reused before growing `slots`.
    free: Vec<usize>,
    /// Every id with at least one area, and its slots.
    by_id: HashMap<i64, Vec<usize>>,
}

impl AreaIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the index in one go (R-tree bulk load, better packed than inserts).
    pub fn build(items: impl IntoIterator<Item = (i64, Area)>) -> Self {
        let mut index = Self::new();
        let entries: Vec<Entry> = items
            .into_iter()
            .map(|(id, area)| index.store(id, area))
            .collect();
        index.tree = RTree::bulk_load(entries);
        index
    }

    /// Adds an area for `id`, keeping any it already has.
    pub fn insert(&mut self, id: i64, area: Area) {
        let entry = self.store(id, area);
        self.tree.insert(entry);
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
        let Some(slots) = self.by_id.remove(&id) else {
            return false;
        };
        for s in slots {
            if let Some(slot) = self.slots.get_mut(s).and_then(Option::take) {
                self.tree.remove(&GeomWithData::new(slot.rect, s));
                self.free.push(s);
            }
        }
        true
    }

    /// Ids with some area containing the point, ascending, without duplicates.
    pub fn matching(&self, lat: f64, lon: f64) -> Vec<i64> {
        if !lat.is_finite() || !lon.is_finite() {
            return Vec::new(); // contains() refuses these anyway; keep NaN out of rstar
        }
        let probe = AABB::from_point([lon, lat]);
        let mut ids: Vec<i64> = self
            .tree
            .locate_in_envelope_intersecting(&probe)
            .filter_map(|entry| {
                let slot = self.slots.get(entry.data)?.as_ref()?;
                slot.area.contains(lat, lon).then_some(slot.id)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Number of ids (not areas).
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Stores the area in a slot and returns the tree entry to add for it.
    fn store(&mut self, id: i64, area: Area) -> Entry {
        let rect = Rectangle::from_aabb(area.bbox());
        let slot = Slot { id, area, rect };
        let s = match self.free.pop() {
            Some(s) if s < self.slots.len() => s,
            _ => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        if let Some(cell) = self.slots.get_mut(s) {
            *cell = Some(slot);
        }
        self.by_id.entry(id).or_default().push(s);
        GeomWithData::new(rect, s)
    }
}

#[cfg(test)]
mod tests;
