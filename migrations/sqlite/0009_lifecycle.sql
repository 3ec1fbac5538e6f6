-- The incident lifecycle: unverified -> verifying -> confirmed | not_found | false_alarm, and
-- confirmed -> all_clear; every change of status is kept with its cause. Escalation, drills and
-- the number of responders wanted. Keep in step with migrations/postgres/0009_lifecycle.sql.

UPDATE incidents SET status = 'confirmed' WHERE status = 'verified';
UPDATE incidents SET status = 'all_clear' WHERE status = 'resolved';

-- Who or what made the latest change of status (a dispatcher, a verifier, a policy...): every
-- statement that sets `status` sets this too, and the triggers below copy it into the history.
ALTER TABLE incidents ADD COLUMN status_cause TEXT NOT NULL DEFAULT '';
-- How it was confirmed: trusted, verifier, dispatcher, or policy (auto_verify = "all": nobody
-- confirmed it, so its alerts say UNCONFIRMED).
ALTER TABLE incidents ADD COLUMN confirmed_by TEXT;
-- A drill: labelled DRILL in every message, counted apart, alerting only the drill group.
ALTER TABLE incidents ADD COLUMN drill INTEGER NOT NULL DEFAULT 0;
-- Responders wanted (set when the first alert goes out); escalation steps taken, and when the
-- latest was (or the first alert, before any).
ALTER TABLE incidents ADD COLUMN wanted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN escalation_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN escalated_at INTEGER;
CREATE INDEX incidents_escalation ON incidents (status, escalated_at);
-- Open incidents near a new report (merging), asked on every report.
CREATE INDEX incidents_place ON incidents (lat, lon);
-- Incidents verified before: by a person (the only way then, bar the `all` policy).
UPDATE incidents SET confirmed_by = 'dispatcher' WHERE verified_at IS NOT NULL;

ALTER TABLE reports ADD COLUMN drill INTEGER NOT NULL DEFAULT 0;

CREATE TABLE incident_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    from_status TEXT,                    -- NULL when the incident was opened
    to_status   TEXT    NOT NULL,
    cause       TEXT    NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX incident_history_incident ON incident_history (incident_id, id);

INSERT INTO incident_history (incident_id, from_status, to_status, cause, at)
    SELECT id, NULL, status, 'recorded before the history was kept', updated_at FROM incidents;

CREATE TRIGGER incident_opened AFTER INSERT ON incidents BEGIN
    INSERT INTO incident_history (incident_id, from_status, to_status, cause, at)
    VALUES (NEW.id, NULL, NEW.status, NEW.status_cause, NEW.created_at);
END;

CREATE TRIGGER incident_status_changed AFTER UPDATE OF status ON incidents
    WHEN OLD.status <> NEW.status BEGIN
    INSERT INTO incident_history (incident_id, from_status, to_status, cause, at)
    VALUES (NEW.id, OLD.status, NEW.status, NEW.status_cause, NEW.updated_at);
END;
