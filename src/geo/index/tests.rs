use super::*;
use ::geo::{Coord, LineString, MultiPolygon, Polygon};
use std::collections::BTreeMap;

/// Tiny deterministic generator (PCG constants), so failures reproduce.
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 11
    }
    fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A star-shaped (so simple) polygon around (lat, lon), sometimes with a hole.
fn star(rng: &mut Lcg, lat: f64, lon: f64, size: f64) -> Area {
    let n = 3 + rng.below(12) as usize;
    let mut ring: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let t = (i as f64 + rng.range(0.0, 0.8)) * std::f64::consts::TAU / n as f64;
            let r = size * rng.range(0.4, 1.0);
            Coord {
                x: lon + r * t.cos(),
                y: lat + r * t.sin(),
            }
        })
        .collect();
    ring.push(ring[0]);
    let hole = |s: f64| {
        let d = size * s;
        LineString::from(vec![
            (lon - d, lat - d),
            (lon + d, lat - d),
            (lon + d, lat + d),
            (lon - d, lat + d),
            (lon - d, lat - d),
        ])
    };
    let holes = if rng.below(3) == 0 {
        vec![hole(0.2)]
    } else {
        vec![]
    };
    let mut members = vec![Polygon::new(LineString(ring), holes)];
    if rng.below(5) == 0 {
        members.push(Polygon::new(hole(0.1), vec![])); // an island inside the hole
    }
    Area::Polygon(MultiPolygon(members))
}

/// Areas in a busy patch of ~1 degree, plus a few at the poles and the antimeridian.
pub(super) fn random_area(rng: &mut Lcg) -> Area {
    match rng.below(20) {
        0 => Area::Circle {
            lat: rng.range(88.0, 90.0),
            lon: rng.range(-180.0, 180.0),
            radius_m: rng.range(1.0, 200_000.0),
        },
        1 => Area::Circle {
            lat: rng.range(-10.0, 10.0),
            lon: rng.range(179.0, 180.0),
            radius_m: rng.range(1.0, 200_000.0),
        },
        2..=10 => {
            let (lat, lon) = (rng.range(34.0, 35.0), rng.range(-119.0, -118.0));
            Area::Circle {
                lat,
                lon,
                radius_m: rng.range(10.0, 30_000.0),
            }
        }
        _ => {
            let (lat, lon) = (rng.range(34.0, 35.0), rng.range(-119.0, -118.0));
            let size = rng.range(0.001, 0.3);
            star(rng, lat, lon, size)
        }
    }
}

pub(super) fn random_point(rng: &mut Lcg) -> (f64, f64) {
    match rng.below(10) {
        0 => (rng.range(85.0, 90.0), rng.range(-180.0, 180.0)),
        1 => (
            rng.range(-12.0, 12.0),
            if rng.below(2) == 0 {
                rng.range(178.0, 180.0)
            } else {
                rng.range(-180.0, -178.0)
            },
        ),
        _ => (rng.range(33.8, 35.2), rng.range(-119.2, -117.8)),
    }
}

pub(super) fn brute(model: &BTreeMap<i64, Vec<Area>>, lat: f64, lon: f64) -> Vec<i64> {
    // BTreeMap keys come out ascending and once each.
    model
        .iter()
        .filter(|(_, areas)| areas.iter().any(|a| a.contains(lat, lon)))
        .map(|(id, _)| *id)
        .collect()
}

fn assert_agrees(index: &AreaIndex, model: &BTreeMap<i64, Vec<Area>>, rng: &mut Lcg, points: usize) -> usize {
    assert_eq!(index.len(), model.len());
    assert_eq!(index.is_empty(), model.is_empty());
    let mut hits = 0;
    for _ in 0..points {
        let (lat, lon) = random_point(rng);
        let got = index.matching(lat, lon);
        assert!(
            got.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates: {got:?}"
        );
        assert_eq!(got, brute(model, lat, lon), "at {lat},{lon}");
        hits += got.len();
    }
    hits
}

#[test]
fn matches_brute_force_built_and_inserted() {
    let mut rng = Lcg(42);
    let items: Vec<(i64, Area)> = (0..2500)
        .map(|_| (rng.below(1000) as i64 - 100, random_area(&mut rng)))
        .collect();
    let mut model: BTreeMap<i64, Vec<Area>> = BTreeMap::new();
    for (id, a) in &items {
        model.entry(*id).or_default().push(a.clone());
    }
    let built = AreaIndex::build(items.clone());
    let hits = assert_agrees(&built, &model, &mut rng, 2500);
    assert!(hits > 3000, "the test should see plenty of matches, saw {hits}");
    let mut inserted = AreaIndex::new();
    for (id, a) in items {
        inserted.insert(id, a);
    }
    assert_agrees(&inserted, &model, &mut rng, 500);
}

#[test]
fn replace_and_remove_stay_consistent() {
    let mut rng = Lcg(7);
    let mut model: BTreeMap<i64, Vec<Area>> = BTreeMap::new();
    let mut index = AreaIndex::build(std::iter::empty());
    for round in 0..40 {
        for _ in 0..100 {
            let id = rng.below(150) as i64;
            match rng.below(4) {
                0 => {
                    let a = random_area(&mut rng);
                    model.entry(id).or_default().push(a.clone());
                    index.insert(id, a);
                }
                1 => {
                    let areas: Vec<Area> = (0..rng.below(4)).map(|_| random_area(&mut rng)).collect();
                    model.remove(&id);
                    if !areas.is_empty() {
                        model.insert(id, areas.clone());
                    }
                    index.replace(id, areas);
                }
                _ => assert_eq!(index.remove(id), model.remove(&id).is_some()),
            }
        }
        assert_agrees(&index, &model, &mut rng, if round % 10 == 9 { 500 } else { 50 });
    }
    // Slots are reused rather than growing without bound.
    let live: usize = model.values().map(Vec::len).sum();
    assert!(index.shapes.len() <= live + index.free.len() + index.dead_packed);
    assert_eq!(
        index.overlay.size() + index.packed.len() - index.dead_packed,
        live
    );
}

#[test]
fn several_areas_one_id() {
    let circle = |lat: f64, lon: f64, radius_m: f64| Area::Circle { lat, lon, radius_m };
    let mut index = AreaIndex::new();
    assert!(index.is_empty());
    assert_eq!(index.matching(0.0, 0.0), Vec::<i64>::new());
    index.insert(5, circle(0.0, 0.0, 1000.0));
    index.insert(5, circle(0.0, 0.001, 1000.0)); // overlaps the first
    index.insert(3, circle(0.0, 0.0, 10.0));
    index.insert(9, circle(10.0, 10.0, 10.0));
    assert_eq!(index.len(), 3);
    assert_eq!(index.matching(0.0, 0.0), vec![3, 5]);
    assert_eq!(index.matching(0.0, 0.0015), vec![5]);
    index.replace(5, vec![circle(10.0, 10.0, 1000.0)]);
    assert_eq!(index.matching(0.0, 0.0), vec![3]);
    assert_eq!(index.matching(10.0, 10.0), vec![5, 9]);
    index.replace(5, vec![]);
    assert_eq!(index.len(), 2);
    assert!(index.remove(3));
    assert!(!index.remove(3));
    assert!(!index.remove(12345));
    assert_eq!(index.matching(0.0, 0.0), Vec::<i64>::new());
    assert_eq!(index.len(), 1);
}

#[test]
fn bounds_cover_the_live_areas_only() {
    let circle = |lat: f64, lon: f64, radius_m: f64| Area::Circle { lat, lon, radius_m };
    let near = |a: f64, b: f64| (a - b).abs() < 1e-4;
    let mut index = AreaIndex::build([(1, circle(34.0, -118.0, 1000.0))]);
    index.insert(2, circle(35.0, -119.0, 10.0));
    index.insert(2, circle(34.5, -117.0, 10.0));
    let [w, s, e, n] = index.bounds().expect("areas");
    // A circle's box reaches its radius out: 1000 m is about 0.009 degrees of latitude.
    assert!(near(s, 34.0 - 0.009) && near(n, 35.0 + 0.00009), "{s} {n}");
    assert!(near(w, -119.0 - 0.00011) && near(e, -117.0 + 0.00011), "{w} {e}");
    index.remove(2);
    let [w, s, e, n] = index.bounds().expect("one area");
    assert!(
        near((s + n) / 2.0, 34.0) && near((w + e) / 2.0, -118.0),
        "{s} {n} {w} {e}"
    );
    assert!(n - s < 0.02, "the removed areas are out");
    index.remove(1);
    assert_eq!(index.bounds(), None);
}

#[test]
fn odd_input_does_not_panic() {
    let nan = Polygon::new(
        LineString::from(vec![(0., 0.), (f64::NAN, 1.), (1., 1.), (0., 0.)]),
        vec![],
    );
    let odd = vec![
        (
            1,
            Area::Circle {
                lat: f64::NAN,
                lon: 0.0,
                radius_m: 10.0,
            },
        ),
        (
            2,
            Area::Circle {
                lat: 0.0,
                lon: 0.0,
                radius_m: f64::INFINITY,
            },
        ),
        (3, Area::Polygon(MultiPolygon(vec![]))),
        (4, Area::Polygon(MultiPolygon(vec![nan]))),
        (
            5,
            Area::Circle {
                lat: 0.0,
                lon: 0.0,
                radius_m: -1.0,
            },
        ),
    ];
    let mut model: BTreeMap<i64, Vec<Area>> = BTreeMap::new();
    let mut index = AreaIndex::new();
    for (id, a) in odd.clone() {
        model.entry(id).or_default().push(a.clone());
        index.insert(id, a);
    }
    let built = AreaIndex::build(odd);
    for (lat, lon) in [(f64::NAN, 0.0), (0.0, f64::INFINITY), (95.0, 0.0), (0.0, -200.0)] {
        assert_eq!(index.matching(lat, lon), Vec::<i64>::new());
    }
    // Same answer as asking each area; the infinite circle holds everything.
    for (lat, lon) in [(0.5, 0.5), (0.0, 0.0), (-45.0, 120.0), (0.9, 0.1)] {
        assert_eq!(index.matching(lat, lon), brute(&model, lat, lon));
        assert_eq!(built.matching(lat, lon), brute(&model, lat, lon));
        assert!(index.matching(lat, lon).contains(&2));
    }
    assert_eq!(index.len(), 5);
    assert!(index.remove(1) && index.remove(4));
    assert_eq!(index.len(), 3);
}

#[test]
fn repacks_after_many_removals_and_replacements() {
    let mut rng = Lcg(99);
    let mut model: BTreeMap<i64, Vec<Area>> = BTreeMap::new();
    let items: Vec<(i64, Area)> = (0..3000).map(|id| (id, random_area(&mut rng))).collect();
    for (id, a) in &items {
        model.entry(*id).or_default().push(a.clone());
    }
    let mut index = AreaIndex::build(items);
    assert_eq!(index.packed.len(), 3000);
    // Removing two thirds of the packed areas passes both thresholds: the index is repacked.
    for id in 0..2000 {
        assert!(index.remove(id));
        model.remove(&id);
        if id == 1000 {
            assert_eq!(index.dead_packed, 1001, "not repacked yet");
            assert_agrees(&index, &model, &mut rng, 200);
        }
    }
    assert!(index.dead_packed < 1024, "repacked: {}", index.dead_packed);
    assert!(index.packed.len() < 3000);
    assert_agrees(&index, &model, &mut rng, 500);
    // Replacing polygons over and over leaves garbage coordinates until a repack drops them.
    for round in 0..40 {
        for id in 2000..2100 {
            let a = random_area(&mut rng);
            model.insert(id, vec![a.clone()]);
            index.replace(id, vec![a]);
        }
        assert!(index.shapes.garbage() <= REPACK_MIN.max(index.shapes.coords_len() / 2));
        if round % 10 == 0 {
            assert_agrees(&index, &model, &mut rng, 100);
        }
    }
    assert_agrees(&index, &model, &mut rng, 500);
    let live: usize = model.values().map(Vec::len).sum();
    assert_eq!(
        index.overlay.size() + index.packed.len() - index.dead_packed,
        live
    );
}
