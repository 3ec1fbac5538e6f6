use super::*;

fn node(id: i64, lat: f64, lon: f64) -> Node {
    Node { id, lat, lon }
}

/// Vermont runs north-south through node 2, 3rd Street east-west through it; Yrjönkatu is
/// elsewhere, with one address; 4th Street runs parallel to 3rd and never meets Vermont's ways.
pub(crate) fn city() -> Places {
    let street = |name: &str, ways: Vec<Vec<Node>>| Street {
        name: name.into(),
        ways,
    };
    Places::new(PlaceData {
        streets: vec![
            street(
                "South Vermont Avenue",
                vec![
                    vec![node(1, 34.060, -118.2915), node(2, 34.0690, -118.2915)],
                    vec![node(2, 34.0690, -118.2915), node(3, 34.075, -118.2915)],
                ],
            ),
            street(
                "West 3rd Street",
                vec![vec![
                    node(10, 34.0690, -118.30),
                    node(2, 34.0690, -118.2915),
                    node(11, 34.0690, -118.28),
                ]],
            ),
            street(
                "Yrjönkatu",
                vec![vec![node(20, 60.1690, 24.9380), node(21, 60.1680, 24.9390)]],
            ),
            street(
                "Far Road",
                vec![vec![node(30, 35.0, -118.0), node(31, 35.0001, -118.0)]],
            ),
        ],
        addresses: vec![
            Address {
                street: "Yrjönkatu".into(),
                number: "16".into(),
                lat: 60.1685,
                lon: 24.9385,
            },
            Address {
                street: "West 3rd Street".into(),
                number: "1234".into(),
                lat: 34.0691,
                lon: -118.29,
            },
        ],
        places: vec![
            Place {
                name: "Zion Market".into(),
                lat: 34.07,
                lon: -118.29,
            },
            Place {
                name: "Pääposti".into(),
                lat: 60.171,
                lon: 24.94,
            },
        ],
    })
}

fn by(text: &str) -> Option<(LocatedBy, f64, f64)> {
    city().locate(text).map(|f| (f.by, f.lat, f.lon))
}

#[test]
fn an_intersection_is_the_node_the_streets_share_however_it_is_written() {
    let at = Some((LocatedBy::Intersection, 34.0690, -118.2915));
    for text in [
        "ICE at Vermont and 3rd right now",
        "migra en Vermont & 3rd",
        "3rd/Vermont",
        "corner of S Vermont Ave and W 3rd St",
        "esquina de Vermont y 3rd",
        "la migra en vermont y tercera",
        "VERMONT AND THIRD",
    ] {
        if text.contains("tercera") {
            assert_eq!(
                by(text).map(|f| f.0),
                Some(LocatedBy::Street),
                "{text}: Spanish ordinals are not spelled out"
            );
            continue;
        }
        assert_eq!(by(text), at, "{text}");
    }
}

#[test]
fn streets_that_never_meet_are_no_intersection() {
    let found = city().locate("Vermont and Far Rd").unwrap();
    assert_eq!(
        found.by,
        LocatedBy::Street,
        "falls back to the first street alone"
    );
}

#[test]
fn an_address_is_found_in_either_order_and_is_exact() {
    let found = city().locate("poliisi Yrjönkatu 16 nyt").unwrap();
    assert_eq!(
        (found.by, found.lat, found.lon, found.uncertainty_m),
        (LocatedBy::Address, 60.1685, 24.9385, None)
    );
    assert_eq!(
        by("raid at 1234 W. 3rd St."),
        Some((LocatedBy::Address, 34.0691, -118.29))
    );
    assert_eq!(
        by("yrjonkatu 99").map(|f| f.0),
        Some(LocatedBy::Street),
        "an unknown number: the street"
    );
}

#[test]
fn a_named_place_is_exact_and_a_street_alone_is_approximate() {
    assert_eq!(
        by("ICE outside zion market!"),
        Some((LocatedBy::Place, 34.07, -118.29))
    );
    assert_eq!(by("at the Pääposti"), Some((LocatedBy::Place, 60.171, 24.94)));
    assert_eq!(by("paaposti"), Some((LocatedBy::Place, 60.171, 24.94)));
    let street = city().locate("somewhere on Vermont").unwrap();
    assert_eq!(street.by, LocatedBy::Street);
    assert_eq!(street.label, "South Vermont Avenue");
    let r = street.uncertainty_m.unwrap();
    assert!((500.0..=1100.0).contains(&r), "{r}");
    assert!(city().locate("nothing to see here").is_none());
    assert!(city().locate("Vermontville").is_none(), "whole words only");
}

#[test]
fn search_offers_what_locate_finds_then_names_containing_the_query() {
    let places = city();
    let found = places.search("Vermont & 3rd", 5);
    assert_eq!(found[0].by, LocatedBy::Intersection);
    let found = places.search("zion", 5);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].label, "Zion Market");
    assert!(places.search("", 5).is_empty());
}

#[test]
fn of_two_streets_sharing_a_name_the_one_that_meets_the_other_is_taken() {
    let street = |name: &str, ways: Vec<Vec<Node>>| Street {
        name: name.into(),
        ways,
    };
    let places = Places::new(PlaceData {
        streets: vec![
            street(
                "3rd Avenue",
                vec![vec![node(1, 34.10, -118.40), node(2, 34.11, -118.40)]],
            ),
            street(
                "Vermont Avenue",
                vec![vec![node(3, 34.06, -118.29), node(4, 34.07, -118.29)]],
            ),
            street(
                "3rd Street",
                vec![vec![node(5, 34.065, -118.30), node(4, 34.07, -118.29)]],
            ),
        ],
        ..PlaceData::default()
    });
    let found = places.locate("Vermont&3rd").unwrap();
    assert_eq!(
        (found.by, found.lat, found.lon),
        (LocatedBy::Intersection, 34.07, -118.29)
    );
    assert_eq!(
        found.label, "Vermont Avenue & 3rd Street",
        "named by the streets that meet"
    );
    assert!(places
        .locate("Vermont and Vermont")
        .is_some_and(|f| f.by == LocatedBy::Street));
}

#[test]
fn an_address_reads_the_same_with_the_number_before_or_after() {
    let places = city();
    let after = places.locate("Yrjönkatu 16").unwrap();
    let before = places.locate("16 Yrjonkatu").unwrap();
    assert_eq!((after.lat, after.lon), (before.lat, before.lon));
    assert_eq!(
        (after.label.as_str(), before.label.as_str()),
        ("Yrjönkatu 16", "16 Yrjönkatu")
    );
    assert_eq!(
        places.locate("1234 west third street").unwrap().by,
        LocatedBy::Address
    );
}
