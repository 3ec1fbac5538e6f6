//! JSON -> `Area`. Structural checks live here; range and ring checks are shared
//! with `Area::validate` so both name the same problems.

use ::geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::{Map, Value};

use super::area::{check_circle, check_coord, too_many_vertices, Area, AreaError, MAX_VERTICES};
use super::ring;

type Obj = Map<String, Value>;

pub(crate) fn area_from_json(v: &Value) -> Result<Area, AreaError> {
    let obj = object(v, "area")?;
    match type_of(obj, "area")? {
        "circle" => circle(obj, "area"),
        ty @ ("Polygon" | "MultiPolygon") => geometry(obj, ty, "area"),
        "Feature" => {
            let g = obj.get("geometry").ok_or_else(|| missing("area.geometry"))?;
            let gobj = object(g, "area.geometry")?;
            match type_of(gobj, "area.geometry")? {
                ty @ ("Polygon" | "MultiPolygon") => geometry(gobj, ty, "area.geometry"),
                _ => Err(AreaError::new(
                    "area.geometry.type",
                    "must be Polygon or MultiPolygon",
                )),
            }
        }
        // The submitted type is not echoed: it is attacker text of any length.
        _ => Err(AreaError::new(
            "area.type",
            "must be circle, Polygon, MultiPolygon or Feature",
        )),
    }
}

fn missing(field: &str) -> AreaError {
    AreaError::new(field, "missing")
}

fn object<'a>(v: &'a Value, field: &str) -> Result<&'a Obj, AreaError> {
    v.as_object()
        .ok_or_else(|| AreaError::new(field, "must be a JSON object"))
}

fn array<'a>(v: &'a Value, field: &str) -> Result<&'a [Value], AreaError> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| AreaError::new(field, "must be an array"))
}

fn type_of<'a>(obj: &'a Obj, base: &str) -> Result<&'a str, AreaError> {
    let field = format!("{base}.type");
    obj.get("type")
        .ok_or_else(|| missing(&field))?
        .as_str()
        .ok_or_else(|| AreaError::new(field, "must be a string"))
}

fn number(obj: &Obj, key: &str, base: &str) -> Result<f64, AreaError> {
    let field = format!("{base}.{key}");
    let v = obj.get(key).ok_or_else(|| missing(&field))?;
    v.as_f64()
        .ok_or_else(|| AreaError::new(field, "must be a number"))
}

fn circle(obj: &Obj, base: &str) -> Result<Area, AreaError> {
    let lat = number(obj, "lat", base)?;
    let lon = number(obj, "lon", base)?;
    let radius_m = number(obj, "radius_m", base)?;
    check_circle(lat, lon, radius_m, base)?;
    Ok(Area::Circle { lat, lon, radius_m })
}

fn geometry(obj: &Obj, ty: &str, base: &str) -> Result<Area, AreaError> {
    let root = format!("{base}.coordinates");
    let coords = array(obj.get("coordinates").ok_or_else(|| missing(&root))?, &root)?;
    let mut budget = Budget {
        vertices: 0,
        pair_checks: ring::MAX_PAIR_CHECKS,
    };
    let mut polys = Vec::new();
    if ty == "Polygon" {
        polys.push(polygon(coords, &root, &root, &mut budget)?);
    } else {
        if coords.is_empty() {
            return Err(AreaError::new(root, "must have at least one polygon"));
        }
        for (m, pv) in coords.iter().enumerate() {
            let path = format!("{root}[{m}]");
            polys.push(polygon(array(pv, &path)?, &path, &root, &mut budget)?);
        }
    }
    Ok(Area::Polygon(MultiPolygon(polys)))
}

/// Limits shared by all rings of one geometry.
struct Budget {
    vertices: usize,
    pair_checks: u64,
}

/// `rings` is a polygon's ring list at JSON path `path`; vertex overflow is
/// reported at `root`, the geometry's coordinates.
fn polygon(rings: &[Value], path: &str, root: &str, budget: &mut Budget) -> Result<Polygon<f64>, AreaError> {
    let mut built = Vec::with_capacity(rings.len().min(64));
    for (r, rv) in rings.iter().enumerate() {
        let rpath = format!("{path}[{r}]");
        let positions = array(rv, &rpath)?;
        // Count before parsing so a huge ring costs nothing.
        budget.vertices = budget.vertices.saturating_add(positions.len());
        if budget.vertices > MAX_VERTICES {
            return Err(too_many_vertices(root));
        }
        let mut coords = Vec::with_capacity(positions.len());
        for (i, pv) in positions.iter().enumerate() {
            coords.push(position(pv).map_err(|why| AreaError::new(format!("{rpath}[{i}]"), why))?);
        }
        // Must run before Polygon::new, which would silently close an open ring.
        ring::check_ring(&coords, &mut budget.pair_checks).map_err(|why| AreaError::new(rpath, why))?;
        built.push(LineString(coords));
    }
    let mut it = built.into_iter();
    let exterior = it
        .next()
        .ok_or_else(|| AreaError::new(path, "must have at least one ring"))?;
    Ok(Polygon::new(exterior, it.collect()))
}

/// A GeoJSON position `[lon, lat, ...]`; extra members (altitude) are ignored.
fn position(v: &Value) -> Result<Coord<f64>, &'static str> {
    let a = v.as_array().ok_or("position must be an array [lon, lat]")?;
    let [x, y, ..] = a.as_slice() else {
        return Err("position must have at least 2 numbers [lon, lat]");
    };
    let (Some(lon), Some(lat)) = (x.as_f64(), y.as_f64()) else {
        return Err("position must hold numbers");
    };
    check_coord(lat, lon)?;
    Ok(Coord { x: lon, y: lat })
}

#[cfg(test)]
mod tests;
