//! The messages tocsin sends, from the Fluent catalogues (`locales/`, see `i18n`). Alerts say
//! what and where and how to answer, and nothing about the reporter. English and Spanish
//! alerts stay in GSM-7 and one SMS segment; Korean and Chinese ones within two.

use crate::domain::{Answer, Kind, Language};
use crate::i18n::text;

fn kind_words(language: Language, kind: Kind) -> String {
    text(language, &format!("kind-{}", kind.as_str()), &[])
}

/// A map link every phone opens; 5 decimals is about a metre.
pub fn map_link(lat: f64, lon: f64) -> String {
    format!("https://maps.google.com/?q={lat:.5},{lon:.5}")
}

/// Where the incident is: a zone's name when it has one, and always the map link.
pub struct Place<'a> {
    pub lat: f64,
    pub lon: f64,
    pub zone: Option<&'a str>,
}

pub fn first_alert(language: Language, incident_id: i64, kind: Kind, place: &Place) -> String {
    let mut args = vec![
        ("id", incident_id.to_string()),
        ("what", kind_words(language, kind)),
        ("link", map_link(place.lat, place.lon)),
    ];
    match place.zone {
        Some(zone) => {
            args.push(("zone", zone.to_string()));
            text(language, "alert-first-zone", &args)
        }
        None => text(language, "alert-first", &args),
    }
}

/// "Please check" to the nearest verifiers of an unverified report.
pub fn verify_request(language: Language, incident_id: i64, kind: Kind, lat: f64, lon: f64) -> String {
    let args = [
        ("id", incident_id.to_string()),
        ("what", kind_words(language, kind)),
        ("link", map_link(lat, lon)),
    ];
    text(language, "verify-request", &args)
}

pub fn all_clear(language: Language, incident_id: i64, kind: Kind) -> String {
    text(
        language,
        "all-clear",
        &[
            ("id", incident_id.to_string()),
            ("what", kind_words(language, kind)),
        ],
    )
}

/// Longest dispatcher text in an update.
pub const UPDATE_MAX_CHARS: usize = 300;

/// A dispatcher's update, prefixed so volunteers know which alert it follows. The text is
/// folded to GSM-7 where it can be (`é` stays, `á` becomes `a`, curly quotes become straight)
/// so that it costs as few segments as possible.
pub fn update(language: Language, incident_id: i64, text: &str) -> String {
    let text = to_gsm7(text.trim());
    crate::i18n::text(
        language,
        "update",
        &[("id", incident_id.to_string()), ("text", text)],
    )
}

/// Replaces characters outside GSM-7 by their closest GSM-7 form when there is one; others
/// (emoji, other scripts) are kept and the message goes as UCS-2.
pub fn to_gsm7(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let mut buf = [0u8; 4];
        if crate::domain::sms::is_gsm7(c.encode_utf8(&mut buf)) {
            out.push(c);
            continue;
        }
        match c {
            '‘' | '’' | '‚' | '′' => out.push('\''),
            '“' | '”' | '„' | '″' => out.push('"'),
            '–' | '—' | '‐' | '−' => out.push('-'),
            '…' => out.push_str("..."),
            '\u{a0}' | '\u{2009}' | '\u{202f}' => out.push(' '),
            '\t' => out.push(' '),
            _ => {
                let base: String = c.nfd().filter(|d| !is_combining_mark(*d)).collect();
                if !base.is_empty() && crate::domain::sms::is_gsm7(&base) {
                    out.push_str(&base);
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
}

pub fn report_ack(language: Language, report_id: i64) -> String {
    text(language, "report-ack", &[("report", report_id.to_string())])
}

pub fn answer_ack(language: Language, answer: Answer, incident_id: i64) -> String {
    let key = match answer {
        Answer::Coming => "answer-coming",
        Answer::Cant => "answer-cant",
        Answer::OnScene => "answer-on-scene",
    };
    text(language, key, &[("id", incident_id.to_string())])
}

pub fn no_open_alert(language: Language) -> String {
    text(language, "no-open-alert", &[])
}

/// On Signal tocsin answers STOP and START itself (Twilio does it for SMS).
pub fn subscription_ack(language: Language, stopped: bool) -> String {
    text(
        language,
        if stopped {
            "subscription-stopped"
        } else {
            "subscription-started"
        },
        &[],
    )
}

pub fn help(language: Language, network: &str) -> String {
    text(language, "help", &[("network", network.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sms::{measure, Encoding};

    const KINDS: [Kind; 4] = [Kind::Raid, Kind::Eviction, Kind::Police, Kind::Other];
    const FAR: Place = Place {
        lat: -89.99999,
        lon: -179.99999,
        zone: None,
    };

    #[test]
    fn english_and_spanish_alerts_fit_one_gsm7_segment_even_at_their_longest() {
        for language in [Language::EN, Language::ES] {
            for kind in KINDS {
                for text in [
                    first_alert(language, 9_999_999, kind, &FAR),
                    all_clear(language, 9_999_999, kind),
                ] {
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
                for kind in KINDS {
                    let place = Place {
                        lat: 34.06171,
                        lon: -118.30049,
                        zone: Some(zone),
                    };
                    let text = first_alert(language, 123_456, kind, &place);
                    assert!(
                        measure(&text).segments <= 2,
                        "{language}: {} segments: {text}",
                        measure(&text).segments
                    );
                    assert!(text.contains(zone), "{text}");
                }
            }
        }
    }

    #[test]
    fn updates_fold_to_gsm7_where_they_can() {
        let text = update(Language::ES, 7, "  Llegó la policía — “quédense” en la acera… ");
        assert_eq!(
            text,
            "TOCSIN #7 novedad: Llego la policia - \"quédense\" en la acera..."
        );
        assert_eq!(measure(&text).encoding, Encoding::Gsm7);
        assert_eq!(to_gsm7("café ñ Ü"), "café ñ Ü", "GSM-7 has these");
        assert_eq!(measure(&to_gsm7("stay safe 🙏")).encoding, Encoding::Ucs2);
    }

    #[test]
    fn replies_fit_one_segment() {
        for language in [Language::EN, Language::ES] {
            let mut texts = vec![report_ack(language, 9_999_999), no_open_alert(language)];
            for answer in [Answer::Coming, Answer::Cant, Answer::OnScene] {
                texts.push(answer_ack(language, answer, 9_999_999));
            }
            for text in texts {
                assert_eq!(measure(&text).segments, 1, "{text}");
            }
        }
    }

    #[test]
    fn alerts_carry_the_place_and_how_to_answer() {
        let place = Place {
            lat: 34.0617,
            lon: -118.3005,
            zone: None,
        };
        let en = first_alert(Language::EN, 12, Kind::Raid, &place);
        assert!(
            en.contains("https://maps.google.com/?q=34.06170,-118.30050"),
            "{en}"
        );
        assert!(en.contains("Y=coming") && en.contains("HERE"), "{en}");
        let es = first_alert(Language::ES, 12, Kind::Eviction, &place);
        assert!(es.contains("desalojo") && es.contains("SI=voy"), "{es}");
        let zoned = first_alert(
            Language::EN,
            12,
            Kind::Raid,
            &Place {
                zone: Some("Koreatown"),
                ..place
            },
        );
        assert!(zoned.contains("near Koreatown"), "{zoned}");
    }
}
