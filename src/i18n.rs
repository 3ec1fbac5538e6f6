//! The words tocsin sends, in every language it speaks: Fluent catalogues under `locales/<code>/`,
//! built into the binary. Adding a language is adding a folder with a `tocsin.ftl`; a message
//! missing from it falls back to English (and `missing()` lists it, for a test to report).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around values: they would turn every SMS into UCS-2.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language tocsin speaks: one of the catalogue folders (`en`, `es`, `ko`, `zh`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language(&'static str);

struct Known {
    codes: Vec<&'static str>,
    ids: HashMap<&'static str, LanguageIdentifier>,
}

fn known() -> &'static Known {
    static KNOWN: OnceLock<Known> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut codes: Vec<&'static str> = LOCALES
            .locales()
            .map(|id| &*Box::leak(id.to_string().into_boxed_str()))
            .collect();
        // English first (the fallback), then the others in a stable order.
        codes.sort_by_key(|c| (*c != "en", *c));
        codes.dedup();
        let ids = codes
            .iter()
            .filter_map(|c| c.parse().ok().map(|id| (*c, id)))
            .collect();
        Known { codes, ids }
    })
}

impl Language {
    pub const EN: Language = Language("en");
    pub const ES: Language = Language("es");
    pub const KO: Language = Language("ko");
    pub const ZH: Language = Language("zh");

    /// A language code tocsin has a catalogue for (case-insensitive, `es-MX` reads as `es`).
    pub fn parse(code: &str) -> Option<Language> {
        let code = code.trim().to_ascii_lowercase();
        let base = code.split(['-', '_']).next().unwrap_or("");
        known().codes.iter().find(|c| **c == base).map(|c| Language(c))
    }

    pub fn all() -> Vec<Language> {
        known().codes.iter().map(|c| Language(c)).collect()
    }

    /// Every code, for error messages.
    pub fn codes() -> Vec<&'static str> {
        known().codes.clone()
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The language's own name ("Español"), from its catalogue.
    pub fn name(self) -> String {
        text(self, "language-name", &[])
    }

    /// A numbered menu of every language in its own name: "1 English, 2 Español, ...".
    pub fn menu() -> String {
        Language::all()
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{} {}", i + 1, l.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Language({})", self.0)
    }
}

/// The message `key` in `language` with its arguments, falling back to English.
pub fn text(language: Language, key: &str, args: &[(&'static str, String)]) -> String {
    let Some(id) = known().ids.get(language.0).or_else(|| known().ids.get("en")) else {
        return key.to_string();
    };
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES.lookup_with_args(id, key, &map)
}

/// A list of words from one catalogue only (no English fallback): the message `key` split at
/// commas, trimmed, empty items dropped. Empty when the catalogue has no such message. For
/// words people type (`opt-out-words = BAJA, PARAR`), which belong to their language.
pub fn words(language: Language, key: &str) -> Vec<String> {
    let Some(id) = known().ids.get(language.0) else {
        return Vec::new();
    };
    let none: Option<&HashMap<Cow<'static, str>, FluentValue>> = None;
    match LOCALES.lookup_single_language(id, key, none) {
        Ok(list) => list
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Messages English has and `language` lacks.
pub fn missing(language: Language) -> Vec<String> {
    const ENGLISH: &str = include_str!("../locales/en/tocsin.ftl");
    let Some(id) = known().ids.get(language.0) else {
        return vec!["<no catalogue>".into()];
    };
    // Every variable any English message uses, so that formatting fails only on absence.
    let vars: HashMap<&str, FluentValue> = ENGLISH
        .split("{ $")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once(' ')
                .map(|(name, _)| (name, FluentValue::from("x")))
        })
        .collect();
    ENGLISH
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
        .filter(|k| LOCALES.lookup_single_language(id, k, Some(&vars)).is_err())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message() {
        assert!(Language::all().len() >= 4, "{:?}", Language::codes());
        for language in Language::all() {
            assert_eq!(
                missing(language),
                Vec::<String>::new(),
                "{language} lacks messages"
            );
        }
    }

    #[test]
    fn codes_parse_loosely_and_unknown_ones_do_not() {
        assert_eq!(Language::parse("ES-mx"), Some(Language::ES));
        assert_eq!(Language::parse(" ko "), Some(Language::KO));
        assert_eq!(Language::parse("fr"), None);
        assert_eq!(Language::all()[0], Language::EN);
    }

    #[test]
    fn arguments_are_placed_without_isolation_marks() {
        let t = text(Language::ES, "answer-cant", &[("id", "12".into())]);
        assert_eq!(t, "Anotado: no puedes ir a #12.");
        assert!(
            Language::menu().starts_with("1 English, 2 Español"),
            "{}",
            Language::menu()
        );
    }
}
