//! Calls to the hotline that became reports, and their voice messages (issue 17 §1): one row
//! per CallSid, the RecordingSid once Twilio made one, then the audio fetched from Twilio,
//! sealed and bound to the row, and when Twilio's copy was deleted. `next_attempt_at` says when
//! the fetch or the delete is tried next; a claim moves it past a lease, so that of several
//! instances one works on a recording at a time.

use std::collections::HashSet;

use sqlx::Row;

use super::{now_ms, placeholders, Result, Store};
use crate::crypto::Field;

/// A call already turned into a report.
#[derive(Debug, Clone)]
pub struct VoiceCall {
    pub id: i64,
    pub report_id: i64,
    pub recording_sid: Option<String>,
}

/// A recording with work left: fetch it (not fetched yet), or delete Twilio's copy.
#[derive(Debug, Clone)]
pub struct DueRecording {
    pub id: i64,
    pub report_id: i64,
    pub recording_sid: String,
    pub fetched: bool,
    pub attempts: i64,
    pub created_at: i64,
}

/// The audio of a report's voice message, opened.
#[derive(Debug, Clone)]
pub struct Audio {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Store {
    /// The report a call became, if it did.
    pub async fn voice_call(&self, call_sid: &str) -> Result<Option<VoiceCall>> {
        let row = sqlx::query("SELECT id, report_id, recording_sid FROM voice_calls WHERE call_sid = $1")
            .bind(call_sid)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| {
            Ok(VoiceCall {
                id: r.try_get("id")?,
                report_id: r.try_get("report_id")?,
                recording_sid: r.try_get("recording_sid")?,
            })
        })
        .transpose()
    }

    /// Notes that the call became this report (once: a second time changes nothing).
    pub async fn add_voice_call(&self, call_sid: &str, report_id: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO voice_calls (call_sid, report_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(call_sid)
        .bind(report_id)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Notes the call's voice message, to be fetched at once; false when the call already has
    /// one (Twilio's retry) or is unknown.
    pub async fn add_recording(&self, call_sid: &str, recording_sid: &str, duration_s: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE voice_calls SET recording_sid = $2, duration_s = $3, next_attempt_at = $4 \
             WHERE call_sid = $1 AND recording_sid IS NULL \
             AND NOT EXISTS (SELECT 1 FROM voice_calls WHERE recording_sid = $2)",
        )
        .bind(call_sid)
        .bind(recording_sid)
        .bind(duration_s)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Recordings whose next step is due.
    pub async fn recordings_due(&self, limit: i64) -> Result<Vec<DueRecording>> {
        let rows = sqlx::query(
            "SELECT id, report_id, recording_sid, fetched_at, attempts, created_at FROM voice_calls \
             WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= $1 AND recording_sid IS NOT NULL \
             ORDER BY next_attempt_at LIMIT $2",
        )
        .bind(now_ms())
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DueRecording {
                    id: r.try_get("id")?,
                    report_id: r.try_get("report_id")?,
                    recording_sid: r.try_get("recording_sid")?,
                    fetched: r.try_get::<Option<i64>, _>("fetched_at")?.is_some(),
                    attempts: r.try_get("attempts")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Takes the recording's next step for `lease_ms`; false when another instance has it.
    pub async fn claim_recording(&self, id: i64, lease_ms: i64) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE voice_calls SET next_attempt_at = $3 WHERE id = $1 AND next_attempt_at <= $2",
        )
        .bind(id)
        .bind(now)
        .bind(now + lease_ms)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Keeps the audio fetched from Twilio, sealed to this row; deleting Twilio's copy is next.
    pub async fn store_audio(&self, id: i64, content_type: &str, audio: &[u8]) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "UPDATE voice_calls SET audio_enc = $2, content_type = $3, fetched_at = $4, \
             next_attempt_at = $4, attempts = 0, error = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(self.vault().seal_bytes(Field::VoiceAudio, id, audio))
        .bind(content_type)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Twilio's copy is gone: nothing left to do.
    pub async fn recording_deleted_at_twilio(&self, id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE voice_calls SET twilio_deleted_at = $2, next_attempt_at = NULL, error = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The step failed: tried again at `next` (None: given up), with why.
    pub async fn recording_failed(&self, id: i64, next: Option<i64>, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE voice_calls SET attempts = attempts + 1, next_attempt_at = $2, error = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(next)
        .bind(error)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The report's voice message, if it was fetched; None also when it does not open.
    pub async fn report_audio(&self, report_id: i64) -> Result<Option<Audio>> {
        let row = sqlx::query(
            "SELECT id, content_type, audio_enc FROM voice_calls WHERE report_id = $1 AND audio_enc IS NOT NULL",
        )
        .bind(report_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id: i64 = row.try_get("id")?;
        let sealed: Vec<u8> = row.try_get("audio_enc")?;
        match self.vault().open_bytes(Field::VoiceAudio, id, &sealed) {
            Ok(bytes) => Ok(Some(Audio {
                content_type: row
                    .try_get::<Option<String>, _>("content_type")?
                    .unwrap_or_default(),
                bytes,
            })),
            Err(_) => {
                tracing::error!(
                    column = Field::VoiceAudio.column(),
                    row = id,
                    "stored audio does not open"
                );
                Ok(None)
            }
        }
    }

    /// Which of these reports have a voice message to play.
    pub async fn reports_with_audio(&self, ids: &[i64]) -> Result<HashSet<i64>> {
        let mut found = HashSet::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT report_id FROM voice_calls WHERE audio_enc IS NOT NULL AND report_id IN ({})",
                placeholders(0, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                found.insert(row.try_get::<i64, _>("report_id")?);
            }
        }
        Ok(found)
    }

    /// Erases the voice messages of calls before `before` whose handling is done (Twilio's copy
    /// deleted, or given up): a voice names its caller as a number does, so it goes with the
    /// caller's number (`privacy.reporter_retention_hours`). Twilio's call id, which Twilio links
    /// to the number, goes too. How many calls lost their audio.
    pub async fn erase_voice_messages(&self, before: i64) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE voice_calls SET audio_enc = NULL, content_type = NULL, \
             call_sid = 'erased:' || CAST(id AS TEXT) \
             WHERE created_at < $1 AND next_attempt_at IS NULL \
             AND (audio_enc IS NOT NULL OR call_sid NOT LIKE 'erased:%')",
        )
        .bind(before)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }
}
