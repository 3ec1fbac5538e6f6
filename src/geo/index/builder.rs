//! Building an `AreaIndex` from areas that arrive one at a time (a file, database rows), so
//! that they never all exist as `Area`s at once: each is turned into its compact shape on
//! arrival, in arrival order; `finish` then puts slots and polygon coordinates in Hilbert
//! order (coordinates copied once, slots permuted in place) and packs the tree.

use super::packed::Packed;
use super::shapes::{self, Rec, Shapes, NONE};
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
        let shape = self.shapes.shape_of(area);
        self.shapes.recs.push(Rec {
            id,
            next: NONE,
            shape,
        });
    }

    /// Adds a copy of slot `slot` of `from` (repacking).
    pub(super) fn add_copy(&mut self, from: &Shapes, slot: usize) {
        self.boxes.push(from.bbox(slot));
        let rec = &from.recs[slot];
        let shape = self.shapes.copy_shape(from, &rec.shape);
        self.shapes.recs.push(Rec {
            id: rec.id,
            next: NONE,
            shape,
        });
    }

    pub fn finish(self) -> AreaIndex {
        let AreaIndexBuilder { shapes, boxes } = self;
        let mut order = Packed::order(&boxes);
        let leaves: Vec<[f32; 4]> = order.iter().map(|&i| boxes[i]).collect();
        drop(boxes);
        let mut shapes = shapes.coords_in_order(&order);
        permute(&mut shapes.recs, &mut order);
        AreaIndex::assemble(shapes, leaves)
    }
}

/// Puts `v[order[k]]` at `k` for every `k`, in place, following cycles; `order` is used up.
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for k in 0..order.len() {
        let mut j = k;
        while order[j] != DONE {
            let src = order[j];
            order[j] = DONE;
            if src == k {
                break;
            }
            v.swap(j, src);
            j = src;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn permute_applies_the_order() {
        let mut v: Vec<char> = "abcdefg".chars().collect();
        let mut order = vec![3, 0, 6, 1, 2, 5, 4];
        super::permute(&mut v, &mut order);
        assert_eq!(v.iter().collect::<String>(), "dagbcfe");
    }
}
