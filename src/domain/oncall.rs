//! Dispatchers on call (issue 14): why an incident waits for a person, what a page is, and the
//! words a dispatcher texts from their registered phone (`DUTY ON`, `DUTY OFF`, `ACK12`).

/// Why an incident needs a dispatcher now, rather than whenever one opens the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedsPerson {
    /// No verifier within reach could be asked.
    NoVerifier,
    /// Every round of verifiers was asked and none answered.
    VerifiersSilent,
    /// Nobody could place the report (`oncall.page_after_s`).
    Unplaced,
    /// The hotline is over its limit: reports are held, a person must look.
    Flood,
}

impl NeedsPerson {
    /// A few words for the page and the incident's history.
    pub fn describe(self) -> &'static str {
        match self {
            NeedsPerson::NoVerifier => "no verifier within reach",
            NeedsPerson::VerifiersSilent => "no verifier answered",
            NeedsPerson::Unplaced => "could not be placed",
            NeedsPerson::Flood => "hotline over its limit",
        }
    }
}

/// Where a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStatus {
    Queued,
    Sent,
    Failed,
    /// Not sent: the incident was acknowledged first.
    Canceled,
}

/// A paging round: first those on duty; then, unanswered or with nobody on duty, everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Round {
    OnDuty = 1,
    Everyone = 2,
}

impl Round {
    pub fn number(self) -> i64 {
        self as i64
    }
}

/// What a dispatcher texted from their registered phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatcherWord {
    Duty(bool),
    /// `ACK12` (also `ACK 12`, `ack #12`); a bare `ACK` takes the latest page.
    Ack(Option<i64>),
}

impl DispatcherWord {
    /// The words, in any case, with the spaces and `#` people type; anything more is not one.
    pub fn parse(text: &str) -> Option<DispatcherWord> {
        let upper = text.trim().to_uppercase();
        let words: Vec<&str> = upper.split_whitespace().collect();
        match words.as_slice() {
            ["DUTY", "ON"] => Some(DispatcherWord::Duty(true)),
            ["DUTY", "OFF"] => Some(DispatcherWord::Duty(false)),
            ["ACK"] => Some(DispatcherWord::Ack(None)),
            ["ACK", n] => number(n).map(|n| DispatcherWord::Ack(Some(n))),
            [one] => one
                .strip_prefix("ACK")
                .and_then(number)
                .map(|n| DispatcherWord::Ack(Some(n))),
            _ => None,
        }
    }
}

fn number(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::DispatcherWord::{Ack, Duty};
    use super::*;

    #[test]
    fn what_a_dispatcher_types_under_stress() {
        for (text, word) in [
            ("DUTY ON", Some(Duty(true))),
            (" duty  off ", Some(Duty(false))),
            ("Duty on", Some(Duty(true))),
            ("ACK12", Some(Ack(Some(12)))),
            ("ack 12", Some(Ack(Some(12)))),
            ("Ack #12", Some(Ack(Some(12)))),
            ("ACK#7", Some(Ack(Some(7)))),
            ("ack", Some(Ack(None))),
        ] {
            assert_eq!(DispatcherWord::parse(text), word, "{text}");
        }
    }

    #[test]
    fn anything_else_is_not_a_command() {
        for text in [
            "",
            "DUTY",
            "duty maybe",
            "ACK12 on my way",
            "ACK -3",
            "ACK 0",
            "ACKNOWLEDGE",
            "ACK 99999999999999999999",
            "ack twelve",
            "on duty",
            "ICE at 3rd and Vermont, ACK",
        ] {
            assert_eq!(DispatcherWord::parse(text), None, "{text:?}");
        }
    }
}
