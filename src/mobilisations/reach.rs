//! Whom a mobilisation invites: its audience (volunteers whose home areas meet a circle around
//! the place, chosen zones, a role, a list), and, when too few said yes, who its widening steps
//! add: twice the radius, four times, then the place's zone and the zones around it; chosen
//! zones widen to the zones around them. A role or a list was chosen by name: it does not widen.

use crate::domain::mobilisation::Place;
use crate::domain::Audience;
use crate::geo::reach::{areas_meet, meets_circle};
use crate::geo::Area;
use crate::state::Core;

/// Where step `step` reaches (0: the audience itself).
#[derive(Debug, Clone, PartialEq)]
enum Reach {
    Circle(f64),
    Zones(Vec<String>),
    Role(String),
    Listed(Vec<i64>),
}

/// The steps of this audience, the first being the audience itself.
fn steps(core: &Core, audience: &Audience, place: &Place) -> Vec<Reach> {
    match audience {
        Audience::RadiusM(r) => {
            let mut steps: Vec<Reach> = circles(*r).into_iter().map(Reach::Circle).collect();
            if let Some(zone) = core.zones().containing(place.lat, place.lon) {
                steps.push(Reach::Zones(around(core, std::slice::from_ref(&zone.name))));
            }
            steps
        }
        Audience::Zones(names) => {
            let wider = around(core, names);
            let mut steps = vec![Reach::Zones(names.clone())];
            if wider.len() > names.len() {
                steps.push(Reach::Zones(wider));
            }
            steps
        }
        Audience::Role(role) => vec![Reach::Role(role.clone())],
        Audience::Volunteers(ids) => vec![Reach::Listed(ids.clone())],
    }
}

/// The circles a radius widens through: itself, twice, four times, never past the widest.
fn circles(r: u32) -> Vec<f64> {
    let (r, max) = (f64::from(r), f64::from(Audience::MAX_RADIUS_M));
    let mut out: Vec<f64> = Vec::new();
    for k in [1.0, 2.0, 4.0] {
        let next = (k * r).min(max);
        if out.last() != Some(&next) {
            out.push(next);
        }
    }
    out
}

/// These zones and every zone touching one of them, by name.
fn around(core: &Core, names: &[String]) -> Vec<String> {
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    core.zones()
        .around(&names)
        .into_iter()
        .map(|z| z.name.clone())
        .collect()
}

/// The volunteers step `step` reaches who are available now and not in `already`; None when
/// the audience has no such step.
pub async fn targets(
    core: &Core,
    audience: &Audience,
    place: &Place,
    step: i64,
    already: &[i64],
) -> anyhow::Result<Option<Vec<i64>>> {
    let Some(reach) = usize::try_from(step)
        .ok()
        .and_then(|k| steps(core, audience, place).into_iter().nth(k))
    else {
        return Ok(None);
    };
    let zones: Vec<Area> = match &reach {
        Reach::Zones(names) => {
            let all = core.zones();
            names
                .iter()
                .filter_map(|n| all.get(n))
                .map(|z| z.area())
                .collect()
        }
        _ => Vec::new(),
    };
    let ids = core
        .store
        .available_volunteers()
        .await?
        .into_iter()
        .filter(|v| !already.contains(&v.id))
        .filter(|v| match &reach {
            Reach::Circle(r) => core
                .area_of(&v.area)
                .is_some_and(|a| meets_circle(&a, place.lat, place.lon, *r)),
            Reach::Zones(_) => core
                .area_of(&v.area)
                .is_some_and(|a| zones.iter().any(|z| areas_meet(&a, z, 0.0))),
            Reach::Role(role) => v.has_role(role),
            Reach::Listed(ids) => ids.contains(&v.id),
        })
        .map(|v| v.id)
        .collect();
    Ok(Some(ids))
}

#[cfg(test)]
mod tests {
    use super::circles;

    #[test]
    fn a_circle_widens_twice_and_never_past_the_widest() {
        assert_eq!(circles(500), vec![500.0, 1000.0, 2000.0]);
        assert_eq!(circles(8_000), vec![8_000.0, 16_000.0, 20_000.0]);
        assert_eq!(circles(20_000), vec![20_000.0]);
    }
}
