//! A volunteer's home area: a circle or (multi)polygon, with JSON in and out,
//! point containment and a bounding box for the index.

use ::geo::coordinate_position::CoordPos;
use ::geo::{Coord, CoordinatePosition, MultiPolygon, Polygon};
use rstar::AABB;
use serde_json::{json, Value};

use super::ring;

/// Largest accepted circle radius, in metres.
pub const MAX_RADIUS_M: f64 = 200_000.0;
/// Most vertices (positions, closing ones included) accepted in one area.
pub const MAX_VERTICES: usize = 10_000;
/// Mean Earth radius (IUGG), the same one geo's `Haversine` uses.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A volunteer's home area. Invariant: valid (closed rings of >= 4 positions,
/// finite lat/lon in range, radius > 0). `from_json` only builds valid areas;
/// `validate` checks one built by hand.
#[derive(Debug, Clone, PartialEq)]
pub enum Area {
    Circle {
        lat: f64,
        lon: f64,
        radius_m: f64,
    },
    /// x = lon, y = lat; a Polygon is stored as a one-member MultiPolygon.
    Polygon(MultiPolygon<f64>),
}

/// Why an area was refused; `field` is a path into the submitted JSON such as
/// "area.lat" or "area.coordinates[0][3]".
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct AreaError {
    pub field: String,
    pub reason: String,
}

impl AreaError {
    pub(crate) fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        AreaError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl Area {
    /// Where the area is, for "nearest": a circle's centre, a polygon's interior point.
    pub fn centre(&self) -> Option<(f64, f64)> {
        use ::geo::InteriorPoint;
        match self {
            Area::Circle { lat, lon, .. } => Some((*lat, *lon)),
            Area::Polygon(shape) => shape.interior_point().map(|p| (p.y(), p.x())),
        }
    }

    /// Accepts `{"type":"circle","lat":..,"lon":..,"radius_m":..}`, a GeoJSON
    /// Polygon or MultiPolygon geometry, or a GeoJSON Feature wrapping one.
    /// Everything else, and every invalid area, is refused with the field at fault.
    pub fn from_json(v: &Value) -> Result<Area, AreaError> {
        super::parse::area_from_json(v)
    }

    /// Canonical JSON: the circle object, or a GeoJSON geometry (Polygon when
    /// there is one member, else MultiPolygon). `from_json` reads it back equal.
    pub fn to_json(&self) -> Value {
        match self {
            Area::Circle { lat, lon, radius_m } => {
                json!({"type": "circle", "lat": lat, "lon": lon, "radius_m": radius_m})
            }
            Area::Polygon(mp) => match mp.0.as_slice() {
                [one] => json!({"type": "Polygon", "coordinates": polygon_json(one)}),
                many => {
                    let members: Vec<Value> = many.iter().map(polygon_json).collect();
                    json!({"type": "MultiPolygon", "coordinates": members})
                }
            },
        }
    }

    /// Point-in-area. Circle: great-circle (haversine) distance <= radius_m.
    /// Polygon: inside or on the boundary of any member (holes excluded).
    /// A non-finite or out-of-range point is in no area.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        if !in_range(lat, lon) {
            return false;
        }
        match self {
            Area::Circle {
                lat: clat,
                lon: clon,
                radius_m,
            } => haversine_m(*clat, *clon, lat, lon) <= *radius_m,
            Area::Polygon(mp) => {
                let c = Coord { x: lon, y: lat };
                mp.0.iter()
                    .any(|p| p.coordinate_position(&c) != CoordPos::Outside)
            }
        }
    }

    /// Bounding box in degrees, corners `[lon, lat]`. Always finite and always
    /// covers every point `contains` accepts: a circle touching a pole or the
    /// antimeridian gets every longitude, and an invalid area gets the world.
    pub fn bbox(&self) -> AABB<[f64; 2]> {
        match self {
            Area::Circle { lat, lon, radius_m } => circle_bbox(*lat, *lon, *radius_m),
            Area::Polygon(mp) => polygon_bbox(mp),
        }
    }

    /// Re-checks the invariant, naming fields as `from_json(&self.to_json())` would.
    pub fn validate(&self) -> Result<(), AreaError> {
        match self {
            Area::Circle { lat, lon, radius_m } => check_circle(*lat, *lon, *radius_m, "area"),
            Area::Polygon(mp) => {
                if mp.0.is_empty() {
                    return Err(AreaError::new(
                        "area.coordinates",
                        "must have at least one polygon",
                    ));
                }
                let total: usize = mp.0.iter().map(vertex_count).sum();
                if total > MAX_VERTICES {
                    return Err(too_many_vertices("area.coordinates"));
                }
                let single = mp.0.len() == 1;
                let mut budget = ring::MAX_PAIR_CHECKS;
                for (m, poly) in mp.0.iter().enumerate() {
                    let base = if single {
                        "area.coordinates".to_string()
                    } else {
                        format!("area.coordinates[{m}]")
                    };
                    check_polygon(poly, &base, &mut budget)?;
                }
                Ok(())
            }
        }
    }
}

fn polygon_json(p: &Polygon<f64>) -> Value {
    let ring = |ls: &::geo::LineString<f64>| -> Value {
        Value::Array(ls.0.iter().map(|c| json!([c.x, c.y])).collect())
    };
    let mut rings = vec![ring(p.exterior())];
    rings.extend(p.interiors().iter().map(ring));
    Value::Array(rings)
}

fn vertex_count(p: &Polygon<f64>) -> usize {
    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
}

pub(crate) fn too_many_vertices(field: &str) -> AreaError {
    AreaError::new(field, format!("more than {MAX_VERTICES} vertices in total"))
}

/// Checks every ring of a built polygon; `base` is the JSON path of its ring list.
fn check_polygon(p: &Polygon<f64>, base: &str, budget: &mut u64) -> Result<(), AreaError> {
    let rings = std::iter::once(p.exterior()).chain(p.interiors());
    for (r, ls) in rings.enumerate() {
        for (i, c) in ls.0.iter().enumerate() {
            check_coord(c.y, c.x).map_err(|why| AreaError::new(format!("{base}[{r}][{i}]"), why))?;
        }
        ring::check_ring(&ls.0, budget).map_err(|why| AreaError::new(format!("{base}[{r}]"), why))?;
    }
    Ok(())
}

/// Range check shared by parsing and `validate`.
pub(crate) fn check_coord(lat: f64, lon: f64) -> Result<(), &'static str> {
    if !lat.is_finite() || !lon.is_finite() {
        Err("coordinates must be finite numbers")
    } else if !(-90.0..=90.0).contains(&lat) {
        Err("latitude must be within [-90, 90]")
    } else if !(-180.0..=180.0).contains(&lon) {
        Err("longitude must be within [-180, 180]")
    } else {
        Ok(())
    }
}

/// Circle checks shared by parsing and `validate`; `base` is "area" or similar.
pub(crate) fn check_circle(lat: f64, lon: f64, radius_m: f64, base: &str) -> Result<(), AreaError> {
    let bad = |f: &str, why: &str| Err(AreaError::new(format!("{base}.{f}"), why));
    if !lat.is_finite() {
        return bad("lat", "must be a finite number");
    }
    if !(-90.0..=90.0).contains(&lat) {
        return bad("lat", "must be within [-90, 90]");
    }
    if !lon.is_finite() {
        return bad("lon", "must be a finite number");
    }
    if !(-180.0..=180.0).contains(&lon) {
        return bad("lon", "must be within [-180, 180]");
    }
    if !radius_m.is_finite() {
        return bad("radius_m", "must be a finite number");
    }
    if radius_m <= 0.0 || radius_m > MAX_RADIUS_M {
        return bad("radius_m", "must be > 0 and <= 200000");
    }
    Ok(())
}

fn in_range(lat: f64, lon: f64) -> bool {
    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)
}

/// Great-circle distance in metres on a sphere of radius `EARTH_RADIUS_M`.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    // Rounding can push `a` just past 1 near antipodes; asin would give NaN.
    2.0 * EARTH_RADIUS_M * a.clamp(0.0, 1.0).sqrt().asin()
}

fn world() -> AABB<[f64; 2]> {
    AABB::from_corners([-180.0, -90.0], [180.0, 90.0])
}

/// Widens an angle a little so haversine rounding can't land a contained point
/// just outside the box.
fn widen(deg: f64) -> f64 {
    deg * (1.0 + 1e-9) + 1e-9
}

fn circle_bbox(lat: f64, lon: f64, radius_m: f64) -> AABB<[f64; 2]> {
    if !in_range(lat, lon) || !radius_m.is_finite() || radius_m < 0.0 {
        return world();
    }
    let delta = radius_m / EARTH_RADIUS_M; // angular radius, radians
    let dlat = widen(delta.to_degrees());
    let (lat_lo, lat_hi) = ((lat - dlat).max(-90.0), (lat + dlat).min(90.0));
    let all_lon = AABB::from_corners([-180.0, lat_lo], [180.0, lat_hi]);
    if lat_lo <= -90.0 || lat_hi >= 90.0 {
        return all_lon; // the circle reaches a pole, so every longitude
    }
    // Widest longitude of a spherical cap not containing a pole:
    // sin(dlon) = sin(delta) / cos(lat). cos(lat) > 0 here since |lat| < 90.
    let s = delta.sin() / lat.to_radians().cos();
    if s >= 1.0 {
        return all_lon;
    }
    let dlon = widen(s.asin().to_degrees());
    if lon - dlon < -180.0 || lon + dlon > 180.0 {
        return all_lon; // wraps the antimeridian: one box can't split, so take all
    }
    AABB::from_corners([lon - dlon, lat_lo], [lon + dlon, lat_hi])
}

fn polygon_bbox(mp: &MultiPolygon<f64>) -> AABB<[f64; 2]> {
    // Holes lie inside their exterior, so exteriors bound everything.
    let mut it = mp.0.iter().flat_map(|p| p.exterior().0.iter());
    let Some(first) = it.next() else {
        return world(); // empty: contains() is always false, any box is right
    };
    let (mut lo, mut hi) = ([first.x, first.y], [first.x, first.y]);
    let mut finite = first.x.is_finite() && first.y.is_finite();
    for c in it {
        finite &= c.x.is_finite() && c.y.is_finite();
        lo = [lo[0].min(c.x), lo[1].min(c.y)];
        hi = [hi[0].max(c.x), hi[1].max(c.y)];
    }
    if finite {
        AABB::from_corners(lo, hi)
    } else {
        world() // invalid area: stay finite for rstar (it panics on NaN)
    }
}

#[cfg(test)]
mod tests;
