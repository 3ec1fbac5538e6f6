use std::time::{Duration, Instant};

use super::super::tests::city;
use super::super::{Node, PlaceData, Places, Street};
use crate::domain::LocatedBy;

fn labels(places: &Places, text: &str) -> Vec<String> {
    places.complete(text, 10).into_iter().map(|f| f.label).collect()
}

#[test]
fn the_last_word_is_a_start_of_a_street_a_corner_or_an_address() {
    let places = city();
    assert_eq!(labels(&places, "Verm"), ["South Vermont Avenue"]);
    assert_eq!(labels(&places, "vermont a"), ["South Vermont Avenue"]);
    assert_eq!(labels(&places, "zion m"), ["Zion Market"]);
    let corner = places.complete("vermont and 3", 10);
    assert_eq!(corner.len(), 1, "{corner:?}");
    assert_eq!(
        (
            corner[0].by,
            corner[0].lat,
            corner[0].lon,
            corner[0].uncertainty_m
        ),
        (LocatedBy::Intersection, 34.0690, -118.2915, None)
    );
    assert_eq!(corner[0].label, "South Vermont Avenue & West 3rd Street");
    assert_eq!(
        labels(&places, "3rd / verm"),
        ["West 3rd Street & South Vermont Avenue"]
    );
    // As the dashboard fills the field after a rough street is chosen, then a letter typed:
    // `w` is the start of `west` as well as of `w`.
    assert_eq!(
        labels(&places, "South Vermont Avenue and w"),
        ["South Vermont Avenue & West 3rd Street"]
    );
    assert_eq!(labels(&places, "1234 w 3"), ["1234 West 3rd Street"]);
    assert_eq!(labels(&places, "yrjönk"), ["Yrjönkatu"]);
    // Nothing begun, nothing that meets, one letter alone: nothing.
    for text in ["vermont and", "vermont and far", "v", "", "nowhere at al"] {
        assert!(
            labels(&places, text).is_empty(),
            "{text:?}: {:?}",
            labels(&places, text)
        );
    }
}

#[test]
fn a_plain_lookup_still_reads_whole_words_only() {
    let places = city();
    assert!(places.locate("verm").is_none());
    let submitted = places.search("vermont and 3", 10);
    assert!(
        submitted.iter().all(|f| f.by != LocatedBy::Intersection),
        "a submit does not place a corner the person did not finish: {submitted:?}"
    );
}

#[test]
fn like_wildcards_and_quotes_are_no_part_of_a_word() {
    let places = city();
    for text in [
        "%",
        "_",
        "%%",
        "'",
        "\"",
        "v%t",
        "v_rmont",
        "' OR 1=1 --",
        "\\",
        "%_%_",
    ] {
        assert!(
            labels(&places, text).is_empty(),
            "{text:?}: {:?}",
            labels(&places, text)
        );
    }
    assert_eq!(
        labels(&places, "'verm%"),
        ["South Vermont Avenue"],
        "only the letters count"
    );
}

#[test]
fn hostile_texts_and_huge_streets_take_bounded_work() {
    // A street of more nodes than a completion may visit, and a thousand streets crossing it.
    let node = |id: i64| Node {
        id,
        lat: 34.0 + id as f64 * 1e-7,
        lon: -118.0,
    };
    let main = Street {
        name: "Main Street".into(),
        ways: vec![(0..300_000).map(node).collect()],
    };
    let mut streets = vec![main];
    for i in 0..1000 {
        streets.push(Street {
            name: format!("Side Street {i}"),
            ways: vec![vec![node(i * 100), node(1_000_000 + i)]],
        });
    }
    let places = Places::new(PlaceData {
        streets,
        ..PlaceData::default()
    });
    let mut texts = vec![
        "main street and side".to_string(),
        "side street 1 and s".to_string(),
        "a and ".repeat(33),
        "s".repeat(200),
        "%_' ".repeat(50),
        (0..66).map(|i| format!("{} ", i % 10)).collect(),
    ];
    texts.push(format!("{}main street & s", "side ".repeat(36)));
    for text in texts {
        let start = Instant::now();
        let found = places.complete(&text, 10);
        assert!(found.len() <= 10);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:.40}: {:?}",
            text,
            start.elapsed()
        );
    }
    // A short street meets the huge one within the budget.
    let corner = labels(&places, "side street 7 and mai");
    assert_eq!(corner, ["Side Street 7 & Main Street"]);
}

#[test]
fn real_streets_of_karhula_complete_as_typed() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/karhula.osm.pbf");
    let (data, _) = crate::cli::osm::read(&path, false).expect("the extract");
    let names: Vec<String> = data.streets.iter().map(|s| s.name.clone()).collect();
    let places = Places::new(data);
    let otso = labels(&places, "otso");
    assert!(otso.len() >= 3, "{otso:?}");
    assert!(otso.iter().all(|l| l.starts_with("Otso")), "{otso:?}");
    assert_eq!(
        labels(&places, "otsonk").first().map(String::as_str),
        Some("Otsonkatu")
    );
    // Every corner the whole names find is also found from the first three letters of the
    // second street, at the same node.
    let mut corners = 0;
    for a in names.iter().take(30) {
        for b in names.iter().filter(|b| *b != a) {
            let Some(whole) = places.locate(&format!("{a} ja {b}")) else {
                continue;
            };
            if whole.by != LocatedBy::Intersection || !whole.label.starts_with(&format!("{a} & ")) {
                continue;
            }
            let begun: String = b.chars().take(3).collect();
            let typed = places.complete(&format!("{a} ja {begun}"), 10);
            assert!(
                typed
                    .iter()
                    .any(|f| f.label.starts_with(&format!("{a} & ")) && f.by == LocatedBy::Intersection),
                "{a} ja {begun}: {typed:?} (whole: {})",
                whole.label
            );
            corners += 1;
        }
    }
    assert!(corners >= 5, "the extract has corners: {corners}");
}
