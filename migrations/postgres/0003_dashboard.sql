-- The dispatcher dashboard: accounts, sessions and the audit log; paused volunteers; merged
-- incidents; any number of update alerts per incident. Keep in step with
-- migrations/sqlite/0003_dashboard.sql.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT   NOT NULL UNIQUE,
    role          TEXT   NOT NULL,           -- dispatcher, admin
    password_hash TEXT   NOT NULL,           -- argon2id, PHC string
    created_at    BIGINT NOT NULL
);

-- Only a SHA-256 of the cookie's token is kept: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash  TEXT   PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf        TEXT   NOT NULL,             -- the token every form of this session carries
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Who did what, when. No phone numbers and no message text in `detail`. No foreign key on
-- user_id: removing an account keeps its history (with the name it had).
CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           BIGINT NOT NULL,
    user_id      BIGINT,                     -- NULL: the API token or the command line
    actor        TEXT   NOT NULL,            -- user name, "api" or "cli"
    action       TEXT   NOT NULL,
    incident_id  BIGINT,
    volunteer_id BIGINT,
    detail       TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- A paused volunteer stays on the roster but is not alerted until un-paused.
ALTER TABLE volunteers ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;

-- A merged incident (status 'merged') points at the one that took its reports.
ALTER TABLE incidents ADD COLUMN merged_into BIGINT REFERENCES incidents (id);

-- Alerts: one first alert and one all-clear per incident, but any number of updates, told
-- apart by `seq` (1, 2, ... for updates; 0 otherwise).
ALTER TABLE alerts ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE alerts DROP CONSTRAINT alerts_incident_id_purpose_key;
ALTER TABLE alerts ADD CONSTRAINT alerts_incident_purpose_seq UNIQUE (incident_id, purpose, seq);
