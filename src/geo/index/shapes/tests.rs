use super::*;
use ::geo::{Destination, Haversine, LineString, MultiPolygon, Point, Polygon};

fn agrees(area: &Area, lat: f64, lon: f64) -> bool {
    let mut shapes = Shapes::default();
    let slot = shapes.push(7, area);
    let got = shapes.test(slot, &Probe::new(lat, lon)).is_some();
    got == area.contains(lat, lon)
}

/// The next f64 up or down, `steps` times.
fn ulps(v: f64, steps: i64) -> f64 {
    let mut v = v;
    for _ in 0..steps.abs() {
        let bits = v.to_bits() as i64;
        let up = (steps > 0) == (v >= 0.0);
        v = f64::from_bits((if up { bits + 1 } else { bits - 1 }) as u64);
    }
    v
}

#[test]
fn circles_agree_with_haversine_at_the_edge() {
    let centres = [
        (52.52, 13.40),
        (0.0, 0.0),
        (34.0617, -118.3005),
        (-33.9, 151.2),
        (60.0, 179.9999),
        (89.99, 45.0),
        (-89.9, -120.0),
    ];
    let radii = [1.0, 10.0, 500.0, 1234.5, 3000.0, 50_000.0, 200_000.0];
    let mut checked = 0;
    for (lat, lon) in centres {
        for r in radii {
            let area = Area::Circle {
                lat,
                lon,
                radius_m: r,
            };
            for step in 0..16 {
                let bearing = step as f64 * 22.5 + 3.0;
                for d in [
                    r,
                    r * (1.0 - 1e-12),
                    r * (1.0 + 1e-12),
                    r - 1e-6,
                    r + 1e-6,
                    r - 1e-3,
                    r + 1e-3,
                    r - 2e-3 - r * 1e-9,
                    r + 2e-3 + r * 1e-9,
                    r * 0.5,
                    r * 1.5,
                ] {
                    let p = Haversine::destination(Point::new(lon, lat), bearing, d);
                    let (plat, plon) = (p.y(), p.x());
                    if !(-90.0..=90.0).contains(&plat) || !(-180.0..=180.0).contains(&plon) {
                        continue;
                    }
                    for k in -3..=3 {
                        let q = ulps(plat, k);
                        assert!(agrees(&area, q, plon), "{lat},{lon} r={r}: {q},{plon}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 50_000, "{checked}");
}

#[test]
fn invalid_circles_are_asked_directly() {
    for area in [
        Area::Circle {
            lat: f64::NAN,
            lon: 0.0,
            radius_m: 10.0,
        },
        Area::Circle {
            lat: 0.0,
            lon: 0.0,
            radius_m: f64::INFINITY,
        },
        Area::Circle {
            lat: 0.0,
            lon: 0.0,
            radius_m: 1e9,
        },
        Area::Circle {
            lat: 95.0,
            lon: 0.0,
            radius_m: 1e6,
        },
    ] {
        for (lat, lon) in [(0.0, 0.0), (89.0, 3.0), (-45.0, 120.0), (0.0, 0.001)] {
            assert!(agrees(&area, lat, lon), "{area:?} at {lat},{lon}");
        }
    }
}

fn ring(points: &[(f64, f64)]) -> LineString<f64> {
    LineString::from(points.to_vec())
}

#[test]
fn polygons_agree_with_geo_on_vertices_edges_and_holes() {
    let outer = [
        (0.0, 0.0),
        (4.0, 0.0),
        (4.0, 4.0),
        (2.0, 6.0),
        (0.0, 4.0),
        (0.0, 0.0),
    ];
    let hole = [(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0), (1.0, 1.0)];
    let island = [(1.5, 1.5), (2.5, 1.5), (2.0, 2.5), (1.5, 1.5)];
    let touching = [(4.0, 0.0), (8.0, 0.0), (8.0, 4.0), (4.0, 4.0), (4.0, 0.0)];
    let areas = [
        Area::Polygon(MultiPolygon(vec![Polygon::new(ring(&outer), vec![])])),
        Area::Polygon(MultiPolygon(vec![Polygon::new(ring(&outer), vec![ring(&hole)])])),
        Area::Polygon(MultiPolygon(vec![
            Polygon::new(ring(&outer), vec![ring(&hole)]),
            Polygon::new(ring(&island), vec![]),
            Polygon::new(ring(&touching), vec![]),
        ])),
        // Two holes overlapping: the first one that is not Outside decides, as in geo.
        Area::Polygon(MultiPolygon(vec![Polygon::new(
            ring(&outer),
            vec![ring(&hole), ring(&island)],
        )])),
        Area::Polygon(MultiPolygon(vec![])),
    ];
    let mut points = Vec::new();
    for r in [&outer[..], &hole, &island, &touching] {
        for w in r.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            points.push((x0, y0));
            points.push(((x0 + x1) / 2.0, (y0 + y1) / 2.0));
            points.push((x0 + (x1 - x0) / 3.0, y0 + (y1 - y0) / 3.0));
        }
    }
    for x in 0..=36 {
        for y in 0..=28 {
            points.push((x as f64 / 4.0 - 0.5, y as f64 / 4.0 - 0.5));
        }
    }
    for area in &areas {
        for &(x, y) in &points {
            for (dx, dy) in [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (2, -2)] {
                let (lon, lat) = (ulps(x, dx), ulps(y, dy));
                assert!(agrees(area, lat, lon), "{area:?} at lat {lat} lon {lon}");
            }
        }
    }
}

#[test]
fn boxes_round_outwards() {
    for v in [
        0.0,
        -0.0,
        1e-40,
        -1e-40,
        0.1,
        -0.1,
        13.4,
        52.52,
        -118.3005,
        179.99999999,
        -180.0,
        90.0,
    ] {
        let d = down(v);
        assert!(f64::from(d) <= v, "{v}");
        let next = if d == 0.0 {
            f32::from_bits(1)
        } else if d > 0.0 {
            f32::from_bits(d.to_bits() + 1)
        } else {
            f32::from_bits(d.to_bits() - 1)
        };
        assert!(f64::from(next) > v, "{v}: {d} is not the largest f32 below");
    }
    let b = outward([-0.1, 0.1, 0.2, 0.3]);
    assert!(f64::from(b[0]) <= -0.1 && f64::from(b[1]) <= 0.1);
    assert!(f64::from(b[2]) >= 0.2 && f64::from(b[3]) >= 0.3);
}

#[test]
fn permute_applies_the_order() {
    let mut v: Vec<char> = "abcdefg".chars().collect();
    let mut order = vec![3, 0, 6, 1, 2, 5, 4];
    permute(&mut v, &mut order);
    assert_eq!(v.iter().collect::<String>(), "dagbcfe");
}
