//! The index's own copy of each area, by slot, laid out for fast and exact containment tests.
//!
//! Each slot has a hot part read for every candidate (48 bytes: a unit vector, two squared
//! chord thresholds, the id) and a cold part read only when the hot part can't decide (the
//! circle in degrees, or where a polygon's rings are). Polygon coordinates sit in one flat
//! vector, in slot order after `into_order`.
//!
//! Exactness: `test(i, p)` answers exactly as `Area::contains` on the area stored at `i`, for
//! a point in range:
//! - A valid circle: the squared chord between unit vectors is `4 * hav(angle)`, the very
//!   quantity haversine compares, computed without trigonometry. Only a chord clearly inside
//!   (or outside) the radius decides; "clearly" is a band of 1 mm + 1e-9 * radius on either
//!   side of the edge, over 10^4 times the rounding error of either formula (under ~30 nm:
//!   unit-vector components are off by a few 1e-16, i.e. nanometres on the Earth, and
//!   haversine's relative error is ~1e-15). In the band, `haversine_m` decides, as
//!   `Area::contains` does.
//! - A polygon always goes to `winding::polygon_contains`, geo's own walk.
//! - Anything else (an invalid circle) keeps its `Area` and asks it.

use ::geo::Coord;

use super::winding::{polygon_contains, Ring};
use crate::geo::area::{check_circle, haversine_m, Area, EARTH_RADIUS_M};

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

/// What every candidate reads. A squared chord at most `sure_in` is inside, above `sure_out`
/// outside, anything between is up to the cold part. Only valid circles have a real unit
/// vector; other shapes get thresholds that always (polygons) or never (dead slots) defer.
#[derive(Debug, Clone, Copy)]
struct Hot {
    v: [f64; 3],
    sure_in: f64,
    sure_out: f64,
    id: i64,
}

impl Hot {
    const DEFER: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);
    const REFUSE: (f64, f64) = (f64::NEG_INFINITY, f64::NEG_INFINITY);

    fn new(id: i64, (sure_in, sure_out): (f64, f64)) -> Hot {
        Hot {
            v: [0.0; 3],
            sure_in,
            sure_out,
            id,
        }
    }
}

#[derive(Debug, Clone)]
enum Cold {
    Circle {
        lat: f64,
        lon: f64,
        radius_m: f64,
    },
    /// `rings[first..first + count]`.
    Polygon {
        first: usize,
        count: usize,
    },
    /// Kept as given and asked directly (an invalid circle).
    Other(Box<Area>),
    /// Removed; the slot waits for reuse or the next repack.
    Dead,
}

/// End of a same-owner chain.
pub(super) const NONE: usize = usize::MAX;

/// Every stored area by slot, and the rings and coordinates of the polygons.
#[derive(Debug, Clone, Default)]
pub(super) struct Shapes {
    hot: Vec<Hot>,
    cold: Vec<Cold>,
    /// The next slot holding an area of the same id, or `NONE`.
    next: Vec<usize>,
    rings: Vec<Ring>,
    coords: Vec<Coord<f64>>,
    /// Coordinates of removed polygons, still in `coords` until the next repack.
    garbage: usize,
}

impl Shapes {
    pub fn len(&self) -> usize {
        self.hot.len()
    }

    pub fn coords_len(&self) -> usize {
        self.coords.len()
    }

    pub fn garbage(&self) -> usize {
        self.garbage
    }

    pub fn id(&self, slot: usize) -> i64 {
        self.hot[slot].id
    }

    pub fn next(&self, slot: usize) -> usize {
        self.next[slot]
    }

    pub fn set_next(&mut self, slot: usize, next: usize) {
        self.next[slot] = next;
    }

    pub fn is_live(&self, slot: usize) -> bool {
        !matches!(self.cold[slot], Cold::Dead)
    }

    /// Room for `slots` more slots and a quarter more polygon coordinates, so that inserts
    /// between repacks never reallocate (a copy of every vector, tens of ms at 1M areas).
    pub fn reserve(&mut self, slots: usize) {
        self.hot.reserve(slots);
        self.cold.reserve(slots);
        self.next.reserve(slots);
        self.rings.reserve(self.rings.len() / 4 + slots);
        self.coords.reserve(self.coords.len() / 4 + slots);
    }

    /// Stores `area` for `id` in a new slot.
    pub fn push(&mut self, id: i64, area: &Area) -> usize {
        let (hot, cold) = self.parts(id, area);
        self.push_parts(hot, cold)
    }

    /// Stores `area` for `id` in dead slot `slot`.
    pub fn put(&mut self, slot: usize, id: i64, area: &Area) {
        let (hot, cold) = self.parts(id, area);
        (self.hot[slot], self.cold[slot], self.next[slot]) = (hot, cold, NONE);
    }

    /// Stores a copy of slot `slot` of `from` in a new slot.
    pub fn push_copy(&mut self, from: &Shapes, slot: usize) -> usize {
        let cold = match &from.cold[slot] {
            Cold::Polygon { first, count } => {
                let new_first = self.rings.len();
                for r in &from.rings[*first..first + count] {
                    self.push_ring(&from.coords[r.start..r.end], r.hole);
                }
                Cold::Polygon {
                    first: new_first,
                    count: *count,
                }
            }
            other => other.clone(),
        };
        self.push_parts(from.hot[slot], cold)
    }

    fn push_parts(&mut self, hot: Hot, cold: Cold) -> usize {
        self.hot.push(hot);
        self.cold.push(cold);
        self.next.push(NONE);
        self.hot.len() - 1
    }

    /// The two parts for `area`, its polygon coordinates appended here.
    fn parts(&mut self, id: i64, area: &Area) -> (Hot, Cold) {
        match *area {
            Area::Circle { lat, lon, radius_m } if check_circle(lat, lon, radius_m, "area").is_ok() => {
                let band = 1e-3 + radius_m * 1e-9;
                let hot = Hot {
                    v: unit_vector(lat, lon),
                    sure_in: if radius_m > band {
                        chord2(radius_m - band)
                    } else {
                        -1.0
                    },
                    sure_out: chord2(radius_m + band),
                    id,
                };
                (hot, Cold::Circle { lat, lon, radius_m })
            }
            Area::Circle { .. } => (Hot::new(id, Hot::DEFER), Cold::Other(Box::new(area.clone()))),
            Area::Polygon(ref mp) => {
                let first = self.rings.len();
                for p in &mp.0 {
                    self.push_ring(&p.exterior().0, false);
                    for hole in p.interiors() {
                        self.push_ring(&hole.0, true);
                    }
                }
                let count = self.rings.len() - first;
                (Hot::new(id, Hot::DEFER), Cold::Polygon { first, count })
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

    /// Marks slot `slot` removed (its chain link is left to the caller).
    pub fn kill(&mut self, slot: usize) {
        let cold = std::mem::replace(&mut self.cold[slot], Cold::Dead);
        if let Cold::Polygon { first, count } = cold {
            self.garbage += self.rings[first..first + count]
                .iter()
                .map(|r| r.end - r.start)
                .sum::<usize>();
        }
        self.hot[slot] = Hot::new(self.hot[slot].id, Hot::REFUSE);
    }

    /// The same areas with slot `k` holding what slot `order[k]` held, polygon coordinates
    /// copied in that order too, and every chain link reset.
    pub fn into_order(mut self, mut order: Vec<usize>) -> Shapes {
        let mut rings = Vec::with_capacity(self.rings.len());
        let mut coords = Vec::with_capacity(self.coords.len() - self.garbage);
        for &i in &order {
            if let Cold::Polygon { first, count } = &mut self.cold[i] {
                let old_first = std::mem::replace(first, rings.len());
                for r in &self.rings[old_first..old_first + *count] {
                    let start = coords.len();
                    coords.extend_from_slice(&self.coords[r.start..r.end]);
                    rings.push(Ring {
                        start,
                        end: coords.len(),
                        hole: r.hole,
                    });
                }
            }
        }
        (self.rings, self.coords, self.garbage) = (rings, coords, 0);
        let mut order2 = order.clone();
        permute(&mut self.hot, &mut order);
        permute(&mut self.cold, &mut order2);
        self.next.fill(NONE);
        self
    }

    /// The id stored at `slot` if its area contains the point.
    #[inline]
    pub fn test(&self, slot: usize, p: &Probe) -> Option<i64> {
        let h = self.hot.get(slot)?;
        let d = [h.v[0] - p.v[0], h.v[1] - p.v[1], h.v[2] - p.v[2]];
        let c2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if c2 <= h.sure_in || (c2 <= h.sure_out && self.exact(slot, p)) {
            Some(h.id)
        } else {
            None
        }
    }

    /// `Area::contains` for the area stored at `slot`.
    fn exact(&self, slot: usize, p: &Probe) -> bool {
        match &self.cold[slot] {
            Cold::Circle { lat, lon, radius_m } => haversine_m(*lat, *lon, p.lat, p.lon) <= *radius_m,
            Cold::Polygon { first, count } => polygon_contains(
                &self.rings[*first..first + count],
                &self.coords,
                Coord { x: p.lon, y: p.lat },
            ),
            Cold::Other(area) => area.contains(p.lat, p.lon),
            Cold::Dead => false,
        }
    }

    /// A box, `[min lon, min lat, max lon, max lat]`, covering every point slot `slot` contains:
    /// the `Area::bbox` of what was stored, widened to the next `f32`s outwards.
    pub fn bbox(&self, slot: usize) -> [f32; 4] {
        let world = [-180.0, -90.0, 180.0, 90.0];
        match &self.cold[slot] {
            Cold::Circle { lat, lon, radius_m } => area_box(&Area::Circle {
                lat: *lat,
                lon: *lon,
                radius_m: *radius_m,
            }),
            Cold::Other(area) => area_box(area),
            Cold::Dead => outward(world),
            // As `Area::bbox`: exteriors bound everything; empty or non-finite gets the world.
            Cold::Polygon { first, count } => {
                let mut exteriors = self.rings[*first..first + count]
                    .iter()
                    .filter(|r| !r.hole)
                    .flat_map(|r| &self.coords[r.start..r.end]);
                let Some(c0) = exteriors.next() else {
                    return outward(world);
                };
                let mut b = [c0.x, c0.y, c0.x, c0.y];
                let mut finite = c0.x.is_finite() && c0.y.is_finite();
                for c in exteriors {
                    finite &= c.x.is_finite() && c.y.is_finite();
                    b = [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)];
                }
                outward(if finite { b } else { world })
            }
        }
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

/// `Area::bbox` as `f32`, rounded outwards.
pub(super) fn area_box(area: &Area) -> [f32; 4] {
    let b = area.bbox();
    let (lo, hi) = (b.lower(), b.upper());
    outward([lo[0], lo[1], hi[0], hi[1]])
}

/// The smallest `f32` box holding a finite `f64` one.
fn outward(b: [f64; 4]) -> [f32; 4] {
    [down(b[0]), down(b[1]), -down(-b[2]), -down(-b[3])]
}

/// The largest `f32` <= v (v is finite).
fn down(v: f64) -> f32 {
    let f = v as f32;
    if f64::from(f) <= v {
        f
    } else if f == 0.0 {
        -f32::from_bits(1)
    } else if f > 0.0 {
        f32::from_bits(f.to_bits() - 1)
    } else {
        f32::from_bits(f.to_bits() + 1)
    }
}

#[cfg(test)]
mod tests;
