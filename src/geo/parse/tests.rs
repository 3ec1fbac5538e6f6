//! `Area::from_json`: every refusal names its field; accepted input reads back.

use crate::geo::area::{Area, MAX_VERTICES};
use serde_json::{json, Value};

fn field(v: Value) -> String {
    match Area::from_json(&v) {
        Err(e) => {
            assert!(!e.reason.is_empty());
            assert_eq!(e.to_string(), format!("{}: {}", e.field, e.reason));
            e.field
        }
        Ok(a) => panic!("accepted {v} as {a:?}"),
    }
}

fn reason(v: Value) -> String {
    Area::from_json(&v).err().map(|e| e.reason).unwrap_or_default()
}

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])
}

fn poly(rings: Value) -> Value {
    json!({"type": "Polygon", "coordinates": rings})
}

#[test]
fn refuses_bad_top_level() {
    assert_eq!(field(json!(5)), "area");
    assert_eq!(field(json!(null)), "area");
    assert_eq!(field(json!([1, 2])), "area");
    assert_eq!(field(json!({})), "area.type");
    assert_eq!(field(json!({"type": 7})), "area.type");
    for ty in [
        "Point",
        "LineString",
        "GeometryCollection",
        "FeatureCollection",
        "Circle",
        "polygon",
    ] {
        assert_eq!(
            field(json!({"type": ty, "coordinates": [0, 0]})),
            "area.type",
            "{ty}"
        );
    }
}

#[test]
fn refuses_bad_circles() {
    let ok = json!({"type": "circle", "lat": 34.0, "lon": -118.0, "radius_m": 1000});
    assert!(Area::from_json(&ok).is_ok());
    let with = |k: &str, v: Value| {
        let mut c = ok.clone();
        c[k] = v;
        c
    };
    let without = |k: &str| {
        let mut c = ok.clone();
        c.as_object_mut().map(|o| o.remove(k));
        c
    };
    for k in ["lat", "lon", "radius_m"] {
        let f = format!("area.{k}");
        assert_eq!(field(without(k)), f);
        assert_eq!(field(with(k, json!("12"))), f);
        assert_eq!(field(with(k, json!(null))), f); // what json! makes of NaN / infinity
        assert_eq!(field(with(k, json!(f64::NAN))), f);
        assert_eq!(field(with(k, json!([1.0]))), f);
    }
    for lat in [90.0001, -90.0001, 1e300, -1e300] {
        assert_eq!(field(with("lat", json!(lat))), "area.lat");
    }
    for lon in [180.0001, -180.0001, 360.0] {
        assert_eq!(field(with("lon", json!(lon))), "area.lon");
    }
    for r in [0.0, -0.0, -5.0, 200_000.01, 1e12] {
        assert_eq!(field(with("radius_m", json!(r))), "area.radius_m");
    }
    for (k, v) in [
        ("lat", 90.0),
        ("lat", -90.0),
        ("lon", 180.0),
        ("lon", -180.0),
        ("radius_m", 200_000.0),
    ] {
        assert!(Area::from_json(&with(k, json!(v))).is_ok(), "{k}={v}");
    }
}

#[test]
fn refuses_bad_polygons() {
    assert_eq!(field(json!({"type": "Polygon"})), "area.coordinates");
    assert_eq!(field(poly(json!({"a": 1}))), "area.coordinates");
    assert_eq!(field(poly(json!([]))), "area.coordinates");
    assert_eq!(field(poly(json!([5]))), "area.coordinates[0]");
    assert_eq!(
        field(poly(json!([[[0, 0], [1, 0], [0, 0]]]))),
        "area.coordinates[0]"
    );
    assert_eq!(
        field(poly(json!([[[0, 0], [1, 0], [1, 1], [0, 1]]]))),
        "area.coordinates[0]"
    );
    assert!(reason(poly(json!([[[0, 0], [1, 0], [1, 1], [0, 1]]]))).contains("closed"));
    assert_eq!(
        field(poly(json!([[[0, 0], [1, 0], [1], [0, 0]]]))),
        "area.coordinates[0][2]"
    );
    assert_eq!(
        field(poly(json!([[[0, 0], [1, "0"], [1, 1], [0, 0]]]))),
        "area.coordinates[0][1]"
    );
    assert_eq!(
        field(poly(json!([[[0, 0], 7, [1, 1], [0, 0]]]))),
        "area.coordinates[0][1]"
    );
    assert_eq!(
        field(poly(json!([[[0, 0], [1, 0], [1, 95], [0, 0]]]))),
        "area.coordinates[0][2]"
    );
    assert_eq!(
        field(poly(json!([[[0, 0], [190, 0], [1, 1], [0, 0]]]))),
        "area.coordinates[0][1]"
    );
    assert_eq!(
        field(poly(json!([[[0, 0], [1, 0], [1, null], [0, 0]]]))),
        "area.coordinates[0][2]"
    );
    // A bad hole is named by its own index.
    let bad_hole = json!([
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6]]
    ]);
    assert_eq!(field(poly(bad_hole)), "area.coordinates[1]");
}

#[test]
fn refuses_degenerate_rings() {
    let collinear = poly(json!([[[0, 0], [1, 1], [2, 2], [0, 0]]]));
    assert_eq!(field(collinear.clone()), "area.coordinates[0]");
    assert!(reason(collinear).contains("zero area"));
    let same = poly(json!([[[3, 3], [3, 3], [3, 3], [3, 3]]]));
    assert!(reason(same).contains("zero area"));
    let bowtie = poly(json!([[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]));
    assert_eq!(field(bowtie.clone()), "area.coordinates[0]");
    assert!(reason(bowtie).contains("self-intersecting"));
    // Repeated consecutive positions are legal GeoJSON.
    let dup = poly(json!([[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]));
    assert!(Area::from_json(&dup).is_ok());
}

#[test]
fn refuses_bad_multipolygons_and_features() {
    let mp = |c: Value| json!({"type": "MultiPolygon", "coordinates": c});
    assert_eq!(field(mp(json!([]))), "area.coordinates");
    assert_eq!(
        field(mp(json!([[square(0., 0., 1., 1.)], 3]))),
        "area.coordinates[1]"
    );
    assert_eq!(
        field(mp(json!([[square(0., 0., 1., 1.)], []]))),
        "area.coordinates[1]"
    );
    let bad = json!([[square(0., 0., 1., 1.)], [[[5, 5], [6, 5], [6], [5, 5]]]]);
    assert_eq!(field(mp(bad)), "area.coordinates[1][0][2]");
    let feature = |g: Value| json!({"type": "Feature", "properties": {}, "geometry": g});
    assert_eq!(field(json!({"type": "Feature"})), "area.geometry");
    assert_eq!(field(feature(json!(null))), "area.geometry");
    assert_eq!(
        field(feature(json!({"type": "Point", "coordinates": [1, 2]}))),
        "area.geometry.type"
    );
    assert_eq!(
        field(feature(
            json!({"type": "circle", "lat": 1, "lon": 2, "radius_m": 3})
        )),
        "area.geometry.type"
    );
    let g = poly(json!([[[0, 0], [1, 0], [1, 1], [0, 0.5], [0]]]));
    assert_eq!(field(feature(g)), "area.geometry.coordinates[0][4]");
}

fn regular(n: usize, r: f64) -> Value {
    let mut ring: Vec<Value> = (0..n)
        .map(|i| {
            let t = i as f64 * std::f64::consts::TAU / n as f64;
            json!([r * t.cos(), r * t.sin()])
        })
        .collect();
    ring.push(ring[0].clone());
    poly(json!([ring]))
}

#[test]
fn vertex_limit() {
    assert!(Area::from_json(&regular(MAX_VERTICES - 1, 1.0)).is_ok()); // 10 000 with the closing one
    assert_eq!(field(regular(MAX_VERTICES, 1.0)), "area.coordinates");
    // The limit is over the whole geometry, not per ring.
    let members: Vec<Value> = (0..2001)
        .map(|i| json!([square(i as f64 * 0.01, 0., i as f64 * 0.01 + 0.005, 1.)]))
        .collect();
    assert_eq!(
        field(json!({"type": "MultiPolygon", "coordinates": members})),
        "area.coordinates"
    );
}

#[test]
fn accepts_and_round_trips() {
    let hole = json!([square(0., 0., 10., 10.), square(4., 4., 6., 6.)]);
    let canonical = [
        json!({"type": "circle", "lat": 34.0617, "lon": -118.3005, "radius_m": 1500.5}),
        poly(json!([square(-118.4, 34.0, -118.2, 34.1)])),
        poly(hole.clone()),
        json!({"type": "MultiPolygon", "coordinates": [[square(0., 0., 1., 1.)], hole]}),
    ];
    for v in canonical {
        let a = Area::from_json(&v).expect("valid");
        assert_eq!(a.to_json(), v);
        assert_eq!(Area::from_json(&a.to_json()), Ok(a.clone()));
        assert_eq!(a.validate(), Ok(()));
    }
    // Other spellings read back to the canonical form.
    let one_member = json!({"type": "MultiPolygon", "coordinates": [[square(0., 0., 1., 1.)]]});
    let feature =
        json!({"type": "Feature", "properties": {"x": 1}, "geometry": poly(json!([square(0., 0., 1., 1.)]))});
    let ints = json!({"type": "circle", "lat": 34, "lon": -118, "radius_m": 50, "extra": true});
    let alt = poly(json!([[[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]]));
    for v in [one_member, feature, ints, alt] {
        let a = Area::from_json(&v).expect("valid");
        assert_eq!(Area::from_json(&a.to_json()), Ok(a.clone()));
    }
    let a = Area::from_json(&json!({"type": "circle", "lat": 34, "lon": -118, "radius_m": 50}));
    assert_eq!(
        a,
        Ok(Area::Circle {
            lat: 34.0,
            lon: -118.0,
            radius_m: 50.0
        })
    );
}

#[test]
fn mutated_json_is_refused_or_valid() {
    // Random edits of valid areas: whatever is accepted must validate and round-trip.
    let seeds = [
        json!({"type": "circle", "lat": 34.0, "lon": -118.0, "radius_m": 1000}),
        poly(json!([square(0., 0., 10., 10.), square(4., 4., 6., 6.)])),
        json!({"type": "MultiPolygon", "coordinates": [[square(0., 0., 1., 1.)], [square(2., 2., 3., 3.)]]}),
    ];
    let values = [
        json!(0),
        json!(-1),
        json!(1e9),
        json!(null),
        json!("x"),
        json!([]),
        json!([1]),
        json!(4),
        json!(90),
        json!(180.5),
    ];
    let mut s: u64 = 5;
    let mut next = |n: usize| {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 33) as usize % n
    };
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..3000 {
        let mut v = seeds[next(seeds.len())].clone();
        // Walk down to a random spot and overwrite it.
        let mut spot = &mut v;
        loop {
            let len = match &*spot {
                Value::Array(a) if !a.is_empty() => a.len(),
                Value::Object(o) if !o.is_empty() => o.len(),
                _ => break,
            };
            let i = next(len);
            if next(4) == 0 {
                break;
            }
            spot = match spot {
                Value::Array(a) => &mut a[i],
                Value::Object(o) => o.values_mut().nth(i).expect("in range"),
                _ => unreachable!(),
            };
        }
        *spot = values[next(values.len())].clone();
        match Area::from_json(&v) {
            Ok(a) => {
                ok += 1;
                assert_eq!(a.validate(), Ok(()), "{v}");
                assert_eq!(Area::from_json(&a.to_json()), Ok(a));
            }
            Err(e) => {
                refused += 1;
                assert!(e.field.starts_with("area"));
            }
        }
    }
    assert!(ok > 50 && refused > 1000, "{ok} {refused}");
}
