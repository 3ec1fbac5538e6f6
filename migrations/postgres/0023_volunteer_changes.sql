-- What changed since version N, for the geofence index. Keep in step with
-- migrations/sqlite/0023_volunteer_changes.sql.

-- One counter for every change to what the index holds. Each write to a volunteer's
-- alertable columns takes the next value from this row, whose lock is held until commit, so
-- values commit in order: an instance that has seen value N has seen every change up to N.
CREATE TABLE volunteer_change_counter (
    id     INTEGER PRIMARY KEY,
    value  BIGINT  NOT NULL
);
INSERT INTO volunteer_change_counter (id, value) VALUES (1, 0);

-- The volunteer's latest change (0: none since this migration; a full build reads those).
ALTER TABLE volunteers ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX volunteers_change_seq ON volunteers (change_seq);

CREATE FUNCTION tocsin_volunteer_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE volunteer_change_counter SET value = value + 1 WHERE id = 1
        RETURNING value INTO NEW.change_seq;
    RETURN NEW;
END
$$;

CREATE TRIGGER volunteers_change_seq_insert BEFORE INSERT ON volunteers
    FOR EACH ROW EXECUTE FUNCTION tocsin_volunteer_change();
CREATE TRIGGER volunteers_change_seq_update
    BEFORE UPDATE OF area_enc, active, opted_out, paused, standing ON volunteers
    FOR EACH ROW EXECUTE FUNCTION tocsin_volunteer_change();
