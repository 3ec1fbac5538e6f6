//! `LiveIndex` against a brute-force check and a full rebuild, through changes and the
//! background repacks they set off (fixed seeds, so failures reproduce).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::super::tests::{brute, random_area, random_point, Lcg};
use super::*;

fn circle(lat: f64, lon: f64, radius_m: f64) -> Area {
    Area::Circle { lat, lon, radius_m }
}

/// Waits for a repack under way to be swapped in (they take milliseconds).
fn settle(index: &LiveIndex) {
    let start = Instant::now();
    while index.is_repacking() {
        assert!(start.elapsed() < Duration::from_secs(60), "repack never finished");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Same answers as the brute-force check and as an index built in full from `model`.
fn assert_same(index: &LiveIndex, model: &BTreeMap<i64, Vec<Area>>, rng: &mut Lcg, points: usize) {
    let rebuilt = AreaIndex::build(
        model
            .iter()
            .flat_map(|(id, areas)| areas.iter().map(move |a| (*id, a.clone()))),
    );
    assert_eq!(index.len(), model.len());
    for _ in 0..points {
        let (lat, lon) = random_point(rng);
        let got = index.matching(lat, lon);
        assert_eq!(got, brute(model, lat, lon), "at {lat},{lon}");
        assert_eq!(got, rebuilt.matching(lat, lon), "rebuilt, at {lat},{lon}");
    }
}

#[test]
fn add_remove_change_area_and_pause() {
    let index = LiveIndex::new();
    index.replace_all(AreaIndex::build([
        (1, circle(50.0, 10.0, 1000.0)),
        (2, circle(50.0, 10.1, 1000.0)),
    ]));
    assert_eq!(index.matching(50.0, 10.0), vec![1]);
    // Added: a third volunteer around the same point.
    index.apply([(3, vec![circle(50.0, 10.0, 500.0)])]);
    assert_eq!(index.matching(50.0, 10.0), vec![1, 3]);
    // Area changed: 1 moves next to 2 (masked in the packed tree, added to the dynamic one).
    index.apply([(1, vec![circle(50.0, 10.1, 300.0)])]);
    assert_eq!(index.matching(50.0, 10.0), vec![3]);
    assert_eq!(index.matching(50.0, 10.1), vec![1, 2]);
    // Paused: no area while paused, the same one again when resumed.
    index.apply([(2, vec![])]);
    assert_eq!(index.matching(50.0, 10.1), vec![1]);
    assert_eq!(index.len(), 2);
    index.apply([(2, vec![circle(50.0, 10.1, 1000.0)])]);
    assert_eq!(index.matching(50.0, 10.1), vec![1, 2]);
    // Removed.
    index.apply([(3, vec![]), (1, vec![])]);
    assert_eq!(index.matching(50.0, 10.0), Vec::<i64>::new());
    assert_eq!(index.matching(50.0, 10.1), vec![2]);
    assert_eq!(index.len(), 1);
    assert_eq!(index.repacks(), 0, "a few changes repack nothing");
}

#[test]
fn churn_with_background_repacks_matches_full_rebuild() {
    let mut rng = Lcg(2023);
    let mut model: BTreeMap<i64, Vec<Area>> = BTreeMap::new();
    for id in 0..2000 {
        model.insert(id, vec![random_area(&mut rng)]);
    }
    let index = LiveIndex::new();
    index.replace_all(AreaIndex::build(
        model.iter().map(|(id, areas)| (*id, areas[0].clone())),
    ));
    // Paused volunteers' areas, to resume them with.
    let mut paused: BTreeMap<i64, Vec<Area>> = BTreeMap::new();
    let mut next_id = 2000;
    for step in 0..6000 {
        let id = rng.below(next_id as u64) as i64;
        let areas = match rng.below(5) {
            0 => {
                next_id += 1;
                model.insert(next_id - 1, vec![random_area(&mut rng)]);
                index.apply([(next_id - 1, model[&(next_id - 1)].clone())]);
                continue;
            }
            1 => vec![],                      // removed
            2 => vec![random_area(&mut rng)], // area changed
            3 => match model.remove(&id) {
                Some(was) => {
                    paused.insert(id, was); // paused
                    vec![]
                }
                None => paused.remove(&id).unwrap_or_default(), // resumed
            },
            _ => vec![random_area(&mut rng), random_area(&mut rng)], // two areas
        };
        if areas.is_empty() {
            model.remove(&id);
        } else {
            model.insert(id, areas.clone());
        }
        index.apply([(id, areas)]);
        if step % 1500 == 0 {
            // Possibly in the middle of a repack: still exact.
            assert_same(&index, &model, &mut rng, 100);
        }
    }
    assert!(index.repacks() >= 1, "6000 changes to 2000 areas repack");
    settle(&index);
    assert_same(&index, &model, &mut rng, 1000);
}

#[test]
fn full_replacement_drops_a_stale_repack() {
    let mut rng = Lcg(7);
    let index = LiveIndex::new();
    index.replace_all(AreaIndex::build((0..1500).map(|id| (id, random_area(&mut rng)))));
    // Enough inserts for a repack, then a full replacement while it may run.
    index.apply((10_000..11_200).map(|id| (id, vec![random_area(&mut rng)])));
    let mut model: BTreeMap<i64, Vec<Area>> = BTreeMap::new();
    for id in 0..300 {
        model.insert(id, vec![random_area(&mut rng)]);
    }
    index.replace_all(AreaIndex::build(
        model.iter().map(|(id, areas)| (*id, areas[0].clone())),
    ));
    settle(&index);
    assert_same(&index, &model, &mut rng, 500);
}
