-- The dispatcher dashboard: accounts, sessions and the audit log; paused volunteers; merged
-- incidents; any number of update alerts per incident. Keep in step with
-- migrations/postgres/0003_dashboard.sql.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL,          -- dispatcher, admin
    password_hash TEXT    NOT NULL,          -- argon2id, PHC string
    created_at    INTEGER NOT NULL
);

-- Only a SHA-256 of the cookie's token is kept: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf        TEXT    NOT NULL,            -- the token every form of this session carries
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Who did what, when. No phone numbers and no message text in `detail`. No foreign key on
-- user_id: removing an account keeps its history (with the name it had).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    user_id      INTEGER,                    -- NULL: the API token or the command line
    actor        TEXT    NOT NULL,           -- user name, "api" or "cli"
    action       TEXT    NOT NULL,
    incident_id  INTEGER,
    volunteer_id INTEGER,
    detail       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- A paused volunteer stays on the roster but is not alerted until un-paused.
ALTER TABLE volunteers ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;

-- A merged incident (status 'merged') points at the one that took its reports.
ALTER TABLE incidents ADD COLUMN merged_into INTEGER REFERENCES incidents (id);

-- Alerts: one first alert and one all-clear per incident, but any number of updates, told
-- apart by `seq`. SQLite cannot change a UNIQUE constraint in place, so the table is rebuilt;
-- deferring foreign keys lets deliveries and confirmations point at it throughout.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE alerts_0003 AS SELECT id, incident_id, purpose, created_at FROM alerts;
DROP TABLE alerts;
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    purpose     TEXT    NOT NULL,            -- first, update, all_clear
    seq         INTEGER NOT NULL DEFAULT 0,  -- 1, 2, ... for updates; 0 otherwise
    created_at  INTEGER NOT NULL,
    UNIQUE (incident_id, purpose, seq)
);
INSERT INTO alerts (id, incident_id, purpose, seq, created_at)
    SELECT id, incident_id, purpose, 0, created_at FROM alerts_0003;
DROP TABLE alerts_0003;
