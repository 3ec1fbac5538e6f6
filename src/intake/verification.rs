//! A verifier's answer to "please check": CONFIRM verifies the incident, and the area is called;
//! NOTHING closes it as not found, quietly. The dispatcher can still confirm or dismiss at any
//! time (and overrides). The first verifier's answer decides.

use crate::app::Core;
use crate::audit::Actor;
use crate::dispatch::actions::{self, ActionError};
use crate::domain::fold::fold;
use crate::domain::{IncidentStatus, Language};
use crate::i18n::text;
use crate::store::StoreError;

/// CONFIRM, CONFIRMO, SI, YES, Y, 1 -> Some(true); NOTHING, NADA, NO, N, 2 -> Some(false).
pub fn parse(message: &str) -> Option<bool> {
    let folded = fold(message.trim().trim_matches(|c: char| ".!¡?¿".contains(c)));
    match folded.as_str() {
        "confirm" | "confirmed" | "confirmo" | "confirmado" | "si" | "yes" | "y" | "1" | "확인" | "确认" => {
            Some(true)
        }
        "nothing" | "nada" | "no" | "n" | "2" | "없음" | "没有" => Some(false),
        _ => None,
    }
}

/// Applies the answer; the reply to the verifier.
pub async fn answer(
    core: &Core,
    incident_id: i64,
    verifier: i64,
    found: bool,
    language: Language,
) -> Result<String, StoreError> {
    let id = [("id", incident_id.to_string())];
    let actor = Actor::Verifier(verifier);
    let result = if found {
        actions::verify(core, &actor, incident_id).await
    } else {
        actions::close(core, &actor, incident_id, IncidentStatus::NotFound).await
    };
    match result {
        Ok(()) if found => {
            tracing::info!(incident_id, "a verifier confirmed the incident");
            Ok(text(language, "verify-confirmed", &id))
        }
        Ok(()) => {
            tracing::info!(incident_id, "a verifier found nothing");
            Ok(text(language, "verify-not-found", &id))
        }
        // Another verifier (or the dispatcher) decided first.
        Err(ActionError::Conflict(_) | ActionError::NotFound | ActionError::Invalid(..)) => {
            Ok(text(language, "verify-already", &id))
        }
        Err(ActionError::Store(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn verifiers_answer_in_words_or_numbers() {
        assert_eq!(parse("CONFIRM"), Some(true));
        assert_eq!(parse("¡Confirmo!"), Some(true));
        assert_eq!(parse("1"), Some(true));
        assert_eq!(parse("nada"), Some(false));
        assert_eq!(parse("Nothing."), Some(false));
        assert_eq!(parse("2"), Some(false));
        assert_eq!(parse("there are 3 vans"), None);
    }
}
