//! Named zones (neighbourhoods, ZIP codes, districts) with aliases: found by name in a report's
//! text, or by the point they contain; usable as a volunteer's home area. Names match
//! case- and accent-insensitively as whole words; in Korean or Chinese text, where words are
//! not separated by spaces, a name matches wherever it stands. The smallest zone wins.

use ::geo::{Area as _, BoundingRect, Contains, InteriorPoint, MultiPolygon, Point};

use super::{Area, AreaError};
use crate::domain::fold::fold;

#[derive(Debug, Clone)]
pub struct Zone {
    pub name: String,
    pub aliases: Vec<String>,
    pub shape: MultiPolygon<f64>,
    /// A point inside the zone, where an incident placed only by the zone's name sits.
    pub lat: f64,
    pub lon: f64,
    /// Size in square degrees: only compared between zones, to prefer the most specific.
    size: f64,
    /// Folded name and aliases, for matching.
    keys: Vec<String>,
}

impl Zone {
    /// A zone from its name, aliases and a validated polygon area.
    pub fn new(name: &str, aliases: &[String], area: Area) -> Result<Zone, AreaError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AreaError {
                field: "name".into(),
                reason: "must be 1 to 100 characters".into(),
            });
        }
        let Area::Polygon(shape) = area else {
            return Err(AreaError {
                field: "geometry".into(),
                reason: "a zone must be a Polygon or MultiPolygon".into(),
            });
        };
        let point = shape
            .interior_point()
            .or_else(|| shape.bounding_rect().map(|r| r.center().into()));
        let Some(point) = point else {
            return Err(AreaError {
                field: "geometry".into(),
                reason: "is empty".into(),
            });
        };
        let mut keys: Vec<String> = std::iter::once(name)
            .chain(aliases.iter().map(String::as_str))
            .map(|k| fold(k.trim()))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        Ok(Zone {
            name: name.to_string(),
            aliases: aliases
                .iter()
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
            size: shape.unsigned_area(),
            lat: point.y(),
            lon: point.x(),
            shape,
            keys,
        })
    }

    /// The zone as a home area.
    pub fn area(&self) -> Area {
        Area::Polygon(self.shape.clone())
    }

    /// How far the zone reaches from its point, in metres (to its bounding box's farthest
    /// corner): the uncertainty of a place given only as this zone.
    pub fn radius_m(&self) -> f64 {
        let Some(r) = self.shape.bounding_rect() else {
            return 0.0;
        };
        [
            r.min(),
            r.max(),
            (r.min().x, r.max().y).into(),
            (r.max().x, r.min().y).into(),
        ]
        .iter()
        .map(|c: &::geo::Coord| super::area::haversine_m(self.lat, self.lon, c.y, c.x))
        .fold(0.0, f64::max)
        .ceil()
    }

    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        self.shape.contains(&Point::new(lon, lat))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Zones {
    list: Vec<Zone>,
}

impl Zones {
    pub fn new(mut list: Vec<Zone>) -> Zones {
        // Smallest first: the first match is the most specific.
        list.sort_by(|a, b| a.size.total_cmp(&b.size));
        Zones { list }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Zone> {
        self.list.iter()
    }

    /// The zone with this name or alias (folded), if any.
    pub fn get(&self, name: &str) -> Option<&Zone> {
        let key = fold(name.trim());
        self.list.iter().find(|z| z.keys.contains(&key))
    }

    /// The most specific zone named in the text.
    pub fn find_in_text(&self, text: &str) -> Option<&Zone> {
        let folded = fold(text);
        self.list
            .iter()
            .find(|z| z.keys.iter().any(|k| names(&folded, k)))
    }

    /// The most specific zone containing the point.
    pub fn containing(&self, lat: f64, lon: f64) -> Option<&Zone> {
        self.list.iter().find(|z| z.contains(lat, lon))
    }

    /// The zones named and every zone touching one of them (within `NEIGHBOUR_GAP_M`): where an
    /// alert or an invitation widens to. Empty when none of the names is a zone.
    pub fn around(&self, names: &[&str]) -> Vec<&Zone> {
        let own: Vec<Area> = names.iter().filter_map(|n| self.get(n)).map(Zone::area).collect();
        self.list
            .iter()
            .filter(|z| {
                let area = z.area();
                own.iter()
                    .any(|o| super::reach::areas_meet(&area, o, NEIGHBOUR_GAP_M))
            })
            .collect()
    }
}

/// Zones this close count as neighbours: borders drawn by hand leave slivers and gaps.
pub const NEIGHBOUR_GAP_M: f64 = 100.0;

/// Whether folded `text` names folded `key` as a whole word.
fn names(text: &str, key: &str) -> bool {
    text.match_indices(key).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + key.len()..].chars().next();
        !joins(before) && !joins(after)
    })
}

/// A neighbouring character that would make the match part of a longer word. Hangul and Han
/// are written without spaces, so they never join: "코리아타운에" names "코리아타운".
fn joins(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || (c.is_alphabetic() && (c as u32) < 0x0250))
}

/// Reads a GeoJSON FeatureCollection of zones: each feature has `properties.name`, optional
/// `properties.aliases` (a list of strings) and a Polygon or MultiPolygon geometry. The first
/// bad feature refuses the whole collection, naming its index and the reason.
pub fn parse_collection(v: &serde_json::Value) -> Result<Vec<Zone>, String> {
    if v.get("type").and_then(|t| t.as_str()) != Some("FeatureCollection") {
        return Err("the file must be a GeoJSON FeatureCollection".into());
    }
    let features = v
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or("features: must be a list")?;
    let mut zones: Vec<Zone> = Vec::with_capacity(features.len());
    for (i, feature) in features.iter().enumerate() {
        let bad = |why: String| format!("feature {i}: {why}");
        let props = feature.get("properties");
        let name = props.and_then(|p| p.get("name")).and_then(|n| n.as_str());
        let name = name.ok_or_else(|| bad("properties.name: required (a string)".into()))?;
        let aliases = match props.and_then(|p| p.get("aliases")) {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(serde_json::Value::Array(list)) => list
                .iter()
                .map(|a| a.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| bad("properties.aliases: must be a list of strings".into()))?,
            Some(_) => return Err(bad("properties.aliases: must be a list of strings".into())),
        };
        let geometry = feature
            .get("geometry")
            .ok_or_else(|| bad("geometry: required".into()))?;
        let area = Area::from_json(geometry).map_err(|e| bad(e.to_string()))?;
        let zone = Zone::new(name, &aliases, area).map_err(|e| bad(e.to_string()))?;
        if zones.iter().any(|z| z.name == zone.name) {
            return Err(bad(format!("name {:?} appears twice", zone.name)));
        }
        zones.push(zone);
    }
    Ok(zones)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(name: &str, aliases: &[&str], lon: f64, lat: f64, half: f64) -> Zone {
        let ring = json!([
            [lon - half, lat - half],
            [lon + half, lat - half],
            [lon + half, lat + half],
            [lon - half, lat + half],
            [lon - half, lat - half]
        ]);
        let area = Area::from_json(&json!({"type": "Polygon", "coordinates": [ring]})).unwrap();
        let aliases: Vec<String> = aliases.iter().map(|a| a.to_string()).collect();
        Zone::new(name, &aliases, area).unwrap()
    }

    fn la() -> Zones {
        Zones::new(vec![
            square("Los Angeles", &["LA"], -118.3, 34.05, 0.3),
            square(
                "Koreatown",
                &["K-town", "코리아타운", "韩国城"],
                -118.30,
                34.06,
                0.01,
            ),
            square("90004", &[], -118.31, 34.07, 0.02),
            square("Boyle Heights", &["Boyle"], -118.21, 34.03, 0.02),
        ])
    }

    #[test]
    fn names_and_aliases_are_found_as_whole_words_in_any_case_or_accent() {
        let zones = la();
        let find = |t: &str| zones.find_in_text(t).map(|z| z.name.clone());
        assert_eq!(
            find("la migra en la 3rd y Vermont, KOREATOWN"),
            Some("Koreatown".into())
        );
        assert_eq!(find("ICE en k-town ahorita"), Some("Koreatown".into()));
        assert_eq!(find("redada en Boyle Héights"), Some("Boyle Heights".into()));
        assert_eq!(
            find("코리아타운에 ICE 단속"),
            Some("Koreatown".into()),
            "Korean particles attach"
        );
        assert_eq!(find("韩国城有移民突击搜查"), Some("Koreatown".into()));
        assert_eq!(find("raid near 90004 now"), Some("90004".into()));
        assert_eq!(find("call 900045 now"), None, "not part of a longer number");
        assert_eq!(find("Koreatowns"), None);
        assert_eq!(find("nothing here"), None);
    }

    #[test]
    fn the_smallest_zone_wins() {
        let zones = la();
        assert_eq!(zones.find_in_text("LA, Koreatown").unwrap().name, "Koreatown");
        assert_eq!(zones.find_in_text("somewhere in LA").unwrap().name, "Los Angeles");
        assert_eq!(zones.containing(34.06, -118.30).unwrap().name, "Koreatown");
        assert_eq!(zones.containing(34.2, -118.5).unwrap().name, "Los Angeles");
        assert!(zones.containing(40.0, -74.0).is_none());
    }

    #[test]
    fn a_zone_sits_at_a_point_inside_it_and_is_found_by_alias() {
        let zones = la();
        let k = zones.get("k-town").unwrap();
        assert!(k.contains(k.lat, k.lon));
        assert_eq!(zones.get("KOREATOWN").unwrap().name, "Koreatown");
        assert!(zones.get("Narnia").is_none());
    }

    #[test]
    fn a_collection_is_read_whole_or_refused_naming_the_feature() {
        let ring = json!([[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]]);
        let good = json!({"type": "Feature", "properties": {"name": "A", "aliases": ["a1"]},
                          "geometry": {"type": "Polygon", "coordinates": ring}});
        let open = json!({"type": "Feature", "properties": {"name": "B"},
                          "geometry": {"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]]}});
        let zones =
            parse_collection(&json!({"type": "FeatureCollection", "features": [good.clone()]})).unwrap();
        assert_eq!(
            (zones[0].name.as_str(), zones[0].aliases.clone()),
            ("A", vec!["a1".to_string()])
        );
        let err = parse_collection(&json!({"type": "FeatureCollection", "features": [good.clone(), open]}))
            .unwrap_err();
        assert!(err.starts_with("feature 1: area.coordinates[0]"), "{err}");
        let nameless = json!({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": ring}});
        let err =
            parse_collection(&json!({"type": "FeatureCollection", "features": [nameless]})).unwrap_err();
        assert!(err.contains("feature 0: properties.name"), "{err}");
        let err = parse_collection(&json!({"type": "FeatureCollection", "features": [good.clone(), good]}))
            .unwrap_err();
        assert!(err.contains("appears twice"), "{err}");
        assert!(parse_collection(&json!({"type": "Feature"})).is_err());
    }

    #[test]
    fn a_zone_needs_a_name_and_a_polygon() {
        let circle = Area::Circle {
            lat: 34.0,
            lon: -118.0,
            radius_m: 100.0,
        };
        assert_eq!(Zone::new("X", &[], circle).unwrap_err().field, "geometry");
        let area = square("Y", &[], 0.0, 0.0, 1.0).area();
        assert_eq!(Zone::new("  ", &[], area).unwrap_err().field, "name");
    }
}
