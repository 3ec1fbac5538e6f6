//! The words that decide a request to check: CONFIRM and NOTHING, and their translations,
//! listed in every catalogue (`verify-words-confirm`, `verify-words-nothing`) and read from all
//! of them, so that a Korean verifier may type CONFIRM and an English one CONFIRMAR.
//!
//! Guarantees: only a whole message that is one of these words decides (case, accents and
//! surrounding punctuation ignored), optionally with the incident's number before or after it,
//! spaced or not, as an answer carries it (`CONFIRM 12`, `CONFIRM12`, `NADA #12`,
//! `12 confirm`); "yes", "no", "si", "ok", 1, 2 never do. Total on any text and refused beyond a
//! short length before any work.

use std::sync::OnceLock;

use crate::domain::fold::fold;
use crate::domain::{CheckAnswer, Language};
use crate::i18n::text;
use crate::intake::phrases::split_number;

/// Longer than any decision word with an incident number (bytes, after trimming).
const MAX_BYTES: usize = 64;

/// A verifier's decision, and the incident it names when they gave its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// `Confirm` or `Nothing`, never `Other`.
    pub answer: CheckAnswer,
    pub incident: Option<i64>,
}

struct Words {
    confirm: Vec<String>,
    nothing: Vec<String>,
}

/// Folded, whitespace-collapsed words of every catalogue, read once.
fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let read = |key: &str| {
            let mut all: Vec<String> = Language::all()
                .into_iter()
                .flat_map(|l| text(l, key, &[]).split(',').map(normal).collect::<Vec<_>>())
                .filter(|w| !w.is_empty())
                .collect();
            all.sort();
            all.dedup();
            all
        };
        Words {
            confirm: read("verify-words-confirm"),
            nothing: read("verify-words-nothing"),
        }
    })
}

/// Folded, without surrounding punctuation or symbols, inner whitespace collapsed.
fn normal(s: &str) -> String {
    let folded = fold(s);
    let core = folded.trim_matches(|c: char| !c.is_alphanumeric());
    core.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `CONFIRM`, `confirm #12`, `CONFIRM12`, `12 confirm`, `¡Nada!`, `확인됨`, `没发现12` -> a
/// decision; anything else None.
#[must_use]
pub fn parse(message: &str) -> Option<Decision> {
    let trimmed = message.trim();
    if trimmed.len() > MAX_BYTES {
        return None;
    }
    let whole = normal(trimmed);
    // The incident's number, before or after the word, spaced or not, with or without '#':
    // the same forms as an answer's (`CONFIRM26`, `confirm #26`, `26 confirm`).
    let (word, incident) = match split_number(&whole) {
        Some((word, number)) => {
            let number = number.parse::<i64>().ok().filter(|n| *n > 0)?;
            (normal(word), Some(number))
        }
        None => (whole, None),
    };
    let w = words();
    let answer = if w.confirm.contains(&word) {
        CheckAnswer::Confirm
    } else if w.nothing.contains(&word) {
        CheckAnswer::Nothing
    } else {
        return None;
    };
    Some(Decision { answer, incident })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(s: &str) -> Option<CheckAnswer> {
        parse(s).map(|d| d.answer)
    }

    #[test]
    fn only_the_decision_words_of_any_catalogue_decide() {
        for s in [
            "CONFIRM",
            "confirm.",
            " Confirmed! ",
            "CONFIRMAR",
            "¡Confirmo!",
            "있음",
            "확인됨",
            "确认",
            "属实。",
        ] {
            assert_eq!(answer(s), Some(CheckAnswer::Confirm), "{s}");
        }
        for s in [
            "NOTHING",
            "nothing.",
            "NADA",
            "¡Nada!",
            "없음",
            "没发现",
            "没有发现！",
        ] {
            assert_eq!(answer(s), Some(CheckAnswer::Nothing), "{s}");
        }
    }

    #[test]
    fn yes_no_numbers_and_sentences_never_decide() {
        for s in [
            "yes",
            "Y",
            "no",
            "n",
            "si",
            "Sí",
            "ok",
            "1",
            "2",
            "voy",
            "네",
            "아니요",
            "好",
            "没有",
            "是",
            "confirm?? where is it exactly",
            "nothing yet, on my way",
            "de nada",
            "",
            "   ",
            "#12",
            "12",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
        assert_eq!(parse(&"confirm ".repeat(20)), None, "too long to be a decision");
    }

    #[test]
    fn a_number_after_the_word_names_the_incident() {
        assert_eq!(
            parse("CONFIRM 12"),
            Some(Decision {
                answer: CheckAnswer::Confirm,
                incident: Some(12)
            })
        );
        assert_eq!(
            parse("nada #7."),
            Some(Decision {
                answer: CheckAnswer::Nothing,
                incident: Some(7)
            })
        );
        assert_eq!(parse("confirm 0"), None);
        assert_eq!(parse("confirm0"), None);
        assert_eq!(parse("confirm 99999999999999999999999"), None);
        assert_eq!(parse("yes 12"), None);
    }

    fn decided(s: &str) -> Option<(CheckAnswer, Option<i64>)> {
        parse(s).map(|d| (d.answer, d.incident))
    }

    #[test]
    fn the_number_may_be_written_as_an_answer_writes_it() {
        let confirm = Some((CheckAnswer::Confirm, Some(26)));
        for s in [
            "CONFIRM26",
            "confirm26",
            "Confirm 26",
            "CONFIRM #26",
            "confirm#26",
            "confirm-26",
            "26 confirm",
            "26CONFIRM",
            "#26 confirm",
            " ¡Confirmó 26! ",
            "CONFIRMAR26",
            "confirmed 26.",
            "확인됨26",
            "确认26",
            "26 确认",
        ] {
            assert_eq!(decided(s), confirm, "{s:?}");
        }
        let nothing = Some((CheckAnswer::Nothing, Some(26)));
        for s in [
            "NOTHING26",
            "nothing 26",
            "Nothing #26",
            "26 nothing",
            "nada26",
            "없음 26",
            "没发现26",
        ] {
            assert_eq!(decided(s), nothing, "{s:?}");
        }
    }

    #[test]
    fn a_number_glued_to_something_else_decides_nothing() {
        for s in [
            "CONFIRM26X",
            "confirm 26x",
            "x26 confirm",
            "confirmx 26",
            "confirm 26 27",
            "26 confirm 27",
            "confirm 26 please",
            "yes26",
            "26",
            "#26",
            "26 26",
            "nothing26?? what",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }
}
