//! A place from any words a dispatcher types in one field: coordinates in any common form
//! (`coords`), a map link or geo: URI (`locate`), an address, intersection, named place or
//! street (`places`), or a zone's name. What a search box suggests starts with what a plain
//! submit places; as the person types, it adds the names their last word begins
//! (`suggest_place`), exact places first. Pure and offline; the caller may ask a self-hosted
//! Nominatim when this finds nothing.

use super::coords::{parse_coordinates, CoordsError};
use super::locate::locate_text_by;
use super::places::{Found, Places};
use super::zones::Zones;
use crate::domain::LocatedBy;

/// What the words name, best first (at most `limit`), or why they cannot be a place (they
/// are written as coordinates that are not valid).
pub fn read_place(text: &str, places: &Places, zones: &Zones, limit: usize) -> Result<Vec<Found>, String> {
    let text = text.trim();
    match parse_coordinates(text) {
        Ok((lat, lon)) => return Ok(vec![point(lat, lon, LocatedBy::Coordinates)]),
        Err(CoordsError::Invalid(why)) => return Err(why),
        Err(CoordsError::NotCoordinates) => {}
    }
    if let Some(((lat, lon), by)) = locate_text_by(text) {
        return Ok(vec![point(lat, lon, by)]);
    }
    let mut found = places.search(text, limit);
    if found.len() < limit {
        if let Some(z) = zones.find_in_text(text) {
            found.push(Found {
                lat: z.lat,
                lon: z.lon,
                label: z.name.clone(),
                by: LocatedBy::Zone,
                uncertainty_m: Some(z.radius_m()),
            });
        }
    }
    Ok(found)
}

/// What a search box suggests for the words as typed so far: `read_place`'s list and the
/// places the last word begins (`Places::complete`: "vermont and 3" -> the corner of Vermont
/// and 3rd), each once, exact places before rough ones, at most `limit`.
pub fn suggest_place(text: &str, places: &Places, zones: &Zones, limit: usize) -> Result<Vec<Found>, String> {
    let mut found = read_place(text, places, zones, limit)?;
    // Coordinates and links are whole already.
    if found
        .first()
        .is_some_and(|f| matches!(f.by, LocatedBy::Coordinates | LocatedBy::Link))
    {
        return Ok(found);
    }
    found.extend(places.complete(text, limit));
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(f.label.clone()));
    found.sort_by_key(|f| f.uncertainty_m.is_some());
    found.truncate(limit);
    Ok(found)
}

fn point(lat: f64, lon: f64, by: LocatedBy) -> Found {
    Found {
        lat,
        lon,
        label: format!("{lat:.6}, {lon:.6}"),
        by,
        uncertainty_m: None,
    }
}

/// A few words saying what a found place is, for people: "intersection", "street, about
/// 1.2 km around".
pub fn what(found: &Found) -> String {
    let name = match found.by {
        LocatedBy::Coordinates => "coordinates",
        LocatedBy::Link => "map link",
        LocatedBy::Address => "address",
        LocatedBy::Intersection => "intersection",
        LocatedBy::Place => "place",
        LocatedBy::Street => "whole street",
        LocatedBy::Zone => "zone",
        LocatedBy::Dispatcher => "placed by a dispatcher",
    };
    match found.uncertainty_m {
        Some(r) if r >= 1000.0 => format!("{name}, about {:.1} km around", r / 1000.0),
        Some(r) => format!("{name}, about {} m around", r.round()),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::places::{Node, PlaceData, Street};

    fn places() -> Places {
        let way = |name: &str, nodes: &[(i64, f64, f64)]| Street {
            name: name.into(),
            ways: vec![nodes
                .iter()
                .map(|&(id, lat, lon)| Node { id, lat, lon })
                .collect()],
        };
        Places::new(PlaceData {
            streets: vec![
                way(
                    "South Vermont Avenue",
                    &[
                        (1, 34.060, -118.2915),
                        (2, 34.069, -118.2915),
                        (3, 34.075, -118.2915),
                    ],
                ),
                way(
                    "West 3rd Street",
                    &[
                        (4, 34.069, -118.300),
                        (2, 34.069, -118.2915),
                        (5, 34.069, -118.280),
                    ],
                ),
            ],
            addresses: vec![],
            places: vec![crate::geo::places::Place {
                name: "Zion Market".into(),
                lat: 34.066,
                lon: -118.29,
            }],
        })
    }

    #[test]
    fn coordinates_links_and_names_are_all_read() {
        let (p, z) = (places(), Zones::default());
        let read = |t: &str| read_place(t, &p, &z, 10).unwrap();
        let dms = read("34°03'48\"N 118°17'05\"W");
        assert_eq!(dms[0].by, LocatedBy::Coordinates);
        assert_eq!(dms[0].label, "34.063333, -118.284722");
        let link = read("https://www.openstreetmap.org/?mlat=34.0633&mlon=-118.2846");
        assert_eq!((link[0].by, link[0].lat), (LocatedBy::Link, 34.0633));
        let corner = read("Vermont and 3rd");
        assert_eq!(corner[0].by, LocatedBy::Intersection);
        assert_eq!(corner[0].label, "South Vermont Avenue & West 3rd Street");
        assert_eq!(what(&corner[0]), "intersection");
        let zion = read("zion");
        assert_eq!(
            (zion[0].by, zion[0].label.as_str()),
            (LocatedBy::Place, "Zion Market")
        );
        let street = read("Vermont");
        assert_eq!(street[0].by, LocatedBy::Street);
        assert!(
            what(&street[0]).starts_with("whole street, about"),
            "{}",
            what(&street[0])
        );
        assert!(read("nowhere at all").is_empty());
        // As typed: the corner the last word begins, before the rough street; a submit's
        // reading has no such corner.
        let typed = suggest_place("vermont and 3", &p, &z, 10).unwrap();
        assert_eq!(typed[0].label, "South Vermont Avenue & West 3rd Street");
        assert_eq!(typed[1].by, LocatedBy::Street);
        let whole = read("vermont and 3");
        assert!(whole.iter().all(|f| f.by != LocatedBy::Intersection), "{whole:?}");
        let coords = suggest_place("34.0633, -118.2846", &p, &z, 10).unwrap();
        assert_eq!(coords.len(), 1);
        let why = read_place("95, 10", &p, &z, 10).unwrap_err();
        assert!(why.contains("latitude 95"), "{why}");
    }
}
