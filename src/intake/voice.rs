//! Calling the hotline (issue 17 §1): whom a call is put through to, and a call (or the voice
//! message it left) as a report. A call becomes a report through the same path as a text
//! (`report::receive`): the caller's keyed hash is limited and blockable like any sender's, and
//! the report is stored once per CallSid. A voice message needs a person to listen: its
//! incident is marked so, which pages the dispatchers (`oncall`). The caller's number is kept
//! sealed in the report like a texter's, and never logged or shown to a dispatcher.

use crate::channels::Channels;
use crate::domain::{Channel, Kind, Language, Location, NeedsPerson, Phone};
use crate::intake::guard;
use crate::intake::report::{self, Sighting};
use crate::state::Core;
use crate::store::{inbound, now_ms, StoreError};

/// Provider names of the ids stored in `inbound_messages`: a call made a report (its CallSid);
/// a caller was texted the instructions (their keyed hash and the hour).
const CALL: &str = "twilio-call";
const TEXTED: &str = "twilio-call-text";
/// Twilio rings at most 10 numbers at once.
pub const MAX_DIALLED: usize = 10;

/// One call, as the webhook read it.
pub struct Caller<'a> {
    /// Twilio's CallSid.
    pub call_sid: &'a str,
    /// Twilio's `From`: a number, or `anonymous` when withheld.
    pub from: &'a str,
    pub language: Language,
}

impl Caller<'_> {
    /// Who called, as limits and blocks know them: their number in E.164, else what Twilio said.
    fn identity(&self) -> String {
        Phone::parse(self.from).map_or_else(|_| self.from.to_string(), |p| p.e164().to_string())
    }
}

/// What a call became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallReport {
    pub report_id: i64,
    pub incident_id: Option<i64>,
}

/// The numbers of the dispatchers on duty with a phone, at most `MAX_DIALLED`.
pub async fn on_duty_numbers(core: &Core) -> Result<Vec<String>, StoreError> {
    let all = core.store.dispatchers().await?;
    Ok(all
        .into_iter()
        .filter(|d| crate::oncall::duty::is_on_duty(core, &d.name, d.on_duty, d.duty_set_at))
        .filter_map(|d| d.phone)
        .take(MAX_DIALLED)
        .collect())
}

/// The call as a report, once per CallSid; `what` is its text for the dispatcher. None when the
/// call's id was seen but its report cannot be found (a crash between the two writes).
pub async fn report(core: &Core, caller: &Caller<'_>, what: &str) -> Result<Option<CallReport>, StoreError> {
    if let Some(call) = core.store.voice_call(caller.call_sid).await? {
        let incident_id = core
            .store
            .report(call.report_id)
            .await?
            .and_then(|r| r.incident_id);
        return Ok(Some(CallReport {
            report_id: call.report_id,
            incident_id,
        }));
    }
    let sighting = Sighting {
        channel: "voice",
        text: what.to_string(),
        language: caller.language,
        point: None,
        kind: Some(Kind::Other),
        reporter: Some(caller.identity()),
        // A caller id is easily forged: a call is never a trusted volunteer's report.
        volunteer: None,
        drill: false,
        truncated: false,
    };
    let Some(received) = report::receive(core, sighting, Some((CALL, caller.call_sid))).await? else {
        return Ok(None);
    };
    core.store
        .add_voice_call(caller.call_sid, received.report_id)
        .await?;
    core.store.durable().await?;
    Ok(Some(CallReport {
        report_id: received.report_id,
        incident_id: received.incident_id,
    }))
}

/// Whether `sid` looks like a RecordingSid (`RE` + 32 hex): only such ids are ever fetched.
pub fn is_recording_sid(sid: &str) -> bool {
    sid.len() == 34 && sid.starts_with("RE") && sid[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The caller left a voice message: the call's report (made now if the call was not put
/// through), the recording noted for fetching, and its incident marked as needing a person.
pub async fn recorded(
    core: &Core,
    caller: &Caller<'_>,
    recording_sid: &str,
    duration_s: i64,
) -> Result<Option<CallReport>, StoreError> {
    let what = format!("[voice message, {duration_s} s: play it on the Reports page]");
    let Some(call) = report(core, caller, &what).await? else {
        return Ok(None);
    };
    if !core
        .store
        .add_recording(caller.call_sid, recording_sid, duration_s)
        .await?
    {
        return Ok(Some(call)); // Twilio's retry: noted already
    }
    core.store.durable().await?;
    tracing::info!(
        report_id = call.report_id,
        duration_s,
        "voice message left on the hotline"
    );
    if let Some(id) = call.incident_id {
        // Nobody can place it but a person who listens: page now, not after oncall.page_after_s.
        for id in core.store.mark_needs_person(&[id], NeedsPerson::Unplaced).await? {
            core.events.publish(crate::events::Event::Incident { id });
            core.oncall_wake.notify_one();
        }
    }
    Ok(Some(call))
}

/// Texts the caller the hotline's instructions (in their language; once per number and hour,
/// whatever the number of calls), unless the number takes no texts or the guard holds its
/// reports (blocked, over its own limit): a forged caller id must not make the hotline text
/// someone else again and again. The send happens after the webhook answered. Whether a text
/// was queued.
pub async fn text_instead(core: &Core, channels: Channels, caller: &Caller<'_>) -> Result<bool, StoreError> {
    let Ok(phone) = Phone::parse(caller.from) else {
        return Ok(false);
    };
    let now = now_ms();
    let hash = core.vault.lookup_hash(phone.e164());
    let flag = guard::check(core, Some(&hash), &Location::default(), now).await?;
    if flag.is_some_and(|f| !f.answered()) {
        return Ok(false);
    }
    let mut tx = core.store.write().await?;
    let once = format!("{hash}/{}", now / 3_600_000);
    if !inbound::first_time(&mut tx, TEXTED, &once, now).await? {
        return Ok(false);
    }
    tx.commit().await?;
    let body = crate::dispatch::message::help(caller.language, &core.settings.network.name);
    let to = phone.e164().to_string();
    tokio::spawn(async move {
        match channels.send(Channel::Sms, &to, &body).await {
            Ok(_) => tracing::info!("a caller was texted the hotline's instructions"),
            Err(e) => tracing::warn!(error = %e, "a caller could not be texted the instructions"),
        }
    });
    Ok(true)
}
