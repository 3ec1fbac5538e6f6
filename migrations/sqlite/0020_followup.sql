-- Issue 12 §4: a reporter is asked where (or what and where), and hears back. Keep in step with
-- migrations/postgres/0020_followup.sql.

-- The one question a reporter was asked, keyed by the sender's keyed hash; their next message
-- within intake.followup_s answers it. `where`: their report opened an unplaced incident;
-- `what`: a bare word was held (flagged `asked`) and opened nothing.
CREATE TABLE followups (
    sender_hash TEXT    PRIMARY KEY,
    asked       TEXT    NOT NULL CHECK (asked IN ('where', 'what')),
    report_id   INTEGER NOT NULL REFERENCES reports (id),
    incident_id INTEGER REFERENCES incidents (id),
    language    TEXT    NOT NULL,
    asked_at    INTEGER NOT NULL
);

-- When the reporter was told that their report's incident was confirmed, and that it ended.
ALTER TABLE reports ADD COLUMN told_confirmed_at INTEGER;
ALTER TABLE reports ADD COLUMN told_ended_at INTEGER;
-- Reports from before this migration have nothing left to be told: no burst of stale news on
-- upgrade.
UPDATE reports SET told_confirmed_at = received_at, told_ended_at = received_at;
-- What the task that tells reporters reads every second: only reports with news still to come.
CREATE INDEX reports_to_tell ON reports (incident_id)
    WHERE reporter_enc IS NOT NULL AND told_ended_at IS NULL;
