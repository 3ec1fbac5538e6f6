-- Issue 18 §2–4: a mobilisation is answered like an alert. It owns an incident from the start,
-- 'planned' until its morning (then 'confirmed', a live incident for those who said yes) or
-- 'cancelled': its number is the one volunteers answer with (YES31, NO31, MAYBE31, HERE31), and
-- its invitations, reminders, changes and stand-down are alerts of that incident, sent by the
-- same outbox. Keep in step with migrations/postgres/0030_invitations.sql; tests/schema compares
-- both with the Rust names (IncidentStatus, AlertPurpose, Answer).
DROP TRIGGER incidents_status_insert;
DROP TRIGGER incidents_status_update;
DROP TRIGGER alerts_purpose_insert;
DROP TRIGGER alerts_purpose_update;
DROP TRIGGER confirmations_answer_insert;
DROP TRIGGER confirmations_answer_update;

CREATE TRIGGER incidents_status_insert BEFORE INSERT ON incidents
    WHEN NEW.status NOT IN ('unverified', 'verifying', 'confirmed', 'not_found', 'all_clear', 'false_alarm', 'merged', 'planned', 'cancelled') BEGIN
    SELECT RAISE(ABORT, 'incidents.status: not an incident status');
END;
CREATE TRIGGER incidents_status_update BEFORE UPDATE OF status ON incidents
    WHEN NEW.status NOT IN ('unverified', 'verifying', 'confirmed', 'not_found', 'all_clear', 'false_alarm', 'merged', 'planned', 'cancelled') BEGIN
    SELECT RAISE(ABORT, 'incidents.status: not an incident status');
END;
CREATE TRIGGER alerts_purpose_insert BEFORE INSERT ON alerts
    WHEN NEW.purpose NOT IN ('verify', 'first', 'update', 'all_clear', 'invite', 'reminder', 'change', 'cancel', 'live') BEGIN
    SELECT RAISE(ABORT, 'alerts.purpose: not an alert purpose');
END;
CREATE TRIGGER alerts_purpose_update BEFORE UPDATE OF purpose ON alerts
    WHEN NEW.purpose NOT IN ('verify', 'first', 'update', 'all_clear', 'invite', 'reminder', 'change', 'cancel', 'live') BEGIN
    SELECT RAISE(ABORT, 'alerts.purpose: not an alert purpose');
END;
CREATE TRIGGER confirmations_answer_insert BEFORE INSERT ON confirmations
    WHEN NEW.answer NOT IN ('coming', 'cant', 'on_scene', 'maybe') BEGIN
    SELECT RAISE(ABORT, 'confirmations.answer: not an answer');
END;
CREATE TRIGGER confirmations_answer_update BEFORE UPDATE OF answer ON confirmations
    WHEN NEW.answer NOT IN ('coming', 'cant', 'on_scene', 'maybe') BEGIN
    SELECT RAISE(ABORT, 'confirmations.answer: not an answer');
END;

-- The incident it answers to; `version` counts its changes of time or place (reminders are
-- counted per version, so a moved mobilisation reminds again); `invited_at`, `changed_at`: when
-- its invitation (or latest change) went out, so that a reminder already past then is skipped.
ALTER TABLE mobilisations ADD COLUMN incident_id INTEGER REFERENCES incidents (id);
ALTER TABLE mobilisations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mobilisations ADD COLUMN changed_at INTEGER;
CREATE UNIQUE INDEX mobilisations_incident ON mobilisations (incident_id);
