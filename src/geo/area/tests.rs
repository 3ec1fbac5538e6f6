use super::*;
use ::geo::{Destination, Haversine, LineString, Point};

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])
}

fn poly(rings: Value) -> Value {
    json!({"type": "Polygon", "coordinates": rings})
}

fn circle(lat: f64, lon: f64, radius_m: f64) -> Area {
    Area::Circle { lat, lon, radius_m }
}

/// (lat, lon) reached from (lat, lon) going `d` metres on `bearing`, computed by geo.
fn dest(lat: f64, lon: f64, bearing: f64, d: f64) -> (f64, f64) {
    let p = Haversine::destination(Point::new(lon, lat), bearing, d);
    (p.y(), p.x())
}

#[test]
fn validate_names_fields() {
    assert_eq!(
        circle(f64::NAN, 0.0, 10.0).validate().map_err(|e| e.field),
        Err("area.lat".into())
    );
    assert_eq!(
        circle(0.0, f64::INFINITY, 10.0).validate().map_err(|e| e.field),
        Err("area.lon".into())
    );
    assert_eq!(
        circle(0.0, 0.0, f64::INFINITY).validate().map_err(|e| e.field),
        Err("area.radius_m".into())
    );
    let good = Polygon::new(
        LineString::from(vec![(0., 0.), (1., 0.), (1., 1.), (0., 0.)]),
        vec![],
    );
    let bad = Polygon::new(
        LineString::from(vec![(0., 0.), (1., 0.), (f64::NAN, 1.), (0., 0.)]),
        vec![],
    );
    let short = Polygon::new(LineString::from(vec![(0., 0.), (1., 0.)]), vec![]);
    let v = |ps: Vec<Polygon<f64>>| Area::Polygon(MultiPolygon(ps)).validate().map_err(|e| e.field);
    assert_eq!(v(vec![good.clone()]), Ok(()));
    assert_eq!(v(vec![]), Err("area.coordinates".into()));
    assert_eq!(v(vec![bad.clone()]), Err("area.coordinates[0][2]".into()));
    assert_eq!(
        v(vec![good.clone(), bad]),
        Err("area.coordinates[1][0][2]".into())
    );
    assert_eq!(v(vec![good, short]), Err("area.coordinates[1][0]".into()));
}

#[test]
fn circle_edge_in_metres() {
    for (lat, lon) in [
        (34.0617, -118.3005),
        (60.0, 25.0),
        (-33.9, 151.2),
        (0.0, 0.0),
        (89.0, 0.0),
    ] {
        let c = circle(lat, lon, 1000.0);
        for step in 0..24 {
            let bearing = step as f64 * 15.0;
            let (ilat, ilon) = dest(lat, lon, bearing, 990.0);
            let (olat, olon) = dest(lat, lon, bearing, 1010.0);
            assert!(c.contains(ilat, ilon), "990 m at {bearing} from {lat},{lon}");
            assert!(!c.contains(olat, olon), "1010 m at {bearing} from {lat},{lon}");
        }
    }
    // Due north by hand: 1 m is 1/R radians of latitude.
    let dlat = |d: f64| (d / EARTH_RADIUS_M).to_degrees();
    let c = circle(60.0, 25.0, 1000.0);
    assert!(c.contains(60.0 + dlat(990.0), 25.0));
    assert!(!c.contains(60.0 + dlat(1010.0), 25.0));
    assert!(c.contains(60.0, 25.0));
    // Across the antimeridian.
    let c = circle(0.0, 179.999, 1000.0);
    assert!(c.contains(0.0, -179.9995));
    assert!(!c.contains(0.0, -179.99));
}

#[test]
fn polygon_holes_members_and_edges() {
    let holed =
        Area::from_json(&poly(json!([square(0., 0., 10., 10.), square(4., 4., 6., 6.)]))).expect("valid");
    assert!(holed.contains(2.0, 2.0));
    assert!(!holed.contains(5.0, 5.0), "inside the hole");
    assert!(holed.contains(4.0, 5.0), "on the hole's edge is on the boundary");
    assert!(!holed.contains(5.0, 11.0));
    assert!(holed.contains(0.0, 5.0), "on an outer edge");
    assert!(holed.contains(10.0, 10.0), "on a vertex");
    assert!(!holed.contains(-1e-9, 5.0));
    let mp =
        json!({"type": "MultiPolygon", "coordinates": [[square(0., 0., 1., 1.)], [square(5., 5., 6., 6.)]]});
    let mp = Area::from_json(&mp).expect("valid");
    assert!(mp.contains(0.5, 0.5));
    assert!(mp.contains(5.5, 5.5));
    assert!(!mp.contains(3.0, 3.0));
    assert!(mp.contains(6.0, 5.5));
    for (lat, lon) in [(f64::NAN, 0.5), (0.5, f64::INFINITY), (91.0, 0.5), (0.5, 181.0)] {
        assert!(!mp.contains(lat, lon));
        assert!(!circle(89.9, 0.0, 200_000.0).contains(lat, lon));
    }
}

fn in_box(b: &AABB<[f64; 2]>, lat: f64, lon: f64) -> bool {
    let (lo, hi) = (b.lower(), b.upper());
    lo[0] <= lon && lon <= hi[0] && lo[1] <= lat && lat <= hi[1]
}

#[test]
fn bbox_covers_circles() {
    let cases = [
        (60.0, 25.0, 50_000.0),
        (34.0, -118.0, 1.0),
        (-75.0, 10.0, 200_000.0),
        (88.5, 0.0, 100_000.0),
    ];
    for (lat, lon, r) in cases {
        let c = circle(lat, lon, r);
        let b = c.bbox();
        for step in 0..720 {
            let (plat, plon) = dest(lat, lon, step as f64 * 0.5, r);
            if c.contains(plat, plon) {
                assert!(
                    in_box(&b, plat, plon),
                    "{lat},{lon} r={r}: {plat},{plon} outside {b:?}"
                );
            }
            let (plat, plon) = dest(lat, lon, step as f64 * 0.5, r * 0.9999);
            assert!(in_box(&b, plat, plon));
        }
    }
    // At lat 60 the box is about twice as wide in degrees as it is tall, not world-wide.
    let b = circle(60.0, 25.0, 50_000.0).bbox();
    let (w, h) = (b.upper()[0] - b.lower()[0], b.upper()[1] - b.lower()[1]);
    assert!(w > 1.9 * h && w < 2.1 * h, "{w} x {h}");
    // Reaching a pole or the antimeridian takes every longitude, clamped latitudes.
    let polar = circle(89.9, 40.0, 20_000.0).bbox();
    assert_eq!(
        (polar.lower()[0], polar.upper()[0], polar.upper()[1]),
        (-180.0, 180.0, 90.0)
    );
    let south = circle(-90.0, 0.0, 1000.0).bbox();
    assert_eq!(
        (south.lower()[0], south.upper()[0], south.lower()[1]),
        (-180.0, 180.0, -90.0)
    );
    let wrap = circle(10.0, 179.995, 5000.0).bbox();
    assert_eq!((wrap.lower()[0], wrap.upper()[0]), (-180.0, 180.0));
}

#[test]
fn bbox_of_polygons_and_invalid_areas() {
    let a = Area::from_json(&poly(json!([square(-118.4, 34.0, -118.2, 34.1)]))).expect("valid");
    assert_eq!(a.bbox(), AABB::from_corners([-118.4, 34.0], [-118.2, 34.1]));
    let world = AABB::from_corners([-180.0, -90.0], [180.0, 90.0]);
    assert_eq!(circle(f64::NAN, 0.0, 1.0).bbox(), world);
    assert_eq!(circle(0.0, 0.0, f64::INFINITY).bbox(), world);
    assert_eq!(Area::Polygon(MultiPolygon(vec![])).bbox(), world);
    let nan = Polygon::new(
        LineString::from(vec![(0., 0.), (1., f64::NAN), (1., 1.), (0., 0.)]),
        vec![],
    );
    assert_eq!(Area::Polygon(MultiPolygon(vec![nan])).bbox(), world);
}
