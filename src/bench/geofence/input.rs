//! Reading the benchmark's input files (the format of `bench/postgis/gen_data.py`):
//! areas as GeoJSON lines, one `Feature` per line (a circle is a `Point` with
//! `properties.radius_m`, else a `Polygon` or `MultiPolygon`), and query points as
//! `id,lon,lat` CSV lines under a header.
//!
//! Areas are built directly, without `Area::from_json`'s self-intersection check (this is
//! trusted benchmark data, and that check would dominate the load time); everything cheap is
//! still checked: structure, finite in-range coordinates, radius, closed rings of >= 4
//! positions. A bad line is refused with its line number; nothing here panics on file input.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{anyhow, bail, Context};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::geo::area::check_coord;
use crate::geo::Area;

/// A query point, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueryPoint {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Deserialize)]
struct Feature {
    id: i64,
    #[serde(default)]
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize, Default)]
struct Properties {
    radius_m: Option<f64>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Nested,
}

/// GeoJSON `coordinates`: numbers nested in arrays to any depth.
enum Nested {
    Num(f64),
    List(Vec<Nested>),
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Nested;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or an array")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Nested, E> {
                Ok(Nested::Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Nested, E> {
                Ok(Nested::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Nested, E> {
                Ok(Nested::Num(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Nested::List(items))
            }
        }
        d.deserialize_any(V)
    }
}

impl Nested {
    fn list(&self, what: &str) -> anyhow::Result<&[Nested]> {
        match self {
            Nested::List(items) => Ok(items),
            Nested::Num(_) => bail!("{what} must be an array"),
        }
    }

    /// A `[lon, lat]` position (a third number, altitude, is ignored), range-checked.
    fn position(&self) -> anyhow::Result<Coord<f64>> {
        match self.list("a position")? {
            [Nested::Num(lon), Nested::Num(lat), ..] => {
                check_coord(*lat, *lon).map_err(|why| anyhow!("{why}"))?;
                Ok(Coord { x: *lon, y: *lat })
            }
            _ => bail!("a position must be [lon, lat]"),
        }
    }

    fn ring(&self) -> anyhow::Result<LineString<f64>> {
        let coords = self
            .list("a ring")?
            .iter()
            .map(Nested::position)
            .collect::<anyhow::Result<Vec<_>>>()?;
        if coords.len() < 4 || coords.first() != coords.last() {
            bail!("a ring must be closed and have at least 4 positions");
        }
        Ok(LineString(coords))
    }

    fn polygon(&self) -> anyhow::Result<Polygon<f64>> {
        let mut rings = self.list("a polygon")?.iter().map(Nested::ring);
        let exterior = rings
            .next()
            .ok_or_else(|| anyhow!("a polygon needs an exterior ring"))??;
        Ok(Polygon::new(exterior, rings.collect::<anyhow::Result<_>>()?))
    }
}

fn feature_area(f: Feature) -> anyhow::Result<(i64, Area)> {
    let g = &f.geometry.coordinates;
    let area = match f.geometry.kind.as_str() {
        "Point" => {
            let centre = g.position()?;
            let radius_m = f
                .properties
                .radius_m
                .ok_or_else(|| anyhow!("a circle (Point) needs properties.radius_m"))?;
            let circle = Area::Circle {
                lat: centre.y,
                lon: centre.x,
                radius_m,
            };
            circle.validate().map_err(|e| anyhow!("{e}"))?;
            circle
        }
        "Polygon" => Area::Polygon(MultiPolygon(vec![g.polygon()?])),
        "MultiPolygon" => Area::Polygon(MultiPolygon(
            g.list("MultiPolygon coordinates")?
                .iter()
                .map(Nested::polygon)
                .collect::<anyhow::Result<_>>()?,
        )),
        other => bail!("geometry type {other:?} is not a Point, Polygon or MultiPolygon"),
    };
    Ok((f.id, area))
}

/// Calls `each` for every non-blank line with its 1-based number; errors name the file and line.
fn for_lines(path: &Path, mut each: impl FnMut(usize, &str) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let file = File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = String::new();
    let mut number = 0;
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .with_context(|| format!("{}:{}", path.display(), number + 1))?;
        if n == 0 {
            return Ok(());
        }
        number += 1;
        let text = line.trim_end_matches(['\n', '\r']);
        if !text.trim().is_empty() {
            each(number, text).with_context(|| format!("{}:{number}", path.display()))?;
        }
    }
}

/// Calls `each(id, area)` for every area of a GeoJSON-lines file, in file order.
pub fn for_each_area(path: &Path, mut each: impl FnMut(i64, Area)) -> anyhow::Result<()> {
    for_lines(path, |_, text| {
        let feature: Feature = serde_json::from_str(text).context("not a GeoJSON Feature with an id")?;
        let (id, area) = feature_area(feature)?;
        each(id, area);
        Ok(())
    })
}

/// Every area of a GeoJSON-lines file, in file order, with its feature id.
pub fn read_areas(path: &Path) -> anyhow::Result<Vec<(i64, Area)>> {
    let mut areas = Vec::new();
    for_each_area(path, |id, area| areas.push((id, area)))?;
    Ok(areas)
}

/// Every point of an `id,lon,lat` CSV file (the header line is required).
pub fn read_points(path: &Path) -> anyhow::Result<Vec<QueryPoint>> {
    let mut points = Vec::new();
    for_lines(path, |number, text| {
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        if number == 1 {
            if fields != ["id", "lon", "lat"] {
                bail!("the header must be id,lon,lat");
            }
            return Ok(());
        }
        let [_, lon, lat] = fields.as_slice() else {
            bail!("expected 3 fields: id,lon,lat");
        };
        let number = |name: &str, v: &str| {
            v.parse::<f64>()
                .map_err(|_| anyhow!("{name}: not a number: {v:?}"))
        };
        let (lon, lat) = (number("lon", lon)?, number("lat", lat)?);
        check_coord(lat, lon).map_err(|why| anyhow!("{why}"))?;
        points.push(QueryPoint { lat, lon });
        Ok(())
    })?;
    Ok(points)
}
