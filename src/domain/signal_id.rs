//! Signal account ids (ACI): a UUID, the stable key of a Signal user whose number may be hidden.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SignalId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a Signal account id (a UUID like 0b6a7e5c-3f1e-4c1a-9d2b-8e7f6a5b4c3d)")]
pub struct SignalIdError;

impl SignalId {
    pub fn parse(input: &str) -> Result<SignalId, SignalIdError> {
        let id = uuid::Uuid::try_parse(input.trim()).map_err(|_| SignalIdError)?;
        if id.is_nil() {
            return Err(SignalIdError);
        }
        Ok(SignalId(id.hyphenated().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SignalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignalId(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_accepted_in_canonical_form() {
        let id = SignalId::parse("0B6A7E5C-3F1E-4C1A-9D2B-8E7F6A5B4C3D").unwrap();
        assert_eq!(id.as_str(), "0b6a7e5c-3f1e-4c1a-9d2b-8e7f6a5b4c3d");
        assert!(SignalId::parse("+13235550199").is_err());
        assert!(SignalId::parse("00000000-0000-0000-0000-000000000000").is_err());
        assert!(!format!("{id:?}").contains("0b6a"));
    }
}
