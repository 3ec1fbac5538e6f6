//! Pure, synchronous geography for alert dispatch: volunteers' home areas,
//! a spatial index over them, and finding a location in free text.
//!
//! Guarantees:
//! - Nothing here does I/O, blocks, or panics on outside input; every public
//!   function accepts attacker-controlled data (JSON, SMS text, coordinates).
//! - An `Area` produced by `Area::from_json` is valid: finite coordinates in
//!   range, radius in (0, 200 km], closed rings of >= 4 positions with non-zero
//!   area and no self-intersection, at most 10 000 vertices in total.
//!   `Area::validate` re-checks an `Area` built by hand. Checking costs at
//!   most ~0.1 s of CPU per area: a ring too intricate to check within a fixed
//!   budget is refused, never accepted unchecked.
//! - `Area::from_json(&a.to_json()) == Ok(a)` for every valid `a` (as
//!   `serde_json::Value`; through text, serde_json without its
//!   `float_roundtrip` feature may move a full-precision float by one ulp).
//! - `AreaIndex::matching` returns exactly the ids for which some stored area's
//!   `Area::contains` is true (sorted, no duplicates), valid areas or not, however the
//!   index was made (`build`, `AreaIndexBuilder`, inserts, replacements, removals).
//! - `locate_text` only returns coordinates with lat in [-90, 90] and lon in
//!   [-180, 180]; it never resolves links over the network.
//! - `coords::parse_coordinates` reads a text that is only coordinates (decimal, DMS, decimal
//!   minutes, N/S/E/W in either order) and returns a point in range or the reason it cannot be
//!   one; `words::read_place` reads any words a dispatcher types (coordinates, links, places,
//!   zones) into the same matches the place search gives.
//! - `places::Places` finds addresses, intersections, named places and streets only in what
//!   was imported (`tocsin places import`); no lookup leaves the machine.
//!
//! Coordinates are WGS84 degrees. Inside `geo` types x = lon and y = lat.

pub mod area;
pub mod basemap;
pub mod coords;
pub mod index;
pub mod locate;
mod parse;
pub mod places;
pub mod reach;
mod ring;
pub mod words;
pub mod zones;

pub use area::{Area, AreaError};
pub use coords::{parse_coordinates, CoordsError};
pub use index::{AreaIndex, AreaIndexBuilder, LiveIndex};
pub use locate::locate_text;
