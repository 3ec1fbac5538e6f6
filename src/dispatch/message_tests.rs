//! Tests of `message.rs`: every alert says what, where, its label and how to answer, within the
//! segments a poor network can afford.

use super::*;
use crate::domain::sms::{measure, Encoding};

const KINDS: [Kind; 4] = [Kind::Raid, Kind::Eviction, Kind::Police, Kind::Other];
const FAR: Place = Place {
    lat: -89.99999,
    lon: -179.99999,
    zone: None,
};
const LABELS: [Label; 2] = [Label::Confirmed, Label::Unconfirmed];

fn alert<'a>(id: i64, drill: bool, label: Label, kind: Kind, place: &'a Place<'a>, exact: bool) -> Alert<'a> {
    Alert {
        coming: 0,
        head: Head { id, drill, label },
        kind,
        place,
        wanted: 10,
        exact,
        approximate: false,
    }
}

#[test]
fn english_and_spanish_alerts_fit_one_gsm7_segment_even_at_their_longest() {
    for language in [Language::EN, Language::ES] {
        for kind in KINDS {
            let mut texts = vec![
                all_clear(language, 9_999_999, false, kind, false),
                all_clear(language, 9_999_999, false, kind, true),
            ];
            for label in LABELS {
                for exact in [true, false] {
                    // Five digits, as for requests to check: the reply words carry the number too.
                    let a = alert(99_999, false, label, kind, &FAR, exact);
                    texts.push(first_alert(language, &a));
                    texts.push(first_alert_unvetted(language, &a));
                    // An escalation step or a replacement says how many are still needed.
                    let more = Alert {
                        coming: 7,
                        ..alert(99_999, false, label, kind, &FAR, exact)
                    };
                    let text = first_alert(language, &more);
                    assert!(text.contains(" 3."), "{text}");
                    texts.push(text);
                }
            }
            for text in texts {
                let m = measure(&text);
                assert_eq!(m.encoding, Encoding::Gsm7, "{text}");
                assert_eq!(m.segments, 1, "{} units: {text}", m.units);
            }
        }
    }
}

#[test]
fn every_alert_fits_two_segments_with_a_typical_zone_name_in_every_language() {
    for language in Language::all() {
        for zone in ["Koreatown", "Boyle Heights", "90004", "MacArthur Park"] {
            let place = Place {
                lat: 34.06171,
                lon: -118.30049,
                zone: Some(zone),
            };
            for kind in KINDS {
                for (drill, exact) in [(false, true), (false, false), (true, true), (true, false)] {
                    let a = alert(12_345, drill, Label::Unconfirmed, kind, &place, exact);
                    for text in [first_alert(language, &a), first_alert_unvetted(language, &a)] {
                        assert!(
                            measure(&text).segments <= 2,
                            "{language}: {} segments: {text}",
                            measure(&text).segments
                        );
                        assert!(text.contains(zone), "{text}");
                    }
                }
                for false_alarm in [false, true] {
                    let text = all_clear(language, 123_456, true, kind, false_alarm);
                    assert!(measure(&text).segments <= 2, "{text}");
                }
            }
        }
    }
}

#[test]
fn updates_fold_to_gsm7_where_they_can() {
    let head = Head {
        id: 7,
        drill: false,
        label: Label::Confirmed,
    };
    let text = update(
        Language::ES,
        &head,
        "  Llegó la policía — “quédense” en la acera… ",
    );
    assert_eq!(
        text,
        "TOCSIN #7 CONFIRMADO novedad: Llego la policia - \"quédense\" en la acera... (SI7 NO7 AQUI7)"
    );
    assert_eq!(measure(&text).encoding, Encoding::Gsm7);
    assert_eq!(to_gsm7("café ñ Ü"), "café ñ Ü", "GSM-7 has these");
    assert_eq!(measure(&to_gsm7("stay safe 🙏")).encoding, Encoding::Ucs2);
}

#[test]
fn replies_fit_one_segment() {
    for language in [Language::EN, Language::ES] {
        let mut texts = vec![report_ack(language, 9_999_999), no_open_alert(language)];
        for answer in [Answer::Coming, Answer::Cant, Answer::OnScene, Answer::Maybe] {
            texts.push(answer_ack(language, answer, 9_999_999, false, None));
            texts.push(answer_ack(
                language,
                answer,
                9_999_999,
                false,
                Some((-89.99999, -179.99999)),
            ));
        }
        for text in texts {
            assert_eq!(measure(&text).segments, 1, "{text}");
        }
    }
}

#[test]
fn alerts_carry_their_label_the_place_and_how_to_answer() {
    let place = Place {
        lat: 34.0617,
        lon: -118.3005,
        zone: None,
    };
    let en = first_alert(
        Language::EN,
        &alert(12, false, Label::Confirmed, Kind::Raid, &place, true),
    );
    assert!(en.starts_with("TOCSIN #12 CONFIRMED: "), "{en}");
    assert!(
        en.contains("https://maps.google.com/?q=34.06170,-118.30050"),
        "{en}"
    );
    assert!(
        en.contains("Need 10.") && en.contains("Y12=coming") && en.contains("HERE"),
        "{en}"
    );
    let es = first_alert(
        Language::ES,
        &alert(12, false, Label::Unconfirmed, Kind::Eviction, &place, true),
    );
    assert!(es.starts_with("TOCSIN #12 SIN CONFIRMAR: desalojo"), "{es}");
    assert!(es.contains("SI12=voy"), "{es}");
    let zoned = Place {
        zone: Some("Koreatown"),
        ..place
    };
    let en = first_alert(
        Language::EN,
        &alert(12, false, Label::Confirmed, Kind::Raid, &zoned, true),
    );
    assert!(
        en.contains("near Koreatown https://maps.google.com/?q=34.06170"),
        "{en}"
    );
    let drill = first_alert(
        Language::KO,
        &alert(12, true, Label::Confirmed, Kind::Raid, &zoned, true),
    );
    assert!(drill.starts_with("훈련 TOCSIN #12 확인됨"), "{drill}");
}

#[test]
fn with_progressive_disclosure_the_alert_holds_only_the_zone_or_a_rough_place() {
    let exact = "34.06170,-118.30050";
    let zoned = Place {
        lat: 34.0617,
        lon: -118.3005,
        zone: Some("Koreatown"),
    };
    for language in Language::all() {
        let text = first_alert(
            language,
            &alert(12, false, Label::Confirmed, Kind::Raid, &zoned, false),
        );
        assert!(
            text.contains("Koreatown") && !text.contains("maps.google"),
            "{text}"
        );
        let bare = Place { zone: None, ..zoned };
        let text = first_alert(
            language,
            &alert(12, false, Label::Confirmed, Kind::Raid, &bare, false),
        );
        assert!(
            text.contains("https://maps.google.com/?q=34.06,-118.30") && !text.contains(exact),
            "{text}"
        );
    }
    let reply = answer_ack(
        Language::EN,
        Answer::Coming,
        12,
        false,
        Some((34.0617, -118.3005)),
    );
    assert!(reply.contains(exact), "{reply}");
    let reply = answer_ack(Language::EN, Answer::Cant, 12, false, Some((34.0617, -118.3005)));
    assert!(!reply.contains("maps.google"), "{reply}");
}

#[test]
fn the_end_of_an_incident_says_all_clear_or_false_alarm_and_drills_say_so() {
    let over = all_clear(Language::EN, 5, false, Kind::Raid, false);
    assert!(over.starts_with("TOCSIN #5 ALL CLEAR: "), "{over}");
    let false_alarm = all_clear(Language::ES, 5, false, Kind::Raid, true);
    assert!(
        false_alarm.starts_with("TOCSIN #5 FALSA ALARMA: "),
        "{false_alarm}"
    );
    let drill = all_clear(Language::EN, 5, true, Kind::Raid, true);
    assert!(drill.starts_with("DRILL TOCSIN #5 FALSE ALARM: "), "{drill}");
    let check = verify_request(Language::ZH, 5, true, Kind::Raid, 34.0, -118.0);
    assert!(check.starts_with("演习 TOCSIN #5 未确认"), "{check}");
    assert!(answer_ack(Language::ES, Answer::Coming, 5, true, None).starts_with("SIMULACRO "));
}

#[test]
fn a_request_to_check_says_exactly_what_to_reply_within_one_segment() {
    // An incident number of five digits, a point in Los Angeles; drills may take two.
    for language in [Language::EN, Language::ES] {
        for kind in KINDS {
            let text = verify_request(language, 99_999, false, kind, 34.06171, -118.30049);
            let m = measure(&text);
            assert_eq!(
                (m.encoding, m.segments),
                (Encoding::Gsm7, 1),
                "{} units: {text}",
                m.units
            );
        }
    }
    let words = [
        (Language::EN, ["CONFIRM 12", "NOTHING 12"]),
        (Language::ES, ["CONFIRMAR 12", "NADA 12"]),
        (Language::KO, ["CONFIRM 12(있음)", "NOTHING 12(없음)"]),
        (Language::ZH, ["CONFIRM 12（确认）", "NOTHING 12（没发现）"]),
    ];
    for (language, [yes, no]) in words {
        let text = verify_request(language, 12, false, Kind::Raid, 34.0, -118.0);
        assert!(text.contains(yes) && text.contains(no), "{text}");
        assert!(measure(&text).segments <= 2, "{text}");
        // The words the request teaches are the words that decide.
        let taught = |w: &str| {
            w.split(['(', '（'])
                .nth(1)
                .unwrap_or(w)
                .trim_end_matches([')', '）'])
                .to_string()
        };
        use crate::domain::CheckAnswer;
        use crate::intake::decision::parse;
        assert_eq!(
            parse(&taught(yes)).map(|d| d.answer),
            Some(CheckAnswer::Confirm),
            "{yes}"
        );
        assert_eq!(
            parse(&taught(no)).map(|d| d.answer),
            Some(CheckAnswer::Nothing),
            "{no}"
        );
    }
}

#[test]
fn replies_to_verifiers_fit_one_segment() {
    for language in [Language::EN, Language::ES] {
        for key in [
            "verify-choices",
            "verify-nothing-noted",
            "verify-confirmed",
            "verify-not-found",
            "verify-already",
        ] {
            let text = crate::i18n::text(language, key, &[("id", "9999999".into())]);
            let m = measure(&text);
            assert_eq!((m.encoding, m.segments), (Encoding::Gsm7, 1), "{text}");
        }
    }
}

#[test]
fn the_unvetted_never_get_the_exact_place_nor_a_promise_of_it() {
    let exact = map_link(34.06171, -118.30049);
    for language in Language::all() {
        for zone in [None, Some("Koreatown")] {
            let place = Place {
                lat: 34.06171,
                lon: -118.30049,
                zone,
            };
            let a = alert(7, false, Label::Confirmed, Kind::Raid, &place, true);
            let text = first_alert_unvetted(language, &a);
            assert!(!text.contains(&exact), "{text}");
            assert!(
                zone.is_some() || text.contains("34.06,-118.30"),
                "the rough place: {text}"
            );
            for promise in [
                "get place",
                "get the place",
                "te damos el lugar",
                "정확한 위치",
                "确切地点",
            ] {
                assert!(!text.contains(promise), "{text}");
            }
            let reply = answer_ack_unvetted(language, Answer::Coming, 7, false);
            assert!(!reply.contains("maps.google.com"), "{reply}");
        }
    }
}

#[test]
fn a_place_known_only_roughly_is_neither_shown_as_exact_nor_promised() {
    let exact = map_link(34.06171, -118.30049);
    for language in Language::all() {
        for zone in [None, Some("Koreatown")] {
            let place = Place {
                lat: 34.06171,
                lon: -118.30049,
                zone,
            };
            for disclose in [true, false] {
                let mut a = alert(7, false, Label::Confirmed, Kind::Raid, &place, disclose);
                a.approximate = true;
                let text = first_alert(language, &a);
                assert!(!text.contains(&exact), "{text}");
                for promise in ["get place", "get the place", "+lugar", "정확한 위치", "确切地点"] {
                    assert!(!text.contains(promise), "{text}");
                }
                assert!(zone.is_none_or(|z| text.contains(z)), "{text}");
                assert!(text.contains("7"), "the reply words carry the number: {text}");
            }
        }
    }
}

#[test]
fn a_maybe_is_noted_with_how_to_come_and_never_the_place() {
    use crate::intake::phrases::parse_answer;
    for language in Language::all() {
        let exact = Some((34.0617, -118.3005));
        for reply in [
            answer_ack(language, Answer::Maybe, 31, false, exact),
            answer_ack_unvetted(language, Answer::Maybe, 31, false),
        ] {
            assert!(reply.contains("#31") && !reply.contains("maps.google"), "{reply}");
            let word = reply
                .split(|c: char| !c.is_ascii_alphanumeric())
                .find(|w| w.ends_with("31") && w.len() > 2)
                .unwrap_or_else(|| panic!("no reply word: {reply}"));
            let said = parse_answer(word).map(|s| (s.answer, s.incident));
            assert_eq!(said, Some((Answer::Coming, Some(31))), "{reply}");
        }
    }
}
