-- Calling the hotline (issue 17 §1). Keep in step with migrations/sqlite/0027_voice_hotline.sql.

-- A report may come by phone: a call dialled to a dispatcher, or a voice message.
ALTER TABLE reports DROP CONSTRAINT reports_channel_check;
ALTER TABLE reports
    ADD CONSTRAINT reports_channel_check CHECK (channel IN ('sms', 'signal', 'api', 'voice'));

-- One call to the hotline that became a report (Twilio's CallSid, once), and its voice message:
-- Twilio's RecordingSid, then the audio fetched from Twilio, sealed and bound to this row
-- (audio_enc); twilio_deleted_at once Twilio's copy is deleted. next_attempt_at: when the fetch
-- or the delete is tried next (NULL: nothing left to do).
CREATE TABLE voice_calls (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_sid          TEXT   NOT NULL UNIQUE,
    report_id         BIGINT NOT NULL UNIQUE REFERENCES reports (id) ON DELETE CASCADE,
    recording_sid     TEXT   UNIQUE,
    duration_s        BIGINT,
    content_type      TEXT,
    audio_enc         BYTEA,
    fetched_at        BIGINT,
    twilio_deleted_at BIGINT,
    attempts          BIGINT NOT NULL DEFAULT 0,
    next_attempt_at   BIGINT,
    error             TEXT,
    created_at        BIGINT NOT NULL
);
CREATE INDEX voice_calls_due ON voice_calls (next_attempt_at);
