//! Completing the word being typed, for a search box: `verm` and `vermont a` suggest South
//! Vermont Avenue, `vermont and 3` the corner of Vermont and West 3rd Street, `1234 west 3`
//! the address on West 3rd Street. Only the last word is taken as a start; the words before
//! it must be whole (a street's name, a house number, a joining word).
//!
//! Separate from `Places::locate` (which only reads whole words) so that a plain submit never
//! places what the person did not finish typing, and the exact lookup costs what it did. The
//! work is bounded whatever the text: the keys starting with a word are a range of a sorted
//! list (a binary search, then at most `CANDIDATES`), only the last `longest` words are
//! looked at, and corners are found within `NODE_BUDGET` nodes and as many distances. The text is
//! never a pattern: `%`, `_` and quotes are not letters, so they are no part of any word.

use std::collections::{HashMap, HashSet};

use super::text::{house_number, joins, tokens, typed_tokens};
use super::{exact, Found, Mention, Named, Node, Places, MEET_M};
use crate::domain::LocatedBy;
use crate::geo::area::haversine_m;

/// Keys looked at for the word being typed (the first in sorted order that start with it).
const CANDIDATES: usize = 32;
/// Street nodes looked at to find the corners of one completion (and distances measured
/// between streets that share no node).
const NODE_BUDGET: usize = 200_000;

impl Places {
    /// Up to `limit` places whose names the last word of `text` begins (see the module).
    pub fn complete(&self, text: &str, limit: usize) -> Vec<Found> {
        let (t, typed) = (tokens(text), typed_tokens(text));
        let n = t.len();
        // A joining word last ("vermont and"): the next street is not begun yet.
        if n == 0 || n != typed.len() || limit == 0 || typed.last().is_some_and(|w| joins(w)) {
            return Vec::new();
        }
        for start in n.saturating_sub(self.longest.max(1))..n {
            let before = start.checked_sub(1).map(|i| t[i].as_str());
            let keys = self.starting(
                &t[start..],
                &typed[n - 1],
                before.is_some_and(|w| joins(w) || house_number(w).is_some()),
            );
            if keys.is_empty() {
                continue;
            }
            let found = match before {
                Some(w) if joins(w) && start >= 2 => match self.street_ending(&t[..start - 1]) {
                    Some(a) => self.corners(a, &keys, limit),
                    None => self.named_in(&keys, limit),
                },
                Some(w) if house_number(w).is_some() => {
                    let at = self.addresses_on(w, &keys, limit);
                    if at.is_empty() {
                        self.named_in(&keys, limit)
                    } else {
                        at
                    }
                }
                _ => self.named_in(&keys, limit),
            };
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// Keys that start with the words (the last one as written or spelled out), shortest
    /// first. A lone letter starts too many names, unless a corner or a number comes before.
    fn starting(&self, words: &[String], typed_last: &str, short_ok: bool) -> Vec<&Named> {
        let spelled = words.join(" ");
        let mut as_typed = words[..words.len() - 1].to_vec();
        as_typed.push(typed_last.to_string());
        let as_typed = as_typed.join(" ");
        let mut keys: Vec<&String> = Vec::new();
        for prefix in [spelled.as_str(), as_typed.as_str()] {
            if prefix.chars().count() < if short_ok { 1 } else { 2 } {
                continue;
            }
            let from = self.sorted.partition_point(|k| k.as_str() < prefix);
            let range = self.sorted[from..].iter().take_while(|k| k.starts_with(prefix));
            keys.extend(range.take(CANDIDATES));
        }
        keys.sort_by_key(|k| (k.len(), k.as_str()));
        keys.dedup();
        keys.iter().filter_map(|k| self.keys.get(k.as_str())).collect()
    }

    /// The known street name that the words end with, longest first.
    fn street_ending(&self, words: &[String]) -> Option<&Named> {
        let n = words.len();
        (n.saturating_sub(self.longest)..n)
            .filter_map(|from| self.keys.get(&words[from..].join(" ")))
            .find(|named| !named.streets.is_empty())
    }

    /// Places, then streets, that the keys name.
    fn named_in(&self, keys: &[&Named], limit: usize) -> Vec<Found> {
        let mut out = Vec::new();
        for named in keys {
            let m = Mention {
                start: 0,
                end: 0,
                named,
            };
            out.extend(self.place(&m).into_iter().chain(self.street(&m)));
        }
        unique(out, limit)
    }

    /// The house `number` on the streets the keys name.
    fn addresses_on(&self, number: &str, keys: &[&Named], limit: usize) -> Vec<Found> {
        let found = keys
            .iter()
            .flat_map(|named| &named.address_streets)
            .filter_map(|&id| {
                let &(lat, lon) = self.addresses.get(&(id, number.to_string()))?;
                let street = self.address_streets.get(id as usize)?;
                Some(exact(lat, lon, format!("{number} {street}"), LocatedBy::Address))
            });
        unique(found.collect(), limit)
    }

    /// Where street `a` meets the streets the keys name, as `Places::meet` finds it: a node
    /// both share (OpenStreetMap's corners), else their closest points if within `MEET_M`;
    /// a street never meets itself.
    fn corners(&self, a: &Named, keys: &[&Named], limit: usize) -> Vec<Found> {
        let mut budget = NODE_BUDGET;
        let mut a_nodes: Vec<(usize, Node)> = Vec::new();
        for &i in &a.streets {
            for node in self.streets[i].0.ways.iter().flatten() {
                if budget == 0 {
                    return Vec::new();
                }
                budget -= 1;
                a_nodes.push((i, *node));
            }
        }
        let at: HashMap<i64, usize> = a_nodes.iter().map(|(i, n)| (n.id, *i)).collect();
        let mut out = Vec::new();
        let mut apart = Vec::new();
        let mut tried = HashSet::new();
        for &j in keys.iter().flat_map(|named| &named.streets) {
            if a.streets.contains(&j) || !tried.insert(j) || out.len() >= limit {
                continue;
            }
            let nodes = self.streets[j].0.ways.iter().flatten();
            let mut shared = None;
            for node in nodes {
                if budget == 0 {
                    return unique(out, limit);
                }
                budget -= 1;
                if let Some(&i) = at.get(&node.id) {
                    shared = Some((i, *node));
                    break;
                }
            }
            match shared {
                Some((i, n)) => out.push(self.corner(i, j, n.lat, n.lon)),
                None => apart.push(j),
            }
        }
        // Streets that share no node: their closest points, within a budget of distances.
        let mut pairs = NODE_BUDGET;
        for j in apart {
            let b_nodes: Vec<&Node> = self.streets[j].0.ways.iter().flatten().collect();
            let cost = a_nodes.len().saturating_mul(b_nodes.len());
            if out.len() >= limit || cost > pairs {
                break;
            }
            pairs -= cost;
            let closest = a_nodes
                .iter()
                .flat_map(|(i, p)| {
                    b_nodes
                        .iter()
                        .map(move |q| (haversine_m(p.lat, p.lon, q.lat, q.lon), *i, p, q))
                })
                .min_by(|x, y| x.0.total_cmp(&y.0));
            if let Some((_, i, p, q)) = closest.filter(|c| c.0 <= MEET_M) {
                out.push(self.corner(i, j, (p.lat + q.lat) / 2.0, (p.lon + q.lon) / 2.0));
            }
        }
        unique(out, limit)
    }

    fn corner(&self, i: usize, j: usize, lat: f64, lon: f64) -> Found {
        let label = format!("{} & {}", self.streets[i].0.name, self.streets[j].0.name);
        exact(lat, lon, label, LocatedBy::Intersection)
    }
}

/// Each label once, at most `limit`.
fn unique(mut found: Vec<Found>, limit: usize) -> Vec<Found> {
    let mut seen = HashSet::new();
    found.retain(|f| seen.insert(f.label.clone()));
    found.truncate(limit);
    found
}

#[cfg(test)]
mod tests;
