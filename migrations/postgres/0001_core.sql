-- tocsin core schema (PostgreSQL). Keep in step with migrations/sqlite/0001_core.sql.
-- Times are milliseconds since the Unix epoch. Booleans are BOOLEAN.

CREATE TABLE volunteers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL,
    phone_enc   BYTEA    NOT NULL,           -- XChaCha20-Poly1305(nonce || ciphertext)
    phone_hash  TEXT    NOT NULL UNIQUE,    -- HMAC-SHA256 lookup key
    language    TEXT    NOT NULL,
    trusted     BOOLEAN NOT NULL DEFAULT FALSE,
    area        TEXT    NOT NULL,           -- canonical JSON: circle or GeoJSON geometry
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    opted_out   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Every inbound provider message once: a provider's redelivery is a no-op.
CREATE TABLE inbound_messages (
    provider    TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (provider, message_id)
);

CREATE TABLE incidents (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    verified_at     BIGINT,
    closed_at       BIGINT,
    first_alert_at  BIGINT,                -- set when the first alert's deliveries are written
    all_clear_at    BIGINT                 -- set when the all-clear's deliveries are written
);
CREATE INDEX incidents_dispatchable ON incidents (status, first_alert_at);

CREATE TABLE reports (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         TEXT    NOT NULL,        -- sms, api
    body            TEXT    NOT NULL,
    language        TEXT    NOT NULL,
    reporter_enc    BYTEA,                    -- erased after privacy.reporter_retention_hours
    reporter_hash   TEXT,
    volunteer_id    BIGINT REFERENCES volunteers (id),
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    kind            TEXT    NOT NULL,
    incident_id     BIGINT REFERENCES incidents (id),
    received_at     BIGINT NOT NULL
);
CREATE INDEX reports_incident ON reports (incident_id);
CREATE INDEX reports_unprocessed ON reports (received_at) WHERE incident_id IS NULL;

CREATE TABLE alerts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    purpose     TEXT    NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (incident_id, purpose)
);

CREATE TABLE deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id        BIGINT NOT NULL REFERENCES alerts (id),
    volunteer_id    BIGINT NOT NULL REFERENCES volunteers (id),
    channel         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    priority        BIGINT NOT NULL,
    status          TEXT    NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT,
    expires_at      BIGINT NOT NULL,
    provider_id     TEXT,
    error           TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (alert_id, volunteer_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (status, priority, next_attempt_at);
CREATE INDEX deliveries_volunteer ON deliveries (volunteer_id, id);
CREATE UNIQUE INDEX deliveries_provider ON deliveries (channel, provider_id);

-- One row per try to hand a delivery to a provider.
CREATE TABLE delivery_attempts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  BIGINT NOT NULL REFERENCES deliveries (id),
    at           BIGINT NOT NULL,
    duration_ms  BIGINT NOT NULL,
    outcome      TEXT    NOT NULL,           -- submitted, retry, failed
    detail       TEXT
);

-- A volunteer's latest answer for an incident.
CREATE TABLE confirmations (
    incident_id  BIGINT NOT NULL REFERENCES incidents (id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
    alert_id     BIGINT NOT NULL REFERENCES alerts (id),
    answer       TEXT    NOT NULL,
    answered_at  BIGINT NOT NULL,
    PRIMARY KEY (incident_id, volunteer_id)
);
