//! An update in the dispatcher's own words, a version per language: English is required and is
//! the fallback, so a volunteer whose language has no version of its own gets the English text
//! (after the prefix in their language). Pure: the action, the composer's live preview and the
//! confirmation page all build and measure the bodies here, so what is shown is what is sent.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::message::{self, Head, UPDATE_MAX_CHARS};
use crate::domain::sms::{self, Encoding, SmsLength};
use crate::domain::Language;
use crate::i18n::text;
use crate::store::alerts::Texts;

/// What the dispatcher wrote: English, and the other languages they wrote a version for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    english: String,
    own: Vec<(Language, String)>,
    /// A correction of the last update: labelled as such in each language; the update it
    /// follows is never taken back.
    correction: bool,
}

/// The field a language's version is named by in errors: `texts.es` (English is `text`).
pub fn field(language: Language) -> &'static str {
    static FIELDS: OnceLock<HashMap<Language, &'static str>> = OnceLock::new();
    let fields = FIELDS.get_or_init(|| {
        // One small string per catalogue, made once: the errors' field must be `'static`.
        Language::all()
            .into_iter()
            .map(|l| {
                let name: &'static str = if l == Language::EN {
                    "text"
                } else {
                    Box::leak(format!("texts.{l}").into_boxed_str())
                };
                (l, name)
            })
            .collect()
    });
    fields.get(&language).copied().unwrap_or("texts")
}

/// A version's text, trimmed, within the length limit; `field` names it if it is not.
fn checked(language: Language, raw: &str) -> Result<String, (&'static str, String)> {
    let text = raw.trim();
    if text.chars().count() > UPDATE_MAX_CHARS {
        return Err((
            field(language),
            format!(
                "the {} version must be at most {UPDATE_MAX_CHARS} characters",
                language.name()
            ),
        ));
    }
    Ok(text.to_string())
}

impl Versions {
    /// English (required, 1 to `UPDATE_MAX_CHARS` characters) and the others given; an empty
    /// other version is none (those readers get English). Err: (field, why).
    pub fn new(english: &str, others: &[(Language, &str)]) -> Result<Versions, (&'static str, String)> {
        let text = checked(Language::EN, english)?;
        if text.is_empty() {
            return Err((
                "text",
                format!("the update must be 1 to {UPDATE_MAX_CHARS} characters (English, read by anyone without a version in their language)"),
            ));
        }
        let mut own = Vec::new();
        for (language, raw) in others {
            if *language == Language::EN {
                return Err(("texts.en", "English is the update's text itself (`text`)".into()));
            }
            let version = checked(*language, raw)?;
            if !version.is_empty() && !own.iter().any(|(l, _)| l == language) {
                own.push((*language, version));
            }
        }
        Ok(Versions {
            english: text,
            own,
            correction: false,
        })
    }

    /// What is typed so far, unchecked: only for showing its size while it is written.
    pub fn draft(english: &str, others: &[(Language, &str)]) -> Versions {
        let own = others
            .iter()
            .filter(|(l, t)| *l != Language::EN && !t.trim().is_empty())
            .map(|(l, t)| (*l, t.trim().to_string()))
            .collect();
        Versions {
            english: english.trim().to_string(),
            own,
            correction: false,
        }
    }

    /// The same, sent as a correction of the last update.
    pub fn as_correction(mut self) -> Versions {
        self.correction = true;
        self
    }

    pub fn is_correction(&self) -> bool {
        self.correction
    }

    /// The languages with a version of their own, besides English.
    pub fn own_languages(&self) -> Vec<Language> {
        self.own.iter().map(|(l, _)| *l).collect()
    }

    /// Whether `language` reads a version of its own (English always does).
    pub fn has_own(&self, language: Language) -> bool {
        language == Language::EN || self.own.iter().any(|(l, _)| *l == language)
    }

    /// What a reader of `language` gets in the dispatcher's words: theirs, else English.
    pub fn text_for(&self, language: Language) -> &str {
        self.own
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, t)| t.as_str())
            .unwrap_or(&self.english)
    }

    /// The whole message a reader of `language` gets: the prefix in their language, then the
    /// version they read (a correction labelled in their language), folded to GSM-7 where it can be.
    pub fn body(&self, language: Language, head: &Head) -> String {
        let words = self.text_for(language);
        let words = if self.correction {
            text(language, "correction", &[("text", words.to_string())])
        } else {
            words.to_string()
        };
        message::update(language, head, &words)
    }

    /// Every language's body, English first (the alert's default for anyone else).
    pub fn bodies(&self, head: &Head) -> Texts {
        Language::all()
            .into_iter()
            .map(|l| (l.as_str(), self.body(l, head)))
            .collect()
    }
}

/// One language's message as it will be sent, and its size.
#[derive(Debug, Clone)]
pub struct Measured {
    pub language: Language,
    /// It reads a version of its own (else English's).
    pub own: bool,
    pub body: String,
    pub length: SmsLength,
}

/// Every language's message and its size, English first.
pub fn measure_all(versions: &Versions, head: &Head) -> Vec<Measured> {
    Language::all()
        .into_iter()
        .map(|language| {
            let body = versions.body(language, head);
            let length = sms::measure(&body);
            Measured {
                language,
                own: versions.has_own(language),
                body,
                length,
            }
        })
        .collect()
}

/// The dearer of two sizes: more segments, then UCS-2 over GSM-7.
pub fn worst(a: SmsLength, b: SmsLength) -> SmsLength {
    let rank = |l: &SmsLength| (l.segments, l.encoding == Encoding::Ucs2);
    if rank(&b) > rank(&a) {
        b
    } else {
        a
    }
}

/// "1 SMS segment · GSM-7", "2 segments · UCS-2 (costs more)".
pub fn describe(length: SmsLength) -> String {
    let count = if length.segments == 1 {
        "1 SMS segment".to_string()
    } else {
        format!("{} segments", length.segments)
    };
    match length.encoding {
        Encoding::Gsm7 => format!("{count} · GSM-7"),
        Encoding::Ucs2 => format!("{count} · UCS-2 (costs more)"),
    }
}

#[cfg(test)]
#[path = "versions_tests.rs"]
mod tests;
