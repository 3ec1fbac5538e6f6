use super::*;

const MAX_VERTICES: usize = crate::geo::area::MAX_VERTICES;

fn check(c: &[C]) -> Result<(), &'static str> {
    let mut budget = MAX_PAIR_CHECKS;
    check_ring(c, &mut budget)
}

fn ring(pts: &[(f64, f64)]) -> Vec<C> {
    pts.iter().map(|&(x, y)| Coord { x, y }).collect()
}

#[test]
fn accepts_simple_rings() {
    assert_eq!(check(&ring(&[(0., 0.), (1., 0.), (0., 1.), (0., 0.)])), Ok(()));
    assert_eq!(
        check(&ring(&[(0., 0.), (0., 1.), (1., 1.), (1., 0.), (0., 0.)])),
        Ok(())
    );
    // Concave "C" shape whose segments come close but never touch.
    let c = [
        (0., 0.),
        (3., 0.),
        (3., 1.),
        (1., 1.),
        (1., 2.),
        (3., 2.),
        (3., 3.),
        (0., 3.),
        (0., 0.),
    ];
    assert_eq!(check(&ring(&c)), Ok(()));
    // A collinear vertex in the middle of an edge is fine.
    assert_eq!(
        check(&ring(&[(0., 0.), (1., 0.), (2., 0.), (2., 2.), (0., 0.)])),
        Ok(())
    );
}

#[test]
fn refuses_bad_rings() {
    assert!(check(&ring(&[(0., 0.), (1., 0.), (0., 0.)])).is_err());
    assert!(check(&ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.)])).is_err());
    let zero = Err("ring has zero area");
    assert_eq!(check(&ring(&[(0., 0.), (1., 0.), (2., 0.), (0., 0.)])), zero);
    assert_eq!(check(&ring(&[(0., 0.), (1., 0.), (1., 0.), (0., 0.)])), zero);
    let si = Err("ring is self-intersecting");
    // Bowtie.
    assert_eq!(
        check(&ring(&[(0., 0.), (1., 1.), (1., 0.), (0., 1.), (0., 0.)])),
        si
    );
    // Spike folding back along an edge.
    assert_eq!(
        check(&ring(&[(0., 0.), (2., 0.), (1., 0.), (1., 1.), (0., 0.)])),
        si
    );
    // Figure eight pinched at a repeated vertex.
    let eight = [
        (0., 0.),
        (2., 0.),
        (1., 1.),
        (2., 2.),
        (0., 2.),
        (1., 1.),
        (0., 0.),
    ];
    assert_eq!(check(&ring(&eight)), si);
    // A vertex touching a non-adjacent edge.
    assert_eq!(
        check(&ring(&[
            (0., 0.),
            (4., 0.),
            (4., 4.),
            (2., 0.),
            (0., 4.),
            (0., 0.)
        ])),
        si
    );
    // Folds at the closing vertex, from both sides of the wrap.
    assert_eq!(
        check(&ring(&[
            (0., 0.),
            (2., 0.),
            (2., 2.),
            (0., 2.),
            (0., 3.),
            (0., 0.)
        ])),
        si
    );
    assert_eq!(
        check(&ring(&[
            (0., 3.),
            (0., 0.),
            (2., 0.),
            (2., 2.),
            (0., 2.),
            (0., 3.)
        ])),
        si
    );
    // Collinear overlap of two non-adjacent edges.
    let overlap = [
        (0., 0.),
        (3., 0.),
        (3., 1.),
        (2., 1.),
        (2., 0.),
        (1., 0.),
        (1., -1.),
        (0., -1.),
        (0., 0.),
    ];
    assert_eq!(check(&ring(&overlap)), si);
}

/// All pairs, no sweep: the reference the pruned sweep must agree with.
fn brute(pts: &[C]) -> bool {
    let m = pts.len() - 1;
    for i in 0..m {
        for j in i + 1..m {
            let hit = if j == i + 1 {
                folds_back(pts[i], pts[j], pts[j + 1])
            } else if i == 0 && j == m - 1 {
                folds_back(pts[1], pts[0], pts[m - 1])
            } else {
                segments_intersect(pts[i], pts[i + 1], pts[j], pts[j + 1])
            };
            if hit {
                return true;
            }
        }
    }
    false
}

#[test]
fn sweep_matches_all_pairs() {
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |k: u64| {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 33) % k
    };
    let (mut simple, mut crossing) = (0, 0);
    for _ in 0..4000 {
        let n = 3 + next(6) as usize;
        // Small integer grid so touching and collinear cases are common.
        let mut pts: Vec<C> = (0..n)
            .map(|_| Coord {
                x: next(5) as f64,
                y: next(5) as f64,
            })
            .collect();
        pts.dedup();
        if pts.len() < 3 || pts.first() == pts.last() {
            continue;
        }
        pts.push(pts[0]);
        let expect = brute(&pts);
        let mut unlimited = u64::MAX;
        assert_eq!(self_intersects(&pts, &mut unlimited), Some(expect), "{pts:?}");
        if expect {
            crossing += 1
        } else {
            simple += 1
        }
    }
    assert!(simple > 100 && crossing > 100, "{simple} {crossing}");
}

fn regular(n: usize, jitter: impl Fn(usize) -> f64) -> Vec<C> {
    let mut ring: Vec<C> = (0..n)
        .map(|i| {
            let (t, r) = (i as f64 * std::f64::consts::TAU / n as f64, 1.0 + jitter(i));
            Coord {
                x: r * t.cos(),
                y: r * t.sin(),
            }
        })
        .collect();
    ring.push(ring[0]);
    ring
}

/// Pair checks spent on a ring (it must pass).
fn cost(c: &[C]) -> u64 {
    let mut budget = MAX_PAIR_CHECKS;
    assert_eq!(check_ring(c, &mut budget), Ok(()));
    MAX_PAIR_CHECKS - budget
}

#[test]
fn detailed_outlines_fit_the_budget() {
    let circle = regular(MAX_VERTICES - 1, |_| 0.0);
    // A ragged, coastline-like outline: the radius wanders at several scales.
    let ragged = regular(MAX_VERTICES - 1, |i| {
        let t = i as f64 * 0.01;
        0.2 * (t * 0.7).sin() + 0.05 * (t * 13.0).sin() + 0.01 * ((i * 7919 % 101) as f64 / 101.0)
    });
    for ring in [circle, ragged] {
        let used = cost(&ring);
        eprintln!("{} vertices: {used} pair checks", ring.len());
        assert!(used * 10 < MAX_PAIR_CHECKS, "{used}");
    }
}

/// Teeth of a comb, all overlapping in x (`slope` 0) or in x and y (`slope` 1).
fn comb(slope: f64) -> Vec<C> {
    let mut c = Vec::new();
    for i in 0..2_499 {
        let y = i as f64 * 0.01;
        let far = Coord {
            x: 100.0,
            y: y + 100.0 * slope,
        };
        c.extend([
            Coord { x: 0.0, y },
            far,
            Coord {
                x: 100.0,
                y: far.y + 0.005,
            },
            Coord {
                x: 0.002,
                y: y + 0.007,
            },
        ]);
    }
    c.extend([
        Coord { x: -1.0, y: 24.99 },
        Coord { x: -1.0, y: 10.0 },
        Coord { x: -1.0, y: 0.0 },
        c[0],
    ]);
    c
}

#[test]
fn crafted_rings_are_refused_quickly() {
    for slope in [0.0, 1.0] {
        let ring = comb(slope);
        assert_eq!(ring.len(), MAX_VERTICES);
        // The work bound is the budget, a count, so no wall-clock assertion
        // (flaky on a loaded CI box); it is ~0.1 s in release.
        let mut budget = MAX_PAIR_CHECKS;
        let got = check_ring(&ring, &mut budget);
        assert!(got.is_err_and(|e| e.contains("too intricate")), "{got:?}");
        assert_eq!(budget, 0);
    }
    // A smaller comb is checked in full, and is simple: refusals above were the budget's.
    let mut small: Vec<C> = comb(1.0).into_iter().take(1_200).collect();
    small.extend([Coord { x: -1.0, y: 2.995 }, Coord { x: -1.0, y: 0.0 }, small[0]]);
    assert!(cost(&small) > 100_000);
}
