-- Places imported from OpenStreetMap (`tocsin places import`), and how each report and
-- incident was placed. Keep in step with migrations/postgres/0018_places.sql.

-- One row per named street (geometry: JSON list of ways, each a list of [node id, lat, lon]),
-- address point (name: the street, detail: the house number) or named place. An import
-- replaces every row.
CREATE TABLE places (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL CHECK (kind IN ('street', 'address', 'place')),
    name        TEXT    NOT NULL,
    detail      TEXT,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    geometry    TEXT,
    imported_at INTEGER NOT NULL
);

ALTER TABLE reports ADD COLUMN located_by TEXT CHECK (located_by IN
    ('coordinates', 'link', 'address', 'intersection', 'place', 'street', 'zone', 'dispatcher'));
ALTER TABLE reports ADD COLUMN uncertainty_m REAL;
ALTER TABLE incidents ADD COLUMN located_by TEXT CHECK (located_by IN
    ('coordinates', 'link', 'address', 'intersection', 'place', 'street', 'zone', 'dispatcher'));
ALTER TABLE incidents ADD COLUMN uncertainty_m REAL;

-- Before this, a point was either written in the text (or given) or a zone's.
UPDATE reports SET located_by = CASE WHEN approximate THEN 'zone' ELSE 'coordinates' END
    WHERE lat IS NOT NULL;
UPDATE incidents SET located_by = CASE WHEN approximate THEN 'zone' ELSE 'coordinates' END
    WHERE lat IS NOT NULL;
