//! tocsin's own base map (issue 15 §3): what the imported places and zones draw inside a box,
//! as GeoJSON, so that a dispatcher's map needs no tile server (and no third party learns where
//! they look). Zones are outlines with their names; streets (from zoom 13) are lines with their
//! names; named places (from zoom 16) are points. Pure: the web layer serves it.

use ::geo::BoundingRect;
use serde_json::{json, Value};

use super::places::Places;
use super::zones::Zones;

/// Features served at most for one box: a city's streets at a low zoom are a picture nobody
/// reads, and a request must stay cheap.
pub const MAX_FEATURES: usize = 4000;

/// A box: south-west and north-east corners.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BBox {
    /// `west,south,east,north` in degrees (Leaflet's `toBBoxString`).
    pub fn parse(text: &str) -> Result<BBox, String> {
        let parts: Vec<f64> = text
            .split(',')
            .map(|p| {
                p.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("{p:?} is not a number"))
            })
            .collect::<Result<_, _>>()?;
        let [west, south, east, north] = parts[..] else {
            return Err("four numbers: west,south,east,north".into());
        };
        if ![west, south, east, north].iter().all(|v| v.is_finite()) {
            return Err("the numbers must be finite".into());
        }
        if !(-90.0..=90.0).contains(&south) || !(-90.0..=90.0).contains(&north) || south > north {
            return Err("latitudes between -90 and 90, south below north".into());
        }
        if !(-180.0..=180.0).contains(&west) || !(-180.0..=180.0).contains(&east) || west > east {
            return Err("longitudes between -180 and 180, west before east".into());
        }
        Ok(BBox {
            west,
            south,
            east,
            north,
        })
    }

    fn holds(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }

    fn meets(&self, other: &BBox) -> bool {
        self.west <= other.east
            && other.west <= self.east
            && self.south <= other.north
            && other.south <= self.north
    }

    /// The box's middle, and a zoom that shows it whole on a phone.
    pub fn view(&self) -> (f64, f64, u8) {
        let span = (self.north - self.south)
            .max((self.east - self.west) * 0.8)
            .max(1e-4);
        let zoom = (8.5 - span.log2()).clamp(2.0, 17.0) as u8;
        (
            (self.south + self.north) / 2.0,
            (self.west + self.east) / 2.0,
            zoom,
        )
    }

    fn grow(self, other: BBox) -> BBox {
        BBox {
            west: self.west.min(other.west),
            south: self.south.min(other.south),
            east: self.east.max(other.east),
            north: self.north.max(other.north),
        }
    }
}

fn of_points(points: impl Iterator<Item = (f64, f64)>) -> Option<BBox> {
    points.fold(None, |b: Option<BBox>, (lat, lon)| {
        let p = BBox {
            west: lon,
            south: lat,
            east: lon,
            north: lat,
        };
        Some(b.map_or(p, |b| b.grow(p)))
    })
}

/// What the map draws inside `bbox` at `zoom`: a GeoJSON FeatureCollection, with
/// `"truncated": true` when `MAX_FEATURES` cut it short.
pub fn features(places: &Places, zones: &Zones, bbox: &BBox, zoom: u8) -> Value {
    let mut out: Vec<Value> = Vec::new();
    for zone in zones.iter() {
        let Some(rect) = zone.shape.bounding_rect() else {
            continue;
        };
        let zb = BBox {
            west: rect.min().x,
            south: rect.min().y,
            east: rect.max().x,
            north: rect.max().y,
        };
        if !bbox.meets(&zb) {
            continue;
        }
        let rings: Vec<Vec<Vec<[f64; 2]>>> = zone
            .shape
            .0
            .iter()
            .map(|poly| {
                std::iter::once(poly.exterior())
                    .chain(poly.interiors())
                    .map(|ring| ring.coords().map(|c| [c.x, c.y]).collect())
                    .collect()
            })
            .collect();
        out.push(
            json!({"type": "Feature", "properties": {"kind": "zone", "name": zone.name},
            "geometry": {"type": "MultiPolygon", "coordinates": rings}}),
        );
    }
    let mut truncated = false;
    if zoom >= 13 {
        'streets: for street in places.streets() {
            for way in &street.ways {
                if !way.iter().any(|n| bbox.holds(n.lat, n.lon)) {
                    continue;
                }
                if out.len() >= MAX_FEATURES {
                    truncated = true;
                    break 'streets;
                }
                let line: Vec<[f64; 2]> = way.iter().map(|n| [n.lon, n.lat]).collect();
                out.push(
                    json!({"type": "Feature", "properties": {"kind": "street", "name": street.name},
                    "geometry": {"type": "LineString", "coordinates": line}}),
                );
            }
        }
    }
    if zoom >= 16 && !truncated {
        for place in places.named().iter().filter(|p| bbox.holds(p.lat, p.lon)) {
            if out.len() >= MAX_FEATURES {
                truncated = true;
                break;
            }
            out.push(
                json!({"type": "Feature", "properties": {"kind": "place", "name": place.name},
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]}}),
            );
        }
    }
    json!({"type": "FeatureCollection", "features": out, "truncated": truncated})
}

/// Where a map with nothing else to show opens: the zones' box, else the streets', else the
/// box of the volunteers' home areas (`people`, asked only then: `[W, S, E, N]`).
///
/// Volunteers are a fallback, not part of a union: zones and places are what a network chose
/// to map as its ground, while one volunteer far out (or a mistyped circle) would zoom every
/// dispatcher's map out to half a continent. A network that has imported nothing yet still
/// opens where its people are rather than on nothing.
pub fn home(places: &Places, zones: &Zones, people: impl FnOnce() -> Option<[f64; 4]>) -> Option<BBox> {
    let zone_points = zones
        .iter()
        .flat_map(|z| z.shape.bounding_rect())
        .flat_map(|r| [(r.min().y, r.min().x), (r.max().y, r.max().x)]);
    of_points(zone_points)
        .or_else(|| {
            of_points(
                places
                    .streets()
                    .flat_map(|s| s.ways.iter().flatten())
                    .map(|n| (n.lat, n.lon)),
            )
        })
        .or_else(|| {
            let [west, south, east, north] = people()?;
            // Clamped: a circle's box may run to the poles or round the world.
            let (south, north) = (south.clamp(-85.0, 85.0), north.clamp(-85.0, 85.0));
            Some(BBox {
                west: west.clamp(-180.0, 180.0),
                south: south.min(north),
                east: east.clamp(-180.0, 180.0),
                north,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::places::{Node, Place, PlaceData, Street};
    use crate::geo::zones::Zone;
    use crate::geo::Area;

    fn sample() -> (Places, Zones) {
        let node = |id, lat, lon| Node { id, lat, lon };
        let places = Places::new(PlaceData {
            streets: vec![
                Street {
                    name: "South Vermont Avenue".into(),
                    ways: vec![vec![node(1, 34.06, -118.29), node(2, 34.07, -118.29)]],
                },
                Street {
                    name: "Far Road".into(),
                    ways: vec![vec![node(3, 35.0, -119.0), node(4, 35.1, -119.0)]],
                },
            ],
            addresses: vec![],
            places: vec![Place {
                name: "Car wash".into(),
                lat: 34.065,
                lon: -118.291,
            }],
        });
        let square = serde_json::json!({"type": "Polygon", "coordinates": [[[-118.31, 34.05], [-118.28, 34.05], [-118.28, 34.08], [-118.31, 34.08], [-118.31, 34.05]]]});
        let area = Area::from_json(&square).expect("an area");
        let zones = Zones::new(vec![Zone::new("Koreatown", &[], area).expect("a zone")]);
        (places, zones)
    }

    fn kinds(v: &Value) -> Vec<String> {
        v["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{}:{}",
                    f["properties"]["kind"].as_str().unwrap(),
                    f["properties"]["name"].as_str().unwrap()
                )
            })
            .collect()
    }

    #[test]
    fn a_box_gets_what_is_in_it_at_its_zoom() {
        let (places, zones) = sample();
        let bbox = BBox::parse("-118.30,34.055,-118.28,34.075").unwrap();
        assert_eq!(kinds(&features(&places, &zones, &bbox, 11)), ["zone:Koreatown"]);
        assert_eq!(
            kinds(&features(&places, &zones, &bbox, 14)),
            ["zone:Koreatown", "street:South Vermont Avenue"]
        );
        assert_eq!(
            kinds(&features(&places, &zones, &bbox, 17)),
            ["zone:Koreatown", "street:South Vermont Avenue", "place:Car wash"]
        );
        let elsewhere = BBox::parse("-100,10,-99,11").unwrap();
        assert!(kinds(&features(&places, &zones, &elsewhere, 17)).is_empty());
    }

    #[test]
    fn a_map_opens_on_the_zones() {
        let (places, zones) = sample();
        let asked = std::cell::Cell::new(false);
        let people = || {
            asked.set(true);
            Some([-100.0, 10.0, -99.0, 11.0])
        };
        let (lat, lon, zoom) = home(&places, &zones, people).unwrap().view();
        assert!(
            (lat - 34.065).abs() < 1e-9 && (lon + 118.295).abs() < 1e-9,
            "{lat},{lon}"
        );
        assert!((12..=15).contains(&zoom), "{zoom}");
        assert!(!asked.get(), "volunteers are not looked at when zones say it");
        let (lat, _, _) = home(&places, &Zones::new(vec![]), people).unwrap().view();
        assert!((lat - 34.58).abs() < 1e-9, "then the streets: {lat}");
        assert!(home(&Places::default(), &Zones::new(vec![]), || None).is_none());
    }

    #[test]
    fn with_nothing_mapped_a_map_opens_where_the_volunteers_are() {
        let empty = (Places::default(), Zones::new(vec![]));
        let people = || Some([-118.31, 34.05, -118.28, 34.08]);
        let (lat, lon, zoom) = home(&empty.0, &empty.1, people).unwrap().view();
        assert!(
            (lat - 34.065).abs() < 1e-9 && (lon + 118.295).abs() < 1e-9,
            "{lat},{lon}"
        );
        assert!((12..=15).contains(&zoom), "{zoom}");
        // A circle round a pole: a box still, of the whole world at the widest.
        let (lat, _, zoom) = home(&empty.0, &empty.1, || Some([-180.0, 80.0, 180.0, 90.0]))
            .unwrap()
            .view();
        assert!(lat.is_finite() && lat <= 85.0 && zoom >= 2, "{lat} {zoom}");
    }

    #[test]
    fn a_bad_box_is_refused_with_a_reason() {
        for (text, says) in [
            ("1,2,3", "four numbers"),
            ("a,b,c,d", "not a number"),
            ("0,50,1,40", "south below north"),
            ("10,0,5,1", "west before east"),
            ("0,0,200,1", "longitudes"),
            ("NaN,0,1,1", "finite"),
        ] {
            let e = BBox::parse(text).expect_err(text);
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
