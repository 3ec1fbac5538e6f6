-- Zones, self-service by text, pauses. Keep in step with migrations/postgres/0004_zones.sql.
-- (0003 is the dashboard's.)

CREATE TABLE zones (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    aliases     TEXT    NOT NULL DEFAULT '[]',   -- JSON array of strings
    geometry    TEXT    NOT NULL,                -- GeoJSON Polygon or MultiPolygon
    updated_at  INTEGER NOT NULL
);

-- The zone an incident is in or was placed by; approximate when only the zone placed it.
ALTER TABLE incidents ADD COLUMN zone TEXT;
ALTER TABLE incidents ADD COLUMN approximate INTEGER NOT NULL DEFAULT 0;

ALTER TABLE reports ADD COLUMN zone TEXT;
ALTER TABLE reports ADD COLUMN approximate INTEGER NOT NULL DEFAULT 0;

-- No alerts until then (PAUSE); NULL: not paused.
ALTER TABLE volunteers ADD COLUMN paused_until INTEGER;

-- A JOIN conversation by text, keyed by the sender's keyed hash.
CREATE TABLE conversations (
    sender_hash TEXT    PRIMARY KEY,
    step        TEXT    NOT NULL,                -- language, area, confirm
    language    TEXT,
    area        TEXT,                            -- the home area chosen (JSON)
    area_label  TEXT,
    failures    INTEGER NOT NULL DEFAULT 0,
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
