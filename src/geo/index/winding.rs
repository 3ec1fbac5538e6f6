//! Point in polygon exactly as geo 0.29 decides it, on rings kept in one flat vector.
//!
//! `polygon_contains` is `Area::contains` for a MultiPolygon: some member's
//! `coordinate_position` is not `Outside`. It follows geo step for step: the winding-number
//! walk of `coord_pos_relative_to_ring` (same edge rules, same robust `orient2d`, the same
//! boundary short-cut) and `Polygon::calculate_coordinate_position` (exterior, then the holes
//! in order, the first hole that is not Outside deciding).

use ::geo::kernels::{Kernel, Orientation, RobustKernel};
use ::geo::Coord;

/// One ring in the flat coordinate vector; a member is an exterior ring and the holes after it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ring {
    pub start: usize,
    pub end: usize,
    pub hole: bool,
}

enum Position {
    Inside,
    OnBoundary,
    Outside,
}

/// Whether some member of the polygon made of `rings` (over `coords`) holds `c`, boundary
/// included.
pub(super) fn polygon_contains(rings: &[Ring], coords: &[Coord<f64>], c: Coord<f64>) -> bool {
    let mut m = 0;
    while m < rings.len() {
        let holes_end = m + 1 + rings[m + 1..].iter().take_while(|r| r.hole).count();
        if member_contains(&rings[m], &rings[m + 1..holes_end], coords, c) {
            return true;
        }
        m = holes_end;
    }
    false
}

fn member_contains(exterior: &Ring, holes: &[Ring], coords: &[Coord<f64>], c: Coord<f64>) -> bool {
    match ring_position(&coords[exterior.start..exterior.end], c) {
        Position::Outside => false,
        Position::OnBoundary => true,
        Position::Inside => {
            for h in holes {
                match ring_position(&coords[h.start..h.end], c) {
                    Position::Outside => {}
                    Position::OnBoundary => return true,
                    Position::Inside => return false,
                }
            }
            true
        }
    }
}

/// geo's `coord_pos_relative_to_ring`, on a slice.
fn ring_position(ring: &[Coord<f64>], c: Coord<f64>) -> Position {
    match ring {
        [] => return Position::Outside,
        [only] => {
            return if *only == c {
                Position::OnBoundary
            } else {
                Position::Outside
            }
        }
        _ => {}
    }
    let between = |x: f64, a: f64, b: f64| if a < b { x >= a && x <= b } else { x >= b && x <= a };
    let mut winding = 0i32;
    // Only the edges that pass one of the two branches' conditions below (y-range holding c.y;
    // written `!(s <= y)` rather than `s > y` to treat NaN as geo does) can count or short-cut:
    // find them 64 at a time without branches, then walk them in ring order.
    let edges = ring.len() - 1;
    for base in (0..edges).step_by(64) {
        let mut relevant = 0u64;
        for k in base..edges.min(base + 64) {
            let (s, e) = (ring[k].y, ring[k + 1].y);
            #[allow(clippy::neg_cmp_op_on_partial_ord)]
            let hit = ((s <= c.y) & (e >= c.y)) | (!(s <= c.y) & (e <= c.y));
            relevant |= u64::from(hit) << (k - base);
        }
        while relevant != 0 {
            let k = base + relevant.trailing_zeros() as usize;
            relevant &= relevant - 1;
            let (start, end) = (ring[k], ring[k + 1]);
            if start.y <= c.y {
                if end.y >= c.y {
                    let o = RobustKernel::orient2d(start, end, c);
                    if o == Orientation::CounterClockwise && end.y != c.y {
                        winding += 1;
                    } else if o == Orientation::Collinear && between(c.x, start.x, end.x) {
                        return Position::OnBoundary;
                    }
                }
            } else if end.y <= c.y {
                let o = RobustKernel::orient2d(start, end, c);
                if o == Orientation::Clockwise {
                    winding -= 1;
                } else if o == Orientation::Collinear && between(c.x, start.x, end.x) {
                    return Position::OnBoundary;
                }
            }
        }
    }
    if winding == 0 {
        Position::Outside
    } else {
        Position::Inside
    }
}
