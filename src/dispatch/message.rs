//! The words tocsin sends, per language. Alerts say what and where and how to answer, and
//! nothing about the reporter. SMS texts stay in GSM-7 (no á í ó ú) so an alert is one
//! segment: the fastest to leave Twilio's per-sender queue (PROTOCOLS.md §9).

use crate::domain::{Answer, Kind, Language};

fn kind_words(language: Language, kind: Kind) -> &'static str {
    match (language, kind) {
        (Language::En, Kind::Raid) => "immigration raid",
        (Language::En, Kind::Eviction) => "eviction",
        (Language::En, Kind::Police) => "police action",
        (Language::En, Kind::Other) => "emergency",
        (Language::Es, Kind::Raid) => "redada de migracion",
        (Language::Es, Kind::Eviction) => "desalojo",
        (Language::Es, Kind::Police) => "operativo policial",
        (Language::Es, Kind::Other) => "emergencia",
    }
}

/// A map link every phone opens; 5 decimals is about a metre.
pub fn map_link(lat: f64, lon: f64) -> String {
    format!("https://maps.google.com/?q={lat:.5},{lon:.5}")
}

pub fn first_alert(language: Language, incident_id: i64, kind: Kind, lat: f64, lon: f64) -> String {
    let what = kind_words(language, kind);
    let link = map_link(lat, lon);
    match language {
        Language::En => {
            format!("TOCSIN #{incident_id}: {what} at {link} Reply Y=coming N=can't HERE=on scene")
        }
        Language::Es => {
            format!("TOCSIN #{incident_id}: {what} en {link} Responde SI=voy NO=no puedo AQUI=llegue")
        }
    }
}

pub fn all_clear(language: Language, incident_id: i64, kind: Kind) -> String {
    let what = kind_words(language, kind);
    match language {
        Language::En => {
            format!("TOCSIN #{incident_id}: all clear, the {what} alert is over. Thank you.")
        }
        Language::Es => format!("TOCSIN #{incident_id}: fin de la alerta de {what}. Gracias."),
    }
}

/// Longest dispatcher text in an update.
pub const UPDATE_MAX_CHARS: usize = 300;

/// A dispatcher's update, prefixed so volunteers know which alert it follows. The text is
/// folded to GSM-7 where it can be (`é` stays, `á` becomes `a`, curly quotes become straight)
/// so that it costs as few segments as possible.
pub fn update(language: Language, incident_id: i64, text: &str) -> String {
    let text = to_gsm7(text.trim());
    match language {
        Language::En => format!("TOCSIN #{incident_id} update: {text}"),
        Language::Es => format!("TOCSIN #{incident_id} novedad: {text}"),
    }
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
    match language {
        Language::En => {
            format!("Received, thank you (report {report_id}). Volunteers are being alerted or checking.")
        }
        Language::Es => {
            format!("Recibido, gracias (reporte {report_id}). Estamos avisando o verificando.")
        }
    }
}

pub fn answer_ack(language: Language, answer: Answer, incident_id: i64) -> String {
    match (language, answer) {
        (Language::En, Answer::Coming) => {
            format!("Thank you: you are coming to #{incident_id}. Stay safe.")
        }
        (Language::En, Answer::Cant) => format!("Noted: you can't go to #{incident_id}."),
        (Language::En, Answer::OnScene) => {
            format!("Noted: you are on scene at #{incident_id}. Stay safe.")
        }
        (Language::Es, Answer::Coming) => format!("Gracias: vas a #{incident_id}. Cuidate."),
        (Language::Es, Answer::Cant) => format!("Anotado: no puedes ir a #{incident_id}."),
        (Language::Es, Answer::OnScene) => format!("Anotado: estas en #{incident_id}. Cuidate."),
    }
}

pub fn no_open_alert(language: Language) -> String {
    match language {
        Language::En => "There is no open alert to answer right now.".to_string(),
        Language::Es => "No hay ninguna alerta abierta ahora.".to_string(),
    }
}

pub fn help(language: Language) -> String {
    match language {
        Language::En => "tocsin alerts: text what you see and where to report. Volunteers answer alerts with Y, N or HERE. STOP to stop alerts.".to_string(),
        Language::Es => "Alertas tocsin: escribe que ves y donde para reportar. Voluntarios responden SI, NO o AQUI. STOP para no recibir alertas.".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sms::{measure, Encoding};

    const LANGS: [Language; 2] = [Language::En, Language::Es];
    const KINDS: [Kind; 4] = [Kind::Raid, Kind::Eviction, Kind::Police, Kind::Other];

    #[test]
    fn every_alert_fits_one_gsm7_segment_even_at_its_longest() {
        for language in LANGS {
            for kind in KINDS {
                for text in [
                    first_alert(language, 9_999_999, kind, -89.99999, -179.99999),
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
    fn updates_fold_to_gsm7_where_they_can() {
        let text = update(Language::Es, 7, "  Llegó la policía — “quédense” en la acera… ");
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
        for language in LANGS {
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
        let en = first_alert(Language::En, 12, Kind::Raid, 34.0617, -118.3005);
        assert!(
            en.contains("https://maps.google.com/?q=34.06170,-118.30050"),
            "{en}"
        );
        assert!(en.contains("Y=coming") && en.contains("HERE"), "{en}");
        let es = first_alert(Language::Es, 12, Kind::Eviction, 34.0617, -118.3005);
        assert!(es.contains("desalojo") && es.contains("SI=voy"), "{es}");
    }
}
