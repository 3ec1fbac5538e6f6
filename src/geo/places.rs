//! Places from the words people use, found offline in imported OpenStreetMap data: an address
//! (`1234 W 3rd St`, `Yrjönkatu 16`), an intersection (`Vermont and 3rd`, `3rd/Vermont`,
//! `esquina de X y Y`), a named place (`Zion Market`), or a street alone (approximate: its
//! middle, with a radius). Names match case- and accent-insensitively, abbreviations spelled
//! out (see `text`). Nothing here does I/O; every lookup is in memory.

mod complete;
pub mod text;

use std::collections::HashMap;

use super::area::haversine_m;
use crate::domain::LocatedBy;
use text::{house_number, joins, street_keys, tokens};

/// A point of a street as OpenStreetMap has it: streets that meet share a node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
}

/// One street name and every way that carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Street {
    pub name: String,
    pub ways: Vec<Vec<Node>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub street: String,
    pub number: String,
    pub lat: f64,
    pub lon: f64,
}

/// A named shop, amenity, station ...
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// What an import holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceData {
    pub streets: Vec<Street>,
    pub addresses: Vec<Address>,
    pub places: Vec<Place>,
}

/// A place found in text; `uncertainty_m` is set when the point is approximate.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub lat: f64,
    pub lon: f64,
    pub label: String,
    pub by: LocatedBy,
    pub uncertainty_m: Option<f64>,
}

/// Two streets meet here when they share a node, or else come this close.
const MEET_M: f64 = 40.0;
/// A street alone is too vague past this radius (a name many streets share across a city).
const STREET_MAX_M: f64 = 5_000.0;
/// Keys too common to name anything by themselves.
const STOP: [&str; 12] = [
    "the", "a", "la", "el", "de", "on", "in", "at", "and", "y", "en", "ja",
];

#[derive(Debug, Clone, Default)]
struct Named {
    streets: Vec<usize>,
    places: Vec<usize>,
    /// Streets named in addresses (ids into `Places::address_streets`).
    address_streets: Vec<u32>,
}

/// The in-memory index over imported places.
#[derive(Debug, Clone, Default)]
pub struct Places {
    streets: Vec<(Street, (f64, f64), f64)>,
    places: Vec<Place>,
    keys: HashMap<String, Named>,
    /// Street names of addresses as imported, by id: each kept once, however many addresses.
    address_streets: Vec<String>,
    /// (address street id, folded house number) -> the point.
    addresses: HashMap<(u32, String), (f64, f64)>,
    longest: usize,
    /// Every key, sorted: the keys starting with a word are a range (`complete`).
    sorted: Vec<String>,
}

/// A run of tokens naming streets and/or places.
struct Mention<'a> {
    start: usize,
    end: usize,
    named: &'a Named,
}

impl Places {
    pub fn new(data: PlaceData) -> Places {
        let mut index = Places::default();
        for street in data.streets {
            let Some(mid) = middle(&street) else { continue };
            let i = index.streets.len();
            for key in street_keys(&street.name) {
                index.add_key(key).streets.push(i);
            }
            index.streets.push((street, mid.0, mid.1));
        }
        for (i, place) in data.places.iter().enumerate() {
            index.add_key(tokens(&place.name).join(" ")).places.push(i);
        }
        index.places = data.places;
        let mut ids: HashMap<String, u32> = HashMap::new();
        for a in data.addresses {
            let id = match ids.get(&a.street) {
                Some(&id) => id,
                None => {
                    let Ok(id) = u32::try_from(index.address_streets.len()) else {
                        break;
                    };
                    for key in street_keys(&a.street) {
                        index.add_key(key).address_streets.push(id);
                    }
                    index.address_streets.push(a.street.clone());
                    ids.insert(a.street, id);
                    id
                }
            };
            index
                .addresses
                .entry((id, tokens(&a.number).concat()))
                .or_insert((a.lat, a.lon));
        }
        index
            .keys
            .retain(|k, _| k.chars().count() >= 2 && !STOP.contains(&k.as_str()));
        index.longest = index.keys.keys().map(|k| k.split(' ').count()).max().unwrap_or(0);
        index.sorted = index.keys.keys().cloned().collect();
        index.sorted.sort_unstable();
        index
    }

    fn add_key(&mut self, key: String) -> &mut Named {
        self.keys.entry(key).or_default()
    }

    /// Every imported street with its ways (for drawing the base map).
    pub fn streets(&self) -> impl Iterator<Item = &Street> {
        self.streets.iter().map(|(street, _, _)| street)
    }

    /// Every imported named place.
    pub fn named(&self) -> &[Place] {
        &self.places
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// (streets, addresses, places) held.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.streets.len(), self.addresses.len(), self.places.len())
    }

    /// The best place the text names: an address, else an intersection, else a named place,
    /// else a street alone.
    pub fn locate(&self, text: &str) -> Option<Found> {
        let t = tokens(text);
        let mentions = self.mentions(&t);
        let address = mentions.iter().find_map(|m| self.address(&t, m));
        address
            .or_else(|| self.intersection(&t, &mentions))
            .or_else(|| mentions.iter().find_map(|m| self.place(m)))
            .or_else(|| mentions.iter().find_map(|m| self.street(m)))
    }

    /// Up to `limit` matches for a search box: what `locate` finds, then places and streets
    /// whose names contain the query.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Found> {
        let mut out: Vec<Found> = self.locate(query).into_iter().collect();
        let q = tokens(query).join(" ");
        if q.chars().count() >= 2 {
            let mut keys: Vec<(&String, &Named)> = self.keys.iter().filter(|(k, _)| k.contains(&q)).collect();
            keys.sort_by_key(|(k, _)| (k.len(), k.as_str()));
            for (_, named) in keys {
                let m = Mention {
                    start: 0,
                    end: 0,
                    named,
                };
                out.extend(self.place(&m).into_iter().chain(self.street(&m)));
                if out.len() >= limit * 2 {
                    break;
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|f| seen.insert(f.label.clone()));
        out.truncate(limit);
        out
    }

    /// Leftmost-longest runs of tokens that are a known name.
    fn mentions(&self, t: &[String]) -> Vec<Mention<'_>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < t.len() {
            let max = self.longest.min(t.len() - i);
            let hit = (1..=max).rev().find_map(|len| {
                let key = t[i..i + len].join(" ");
                self.keys.get(&key).map(|named| Mention {
                    start: i,
                    end: i + len,
                    named,
                })
            });
            match hit {
                Some(m) => {
                    i = m.end;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }

    fn address(&self, t: &[String], m: &Mention) -> Option<Found> {
        let before = m.start.checked_sub(1).and_then(|i| t.get(i));
        let after = t.get(m.end);
        // Labelled in the order written: `1234 West 3rd Street`, `Yrjönkatu 16`.
        let at = |tok: Option<&String>, first: bool| {
            let number = house_number(tok?)?;
            m.named.address_streets.iter().find_map(|&id| {
                let &(lat, lon) = self.addresses.get(&(id, number.to_string()))?;
                let street = self.address_streets.get(id as usize)?;
                let label = if first {
                    format!("{number} {street}")
                } else {
                    format!("{street} {number}")
                };
                Some(exact(lat, lon, label, LocatedBy::Address))
            })
        };
        at(before, true).or_else(|| at(after, false))
    }

    fn intersection(&self, t: &[String], mentions: &[Mention]) -> Option<Found> {
        mentions.windows(2).find_map(|pair| {
            let (a, b) = (&pair[0], &pair[1]);
            let between = &t[a.end..b.start];
            if between.len() != 1 || !joins(&between[0]) {
                return None;
            }
            let ((lat, lon), i, j) = self.meet(&a.named.streets, &b.named.streets)?;
            let label = format!("{} & {}", self.streets[i].0.name, self.streets[j].0.name);
            Some(exact(lat, lon, label, LocatedBy::Intersection))
        })
    }

    /// Where two sets of streets meet: a shared node, else their closest points if near; with
    /// the two streets that meet there.
    fn meet(&self, a: &[usize], b: &[usize]) -> Option<((f64, f64), usize, usize)> {
        let nodes = |set: &[usize]| -> Vec<(usize, Node)> {
            set.iter()
                .flat_map(|&i| self.streets[i].0.ways.iter().flatten().map(move |n| (i, *n)))
                .collect()
        };
        // A street both names could mean meets nothing but itself.
        let only = |x: &[usize], y: &[usize]| -> Vec<usize> {
            x.iter().filter(|i| !y.contains(i)).copied().collect()
        };
        let (na, nb) = (nodes(&only(a, b)), nodes(&only(b, a)));
        let ids: HashMap<i64, usize> = na.iter().map(|(i, n)| (n.id, *i)).collect();
        if let Some((j, n)) = nb.iter().find(|(_, n)| ids.contains_key(&n.id)) {
            return Some(((n.lat, n.lon), ids[&n.id], *j));
        }
        if na.len().saturating_mul(nb.len()) > 250_000 {
            return None;
        }
        let (d, (i, p), (j, q)) = na
            .iter()
            .flat_map(|p| {
                nb.iter()
                    .map(move |q| (haversine_m(p.1.lat, p.1.lon, q.1.lat, q.1.lon), p, q))
            })
            .min_by(|x, y| x.0.total_cmp(&y.0))?;
        (d <= MEET_M).then(|| (((p.lat + q.lat) / 2.0, (p.lon + q.lon) / 2.0), *i, *j))
    }

    fn place(&self, m: &Mention) -> Option<Found> {
        let &i = m.named.places.first()?;
        let p = &self.places[i];
        Some(exact(p.lat, p.lon, p.name.clone(), LocatedBy::Place))
    }

    fn street(&self, m: &Mention) -> Option<Found> {
        let list: Vec<&(Street, (f64, f64), f64)> =
            m.named.streets.iter().map(|&i| &self.streets[i]).collect();
        let first = list.first()?;
        let n = list.len() as f64;
        let lat = list.iter().map(|s| s.1 .0).sum::<f64>() / n;
        let lon = list.iter().map(|s| s.1 .1).sum::<f64>() / n;
        let radius = list
            .iter()
            .map(|s| haversine_m(lat, lon, s.1 .0, s.1 .1) + s.2)
            .fold(0.0, f64::max);
        (radius <= STREET_MAX_M).then(|| Found {
            lat,
            lon,
            label: first.0.name.clone(),
            by: LocatedBy::Street,
            uncertainty_m: Some(radius.ceil()),
        })
    }
}

fn exact(lat: f64, lon: f64, label: String, by: LocatedBy) -> Found {
    Found {
        lat,
        lon,
        label,
        by,
        uncertainty_m: None,
    }
}

/// A street's middle (its node nearest the mean of its nodes) and the radius, at least 50 m,
/// that holds all of it. None for a street without nodes.
fn middle(street: &Street) -> Option<((f64, f64), f64)> {
    let nodes: Vec<&Node> = street.ways.iter().flatten().collect();
    let n = nodes.len() as f64;
    let (mlat, mlon) = nodes
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.lat / n, b + p.lon / n));
    let mid = nodes.iter().min_by(|p, q| {
        haversine_m(mlat, mlon, p.lat, p.lon).total_cmp(&haversine_m(mlat, mlon, q.lat, q.lon))
    })?;
    let radius = nodes
        .iter()
        .map(|p| haversine_m(mid.lat, mid.lon, p.lat, p.lon))
        .fold(50.0, f64::max);
    Some(((mid.lat, mid.lon), radius))
}

#[cfg(test)]
mod tests;
