//! JOIN by text: language -> home area -> YES (double opt-in), then the sender is a volunteer,
//! not yet vetted: pending approval, or alerted with the area only (`join.approval`). An
//! unclear answer is asked again; three of them, or 30 minutes of silence, end the
//! conversation. A message with a sighting's words (ICE, raid, desalojo...) or a long one
//! that is not an answer is a report, not a failed answer: it ends the conversation and goes on
//! as a report. Volunteers are never in a conversation.

use crate::domain::fold::fold;
use crate::domain::{Kind, Language, Phone, Reach, SignalId, Standing};
use crate::geo::locate_text;
use crate::i18n::text;
use crate::intake::commands::language_named;
use crate::intake::words::guess_kind;
use crate::roster::{self, HomeArea, Signup};
use crate::state::Core;
use crate::store::conversations::Conversation;
use crate::store::{now_ms, StoreError};

/// How long a conversation waits for an answer.
pub const IDLE_MS: i64 = 30 * 60 * 1000;
const MAX_FAILURES: i64 = 3;
/// A home area given as a shared location: a circle this wide around it.
const SHARED_LOCATION_RADIUS_M: f64 = 1500.0;
/// Longer than any answer: such a message is a report.
const LONGEST_ANSWER: usize = 40;

/// The sender, as JOIN needs them.
pub struct Joiner<'a> {
    pub key: &'a str,
    pub phone: Option<&'a Phone>,
    pub signal_id: Option<&'a SignalId>,
    pub via_signal: bool,
}

/// Starts (or restarts) a conversation.
pub async fn start(core: &Core, who: &Joiner<'_>, language: Language) -> Result<String, StoreError> {
    let conversation = Conversation {
        sender_hash: who.key.to_string(),
        step: "language".into(),
        language: Some(language.as_str().into()),
        area: None,
        area_label: None,
        failures: 0,
        updated_at: now_ms(),
    };
    core.store.save_conversation(&conversation).await?;
    let network = core.settings.network.name.clone();
    Ok(text(
        language,
        "join-start",
        &[("network", network), ("menu", Language::menu())],
    ))
}

/// One answer. None: not an answer but a report; the conversation has ended.
pub async fn answer(
    core: &Core,
    who: &Joiner<'_>,
    mut c: Conversation,
    message: &str,
) -> Result<Option<String>, StoreError> {
    let language = c
        .language
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(Language::EN);
    let message = message.trim();
    // Words of a sighting mean a sighting, whatever step the conversation is at.
    if guess_kind(message) != Kind::Other {
        core.store.end_conversation(who.key).await?;
        return Ok(None);
    }
    let next = match c.step.as_str() {
        "language" => language_named(message).map(|chosen| {
            c.language = Some(chosen.as_str().into());
            c.step = "area".into();
            text(chosen, "join-ask-area", &[])
        }),
        "area" => area_from(core, message).map(|(area, label)| {
            c.area = Some(area.to_json().to_string());
            c.area_label = Some(label.clone());
            c.step = "confirm".into();
            text(language, "join-ask-confirm", &[("area", label)])
        }),
        _ => match is_yes(message) {
            true => return finish(core, who, &c, language).await.map(Some),
            false => None,
        },
    };
    if let Some(reply) = next {
        c.failures = 0;
        core.store.save_conversation(&c).await?;
        return Ok(Some(reply));
    }
    if message.chars().count() > LONGEST_ANSWER {
        core.store.end_conversation(who.key).await?;
        return Ok(None);
    }
    c.failures += 1;
    if c.failures >= MAX_FAILURES {
        core.store.end_conversation(who.key).await?;
        return Ok(Some(text(language, "join-ended", &[])));
    }
    core.store.save_conversation(&c).await?;
    let key = match c.step.as_str() {
        "language" => "join-retry-language",
        "area" => "join-retry-area",
        _ => "join-retry-confirm",
    };
    Ok(Some(text(language, key, &[("menu", Language::menu())])))
}

/// A zone (by name, alias or ZIP) or a shared location.
fn area_from(core: &Core, message: &str) -> Option<(HomeArea, String)> {
    if let Some(zone) = core.zones().get(message) {
        return Some((HomeArea::Zone(zone.name.clone()), zone.name.clone()));
    }
    let (lat, lon) = locate_text(message)?;
    let circle = crate::geo::Area::Circle {
        lat,
        lon,
        radius_m: SHARED_LOCATION_RADIUS_M,
    };
    Some((HomeArea::Shape(circle), format!("{lat:.4},{lon:.4}")))
}

/// YES in any of the languages: yes, y, si, sí, 네, 예, 是, 好.
fn is_yes(message: &str) -> bool {
    let folded = fold(message.trim_end_matches(['.', '!']));
    matches!(
        folded.as_str(),
        "yes" | "y" | "si" | "ok" | "네" | "예" | "是" | "好" | "是的"
    )
}

async fn finish(
    core: &Core,
    who: &Joiner<'_>,
    c: &Conversation,
    language: Language,
) -> Result<String, StoreError> {
    core.store.end_conversation(who.key).await?;
    let area = c.area.as_deref().and_then(|a| serde_json::from_str(a).ok());
    let area = area.and_then(|a| HomeArea::from_json(core, &a).ok());
    // Signal can hide a number; tocsin needs one to fall back to SMS.
    let (Some(phone), Some(area)) = (who.phone, area) else {
        return Ok(text(language, "join-ended", &[]));
    };
    let signup = Signup {
        name: "(joined by text)".into(),
        phone: phone.clone(),
        language,
        trusted: false,
        area,
        reach: if who.via_signal { Reach::Signal } else { Reach::Sms },
        signal_id: who.signal_id.cloned(),
        roles: Vec::new(),
    };
    match roster::join(core, signup).await {
        Ok(_) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e),
    }
    let label = c.area_label.clone().unwrap_or_default();
    // Pending: told that nothing comes until a coordinator approves them.
    let key = match Standing::of_joiner(core.settings.join.approval) {
        Standing::Pending => "join-pending",
        _ => "join-done",
    };
    Ok(text(language, key, &[("area", label)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_in_every_language() {
        for yes in ["YES", "y", "Sí", "si!", "네", "是", "ok"] {
            assert!(is_yes(yes), "{yes}");
        }
        for no in ["no", "maybe", "yes please", ""] {
            assert!(!is_yes(no), "{no}");
        }
    }
}
