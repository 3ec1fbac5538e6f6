//! What a dispatcher reads on their lock screen: the page, and the answers to ACK and DUTY.
//! Short, in the account's language, saying what to do next.

use crate::domain::{Kind, Language, NeedsPerson};
use crate::i18n::text;
use crate::store::incidents::IncidentRow;

/// `TOCSIN #12 NEEDS A DISPATCHER: immigration raid near Koreatown: "ICE van at ...". No
/// verifier in reach. Reply ACK12.` The reporter's words are quoted as volunteers see them
/// (no links, no numbers).
pub fn page(language: Language, incident: &IncidentRow, words: &str) -> String {
    let kind = Kind::parse(&incident.kind).unwrap_or(Kind::Other);
    let place = match (&incident.zone, incident.lat, incident.lon) {
        (Some(zone), _, _) => zone.clone(),
        (None, Some(lat), Some(lon)) => format!("{lat:.4},{lon:.4}"),
        _ => text(language, "page-nowhere", &[]),
    };
    let why = incident.needs_person.unwrap_or(NeedsPerson::NoVerifier);
    let words = if words.is_empty() {
        "-".to_string()
    } else {
        words.to_string()
    };
    text(
        language,
        "page",
        &[
            ("id", incident.id.to_string()),
            ("what", text(language, &format!("kind-{}", kind.as_str()), &[])),
            ("where", place),
            ("words", words),
            ("why", text(language, &format!("why-{}", why.as_str()), &[])),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IncidentStatus;

    fn incident(zone: Option<&str>, point: Option<(f64, f64)>, why: NeedsPerson) -> IncidentRow {
        IncidentRow {
            id: 12,
            kind: "raid".into(),
            status: IncidentStatus::Unverified,
            lat: point.map(|p| p.0),
            lon: point.map(|p| p.1),
            created_at: 0,
            updated_at: 0,
            zone: zone.map(str::to_string),
            approximate: false,
            located_by: None,
            uncertainty_m: None,
            first_alert_at: None,
            merged_into: None,
            confirmed_by: None,
            drill: false,
            wanted: 0,
            escalation_step: 0,
            escalated_at: None,
            needs_person: Some(why),
            acked_at: None,
            verifier_rounds: 0,
        }
    }

    #[test]
    fn a_page_says_what_where_why_and_how_to_take_it() {
        let i = incident(Some("Koreatown"), Some((34.06, -118.3)), NeedsPerson::NoVerifier);
        assert_eq!(
            page(Language::EN, &i, "ICE van at the car wash"),
            "TOCSIN #12 NEEDS A DISPATCHER: immigration raid near Koreatown: \"ICE van at the car wash\". No verifier in reach. Reply ACK12."
        );
        let unplaced = incident(None, None, NeedsPerson::Unplaced);
        let es = page(
            Language::parse("es").unwrap_or(Language::EN),
            &unplaced,
            "la migra aqui",
        );
        assert!(
            es.contains("un lugar desconocido") && es.contains("ACK12") && es.contains("Aún sin ubicar"),
            "{es}"
        );
        let point = incident(None, Some((34.063312, -118.284612)), NeedsPerson::VerifiersSilent);
        assert!(page(Language::EN, &point, "").contains("near 34.0633,-118.2846: \"-\""));
    }

    #[test]
    fn every_page_fits_a_lock_screen_in_every_language() {
        let i = incident(Some("Koreatown"), None, NeedsPerson::VerifiersSilent);
        let words = "x".repeat(crate::dispatch::quote::MAX_CHARS);
        for language in Language::all() {
            let text = page(language, &i, &words);
            assert!(text.chars().count() <= 220, "{text}");
            assert!(text.contains("ACK12"), "{text}");
        }
    }
}
