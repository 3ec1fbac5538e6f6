//! How a report or incident was placed on the map.

/// How a place was found: from what the sender gave or from what a dispatcher set. Stored as
/// text (see `as_str`); `parse` is its inverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LocatedBy {
    /// Coordinates written in the text or given by the API.
    Coordinates,
    /// A map link or geo: URI in the text.
    Link,
    /// A house number on a named street (imported OpenStreetMap addresses).
    Address,
    /// Two named streets that meet.
    Intersection,
    /// A named shop, station, school ... (imported).
    Place,
    /// A street named alone: its middle, approximate.
    Street,
    /// A zone named in the text: a point inside it, approximate.
    Zone,
    /// Placed by a dispatcher.
    Dispatcher,
}

impl LocatedBy {
    pub const ALL: [LocatedBy; 8] = [
        LocatedBy::Coordinates,
        LocatedBy::Link,
        LocatedBy::Address,
        LocatedBy::Intersection,
        LocatedBy::Place,
        LocatedBy::Street,
        LocatedBy::Zone,
        LocatedBy::Dispatcher,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LocatedBy::Coordinates => "coordinates",
            LocatedBy::Link => "link",
            LocatedBy::Address => "address",
            LocatedBy::Intersection => "intersection",
            LocatedBy::Place => "place",
            LocatedBy::Street => "street",
            LocatedBy::Zone => "zone",
            LocatedBy::Dispatcher => "dispatcher",
        }
    }

    pub fn parse(s: &str) -> Option<LocatedBy> {
        LocatedBy::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::LocatedBy;

    #[test]
    fn each_value_reads_back_from_its_text() {
        for l in LocatedBy::ALL {
            assert_eq!(LocatedBy::parse(l.as_str()), Some(l));
        }
        assert_eq!(LocatedBy::parse("guess"), None);
    }
}
