-- Calling the hotline (issue 17 §1). Keep in step with migrations/postgres/0027_voice_hotline.sql.

-- A report may come by phone: a call dialled to a dispatcher, or a voice message.
DROP TRIGGER reports_channel_insert;
DROP TRIGGER reports_channel_update;
CREATE TRIGGER reports_channel_insert BEFORE INSERT ON reports
    WHEN NEW.channel NOT IN ('sms', 'signal', 'api', 'voice') BEGIN
    SELECT RAISE(ABORT, 'reports.channel: not a report channel');
END;
CREATE TRIGGER reports_channel_update BEFORE UPDATE OF channel ON reports
    WHEN NEW.channel NOT IN ('sms', 'signal', 'api', 'voice') BEGIN
    SELECT RAISE(ABORT, 'reports.channel: not a report channel');
END;

-- One call to the hotline that became a report (Twilio's CallSid, once), and its voice message:
-- Twilio's RecordingSid, then the audio fetched from Twilio, sealed and bound to this row
-- (audio_enc); twilio_deleted_at once Twilio's copy is deleted. next_attempt_at: when the fetch
-- or the delete is tried next (NULL: nothing left to do).
CREATE TABLE voice_calls (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    call_sid          TEXT    NOT NULL UNIQUE,
    report_id         INTEGER NOT NULL UNIQUE REFERENCES reports (id) ON DELETE CASCADE,
    recording_sid     TEXT    UNIQUE,
    duration_s        INTEGER,
    content_type      TEXT,
    audio_enc         BLOB,
    fetched_at        INTEGER,
    twilio_deleted_at INTEGER,
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER,
    error             TEXT,
    created_at        INTEGER NOT NULL
);
CREATE INDEX voice_calls_due ON voice_calls (next_attempt_at);
