//! Where a report is, from its words: coordinates and map links, then the imported places and
//! the zones, all on this machine; a self-hosted Nominatim only when one is configured and
//! nothing local knew the place.

use crate::domain::{LocatedBy, Location};
use crate::geo::locate::locate_text_by;
use crate::state::Core;

/// Coordinates given outside the text, else coordinates or a map link in it, else an address,
/// intersection, named place or street from imported places, else a zone it names (also
/// instead of a street alone, when the zone is smaller). A located point is also named by the
/// smallest zone that contains it.
pub fn locate(core: &Core, given: Option<(f64, f64)>, text: &str) -> Location {
    let zones = core.zones();
    let found = match given {
        Some(p) => Some((p, LocatedBy::Coordinates, None)),
        None => locate_text_by(text).map(|(p, by)| (p, by, None)),
    }
    .or_else(|| {
        let f = core.places().locate(text)?;
        // A street alone gives way to a zone the text names that is smaller.
        let radius = f.uncertainty_m.filter(|_| f.by == LocatedBy::Street);
        if radius.is_some_and(|r| zones.find_in_text(text).is_some_and(|z| z.radius_m() < r)) {
            return None;
        }
        Some(((f.lat, f.lon), f.by, f.uncertainty_m))
    });
    if let Some(((lat, lon), by, uncertainty_m)) = found {
        return Location {
            point: Some((lat, lon)),
            zone: zones.containing(lat, lon).map(|z| z.name.clone()),
            approximate: uncertainty_m.is_some(),
            located_by: Some(by),
            uncertainty_m,
        };
    }
    match zones.find_in_text(text) {
        Some(z) => Location {
            point: Some((z.lat, z.lon)),
            zone: Some(z.name.clone()),
            approximate: true,
            located_by: Some(LocatedBy::Zone),
            uncertainty_m: Some(z.radius_m()),
        },
        None => Location::default(),
    }
}

/// What the self-hosted Nominatim makes of the text, when one is configured.
pub(crate) async fn locate_remote(core: &Core, text: &str) -> Option<Location> {
    let found = core
        .nominatim
        .as_ref()?
        .search(text, 1)
        .await
        .into_iter()
        .next()?;
    Some(Location {
        point: Some((found.lat, found.lon)),
        zone: core
            .zones()
            .containing(found.lat, found.lon)
            .map(|z| z.name.clone()),
        approximate: found.uncertainty_m.is_some(),
        located_by: Some(found.by),
        uncertainty_m: found.uncertainty_m,
    })
}
