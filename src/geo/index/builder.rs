//! Building an `AreaIndex` from areas that arrive one at a time (a file, database rows), so
//! that they never all exist as `Area`s at once: each is turned into its compact shape on
//! arrival, in arrival order; `finish` then puts slots and polygon coordinates in Hilbert
//! order (coordinates copied once, slots permuted in place) and packs the tree.

use super::packed::Packed;
use super::shapes::{self, Shapes};
use super::AreaIndex;
use crate::geo::area::Area;

/// Collects areas for one `AreaIndex`; `AreaIndex::build` is `add` for each, then `finish`.
#[derive(Debug, Default)]
pub struct AreaIndexBuilder {
    shapes: Shapes,
    boxes: Vec<[f32; 4]>,
}

impl AreaIndexBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an area for `id` (an id may have several areas).
    pub fn add(&mut self, id: i64, area: &Area) {
        self.boxes.push(shapes::area_box(area));
        self.shapes.push(id, area);
    }

    /// Adds a copy of slot `slot` of `from` (repacking).
    pub(super) fn add_copy(&mut self, from: &Shapes, slot: usize) {
        self.boxes.push(from.bbox(slot));
        self.shapes.push_copy(from, slot);
    }

    pub fn finish(self) -> AreaIndex {
        let AreaIndexBuilder { shapes, boxes } = self;
        let order = Packed::order(&boxes);
        let leaves: Vec<[f32; 4]> = order.iter().map(|&i| boxes[i]).collect();
        drop(boxes);
        AreaIndex::assemble(shapes.into_order(order), leaves)
    }
}
