//! What an API token may do. Scopes nest: `admin` ⊃ `dispatch` ⊃ `read`, so a route needing
//! `dispatch` admits `dispatch` and `admin` tokens.

/// The scope of an API token, least to most. The order is the nesting: compare with `allows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Incidents and counts.
    Read,
    /// Also the incident actions, reports, the blocklist and volunteers with masked numbers.
    Dispatch,
    /// Everything: volunteers, roles, trust, zones, tokens, the audit log and whole numbers.
    Admin,
}

impl Scope {
    /// Every name, least to most, for error messages.
    pub const NAMES: &'static [&'static str] = &["read", "dispatch", "admin"];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Dispatch => "dispatch",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "dispatch" => Some(Scope::Dispatch),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }

    /// Whether a token of this scope may do what needs `needed`.
    pub fn allows(self, needed: Scope) -> bool {
        self >= needed
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_nest_admin_over_dispatch_over_read() {
        assert!(Scope::Admin.allows(Scope::Dispatch) && Scope::Admin.allows(Scope::Read));
        assert!(Scope::Dispatch.allows(Scope::Read) && Scope::Dispatch.allows(Scope::Dispatch));
        assert!(!Scope::Dispatch.allows(Scope::Admin));
        assert!(!Scope::Read.allows(Scope::Dispatch));
    }

    #[test]
    fn names_read_back() {
        for name in Scope::NAMES {
            assert_eq!(Scope::parse(name).map(Scope::as_str), Some(*name));
        }
        assert_eq!(Scope::parse("Admin"), None);
        assert_eq!(Scope::parse(""), None);
    }
}
