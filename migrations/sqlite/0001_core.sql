-- tocsin core schema (SQLite). Keep in step with migrations/postgres/0001_core.sql.
-- Times are milliseconds since the Unix epoch. Booleans are 0/1.

CREATE TABLE volunteers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    phone_enc   BLOB    NOT NULL,           -- XChaCha20-Poly1305(nonce || ciphertext)
    phone_hash  TEXT    NOT NULL UNIQUE,    -- HMAC-SHA256 lookup key
    language    TEXT    NOT NULL,
    trusted     INTEGER NOT NULL DEFAULT 0,
    area        TEXT    NOT NULL,           -- canonical JSON: circle or GeoJSON geometry
    active      INTEGER NOT NULL DEFAULT 1,
    opted_out   INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Every inbound provider message once: a provider's redelivery is a no-op.
CREATE TABLE inbound_messages (
    provider    TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (provider, message_id)
);

CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    lat             REAL,
    lon             REAL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    verified_at     INTEGER,
    closed_at       INTEGER,
    first_alert_at  INTEGER,                -- set when the first alert's deliveries are written
    all_clear_at    INTEGER                 -- set when the all-clear's deliveries are written
);
CREATE INDEX incidents_dispatchable ON incidents (status, first_alert_at);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT    NOT NULL,        -- sms, api
    body            TEXT    NOT NULL,
    language        TEXT    NOT NULL,
    reporter_enc    BLOB,                    -- erased after privacy.reporter_retention_hours
    reporter_hash   TEXT,
    volunteer_id    INTEGER REFERENCES volunteers (id),
    lat             REAL,
    lon             REAL,
    kind            TEXT    NOT NULL,
    incident_id     INTEGER REFERENCES incidents (id),
    received_at     INTEGER NOT NULL
);
CREATE INDEX reports_incident ON reports (incident_id);
CREATE INDEX reports_unprocessed ON reports (received_at) WHERE incident_id IS NULL;

CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    purpose     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (incident_id, purpose)
);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id        INTEGER NOT NULL REFERENCES alerts (id),
    volunteer_id    INTEGER NOT NULL REFERENCES volunteers (id),
    channel         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    priority        INTEGER NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    expires_at      INTEGER NOT NULL,
    provider_id     TEXT,
    error           TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (alert_id, volunteer_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (status, priority, next_attempt_at);
CREATE INDEX deliveries_volunteer ON deliveries (volunteer_id, id);
CREATE UNIQUE INDEX deliveries_provider ON deliveries (channel, provider_id);

-- One row per try to hand a delivery to a provider.
CREATE TABLE delivery_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id  INTEGER NOT NULL REFERENCES deliveries (id),
    at           INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,           -- submitted, retry, failed
    detail       TEXT
);

-- A volunteer's latest answer for an incident.
CREATE TABLE confirmations (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers (id),
    alert_id     INTEGER NOT NULL REFERENCES alerts (id),
    answer       TEXT    NOT NULL,
    answered_at  INTEGER NOT NULL,
    PRIMARY KEY (incident_id, volunteer_id)
);
