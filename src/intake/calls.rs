//! What a volunteer says about wake-up calls (issue 17 §2, §3): a key pressed during a call
//! is their answer, counted exactly as a texted Y/N/HERE (the same `answers::handle`, as if
//! they had texted `Y26`), and the reply that text would get (the exact place, to one coming)
//! goes to them by text, never into the call. `CALLS OFF` by text (or its words in any
//! catalogue, `command-words-calls-off`) stops calls.

use std::sync::OnceLock;

use crate::audit::{self, Actor, Subject};
use crate::domain::{Answer, CallWhen, Channel, Language, Phone, Reach};
use crate::i18n::text;
use crate::intake::answers;
use crate::intake::inbound::Inbound;
use crate::intake::phrases::normal;
use crate::state::Core;
use crate::store::calls::CallDelivery;
use crate::store::volunteers::VolunteerRow;
use crate::store::StoreError;

/// What became of a key pressed during a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Pressed {
    /// Counted (or already counted: a repeated request); the reply to send by text, if any.
    Counted { answer: Answer, reply: Option<String> },
    /// Not 1, 2 or 3: the call says it all again.
    Repeat,
    /// The volunteer is gone, or the incident takes no answer any more.
    Over,
}

/// The answer a key means: 1 coming, 2 can't, 3 on scene.
pub fn answer_of(digits: &str) -> Option<Answer> {
    match digits.trim() {
        "1" => Some(Answer::Coming),
        "2" => Some(Answer::Cant),
        "3" => Some(Answer::OnScene),
        _ => None,
    }
}

/// The volunteer's text channel: where the reply to their pressed key goes.
fn text_channel(v: &VolunteerRow) -> Channel {
    match v.channel {
        Reach::Signal => Channel::Signal,
        Reach::Sms | Reach::Both => Channel::Sms,
    }
}

/// Counts the key `digits` pressed in call `call_sid` of `call` through the texted-answer path.
/// A request Twilio repeats (same call) is counted once.
pub async fn pressed(
    core: &Core,
    call: &CallDelivery,
    call_sid: &str,
    digits: &str,
) -> Result<Pressed, StoreError> {
    let Some(answer) = answer_of(digits) else {
        return Ok(Pressed::Repeat);
    };
    let Some(v) = core.store.volunteer(call.volunteer_id).await? else {
        return Ok(Pressed::Over);
    };
    let language = Language::parse(&v.language).unwrap_or(Language::EN);
    let word = match answer {
        Answer::Coming => "Y",
        Answer::Cant => "N",
        Answer::OnScene => "HERE",
        // No key means maybe; kept for the match to be whole.
        Answer::Maybe => "MAYBE",
    };
    let msg = Inbound {
        via: text_channel(&v),
        sender: v.phone.clone(),
        phone: Phone::parse(&v.phone).ok(),
        signal_id: None,
        body: format!("{word}{}", call.incident_id),
        // The call's sid: one answer per call, whatever Twilio repeats.
        message_id: format!("call:{call_sid}"),
        carrier_keyword: None,
    };
    match answers::handle(core, &msg, &v, language).await? {
        Some(reply) => {
            tracing::info!(
                incident_id = call.incident_id,
                volunteer_id = v.id,
                delivery_id = call.id,
                answer = %answer,
                "answer by call"
            );
            Ok(Pressed::Counted { answer, reply })
        }
        None => Ok(Pressed::Over),
    }
}

/// Sends the reply to a key pressed by text, in the background (the webhook answers at once);
/// a failure is logged: the answer itself is counted already.
pub fn send_reply(core: &crate::state::Shared, volunteer_id: i64, reply: String) {
    let core = core.clone();
    tokio::spawn(async move {
        let result = async {
            let v = core
                .store
                .volunteer(volunteer_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("volunteer removed"))?;
            let channel = text_channel(&v);
            let to = match (channel, &v.signal) {
                (Channel::Signal, Some(id)) => id.clone(),
                _ => v.phone.clone(),
            };
            core.channels()?.send(channel, &to, &reply).await?;
            anyhow::Ok(())
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(volunteer_id, error = %e, "the reply to an answer by call was not sent");
        }
    });
}

/// Whether a whole message is CALLS OFF, in any catalogue's words.
pub fn is_calls_off(body: &str) -> bool {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        Language::all()
            .into_iter()
            .flat_map(|l| crate::i18n::words(l, "command-words-calls-off"))
            .map(|w| normal(&w))
            .filter(|w| !w.is_empty())
            .collect()
    });
    let said = normal(body);
    !said.is_empty() && words.contains(&said)
}

/// CALLS OFF: no more calls, alerts by text only; the confirmation in their language.
pub async fn calls_off(core: &Core, v: &VolunteerRow, language: Language) -> Result<String, StoreError> {
    if v.call != CallWhen::Never {
        core.store.set_call(v.id, CallWhen::Never).await?;
        audit::record(
            core,
            &Actor::Volunteer,
            "volunteer_call",
            Subject::Volunteer(v.id),
            "never",
        )
        .await;
    }
    Ok(text(language, "calls-off-ok", &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_one_to_three_answer_and_others_repeat() {
        assert_eq!(answer_of("1"), Some(Answer::Coming));
        assert_eq!(answer_of("2"), Some(Answer::Cant));
        assert_eq!(answer_of("3"), Some(Answer::OnScene));
        assert_eq!(answer_of("9"), None);
        assert_eq!(answer_of("*"), None);
        assert_eq!(answer_of(""), None);
    }

    #[test]
    fn calls_off_is_understood_in_every_language_and_nothing_else_is() {
        for said in [
            "CALLS OFF",
            "calls off.",
            "No calls",
            "llamadas no",
            "sin llamadas",
            "전화 끄기",
            "关闭电话",
        ] {
            assert!(is_calls_off(said), "{said}");
        }
        for said in ["calls", "off", "STOP", "calls off now", "raid at 5th"] {
            assert!(!is_calls_off(said), "{said}");
        }
    }
}
