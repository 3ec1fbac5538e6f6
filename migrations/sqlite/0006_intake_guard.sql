-- Abuse resistance on the hotline: flagged reports (stored, never alerting) and a block list.
-- Keep in step with migrations/postgres/0006_intake_guard.sql. (0005 is the delivery engine's.)

-- Why a report did not open an incident by itself: rate_limited, blocked; or repeat (kept,
-- but the same number keeps reporting the same place).
ALTER TABLE reports ADD COLUMN flagged TEXT;

-- Senders whose reports are stored but never acted on. Dispatchers block by report (they never
-- see numbers); the sender is kept only as its keyed hash.
CREATE TABLE blocked_senders (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_hash TEXT    NOT NULL UNIQUE,
    report_id   INTEGER,
    reason      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

-- Recent reports by sender, for the per-number limit.
CREATE INDEX reports_reporter ON reports (reporter_hash, received_at);
CREATE INDEX reports_received ON reports (received_at);
