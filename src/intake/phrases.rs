//! The words volunteers answer and command with, as they write them, in every catalogue's
//! language: the lists live in `locales/*/tocsin.ftl` (`answer-words-*`, `command-words-*`) and
//! are read from all catalogues at once, so a volunteer set to English may still write `voy`.
//!
//! Guarantees: total on any text, refused beyond a short length before any work; case, accents,
//! inner spacing and surrounding punctuation never matter. An answer may name its incident
//! (`Y26`, `Y 26`, `26Y`, `yes #26`, `#26 si`); a command word of four or more letters also
//! matches with one typo (`HEPL`, `STAUTS`), never a shorter one, and never an answer word.

use std::sync::OnceLock;

use crate::domain::fold::fold;
use crate::domain::{Answer, Language};

/// Longer than any answer with its number (bytes, after trimming).
const MAX_BYTES: usize = 64;
/// The longest incident number read from an answer.
const MAX_DIGITS: usize = 12;
/// Keywords this long (in characters) or longer also match with one typo.
pub const FUZZY_FROM: usize = 4;

/// An answer, and the incident it names when it carries a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Said {
    pub answer: Answer,
    pub incident: Option<i64>,
}

/// A command's word, in whichever language it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Help,
    Join,
    Pause,
    Resume,
    Status,
    Area,
    Lang,
}

const COMMANDS: [(Word, &str); 7] = [
    (Word::Help, "command-words-help"),
    (Word::Join, "command-words-join"),
    (Word::Pause, "command-words-pause"),
    (Word::Resume, "command-words-resume"),
    (Word::Status, "command-words-status"),
    (Word::Area, "command-words-area"),
    (Word::Lang, "command-words-lang"),
];

struct Lists {
    answers: Vec<(String, Answer)>,
    commands: Vec<(String, Word)>,
}

/// Every catalogue's words, normalised, read once.
fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let read = |key: &str| -> Vec<String> {
            let mut all: Vec<String> = Language::all()
                .into_iter()
                .flat_map(|l| crate::i18n::words(l, key))
                .map(|w| normal(&w))
                .filter(|w| !w.is_empty())
                .collect();
            all.sort();
            all.dedup();
            all
        };
        let mut answers = Vec::new();
        for (key, answer) in [
            ("answer-words-coming", Answer::Coming),
            ("answer-words-cant", Answer::Cant),
            ("answer-words-here", Answer::OnScene),
            ("answer-words-maybe", Answer::Maybe),
        ] {
            answers.extend(read(key).into_iter().map(|w| (w, answer)));
        }
        let commands = COMMANDS
            .iter()
            .flat_map(|(word, key)| read(key).into_iter().map(move |w| (w, *word)))
            .collect();
        Lists { answers, commands }
    })
}

/// Folded, without surrounding punctuation or symbols, inner whitespace collapsed to one space.
pub fn normal(s: &str) -> String {
    let folded = fold(s);
    let core = folded.trim_matches(|c: char| c.is_whitespace() || ".!¡?¿。！？、".contains(c));
    core.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn answer_word(word: &str) -> Option<Answer> {
    lists().answers.iter().find(|(w, _)| w == word).map(|(_, a)| *a)
}

/// A volunteer's answer, with the incident's number when they gave one. None for anything else.
#[must_use]
pub fn parse_answer(text: &str) -> Option<Said> {
    let trimmed = text.trim();
    if trimmed.len() > MAX_BYTES {
        return None;
    }
    let whole = normal(trimmed);
    if let Some(answer) = answer_word(&whole) {
        return Some(Said {
            answer,
            incident: None,
        });
    }
    let (word, number) = split_number(&whole)?;
    // A number only names an incident beside a word: "11" is not "1" for #1.
    if !word.chars().any(char::is_alphabetic) {
        return None;
    }
    let incident = number.parse::<i64>().ok().filter(|n| *n > 0)?;
    answer_word(word).map(|answer| Said {
        answer,
        incident: Some(incident),
    })
}

/// `y26`, `y 26`, `yes #26`, `y-26` -> ("y", "26"); `26y`, `#26 si` -> ("y"/"si", "26"). Also
/// how a verifier's decision carries its number (`CONFIRM26`, `26 confirm`).
pub(crate) fn split_number(whole: &str) -> Option<(&str, &str)> {
    let is_sep = |c: char| c == ' ' || c == '#' || c == '-';
    let digits_end = whole.trim_end_matches(|c: char| c.is_ascii_digit());
    let trailing = &whole[digits_end.len()..];
    if !trailing.is_empty() && trailing.len() <= MAX_DIGITS {
        let word = digits_end.trim_end_matches(is_sep);
        if !word.is_empty() {
            return Some((word, trailing));
        }
    }
    let start = whole.trim_start_matches('#');
    let rest = start.trim_start_matches(|c: char| c.is_ascii_digit());
    let leading = &start[..start.len() - rest.len()];
    let word = rest.trim_start_matches(is_sep);
    (!leading.is_empty() && leading.len() <= MAX_DIGITS && !word.is_empty()).then_some((word, leading))
}

/// Whether `typed` is `keyword` with at most one typo: one letter changed, added, dropped, or
/// two neighbours swapped. Only for keywords of `FUZZY_FROM` characters or more.
#[must_use]
pub fn one_typo(typed: &str, keyword: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (typed.chars().collect(), keyword.chars().collect());
    if b.len() < FUZZY_FROM || a.len() < FUZZY_FROM {
        return a == b;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().abs_diff(rb.len()) {
        0 if ra.is_empty() => true,
        // One changed, or two neighbours swapped.
        0 => ra[1..] == rb[1..] || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..]),
        1 if ra.len() > rb.len() => ra[1..] == *rb,
        1 => *ra == rb[1..],
        _ => false,
    }
}

/// The command a (normalised) word is, exactly.
#[must_use]
pub fn exact_command_word(word: &str) -> Option<Word> {
    lists().commands.iter().find(|(k, _)| k == word).map(|(_, w)| *w)
}

/// The command a (normalised) word is, exactly or with one typo; never an answer word.
#[must_use]
pub fn command_word(word: &str) -> Option<Word> {
    let lists = lists();
    if let Some(w) = exact_command_word(word) {
        return Some(w);
    }
    if answer_word(word).is_some() {
        return None;
    }
    lists
        .commands
        .iter()
        .find(|(k, _)| one_typo(word, k))
        .map(|(_, w)| *w)
}

/// Command words written without a space before their argument (`区域好莱坞`): the word
/// and the rest, for the catalogue words in scripts that do not space words.
#[must_use]
pub fn unspaced_command(folded: &str) -> Option<(Word, &str)> {
    lists()
        .commands
        .iter()
        .filter(|(k, _)| !k.is_ascii())
        .find_map(|(k, w)| folded.strip_prefix(k.as_str()).map(|rest| (*w, rest.trim())))
}

/// Whether a whole message is one of the answer or command words (exactly), which must never
/// be read as something else by fuzzy matching.
#[must_use]
pub fn is_known_word(text: &str) -> bool {
    let whole = normal(text);
    answer_word(&whole).is_some() || lists().commands.iter().any(|(k, _)| *k == whole)
}

/// Whether the text holds one of the catalogues' `sighting-words` (whole words, or for Hangul
/// and Han, anywhere): such a message is a sighting, never unclear.
#[must_use]
pub fn has_sighting_word(text: &str) -> bool {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        Language::all()
            .into_iter()
            .flat_map(|l| crate::i18n::words(l, "sighting-words"))
            .map(|w| normal(&w))
            .filter(|w| !w.is_empty())
            .collect()
    });
    let folded = fold(text);
    let tokens: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .iter()
        .any(|w| tokens.contains(&w.as_str()) || (!w.is_ascii() && folded.contains(w.as_str())))
}

/// The carriers' opt-out words that are long enough to match with one typo.
const CARRIER_OPT_OUT: [&str; 5] = ["stop", "stopall", "unsubscribe", "cancel", "optout"];

/// An opt-out word with one typo (`STPO`, `UNSUSCRIBE`, `CANCELR`), or the carriers' word with
/// punctuation (`Stop.`), which carriers do not act on: tocsin keeps the opt-out itself and
/// says so (never silently). Exact words, answers and commands are never read this way.
#[must_use]
pub fn near_opt_out(text: &str) -> bool {
    let trimmed = text.trim();
    if trimmed.len() > MAX_BYTES || is_known_word(trimmed) {
        return false;
    }
    let whole = normal(trimmed);
    let catalogues = Language::all()
        .into_iter()
        .flat_map(|l| crate::i18n::words(l, "opt-out-words"))
        .map(|w| normal(&w));
    CARRIER_OPT_OUT
        .iter()
        .map(|w| w.to_string())
        .chain(catalogues)
        .any(|w| w.chars().count() >= FUZZY_FROM && one_typo(&whole, &w))
}

#[cfg(test)]
#[path = "phrases_tests.rs"]
mod tests;
