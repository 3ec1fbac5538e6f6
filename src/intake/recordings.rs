//! Voice messages come home: each recording Twilio made is fetched with the account's
//! credentials, stored sealed (bound to its row), and only then deleted at Twilio, so that the
//! audio lives in one place, encrypted, and never at a public URL. Every step is claimed in the
//! database first (one instance works on a recording at a time) and retried with a growing wait;
//! a recording Twilio still does not have after `GIVE_UP_MS` is given up, and said so.

use std::time::Duration;

use crate::channels::twilio::recordings::{RecordingError, Recordings};
use crate::state::{Core, Shared, Shutdown};
use crate::store::now_ms;
use crate::store::recordings::DueRecording;

/// How often the task looks for recordings to fetch.
const POLL: Duration = Duration::from_secs(1);
/// Recordings taken per pass.
const BATCH: i64 = 10;
/// A step not finished within this is taken again.
const LEASE_MS: i64 = 120_000;
/// Twilio keeps a recording it made; one still missing after an hour will not come.
const GIVE_UP_MS: i64 = 3_600_000;

/// The client for this instance's Twilio account, if one is configured.
pub fn client(core: &Core) -> anyhow::Result<Option<Recordings>> {
    let t = &core.settings.twilio;
    match (&t.account_sid, &t.auth_token) {
        (Some(sid), Some(token)) => Ok(Some(Recordings::new(
            &t.api_base,
            sid,
            token.clone(),
            Duration::from_secs(t.timeout_s.max(30)),
        )?)),
        _ => Ok(None),
    }
}

pub async fn run(core: Shared, twilio: Recordings, mut shutdown: Shutdown) {
    let never = tokio::sync::Notify::new();
    loop {
        if let Err(e) = pass(&core, &twilio).await {
            tracing::error!(error = %e, "fetching voice messages failed; retrying");
        }
        if !crate::state::wait(&never, POLL, &mut shutdown).await {
            return;
        }
    }
}

/// One pass over the recordings due; how many finished (fetched and deleted at Twilio).
pub async fn pass(core: &Core, twilio: &Recordings) -> anyhow::Result<usize> {
    let mut done = 0;
    for due in core.store.recordings_due(BATCH).await? {
        if !core.store.claim_recording(due.id, LEASE_MS).await? {
            continue; // another instance has it
        }
        match step(core, twilio, &due).await {
            Ok(()) => {
                core.store.recording_deleted_at_twilio(due.id).await?;
                tracing::info!(
                    report_id = due.report_id,
                    "voice message stored; Twilio's copy deleted"
                );
                core.events.publish(crate::events::Event::Report {
                    report_id: due.report_id,
                    incident_id: None,
                });
                done += 1;
            }
            Err(e) => failed(core, &due, e).await?,
        }
    }
    Ok(done)
}

/// Fetches and keeps the audio (unless kept already), then deletes Twilio's copy.
async fn step(core: &Core, twilio: &Recordings, due: &DueRecording) -> Result<(), RecordingError> {
    if !due.fetched {
        let (content_type, audio) = twilio.fetch(&due.recording_sid).await?;
        core.store
            .store_audio(due.id, &content_type, &audio)
            .await
            .map_err(|e| RecordingError::Retry(e.to_string()))?;
    }
    twilio.delete(&due.recording_sid).await
}

async fn failed(core: &Core, due: &DueRecording, e: RecordingError) -> anyhow::Result<()> {
    let wait_ms = match e {
        RecordingError::Config(_) => 60_000,
        // Twilio may answer before the media exists: try again soon, then less and less often.
        _ => (500 * (due.attempts + 1)).min(30_000),
    };
    let now = now_ms();
    let give_up = e == RecordingError::NotFound && now - due.created_at > GIVE_UP_MS;
    if give_up {
        tracing::error!(report_id = due.report_id, error = %e, "a voice message could not be fetched; given up");
    } else {
        tracing::warn!(report_id = due.report_id, error = %e, wait_ms, "a voice message step failed; will retry");
    }
    let next = (!give_up).then_some(now + wait_ms);
    core.store.recording_failed(due.id, next, &e.to_string()).await?;
    Ok(())
}
