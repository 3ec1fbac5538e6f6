//! Phone numbers: only valid E.164 numbers exist past the edge of the system.

use std::fmt;

/// A phone number in E.164 form (`+` and up to 15 digits), checked against libphonenumber's
/// metadata. Its `Debug` hides the digits so that it cannot end up in a log by accident.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("must be in E.164 form, starting with + and the country code (like +12135550100)")]
    NotE164,
    #[error("is not a valid phone number")]
    Invalid,
}

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let trimmed = input.trim();
        let digits = trimmed.strip_prefix('+').ok_or(PhoneError::NotE164)?;
        if digits.is_empty()
            || digits.len() > 15
            || digits.starts_with('0')
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(PhoneError::NotE164);
        }
        let parsed = phonenumber::parse(None, trimmed).map_err(|_| PhoneError::Invalid)?;
        if !phonenumber::is_valid(&parsed) {
            return Err(PhoneError::Invalid);
        }
        Ok(Phone(parsed.format().mode(phonenumber::Mode::E164).to_string()))
    }

    /// The number itself: for encryption, hashing and the provider; never for logs.
    pub fn e164(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The country code is enough to debug routing; the rest identifies a person.
        let cc: String = self.0.chars().take(3).collect();
        write!(f, "Phone({cc}…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_are_kept_in_e164() {
        assert_eq!(Phone::parse("+12135550100").unwrap().e164(), "+12135550100");
        assert_eq!(Phone::parse(" +34612345678 ").unwrap().e164(), "+34612345678");
    }

    #[test]
    fn numbers_without_country_code_or_with_junk_are_refused() {
        assert_eq!(Phone::parse("2135550100"), Err(PhoneError::NotE164));
        assert_eq!(Phone::parse("+1 213 555 0100"), Err(PhoneError::NotE164));
        assert_eq!(Phone::parse("+"), Err(PhoneError::NotE164));
        assert_eq!(Phone::parse("+0123456789"), Err(PhoneError::NotE164));
        assert_eq!(Phone::parse("+1234567890123456"), Err(PhoneError::NotE164));
        assert_eq!(Phone::parse("+1555"), Err(PhoneError::Invalid));
    }

    #[test]
    fn debug_output_hides_the_number() {
        let shown = format!("{:?}", Phone::parse("+12135550100").unwrap());
        assert!(!shown.contains("5550100"), "{shown}");
    }
}
