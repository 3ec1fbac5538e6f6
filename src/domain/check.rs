//! A verifier's answer to a request to check, as kept for the dispatcher. Only `Confirm` and
//! `Nothing` decide anything; `Other` is anything else a verifier sent while asked to check
//! ("yes", "ok", a question), which is shown and never changes the incident.

/// What a verifier's message to a request to check was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckAnswer {
    /// CONFIRM (or a translation): they see it; the incident is confirmed.
    Confirm,
    /// NOTHING (or a translation): nothing there; counts towards `not_found`.
    Nothing,
    /// Anything else: kept and shown, decides nothing.
    Other,
}

impl CheckAnswer {
    /// Every name, as stored (the column's CHECK lists the same).
    pub const NAMES: &'static [&'static str] = &["confirm", "nothing", "other"];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Nothing => "nothing",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "confirm" => Some(Self::Confirm),
            "nothing" => Some(Self::Nothing),
            "other" => Some(Self::Other),
            _ => None,
        }
    }
}

impl std::fmt::Display for CheckAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::CheckAnswer;

    #[test]
    fn names_read_back() {
        for name in CheckAnswer::NAMES {
            assert_eq!(CheckAnswer::parse(name).map(CheckAnswer::as_str), Some(*name));
        }
        assert_eq!(CheckAnswer::parse("yes"), None);
    }
}
