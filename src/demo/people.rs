//! The demo's 200 simulated volunteers: the same every run (a seeded generator), living in
//! circles around the example zones, speaking English, Spanish, Korean or Chinese; about one in
//! ten a verifier, about one in five on Signal. Added through `roster`, as the CLI adds them.

use anyhow::anyhow;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::audit::Actor;
use crate::domain::{Language, Phone, Reach};
use crate::geo::Area;
use crate::roster::{self, HomeArea, Signup};
use crate::state::Core;

pub const COUNT: usize = 200;

/// One simulated volunteer's phone, as the script and the phones panel need it.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub phone: String,
    pub language: &'static str,
    pub verifier: bool,
    pub signal: bool,
}

const NAMES: [(&str, &[&str]); 4] = [
    (
        "en",
        &[
            "Alex", "Jordan", "Sam", "Taylor", "Morgan", "Casey", "Riley", "Jamie",
        ],
    ),
    (
        "es",
        &["María", "José", "Lupe", "Carlos", "Rosa", "Miguel", "Ana", "Luis"],
    ),
    ("ko", &["Minji", "Jiho", "Seoyeon", "Hyun", "Eunji", "Dongho"]),
    ("zh", &["Wei", "Mei", "Jun", "Lan", "Hao", "Xiu"]),
];

/// The volunteers' numbers: 555-01xx in two Los Angeles area codes (fictional by convention).
pub fn phone_of(i: usize) -> String {
    let area = if i < 100 { 213 } else { 323 };
    format!("+1{area}55501{:02}", i % 100)
}

/// The centre of each zone of a GeoJSON collection (the mean of its outer ring's corners).
pub fn zone_centres(collection: &serde_json::Value) -> Vec<(f64, f64)> {
    let features = collection["features"].as_array().cloned().unwrap_or_default();
    features
        .iter()
        .filter_map(|f| {
            let ring = f["geometry"]["coordinates"][0].as_array()?;
            let points: Vec<(f64, f64)> = ring
                .iter()
                .filter_map(|p| Some((p[1].as_f64()?, p[0].as_f64()?)))
                .collect();
            // A closed ring repeats its first corner last.
            let corners = match points.len() > 1 && points.first() == points.last() {
                true => &points[..points.len() - 1],
                false => &points[..],
            };
            let n = corners.len() as f64;
            let lat = corners.iter().map(|p| p.0).sum::<f64>() / n;
            let lon = corners.iter().map(|p| p.1).sum::<f64>() / n;
            (!corners.is_empty()).then_some((lat, lon))
        })
        .collect()
}

/// Who the 200 are and where they live (no database): the same list every run.
pub fn generate(centres: &[(f64, f64)]) -> Vec<(Person, Area)> {
    let mut rng = StdRng::seed_from_u64(0x7_0c51);
    (0..COUNT)
        .map(|i| {
            let language = match rng.gen_range(0..100) {
                0..=39 => 0,
                40..=74 => 1,
                75..=89 => 2,
                _ => 3,
            };
            let (code, names) = NAMES[language];
            let first = names[rng.gen_range(0..names.len())];
            let initial = char::from(b'A' + rng.gen_range(0..26u8));
            // Zones in turn, so that every zone has its share of verifiers.
            let (lat, lon) = centres
                .get(i % centres.len().max(1))
                .copied()
                .unwrap_or((34.06, -118.30));
            let area = Area::Circle {
                lat: lat + rng.gen_range(-0.008..0.008),
                lon: lon + rng.gen_range(-0.009..0.009),
                radius_m: rng.gen_range(300.0..900.0),
            };
            let person = Person {
                name: format!("{first} {initial}."),
                phone: phone_of(i),
                language: code,
                verifier: (i / centres.len().max(1)).is_multiple_of(10),
                signal: rng.gen_bool(0.2),
            };
            (person, area)
        })
        .collect()
}

/// Adds the 200 to the roster; returns them.
pub async fn add_all(core: &Core, centres: &[(f64, f64)]) -> anyhow::Result<Vec<Person>> {
    let mut people = Vec::with_capacity(COUNT);
    for (person, area) in generate(centres) {
        let signup = Signup {
            name: person.name.clone(),
            phone: Phone::parse(&person.phone).map_err(|e| anyhow!("demo phone: {e}"))?,
            language: Language::parse(person.language).ok_or_else(|| anyhow!("demo language"))?,
            trusted: false,
            area: HomeArea::Shape(area),
            reach: if person.signal { Reach::Signal } else { Reach::Sms },
            signal_id: None,
            roles: roster::roles_of(core, person.verifier, false),
        };
        roster::add(core, &Actor::Cli, signup).await?;
        people.push(person);
    }
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONES: &str = include_str!("../../examples/zones-los-angeles.geojson");

    #[test]
    fn the_same_two_hundred_every_run_in_four_languages_with_verifiers_and_signal() {
        let zones: serde_json::Value = serde_json::from_str(ZONES).unwrap();
        let centres = zone_centres(&zones);
        assert_eq!(centres.len(), 6);
        assert!(centres
            .iter()
            .all(|(lat, lon)| (33.9..34.2).contains(lat) && (-118.4..-118.1).contains(lon)));
        let a = generate(&centres);
        let b = generate(&centres);
        assert_eq!(a.len(), COUNT);
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.0.phone == y.0.phone && x.0.name == y.0.name));
        for code in ["en", "es", "ko", "zh"] {
            assert!(a.iter().filter(|p| p.0.language == code).count() >= 10, "{code}");
        }
        let verifiers = a.iter().filter(|p| p.0.verifier).count();
        let signal = a.iter().filter(|p| p.0.signal).count();
        assert!((15..=35).contains(&verifiers), "{verifiers}");
        assert!((25..=60).contains(&signal), "{signal}");
        let mut phones: Vec<&str> = a.iter().map(|p| p.0.phone.as_str()).collect();
        phones.sort_unstable();
        phones.dedup();
        assert_eq!(phones.len(), COUNT);
        assert!(
            phones.iter().all(|p| Phone::parse(p).is_ok()),
            "every number is valid"
        );
    }
}
