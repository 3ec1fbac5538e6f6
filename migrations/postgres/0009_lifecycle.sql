-- The incident lifecycle: unverified -> verifying -> confirmed | not_found | false_alarm, and
-- confirmed -> all_clear; every change of status is kept with its cause. Escalation, drills and
-- the number of responders wanted. Keep in step with migrations/sqlite/0009_lifecycle.sql.

UPDATE incidents SET status = 'confirmed' WHERE status = 'verified';
UPDATE incidents SET status = 'all_clear' WHERE status = 'resolved';

-- Who or what made the latest change of status (a dispatcher, a verifier, a policy...): every
-- statement that sets `status` sets this too, and the triggers below copy it into the history.
ALTER TABLE incidents ADD COLUMN status_cause TEXT NOT NULL DEFAULT '';
-- How it was confirmed: trusted, verifier, dispatcher, or policy (auto_verify = "all": nobody
-- confirmed it, so its alerts say UNCONFIRMED).
ALTER TABLE incidents ADD COLUMN confirmed_by TEXT;
-- A drill: labelled DRILL in every message, counted apart, alerting only the drill group.
ALTER TABLE incidents ADD COLUMN drill BOOLEAN NOT NULL DEFAULT FALSE;
-- Responders wanted (set when the first alert goes out); escalation steps taken, and when the
-- latest was (or the first alert, before any).
ALTER TABLE incidents ADD COLUMN wanted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN escalation_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN escalated_at BIGINT;
CREATE INDEX incidents_escalation ON incidents (status, escalated_at);
-- Open incidents near a new report (merging), asked on every report.
CREATE INDEX incidents_place ON incidents (lat, lon);
-- Incidents verified before: by a person (the only way then, bar the `all` policy).
UPDATE incidents SET confirmed_by = 'dispatcher' WHERE verified_at IS NOT NULL;

ALTER TABLE reports ADD COLUMN drill BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE incident_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    from_status TEXT,                    -- NULL when the incident was opened
    to_status   TEXT   NOT NULL,
    cause       TEXT   NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX incident_history_incident ON incident_history (incident_id, id);

INSERT INTO incident_history (incident_id, from_status, to_status, cause, at)
    SELECT id, NULL, status, 'recorded before the history was kept', updated_at FROM incidents;

CREATE FUNCTION tocsin_incident_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO incident_history (incident_id, from_status, to_status, cause, at)
        VALUES (NEW.id, NULL, NEW.status, NEW.status_cause, NEW.created_at);
    ELSIF OLD.status <> NEW.status THEN
        INSERT INTO incident_history (incident_id, from_status, to_status, cause, at)
        VALUES (NEW.id, OLD.status, NEW.status, NEW.status_cause, NEW.updated_at);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER incident_history AFTER INSERT OR UPDATE OF status ON incidents
    FOR EACH ROW EXECUTE FUNCTION tocsin_incident_history();
