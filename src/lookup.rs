//! The places words name, best first: the imported places and zones (coordinates in any common
//! form, map links, addresses, intersections, places, streets, zones; see `geo::words`), and
//! only when they find nothing, and only if `geocode.nominatim_url` is set, the network's own
//! Nominatim. The API's search, the dashboard's locate field and mobilisations ask the same.

use crate::geo::places::{Found, Places};
use crate::geo::words::{read_place, suggest_place};
use crate::geo::zones::Zones;
use crate::state::Core;

/// At most this many matches; a query longer than `MAX_CHARS` is refused.
pub const LIMIT: usize = 10;
pub const MAX_CHARS: usize = 200;

type Reader = fn(&str, &Places, &Zones, usize) -> Result<Vec<Found>, String>;

/// The places the words name, best first; or why they cannot be one (coordinates out of
/// range, a text too long or empty), for the field that holds them.
pub async fn lookup(core: &Core, q: &str) -> Result<Vec<Found>, String> {
    find(core, q, read_place).await
}

/// As `lookup`, and the places the last word begins, for a search box as the person types.
pub async fn suggest(core: &Core, q: &str) -> Result<Vec<Found>, String> {
    find(core, q, suggest_place).await
}

async fn find(core: &Core, q: &str, read: Reader) -> Result<Vec<Found>, String> {
    let q = q.trim();
    if q.is_empty() || q.chars().count() > MAX_CHARS {
        return Err(format!("must be 1 to {MAX_CHARS} characters"));
    }
    let found = read(q, &core.places(), &core.zones(), LIMIT)?;
    if found.is_empty() {
        if let Some(nominatim) = &core.nominatim {
            return Ok(nominatim.search(q, LIMIT).await);
        }
    }
    Ok(found)
}
