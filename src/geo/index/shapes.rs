//! The index's own copy of each area, laid out for fast and exact containment tests.
//!
//! Exactness: `Shapes::contains(i, probe)` is always the same boolean as `Area::contains` on
//! the area stored at `i`, for a point in range:
//! - A valid circle is first tested with the squared chord between unit vectors, which is
//!   `4 * hav(angle)`, the very quantity haversine compares, computed without trigonometry.
//!   Only a chord clearly inside (or outside) the radius decides; "clearly" is a band of
//!   1 mm + 1e-9 * radius on either side of the edge, millions of times wider than the
//!   rounding error of either formula (nanometres). In the band, `haversine_m` decides, as
//!   `Area::contains` does.
//! - A polygon is tested by the same winding-number walk as geo's `coordinate_position`
//!   (same edge rules, same robust `orient2d`, holes in the same order), on coordinates kept
//!   in one flat vector, so a member is contained iff geo says it is not `Outside`.
//! - Anything else (an invalid circle) keeps its `Area` and asks it.

use ::geo::kernels::{Kernel, Orientation, RobustKernel};
use ::geo::Coord;

use crate::geo::area::{haversine_m, Area, EARTH_RADIUS_M, MAX_RADIUS_M};

/// A query point: degrees, the unit vector circles compare against, and the `f32` point the
/// tree compares boxes against.
pub(super) struct Probe {
    lat: f64,
    lon: f64,
    v: [f64; 3],
    pub xy: [f32; 2],
}

impl Probe {
    /// The caller has checked that the point is in range.
    pub fn new(lat: f64, lon: f64) -> Probe {
        Probe {
            lat,
            lon,
            v: unit_vector(lat, lon),
            xy: [lon as f32, lat as f32],
        }
    }

    fn coord(&self) -> Coord<f64> {
        Coord {
            x: self.lon,
            y: self.lat,
        }
    }
}

fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (phi, lambda) = (lat.to_radians(), lon.to_radians());
    [phi.cos() * lambda.cos(), phi.cos() * lambda.sin(), phi.sin()]
}

/// Squared chord of a great-circle distance in metres, on the unit sphere.
fn chord2(d_m: f64) -> f64 {
    let half = (d_m / (2.0 * EARTH_RADIUS_M)).sin();
    4.0 * half * half
}

/// A valid circle with its precomputed chord thresholds.
#[derive(Debug, Clone)]
pub(super) struct Circle {
    v: [f64; 3],
    /// Squared chords: at most `sure_in` is inside, above `sure_out` is outside.
    sure_in: f64,
    sure_out: f64,
    lat: f64,
    lon: f64,
    radius_m: f64,
}

impl Circle {
    /// `None` unless the circle is valid (finite, in range, radius in (0, MAX_RADIUS_M]).
    fn new(lat: f64, lon: f64, radius_m: f64) -> Option<Circle> {
        crate::geo::area::check_circle(lat, lon, radius_m, "area").ok()?;
        debug_assert!(radius_m <= MAX_RADIUS_M);
        let band = 1e-3 + radius_m * 1e-9;
        Some(Circle {
            v: unit_vector(lat, lon),
            sure_in: if radius_m > band {
                chord2(radius_m - band)
            } else {
                -1.0
            },
            sure_out: chord2(radius_m + band),
            lat,
            lon,
            radius_m,
        })
    }

    #[inline]
    fn contains(&self, p: &Probe) -> bool {
        let d = [self.v[0] - p.v[0], self.v[1] - p.v[1], self.v[2] - p.v[2]];
        let c2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if c2 <= self.sure_in {
            true
        } else if c2 > self.sure_out {
            false
        } else {
            haversine_m(self.lat, self.lon, p.lat, p.lon) <= self.radius_m
        }
    }
}

/// One ring in the flat coordinate vector; a member is an exterior ring and the holes after it.
#[derive(Debug, Clone, Copy)]
struct Ring {
    start: usize,
    end: usize,
    hole: bool,
}

#[derive(Debug, Clone)]
pub(super) enum Shape {
    Circle(Circle),
    /// `rings[first..first + count]`.
    Polygon {
        first: usize,
        count: usize,
    },
    /// Kept as given and asked directly (an invalid circle).
    Other(Box<Area>),
    /// Removed; its slot waits for reuse or the next rebuild.
    Dead,
}

/// One stored area: its owner, the next slot holding an area of the same owner, its shape.
#[derive(Debug, Clone)]
pub(super) struct Rec {
    pub id: i64,
    pub next: usize,
    pub shape: Shape,
}

/// End of a same-owner chain.
pub(super) const NONE: usize = usize::MAX;

/// Every stored area by slot, and the rings and coordinates of the polygons.
#[derive(Debug, Clone, Default)]
pub(super) struct Shapes {
    pub recs: Vec<Rec>,
    rings: Vec<Ring>,
    coords: Vec<Coord<f64>>,
    /// Coordinates of removed polygons, still in `coords` until the next rebuild.
    pub garbage: usize,
}

impl Shapes {
    pub fn coords_len(&self) -> usize {
        self.coords.len()
    }

    /// The shape for `area`, its polygon coordinates appended here.
    pub fn shape_of(&mut self, area: &Area) -> Shape {
        match area {
            Area::Circle { lat, lon, radius_m } => match Circle::new(*lat, *lon, *radius_m) {
                Some(c) => Shape::Circle(c),
                None => Shape::Other(Box::new(area.clone())),
            },
            Area::Polygon(mp) => {
                let first = self.rings.len();
                for p in &mp.0 {
                    self.push_ring(&p.exterior().0, false);
                    for hole in p.interiors() {
                        self.push_ring(&hole.0, true);
                    }
                }
                Shape::Polygon {
                    first,
                    count: self.rings.len() - first,
                }
            }
        }
    }

    fn push_ring(&mut self, coords: &[Coord<f64>], hole: bool) {
        let start = self.coords.len();
        self.coords.extend_from_slice(coords);
        self.rings.push(Ring {
            start,
            end: self.coords.len(),
            hole,
        });
    }

    /// A copy of `shape` (stored in `from`) with its coordinates appended here.
    pub fn copy_shape(&mut self, from: &Shapes, shape: &Shape) -> Shape {
        match shape {
            Shape::Polygon { first, count } => {
                let new_first = self.rings.len();
                for r in &from.rings[*first..first + count] {
                    self.push_ring(&from.coords[r.start..r.end], r.hole);
                }
                Shape::Polygon {
                    first: new_first,
                    count: *count,
                }
            }
            other => other.clone(),
        }
    }

    /// The same slots, with the rings and coordinates of their polygons copied in the order
    /// of the slots listed in `order` (so that they end up in that order once the slots are).
    pub fn coords_in_order(mut self, order: &[usize]) -> Shapes {
        let mut rings = Vec::with_capacity(self.rings.len());
        let mut coords = Vec::with_capacity(self.coords.len() - self.garbage);
        for &i in order {
            if let Shape::Polygon { first, count } = &mut self.recs[i].shape {
                let new_first = rings.len();
                for r in &self.rings[*first..*first + *count] {
                    let start = coords.len();
                    coords.extend_from_slice(&self.coords[r.start..r.end]);
                    rings.push(Ring {
                        start,
                        end: coords.len(),
                        hole: r.hole,
                    });
                }
                *first = new_first;
            }
        }
        self.rings = rings;
        self.coords = coords;
        self.garbage = 0;
        self
    }

    /// Marks slot `i` removed; returns what it held.
    pub fn kill(&mut self, i: usize) -> Shape {
        let shape = std::mem::replace(&mut self.recs[i].shape, Shape::Dead);
        if let Shape::Polygon { first, count } = &shape {
            self.garbage += self.rings[*first..first + count]
                .iter()
                .map(|r| r.end - r.start)
                .sum::<usize>();
        }
        shape
    }

    /// The owner of slot `i` if its area contains the point.
    #[inline]
    pub fn test(&self, i: usize, p: &Probe) -> Option<i64> {
        let rec = self.recs.get(i)?;
        let inside = match &rec.shape {
            Shape::Circle(c) => c.contains(p),
            Shape::Polygon { first, count } => self.polygon_contains(*first, *count, p.coord()),
            Shape::Other(area) => area.contains(p.lat, p.lon),
            Shape::Dead => false,
        };
        inside.then_some(rec.id)
    }

    /// `Area::contains` of a MultiPolygon: some member's `coordinate_position` isn't Outside.
    fn polygon_contains(&self, first: usize, count: usize, c: Coord<f64>) -> bool {
        let rings = &self.rings[first..first + count];
        let mut m = 0;
        while m < rings.len() {
            let holes_end = m + 1 + rings[m + 1..].iter().take_while(|r| r.hole).count();
            if self.member_contains(&rings[m], &rings[m + 1..holes_end], c) {
                return true;
            }
            m = holes_end;
        }
        false
    }

    /// geo's `Polygon::calculate_coordinate_position`, reduced to "not Outside".
    fn member_contains(&self, exterior: &Ring, holes: &[Ring], c: Coord<f64>) -> bool {
        match ring_position(&self.coords[exterior.start..exterior.end], c) {
            Position::Outside => false,
            Position::OnBoundary => true,
            Position::Inside => {
                for h in holes {
                    match ring_position(&self.coords[h.start..h.end], c) {
                        Position::Outside => {}
                        Position::OnBoundary => return true,
                        Position::Inside => return false,
                    }
                }
                true
            }
        }
    }

    /// A box, in degrees `[min lon, min lat, max lon, max lat]`, covering every point slot `i`
    /// contains: the `Area::bbox` of what was stored (widened to the next `f32` outwards).
    pub fn bbox(&self, i: usize) -> [f32; 4] {
        let world = [-180.0, -90.0, 180.0, 90.0];
        let b = match &self.recs[i].shape {
            Shape::Circle(c) => {
                return area_box(&Area::Circle {
                    lat: c.lat,
                    lon: c.lon,
                    radius_m: c.radius_m,
                })
            }
            Shape::Other(area) => return area_box(area),
            Shape::Dead => world,
            // As `Area::bbox`: exteriors bound everything; empty or non-finite gets the world.
            Shape::Polygon { first, count } => {
                let mut exteriors = self.rings[*first..first + count]
                    .iter()
                    .filter(|r| !r.hole)
                    .flat_map(|r| &self.coords[r.start..r.end]);
                match exteriors.next() {
                    None => world,
                    Some(c0) => {
                        let mut b = [c0.x, c0.y, c0.x, c0.y];
                        let mut finite = c0.x.is_finite() && c0.y.is_finite();
                        for c in exteriors {
                            finite &= c.x.is_finite() && c.y.is_finite();
                            b = [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)];
                        }
                        if finite {
                            b
                        } else {
                            world
                        }
                    }
                }
            }
        };
        outward(b)
    }
}

/// `Area::bbox` as `f32`, rounded outwards.
pub(super) fn area_box(area: &Area) -> [f32; 4] {
    let b = area.bbox();
    let (lo, hi) = (b.lower(), b.upper());
    outward([lo[0], lo[1], hi[0], hi[1]])
}

/// The smallest `f32` box holding a finite `f64` one.
fn outward(b: [f64; 4]) -> [f32; 4] {
    [down(b[0]), down(b[1]), up(b[2]), up(b[3])]
}

/// The largest `f32` <= v (v is finite).
fn down(v: f64) -> f32 {
    let f = v as f32;
    if f64::from(f) <= v {
        f
    } else {
        next_toward_neg_inf(f)
    }
}

/// The smallest `f32` >= v (v is finite).
fn up(v: f64) -> f32 {
    -down(-v)
}

fn next_toward_neg_inf(f: f32) -> f32 {
    if f == 0.0 {
        -f32::from_bits(1)
    } else if f > 0.0 {
        f32::from_bits(f.to_bits() - 1)
    } else {
        f32::from_bits(f.to_bits() + 1)
    }
}

enum Position {
    Inside,
    OnBoundary,
    Outside,
}

/// geo 0.29's `coord_pos_relative_to_ring`, step for step (winding number, boundary
/// short-cut, robust orientation), on a slice.
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
    // written with `!(s <= y)` rather than `s > y` to treat NaN as geo does) can count or
    // short-cut: find them 64 at a time without branches, then walk them in ring order.
    let edges = ring.len() - 1;
    for base in (0..edges).step_by(64) {
        let mut relevant = 0u64;
        for k in base..edges.min(base + 64) {
            let (s, e) = (ring[k].y, ring[k + 1].y);
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
