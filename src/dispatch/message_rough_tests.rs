//! Tests of `message.rs` for places known only roughly (a zone, a street): verifiers and those
//! coming get the reporter's words, never a link that looks exact.

use super::*;
use crate::domain::sms::{measure, Encoding};

#[test]
fn a_rough_place_is_checked_and_answered_with_the_reporters_words_never_an_exact_link() {
    let exact = map_link(34.06171, -118.30049);
    // The longest words a reporter can be quoted with.
    let words = crate::dispatch::quote::quote(&"ICEvans".repeat(30));
    assert_eq!(words.chars().count(), crate::dispatch::quote::MAX_CHARS);
    for language in Language::all() {
        for zone in [None, Some("Koreatown")] {
            let place = Place {
                lat: 34.06171,
                lon: -118.30049,
                zone,
            };
            let h = Head {
                id: 99_999,
                drill: false,
                label: Label::Unconfirmed,
            };
            let check = verify_request_rough(language, &h, Kind::Raid, &place, &words);
            let reply = answer_coming_rough(language, &h, &place, &words);
            for text in [&check, &reply] {
                assert!(!text.contains(&exact), "{text}");
                assert!(text.contains(&words), "the reporter's words: {text}");
                assert!(zone.is_none_or(|z| text.contains(z)), "{text}");
                assert!(text.contains("99999"), "{text}");
                // Latin-script texts stay within two GSM-7 segments even with the longest words.
                if matches!(language, Language::EN | Language::ES) {
                    let m = measure(text);
                    assert_eq!((m.encoding, m.segments <= 2), (Encoding::Gsm7, true), "{text}");
                }
            }
            let confirm = if language == Language::ES {
                "CONFIRMAR 99999"
            } else {
                "CONFIRM 99999"
            };
            assert!(check.contains(confirm), "{check}");
        }
        let h = Head {
            id: 12,
            drill: true,
            label: Label::Confirmed,
        };
        let placed = place_known(language, &h, Kind::Raid, 34.06171, -118.30049);
        let drill = text(language, "label-drill", &[]);
        assert!(placed.contains(&exact) && placed.starts_with(&drill), "{placed}");
        let here = if language == Language::ES {
            "AQUI12"
        } else {
            "HERE12"
        };
        assert!(placed.contains(here), "{placed}");
        assert!(measure(&placed).segments <= 2, "{placed}");
    }
}
