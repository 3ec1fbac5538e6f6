//! Reading the words of volunteers (answers to alerts, carrier keywords) and of reporters (what
//! an incident is about, which language they write in).
//!
//! Guarantees: every function is total and never panics on any text (all of it comes from
//! strangers' phones); work is linear in the input, and answers/keywords are refused outright
//! beyond a short length; folding ignores case and accents (NFD, combining marks dropped), so
//! `SÍ`, `Sí`, `si` and `si` with a decomposed accent read alike.

use unicode_normalization::UnicodeNormalization;

use crate::domain::{Answer, Kind, Language, SubscriptionKeyword};

/// Longer than any accepted answer or keyword (bytes, after trimming): anything longer is a
/// sentence, not an answer, and is refused before any normalisation work.
const MAX_ANSWER_BYTES: usize = 64;

pub(crate) use crate::domain::fold::fold;

/// Whole words of folded text: runs of letters and digits (so `7-Eleven` is `7`, `eleven`).
fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A volunteer's reply, bare (`Y`, `si voy`, `네`, `到了`) or naming its incident (`Y26`, `#26 si`):
/// the words are the catalogues' `answer-words-*` (see `phrases`). Case, accents, surrounding
/// whitespace and punctuation (.!¡?¿) are ignored; the whole message must be the answer.
/// Anything else -> None (the dispatcher reads it).
///
/// Note: `YES` is also a Twilio opt-in keyword (PROTOCOLS §4); the caller that sees `YES` from an
/// opted-out number must know Twilio has just re-subscribed it.
#[must_use]
pub fn parse_answer(text: &str) -> Option<Answer> {
    crate::intake::phrases::parse_answer(text).map(|said| said.answer)
}

/// Whole-body carrier keyword per PROTOCOLS §4 (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
/// REVOKE, OPTOUT -> Stop; START, UNSTOP -> Start; HELP, INFO -> Help). Case-insensitive,
/// trimmed; "stop please" -> None.
///
/// `YES` is deliberately not mapped: Twilio treats it as opt-in too, but tocsin reads it as
/// Coming (see `parse_answer`). Case folding is ASCII-only, mirroring the carriers' rule, so
/// look-alikes such as `ſtop` (long s) are not keywords. Punctuation is not stripped (`STOP.` ->
/// None), because tocsin mirrors Twilio's exact whole-body rule rather than guessing.
#[must_use]
pub fn subscription_keyword(text: &str) -> Option<SubscriptionKeyword> {
    const STOP: &[&str] = &[
        "STOP",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPTOUT",
    ];
    const START: &[&str] = &["START", "UNSTOP"];
    const HELP: &[&str] = &["HELP", "INFO"];
    let t = text.trim();
    let is = |list: &[&str]| list.iter().any(|k| t.eq_ignore_ascii_case(k));
    if is(STOP) {
        Some(SubscriptionKeyword::Stop)
    } else if is(START) {
        Some(SubscriptionKeyword::Start)
    } else if is(HELP) {
        Some(SubscriptionKeyword::Help)
    } else {
        None
    }
}

/// Opt-out and opt-in words in the catalogues' languages (`opt-out-words = BAJA, PARAR,
/// CANCELAR`, `opt-in-words = ALTA`): the whole message, trimmed, ignoring case, accents and
/// surrounding punctuation. Returns the keyword and the language the word belongs to, in which
/// tocsin confirms it. Carriers do not know these words, so tocsin itself keeps the opt-out
/// and answers; the carriers' own words (`subscription_keyword`) are checked first.
#[must_use]
pub fn consent_word(text: &str) -> Option<(SubscriptionKeyword, Language)> {
    let trimmed = text.trim();
    if trimmed.len() > MAX_ANSWER_BYTES {
        return None;
    }
    let folded = fold(trimmed);
    let word = folded.trim_matches(|c: char| c.is_whitespace() || ".!¡?¿。！？".contains(c));
    if word.is_empty() {
        return None;
    }
    let found =
        |key: &str, language: Language| crate::i18n::words(language, key).iter().any(|w| fold(w) == word);
    Language::all().into_iter().find_map(|language| {
        if found("opt-out-words", language) {
            Some((SubscriptionKeyword::Stop, language))
        } else if found("opt-in-words", language) {
            Some((SubscriptionKeyword::Start, language))
        } else {
            None
        }
    })
}

/// Phrases (sequences of folded whole words) that point to each kind.
const RAID: &[&[&str]] = &[
    &["ice"],
    &["migra"],
    &["la", "migra"],
    &["raid"],
    &["raids"],
    &["redada"],
    &["redadas"],
    &["immigration"],
    &["inmigracion"],
    &["cbp"],
    &["border", "patrol"],
    &["hsi"],
    &["detained"],
    &["detenidos"],
    &["arresting"],
];
const EVICTION: &[&[&str]] = &[
    &["eviction"],
    &["evictions"],
    &["evict"],
    &["evicting"],
    &["desalojo"],
    &["desalojos"],
    &["desalojan"],
    &["desahucio"],
    &["lockout"],
    &["locksmith", "changing", "locks"],
    &["bailiff"],
    &["marshal"],
    &["marshals"],
    &["sheriff", "serving"],
];
const POLICE: &[&[&str]] = &[
    &["police"],
    &["policia"],
    &["policias"],
    &["cops"],
    &["lapd"],
    &["nypd"],
    &["patrol", "car"],
    &["patrulla"],
    &["patrullas"],
];
/// Words after `ice` that make it frozen water, not the agency ("ice cream truck").
const NOT_THE_AGENCY: &[&str] = &["cream", "skating", "rink", "cube", "cubes"];

/// True when any phrase of `list` occurs in `words` as consecutive whole words.
fn mentions(words: &[&str], list: &[&[&str]]) -> bool {
    (0..words.len()).any(|i| {
        list.iter().any(|phrase| {
            let matched = words.get(i..i + phrase.len()) == Some(*phrase);
            matched && !(*phrase == ["ice"] && words.get(i + 1).is_some_and(|w| NOT_THE_AGENCY.contains(w)))
        })
    })
}

/// Guesses the kind from English and Spanish words (accent- and case-insensitive, whole words):
/// Raid: ice, migra, la migra, raid, redada, immigration, inmigracion, cbp, border patrol, hsi,
/// detained, detenidos, arresting; Eviction: eviction, evict, evicting, desalojo, desalojan,
/// desahucio, lockout, locksmith changing locks, bailiff, marshal, sheriff serving; Police:
/// police, policia, cops, lapd, nypd, patrol car, patrulla. None of them -> Other.
///
/// Precedence Raid > Eviction > Police: ICE with a police escort is a raid, and police at an
/// eviction are there for the eviction. Plurals of the listed nouns count too. `ice` followed by
/// `cream`, `skating`, `rink` or `cube(s)` does not count. A dispatcher can always correct the guess.
#[must_use]
pub fn guess_kind(text: &str) -> Kind {
    let folded = fold(text);
    let words: Vec<&str> = tokens(&folded).collect();
    // Korean and Chinese (issue 12): see `words_cjk`; the English and Spanish ones come first.
    let cjk = || cjk::guess_kind(text);
    if mentions(&words, RAID) || cjk() == Some(Kind::Raid) {
        Kind::Raid
    } else if mentions(&words, EVICTION) || cjk() == Some(Kind::Eviction) {
        Kind::Eviction
    } else if mentions(&words, POLICE) || cjk() == Some(Kind::Police) {
        Kind::Police
    } else {
        Kind::Other
    }
}

const SPANISH_WORDS: &[&str] = &[
    "en", "la", "el", "los", "las", "esta", "estan", "hay", "redada", "desalojo", "migra", "policia", "de",
    "que", "por", "vienen", "ayuda", "calle", "esquina",
];
const ENGLISH_WORDS: &[&str] = &[
    "the", "at", "on", "is", "are", "there", "raid", "eviction", "police", "street", "corner", "help", "come",
];

/// Guesses whether a short message is Spanish or English: Spanish markers (¿ ¡ ñ, accents, and
/// common words: en, la, el, los, las, esta, están, hay, redada, desalojo, migra, policia, de,
/// que, por, vienen, ayuda, calle, esquina) vs English ones (the, at, on, is, are, there, raid,
/// eviction, police, street, corner, help, come). Ties -> En.
///
/// Each marker character and each marker word scores one point for its language.
#[must_use]
pub fn guess_language(text: &str) -> Language {
    // NFC so that a decomposed accent (e + U+0301) counts like a precomposed one.
    let marks = text
        .nfc()
        .filter(|c| {
            matches!(
                c,
                '¿' | '¡'
                    | 'ñ'
                    | 'Ñ'
                    | 'á'
                    | 'é'
                    | 'í'
                    | 'ó'
                    | 'ú'
                    | 'ü'
                    | 'Á'
                    | 'É'
                    | 'Í'
                    | 'Ó'
                    | 'Ú'
                    | 'Ü'
            )
        })
        .count();
    // Hangul and Han characters say it at once.
    let hangul = text
        .chars()
        .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c) || ('\u{1100}'..='\u{11FF}').contains(c))
        .count();
    let han = text
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    if hangul > 0 && hangul >= han {
        return Language::KO;
    }
    if han > 0 {
        return Language::ZH;
    }
    let folded = fold(text);
    let (mut es, mut en) = (marks, 0usize);
    for w in tokens(&folded) {
        if SPANISH_WORDS.contains(&w) {
            es += 1;
        } else if ENGLISH_WORDS.contains(&w) {
            en += 1;
        }
    }
    if es > en {
        Language::ES
    } else {
        Language::EN
    }
}

#[path = "words_cjk.rs"]
mod cjk;

#[cfg(test)]
#[path = "words_tests.rs"]
mod tests;
