-- Zones, self-service by text, pauses. Keep in step with migrations/sqlite/0004_zones.sql.
-- (0003 is the dashboard's.)

CREATE TABLE zones (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    aliases     TEXT    NOT NULL DEFAULT '[]',   -- JSON array of strings
    geometry    TEXT    NOT NULL,                -- GeoJSON Polygon or MultiPolygon
    updated_at  BIGINT NOT NULL
);

-- The zone an incident is in or was placed by; approximate when only the zone placed it.
ALTER TABLE incidents ADD COLUMN zone TEXT;
ALTER TABLE incidents ADD COLUMN approximate BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE reports ADD COLUMN zone TEXT;
ALTER TABLE reports ADD COLUMN approximate BOOLEAN NOT NULL DEFAULT FALSE;

-- No alerts until then (PAUSE); NULL: not paused.
ALTER TABLE volunteers ADD COLUMN paused_until BIGINT;

-- A JOIN conversation by text, keyed by the sender's keyed hash.
CREATE TABLE conversations (
    sender_hash TEXT    PRIMARY KEY,
    step        TEXT    NOT NULL,                -- language, area, confirm
    language    TEXT,
    area        TEXT,                            -- the home area chosen (JSON)
    area_label  TEXT,
    failures    BIGINT NOT NULL DEFAULT 0,
    started_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
