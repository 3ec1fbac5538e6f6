//! Ring validity: size, closure, non-zero area, no self-intersection.
//!
//! Uses geo's robust orientation predicate so the answer doesn't depend on
//! rounding. The self-intersection test sorts segments by x and only compares
//! segments whose x-ranges overlap: near O(n log n) for drawn outlines, but
//! quadratic for crafted ones (long overlapping teeth), so an area gets a
//! budget of pair checks and a ring that exhausts it is refused rather than
//! burning CPU. (geo 0.29's own sweep can panic on some inputs: not used.)

use ::geo::kernels::{Kernel, Orientation, RobustKernel};
use ::geo::Coord;

type C = Coord<f64>;

/// Segment pairs one area may make us look at: about 0.1 s of CPU, and
/// several times what a detailed 10 000-vertex boundary needs.
pub(crate) const MAX_PAIR_CHECKS: u64 = 10_000_000;

fn orient(p: C, q: C, r: C) -> Orientation {
    RobustKernel::orient2d(p, q, r)
}

/// Checks one ring as given in the JSON (closing position included).
/// `budget` is the area's remaining pair checks, shared by all its rings.
pub(crate) fn check_ring(coords: &[C], budget: &mut u64) -> Result<(), &'static str> {
    if coords.len() < 4 {
        return Err("ring must have at least 4 positions");
    }
    if coords.first() != coords.last() {
        return Err("ring must be closed (first position equal to last)");
    }
    // Repeated consecutive positions are legal GeoJSON; drop them for the tests.
    let mut pts: Vec<C> = Vec::with_capacity(coords.len());
    for &c in coords {
        if pts.last() != Some(&c) {
            pts.push(c);
        }
    }
    // pts is closed; fewer than 3 distinct corners, or all on one line, encloses nothing.
    if pts.len() < 4
        || pts
            .iter()
            .all(|&c| orient(pts[0], pts[1], c) == Orientation::Collinear)
    {
        return Err("ring has zero area");
    }
    match self_intersects(&pts, budget) {
        Some(false) => {}
        Some(true) => return Err("ring is self-intersecting"),
        None => return Err("ring is too intricate to check for self-intersection; simplify it"),
    }
    if shoelace(&pts) == 0.0 {
        return Err("ring has zero area"); // only reachable by underflow on tiny rings
    }
    Ok(())
}

/// Twice the signed area, relative to the first point for precision.
fn shoelace(pts: &[C]) -> f64 {
    let o = pts[0];
    pts.windows(2)
        .map(|w| (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y))
        .sum()
}

/// `pts` is closed with no consecutive duplicates and at least 3 segments.
/// None when `budget` runs out before an answer. Indexing is in bounds:
/// every segment index is < m = pts.len() - 1, so i + 1 <= m.
fn self_intersects(pts: &[C], budget: &mut u64) -> Option<bool> {
    let m = pts.len() - 1; // number of segments; segment i is pts[i]..pts[i+1]
    let seg = |i: usize| (pts[i], pts[i + 1]);
    let min_x = |i: usize| pts[i].x.min(pts[i + 1].x);
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_unstable_by(|&a, &b| min_x(a).total_cmp(&min_x(b)));
    for (k, &i) in order.iter().enumerate() {
        let (a, b) = seg(i);
        let max_x = a.x.max(b.x);
        let (ylo, yhi) = (a.y.min(b.y), a.y.max(b.y));
        for &j in &order[k + 1..] {
            let (c, d) = seg(j);
            if c.x.min(d.x) > max_x {
                break; // sorted by min x: no later segment can overlap in x
            }
            *budget = budget.checked_sub(1)?;
            if c.y.max(d.y) < ylo || c.y.min(d.y) > yhi {
                continue;
            }
            let (lo, hi) = (i.min(j), i.max(j));
            let hit = if hi == lo + 1 {
                // lo ends where hi starts: may only touch at that vertex.
                folds_back(pts[lo], pts[hi], pts[hi + 1])
            } else if lo == 0 && hi == m - 1 {
                // The closing segment ends where segment 0 starts.
                folds_back(pts[1], pts[0], pts[m - 1])
            } else {
                segments_intersect(a, b, c, d)
            };
            if hit {
                return Some(true);
            }
        }
    }
    Some(false)
}

/// Segments p->s and s->q share only s unless q turns straight back over p->s.
fn folds_back(p: C, s: C, q: C) -> bool {
    orient(p, s, q) == Orientation::Collinear && (p.x - s.x) * (q.x - s.x) + (p.y - s.y) * (q.y - s.y) > 0.0
}

/// Closed segments ab and cd share at least one point.
fn segments_intersect(a: C, b: C, c: C, d: C) -> bool {
    use Orientation::Collinear;
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    if o1 != o2 && o3 != o4 && o1 != Collinear && o2 != Collinear && o3 != Collinear && o4 != Collinear {
        return true; // proper crossing
    }
    (o1 == Collinear && on_segment(a, c, b))
        || (o2 == Collinear && on_segment(a, d, b))
        || (o3 == Collinear && on_segment(c, a, d))
        || (o4 == Collinear && on_segment(c, b, d))
}

/// q, known collinear with pr, lies within the segment pr.
fn on_segment(p: C, q: C, r: C) -> bool {
    q.x >= p.x.min(r.x) && q.x <= p.x.max(r.x) && q.y >= p.y.min(r.y) && q.y <= p.y.max(r.y)
}

#[cfg(test)]
mod tests;
