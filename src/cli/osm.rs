//! Reading an OpenStreetMap extract (`.osm.pbf`) into places: named streets with their ways,
//! address points (nodes, and buildings' centres), named places (shops, amenities, stations
//! ...), and optionally neighbourhood boundaries as zones. Two passes over the file: the
//! first keeps the ways and relations wanted, the second the coordinates of their nodes.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::Context;
use osmpbf::{Element, ElementReader, RelMemberType};
use serde_json::json;

use crate::geo::places::{Address, Node, Place, PlaceData, Street};

/// Tags that make a named node or area a place people name: `Zion Market`, `Pääposti`.
const PLACE_KEYS: [&str; 10] = [
    "shop",
    "amenity",
    "tourism",
    "leisure",
    "office",
    "craft",
    "healthcare",
    "historic",
    "railway",
    "public_transport",
];
/// Of `railway` and `public_transport`, only stations and stops are places (not the lines).
const STOPS: [&str; 6] = [
    "station",
    "halt",
    "tram_stop",
    "stop_position",
    "platform",
    "stop_area",
];

/// A neighbourhood boundary: its name and outer rings as GeoJSON MultiPolygon coordinates.
pub struct Boundary {
    pub name: String,
    pub geometry: serde_json::Value,
}

#[derive(Default)]
struct Pass {
    data: PlaceData,
    /// Named highways: (name, node ids).
    streets: Vec<(String, Vec<i64>)>,
    /// Buildings with addresses, named areas: (street or name, number, node ids).
    addressed: Vec<(String, String, Vec<i64>)>,
    named: Vec<(String, Vec<i64>)>,
    /// Every way's nodes, when boundaries are wanted (relations come after ways).
    ways: HashMap<i64, Vec<i64>>,
    /// Boundaries: name and their outer ways (ids), or a closed way's nodes.
    relations: Vec<(String, Vec<i64>)>,
    closed: Vec<(String, Vec<i64>)>,
}

fn tag<'a>(tags: &[(&'a str, &'a str)], key: &str) -> Option<&'a str> {
    tags.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .filter(|v| !v.trim().is_empty())
}

fn is_place(tags: &[(&str, &str)]) -> bool {
    PLACE_KEYS.iter().any(|k| match tag(tags, k) {
        Some(v) if *k == "railway" || *k == "public_transport" => STOPS.contains(&v),
        Some(_) => true,
        None => false,
    })
}

fn is_neighbourhood(tags: &[(&str, &str)]) -> bool {
    matches!(tag(tags, "place"), Some("neighbourhood" | "suburb" | "quarter"))
        || (tag(tags, "boundary") == Some("administrative")
            && tag(tags, "admin_level")
                .and_then(|l| l.parse::<u8>().ok())
                .is_some_and(|l| l >= 9))
}

fn node_features(pass: &mut Pass, tags: &[(&str, &str)], lat: f64, lon: f64) {
    if let (Some(number), Some(street)) = (tag(tags, "addr:housenumber"), tag(tags, "addr:street")) {
        pass.data.addresses.push(Address {
            street: street.into(),
            number: number.into(),
            lat,
            lon,
        });
    }
    if let Some(name) = tag(tags, "name").filter(|_| is_place(tags)) {
        pass.data.places.push(Place {
            name: name.into(),
            lat,
            lon,
        });
    }
}

fn way_features(pass: &mut Pass, id: i64, tags: &[(&str, &str)], refs: Vec<i64>, zones: bool) {
    let name = tag(tags, "name");
    let closed = refs.len() >= 4 && refs.first() == refs.last();
    if let (Some(name), Some(_)) = (name, tag(tags, "highway")) {
        pass.streets.push((name.into(), refs.clone()));
    } else if let (Some(number), Some(street)) = (tag(tags, "addr:housenumber"), tag(tags, "addr:street")) {
        pass.addressed.push((street.into(), number.into(), refs.clone()));
    }
    if let Some(name) = name.filter(|_| is_place(tags) && tag(tags, "highway").is_none()) {
        pass.named.push((name.into(), refs.clone()));
    }
    if zones {
        if let Some(name) = name.filter(|_| closed && is_neighbourhood(tags)) {
            pass.closed.push((name.into(), refs.clone()));
        }
        pass.ways.insert(id, refs);
    }
}

/// Reads the extract. `zones`: also the neighbourhood boundaries.
pub fn read(path: &Path, zones: bool) -> anyhow::Result<(PlaceData, Vec<Boundary>)> {
    let open = || ElementReader::from_path(path).with_context(|| format!("opening {}", path.display()));
    let mut pass = Pass::default();
    open()?
        .for_each(|element| match element {
            Element::Node(n) => {
                let tags: Vec<_> = n.tags().collect();
                node_features(&mut pass, &tags, n.lat(), n.lon());
            }
            Element::DenseNode(n) => {
                let tags: Vec<_> = n.tags().collect();
                if !tags.is_empty() {
                    node_features(&mut pass, &tags, n.lat(), n.lon());
                }
            }
            Element::Way(w) => {
                let tags: Vec<_> = w.tags().collect();
                way_features(&mut pass, w.id(), &tags, w.refs().collect(), zones);
            }
            Element::Relation(r) => {
                let tags: Vec<_> = r.tags().collect();
                if let Some(name) = tag(&tags, "name").filter(|_| zones && is_neighbourhood(&tags)) {
                    let outer = r
                        .members()
                        .filter(|m| m.member_type == RelMemberType::Way)
                        .filter(|m| matches!(m.role(), Ok("outer" | "")))
                        .map(|m| m.member_id)
                        .collect();
                    pass.relations.push((name.into(), outer));
                }
            }
        })
        .with_context(|| format!("reading {}", path.display()))?;

    let rings: Vec<(String, Vec<Vec<i64>>)> = pass
        .relations
        .iter()
        .map(|(name, ids)| {
            let parts: Vec<&Vec<i64>> = ids.iter().filter_map(|id| pass.ways.get(id)).collect();
            (name.clone(), join_rings(&parts))
        })
        .chain(
            pass.closed
                .iter()
                .map(|(name, refs)| (name.clone(), vec![refs.clone()])),
        )
        .collect();
    let wanted: HashSet<i64> = pass
        .streets
        .iter()
        .map(|s| &s.1)
        .chain(pass.addressed.iter().map(|a| &a.2))
        .chain(pass.named.iter().map(|n| &n.1))
        .flatten()
        .chain(rings.iter().flat_map(|r| r.1.iter().flatten()))
        .copied()
        .collect();
    let mut at: HashMap<i64, (f64, f64)> = HashMap::with_capacity(wanted.len());
    open()?
        .for_each(|element| {
            let (id, lat, lon) = match element {
                Element::Node(n) => (n.id(), n.lat(), n.lon()),
                Element::DenseNode(n) => (n.id(), n.lat(), n.lon()),
                _ => return,
            };
            if wanted.contains(&id) {
                at.insert(id, (lat, lon));
            }
        })
        .with_context(|| format!("reading {}", path.display()))?;

    let nodes = |refs: &[i64]| -> Vec<Node> {
        refs.iter()
            .filter_map(|id| at.get(id).map(|&(lat, lon)| Node { id: *id, lat, lon }))
            .collect()
    };
    let mut streets: HashMap<String, Vec<Vec<Node>>> = HashMap::new();
    for (name, refs) in &pass.streets {
        let way = nodes(refs);
        if way.len() >= 2 {
            streets.entry(name.clone()).or_default().push(way);
        }
    }
    let mut data = pass.data;
    data.streets = streets
        .into_iter()
        .map(|(name, ways)| Street { name, ways })
        .collect();
    data.streets.sort_by(|a, b| a.name.cmp(&b.name));
    for (street, number, refs) in &pass.addressed {
        if let Some((lat, lon)) = centre(&nodes(refs)) {
            data.addresses.push(Address {
                street: street.clone(),
                number: number.clone(),
                lat,
                lon,
            });
        }
    }
    for (name, refs) in &pass.named {
        if let Some((lat, lon)) = centre(&nodes(refs)) {
            data.places.push(Place {
                name: name.clone(),
                lat,
                lon,
            });
        }
    }
    let boundaries = rings
        .into_iter()
        .filter_map(|(name, rings)| {
            let polygons: Vec<_> = rings
                .iter()
                .map(|r| nodes(r))
                .filter(|r| r.len() >= 4 && r.first() == r.last())
                .map(|r| json!([r.iter().map(|n| [n.lon, n.lat]).collect::<Vec<_>>()]))
                .collect();
            (!polygons.is_empty()).then(|| Boundary {
                name,
                geometry: json!({"type": "MultiPolygon", "coordinates": polygons}),
            })
        })
        .collect();
    Ok((data, boundaries))
}

/// The mean of a way's distinct nodes (a closed way repeats its first).
fn centre(nodes: &[Node]) -> Option<(f64, f64)> {
    let distinct: Vec<&Node> = match nodes {
        [first, rest @ ..] if rest.last() == Some(first) => nodes[..nodes.len() - 1].iter().collect(),
        _ => nodes.iter().collect(),
    };
    let n = distinct.len() as f64;
    (n > 0.0).then(|| {
        let (lat, lon) = distinct
            .iter()
            .fold((0.0, 0.0), |(a, b), p| (a + p.lat, b + p.lon));
        (lat / n, lon / n)
    })
}

/// Joins ways end to end into closed rings; pieces that close no ring are dropped.
pub fn join_rings(parts: &[&Vec<i64>]) -> Vec<Vec<i64>> {
    let mut left: Vec<Vec<i64>> = parts
        .iter()
        .filter(|p| p.len() >= 2)
        .map(|p| p.to_vec())
        .collect();
    let mut rings = Vec::new();
    while let Some(mut ring) = left.pop() {
        while ring.first() != ring.last() {
            let Some(end) = ring.last().copied() else { break };
            let next = left
                .iter()
                .position(|p| p.first() == Some(&end) || p.last() == Some(&end));
            let Some(i) = next else { break };
            let mut piece = left.swap_remove(i);
            if piece.first() != Some(&end) {
                piece.reverse();
            }
            ring.extend_from_slice(&piece[1..]);
        }
        if ring.len() >= 4 && ring.first() == ring.last() {
            rings.push(ring);
        }
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::{join_rings, read};
    use crate::domain::LocatedBy;
    use crate::geo::places::Places;

    #[test]
    fn an_extract_gives_streets_addresses_places_and_boundaries() {
        // Made by tests/data/make_tiny_pbf.py.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.osm.pbf");
        let (data, boundaries) = read(&path, true).unwrap();
        let names: Vec<&str> = data.streets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["South Vermont Avenue", "West 3rd Street"]);
        assert_eq!(data.addresses.len(), 2, "a node and a building");
        assert_eq!(data.places.len(), 1);
        let mut zones: Vec<&str> = boundaries.iter().map(|b| b.name.as_str()).collect();
        zones.sort();
        assert_eq!(
            zones,
            ["Koreatown", "Westlake"],
            "a relation of two ways and a closed way"
        );
        let places = Places::new(data);
        let building = places.locate("ICE at 3300 S Vermont Ave").unwrap();
        assert_eq!(building.by, LocatedBy::Address);
        assert_eq!(building.label, "3300 South Vermont Avenue");
        assert!((building.lat - 34.065).abs() < 1e-9 && (building.lon + 118.2912).abs() < 1e-9);
        let corner = places.locate("vermont & 3rd").unwrap();
        assert_eq!(corner.by, LocatedBy::Intersection);
        assert!((corner.lat - 34.069).abs() < 1e-9 && (corner.lon + 118.2915).abs() < 1e-9);
        let (_, without) = read(&path, false).unwrap();
        assert!(without.is_empty(), "boundaries only when asked for");
        assert!(read(std::path::Path::new("/nonexistent.osm.pbf"), false).is_err());
    }

    #[test]
    fn ways_join_into_rings_whichever_way_they_run() {
        let (a, b, c) = (vec![1, 2, 3], vec![5, 4, 3], vec![5, 6, 1]);
        let rings = join_rings(&[&a, &b, &c]);
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].len(), 7);
        assert_eq!(rings[0].first(), rings[0].last());
        assert!(
            join_rings(&[&vec![1, 2, 3]]).is_empty(),
            "an open piece is no ring"
        );
    }
}
