-- What changed since version N, for the geofence index. Keep in step with
-- migrations/postgres/0023_volunteer_changes.sql.

-- One counter for every change to what the index holds. SQLite has one writer at a time, so
-- values commit in order: an instance that has seen value N has seen every change up to N.
CREATE TABLE volunteer_change_counter (
    id     INTEGER PRIMARY KEY,
    value  INTEGER NOT NULL
);
INSERT INTO volunteer_change_counter (id, value) VALUES (1, 0);

-- The volunteer's latest change (0: none since this migration; a full build reads those).
ALTER TABLE volunteers ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX volunteers_change_seq ON volunteers (change_seq);

-- The inner UPDATE sets only change_seq, which these triggers do not watch: no recursion.
CREATE TRIGGER volunteers_change_seq_insert AFTER INSERT ON volunteers
BEGIN
    UPDATE volunteer_change_counter SET value = value + 1 WHERE id = 1;
    UPDATE volunteers SET change_seq = (SELECT value FROM volunteer_change_counter WHERE id = 1)
        WHERE id = NEW.id;
END;
CREATE TRIGGER volunteers_change_seq_update
    AFTER UPDATE OF area_enc, active, opted_out, paused, standing ON volunteers
BEGIN
    UPDATE volunteer_change_counter SET value = value + 1 WHERE id = 1;
    UPDATE volunteers SET change_seq = (SELECT value FROM volunteer_change_counter WHERE id = 1)
        WHERE id = NEW.id;
END;
