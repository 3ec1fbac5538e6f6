//! Whether a home area comes within some distance of a point: escalation's "everyone whose area
//! meets a circle of this radius around the incident".

use super::area::{haversine_m, Area, EARTH_RADIUS_M};

/// True when some point of `area` is within `radius_m` metres of (lat, lon). Circles exactly
/// (great circle); polygons on a local flat projection around the point, which errs by well
/// under a percent at the few kilometres escalation works with.
pub fn meets_circle(area: &Area, lat: f64, lon: f64, radius_m: f64) -> bool {
    if !(lat.is_finite() && lon.is_finite() && radius_m.is_finite()) {
        return false;
    }
    match area {
        Area::Circle {
            lat: clat,
            lon: clon,
            radius_m: r,
        } => haversine_m(*clat, *clon, lat, lon) <= r + radius_m,
        Area::Polygon(mp) => {
            if area.contains(lat, lon) {
                return true;
            }
            let scale_y = EARTH_RADIUS_M.to_radians();
            let scale_x = scale_y * lat.to_radians().cos();
            let local = |c: &::geo::Coord<f64>| {
                // Longitudes across the antimeridian are taken the short way round.
                let mut dlon = c.x - lon;
                if dlon > 180.0 {
                    dlon -= 360.0;
                } else if dlon < -180.0 {
                    dlon += 360.0;
                }
                (dlon * scale_x, (c.y - lat) * scale_y)
            };
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|ring| ring.lines())
                .any(|line| segment_distance(local(&line.start), local(&line.end)) <= radius_m)
        }
    }
}

/// True when two areas overlap or come within `gap_m` metres of each other (neighbouring zones
/// drawn by hand rarely share their borders exactly).
pub fn areas_meet(a: &Area, b: &Area, gap_m: f64) -> bool {
    use ::geo::{CoordsIter, Intersects};
    match (a, b) {
        (Area::Circle { lat, lon, radius_m }, other) | (other, Area::Circle { lat, lon, radius_m }) => {
            meets_circle(other, *lat, *lon, *radius_m + gap_m)
        }
        (Area::Polygon(p), Area::Polygon(q)) => {
            p.intersects(q)
                || (gap_m > 0.0
                    && (p.coords_iter().any(|c| meets_circle(b, c.y, c.x, gap_m))
                        || q.coords_iter().any(|c| meets_circle(a, c.y, c.x, gap_m))))
        }
    }
}

/// Distance from the origin to the segment a-b.
fn segment_distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(lat: f64, lon: f64, half_deg: f64) -> Area {
        let (s, n, w, e) = (lat - half_deg, lat + half_deg, lon - half_deg, lon + half_deg);
        Area::from_json(&json!({"type": "Polygon",
            "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}))
        .unwrap()
    }

    #[test]
    fn circles_meet_when_their_centres_are_within_both_radii() {
        let home = Area::Circle {
            lat: 34.0,
            lon: -118.0,
            radius_m: 1000.0,
        };
        // 0.03 degrees of latitude is about 3,336 m.
        assert!(!meets_circle(&home, 34.03, -118.0, 2000.0));
        assert!(meets_circle(&home, 34.03, -118.0, 2400.0));
    }

    #[test]
    fn polygons_meet_by_their_nearest_edge_or_by_holding_the_point() {
        // A square 0.01 degrees (about 1,112 m) across, its edge about 2,780 m north of the point.
        let home = square(34.03, -118.0, 0.005);
        assert!(!meets_circle(&home, 34.0, -118.0, 2700.0));
        assert!(meets_circle(&home, 34.0, -118.0, 2850.0));
        assert!(meets_circle(&home, 34.03, -118.0, 1.0), "the point inside");
        assert!(!meets_circle(&home, 34.0, -118.0, f64::NAN));
    }

    #[test]
    fn neighbouring_squares_meet_and_distant_ones_do_not() {
        let a = square(34.0, -118.0, 0.01);
        let touching = square(34.0, -117.98, 0.01);
        let apart = square(34.0, -117.9, 0.01);
        assert!(areas_meet(&a, &touching, 0.0) && areas_meet(&touching, &a, 0.0));
        assert!(!areas_meet(&a, &apart, 0.0));
        // 0.001 degrees of longitude apart, about 92 m here.
        let nearly = square(34.0, -117.979, 0.01);
        assert!(!areas_meet(&a, &nearly, 50.0) && areas_meet(&a, &nearly, 100.0));
        let circle = Area::Circle {
            lat: 34.0,
            lon: -117.93,
            radius_m: 3000.0,
        };
        assert!(areas_meet(&circle, &apart, 0.0) && areas_meet(&apart, &circle, 0.0));
        assert!(!areas_meet(&circle, &a, 0.0));
    }
}
