//! Tests of `message.rs`: every text names the mobilisation and asks for replies `parse_answer`
//! reads with its number; the place only when given; no dangling separators or double spaces.

use super::*;
use crate::intake::phrases::{parse_answer, Said};
use Answer::{Cant, Coming, Maybe, OnScene};

const ID: i64 = 31;

fn about<'a>(place: Option<&'a str>, zone: Option<&'a str>, text: &'a str) -> About<'a> {
    About {
        id: ID,
        kind: "eviction",
        when: "Thu Dec 10 07:30",
        zone,
        place,
        text,
    }
}

const PLACE: &str = "1423 W 41st St";
const ZONE: &str = "Hollywood";

/// Every coded word in a text: a run of ASCII letters right before the number (`YES31`).
fn coded_words(s: &str) -> Vec<String> {
    let number = ID.to_string();
    let mut words = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find(&number) {
        let before = &rest[..at];
        let letters: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_alphabetic)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = rest[at + number.len()..].chars().next();
        if !letters.is_empty() && !after.is_some_and(|c| c.is_ascii_digit()) {
            words.push(format!("{letters}{number}"));
        }
        rest = &rest[at + number.len()..];
    }
    words
}

/// The answers a text asks for, each checked to be read back with the number.
fn asked(s: &str) -> Vec<Answer> {
    let mut answers: Vec<Answer> = coded_words(s)
        .iter()
        .map(|w| match parse_answer(w) {
            Some(Said {
                answer,
                incident: Some(ID),
            }) => answer,
            other => panic!("{w:?} in {s:?} is read as {other:?}"),
        })
        .collect();
    answers.sort_by_key(|a| a.as_str());
    answers.dedup();
    answers
}

fn sorted(mut v: Vec<Answer>) -> Vec<Answer> {
    v.sort_by_key(|a| a.as_str());
    v
}

type Text = fn(Language, &About) -> String;

/// Each text and the answers it asks for.
fn texts() -> Vec<(&'static str, Text, Vec<Answer>)> {
    vec![
        ("invitation", invitation, vec![Coming, Cant, Maybe]),
        ("reminder", reminder, vec![Coming, Cant]),
        ("changed", changed, vec![Coming, Cant, Maybe]),
        ("cancelled", cancelled, vec![]),
        ("live", live, vec![OnScene]),
        ("coming", |l, a| answered(l, Coming, a), vec![Cant]),
        ("cant", |l, a| answered(l, Cant, a), vec![Coming]),
        ("maybe", |l, a| answered(l, Maybe, a), vec![Coming]),
        ("here", |l, a| answered(l, OnScene, a), vec![]),
    ]
}

fn tidy(s: &str) {
    assert!(!s.contains("  "), "double space: {s:?}");
    for bad in [" ,", ",.", ", .", " .", "，。", "..", "\"\"", "“”"] {
        assert!(!s.contains(bad), "{bad:?} in {s:?}");
    }
    assert_eq!(s.trim(), s, "{s:?}");
    assert!(!s.contains("mob-"), "a missing message: {s:?}");
}

#[test]
fn every_text_names_the_number_and_asks_for_words_read_back() {
    for l in Language::all() {
        for (name, f, wanted) in texts() {
            for a in [
                about(Some(PLACE), Some(ZONE), "Bring water."),
                about(None, None, ""),
            ] {
                let s = f(l, &a);
                assert!(s.contains(&format!("#{ID}")), "{l} {name}: {s}");
                assert_eq!(asked(&s), sorted(wanted.clone()), "{l} {name}: {s}");
                tidy(&s);
            }
        }
    }
}

#[test]
fn spanish_asks_in_spanish_words() {
    let s = invitation(Language::ES, &about(None, Some(ZONE), ""));
    for w in ["SI31", "NO31", "QUIZAS31"] {
        assert!(s.contains(w), "{s}");
    }
    assert!(live(Language::ES, &about(None, None, "")).contains("AQUI31"));
    let s = invitation(Language::EN, &about(None, Some(ZONE), ""));
    for w in ["YES31", "NO31", "MAYBE31"] {
        assert!(s.contains(w), "{s}");
    }
}

#[test]
fn the_place_only_when_given_else_the_zone() {
    for l in Language::all() {
        let with = about(Some(PLACE), Some(ZONE), "");
        let zone_only = about(None, Some(ZONE), "");
        for (name, f, _) in texts() {
            assert!(!f(l, &zone_only).contains(PLACE), "{l} {name}");
        }
        for f in [invitation, reminder, changed, live] {
            let s = f(l, &with);
            assert!(s.contains(PLACE) && !s.contains(ZONE), "{l}: {s}");
            assert!(f(l, &zone_only).contains(ZONE), "{l}: {}", f(l, &zone_only));
        }
        assert!(answered(l, Coming, &with).contains(PLACE), "{l}");
        for answer in [Cant, Maybe, OnScene] {
            assert!(!answered(l, answer, &with).contains(PLACE), "{l} {answer:?}");
        }
        // A blank place is no place.
        let blank = about(Some("  "), Some(ZONE), "");
        assert!(invitation(l, &blank).contains(ZONE), "{l}");
        assert_eq!(
            answered(l, Coming, &blank),
            answered(l, Coming, &zone_only),
            "{l}"
        );
    }
}

#[test]
fn built_in_kinds_are_translated_and_others_shown_as_written() {
    let mut a = about(None, None, "");
    for l in Language::all() {
        for kind in BUILT_IN_KINDS {
            a.kind = kind;
            let s = invitation(l, &a);
            assert!(s.contains(&text(l, &format!("mob-kind-{kind}"), &[])), "{l}: {s}");
        }
        a.kind = "Tenant Union Picket";
        for s in [invitation(l, &a), cancelled(l, &a), live(l, &a)] {
            assert!(s.contains("Tenant Union Picket"), "{l}: {s}");
        }
    }
    let a = about(None, None, "");
    assert!(invitation(Language::EN, &a).contains("eviction defence"));
    assert!(invitation(Language::ES, &a).contains("desalojo"));
}

#[test]
fn english_invitation_fits_one_sms_for_a_short_text() {
    let a = About {
        id: 99_999,
        kind: "eviction",
        when: "Thu Dec 10 07:30",
        zone: Some("Boyle Heights"),
        place: Some("1423 W 41st St, Apt 2"),
        text: "Bring water, meet at the front steps.",
    };
    let s = invitation(Language::EN, &a);
    assert!(s.chars().count() < 160, "{} chars: {s}", s.chars().count());
    assert_eq!(
        invitation(Language::EN, &about(Some(PLACE), None, "Bring water.")),
        "Can you come? #31 eviction defence, Thu Dec 10 07:30, 1423 W 41st St. \"Bring water.\" \
         Reply YES31, NO31 or MAYBE31."
    );
    assert_eq!(
        invitation(Language::EN, &about(None, None, "")),
        "Can you come? #31 eviction defence, Thu Dec 10 07:30. Reply YES31, NO31 or MAYBE31."
    );
}

#[test]
fn user_text_is_one_line_without_double_spaces() {
    for l in Language::all() {
        let a = about(Some(" 12  Main\nSt "), None, "  Bring\n\nwater  ");
        let s = invitation(l, &a);
        assert!(s.contains("Bring water") && s.contains("12 Main St"), "{l}: {s}");
        tidy(&s);
        // Only blanks: as if empty.
        let blank = about(None, None, " \n ");
        assert_eq!(invitation(l, &blank), invitation(l, &about(None, None, "")));
    }
}

#[test]
fn every_catalogue_has_every_mobilisation_message() {
    for l in Language::all() {
        let missing: Vec<String> = crate::i18n::missing(l)
            .into_iter()
            .filter(|k| k.starts_with("mob-") || k.starts_with("answer-"))
            .collect();
        assert!(missing.is_empty(), "{l} lacks {missing:?}");
    }
}
