//! The domain's vocabulary in SQL: `IN (...)` lists and values written from the domain's own
//! sets (`IncidentStatus::OPEN` ...), so that each is defined once, and rows read back into the
//! domain's types.

use std::fmt;

use crate::domain::{IncidentStatus, Named};

/// `('a', 'b')`: an SQL list of names, for `status IN {list}`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct In<T: 'static>(pub &'static [T]);

impl<T: Named> fmt::Display for In<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "'{}'", v.name())?;
        }
        f.write_str(")")
    }
}

/// Statuses of an incident still being handled.
pub(crate) const OPEN: In<IncidentStatus> = In(IncidentStatus::OPEN);
/// Statuses of an incident not decided yet.
pub(crate) const UNDECIDED: In<IncidentStatus> = In(IncidentStatus::UNDECIDED);

/// A stored name read back as the domain's value; a name the code does not know is a decoding
/// error naming the column (the database's CHECK constraints keep them out).
pub(crate) fn decode<T>(column: &str, name: &str, parse: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    parse(name).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("{column}: {name:?} is not a known value").into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_written_from_the_domain() {
        assert_eq!(OPEN.to_string(), "('unverified', 'verifying', 'confirmed')");
        assert_eq!(UNDECIDED.to_string(), "('unverified', 'verifying')");
        let err = decode("status", "bogus", IncidentStatus::parse).unwrap_err();
        assert!(err.to_string().contains("status"), "{err}");
    }
}
