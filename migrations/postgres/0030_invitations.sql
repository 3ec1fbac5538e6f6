-- Issue 18 §2–4: a mobilisation is answered like an alert. It owns an incident from the start,
-- 'planned' until its morning (then 'confirmed', a live incident for those who said yes) or
-- 'cancelled': its number is the one volunteers answer with (YES31, NO31, MAYBE31, HERE31), and
-- its invitations, reminders, changes and stand-down are alerts of that incident, sent by the
-- same outbox. Keep in step with migrations/sqlite/0030_invitations.sql; tests/schema compares
-- both with the Rust names (IncidentStatus, AlertPurpose, Answer).
ALTER TABLE incidents
    DROP CONSTRAINT incidents_status_check,
    ADD CONSTRAINT incidents_status_check CHECK (status IN
        ('unverified', 'verifying', 'confirmed', 'not_found', 'all_clear', 'false_alarm', 'merged',
         'planned', 'cancelled'));

ALTER TABLE alerts
    DROP CONSTRAINT alerts_purpose_check,
    ADD CONSTRAINT alerts_purpose_check CHECK (purpose IN ('verify', 'first', 'update', 'all_clear',
        'invite', 'reminder', 'change', 'cancel', 'live'));

ALTER TABLE confirmations
    DROP CONSTRAINT confirmations_answer_check,
    ADD CONSTRAINT confirmations_answer_check CHECK (answer IN ('coming', 'cant', 'on_scene', 'maybe'));

-- The incident it answers to; `version` counts its changes of time or place (reminders are
-- counted per version, so a moved mobilisation reminds again); `changed_at`: when its latest
-- change went out, so that a reminder already past then is skipped.
ALTER TABLE mobilisations
    ADD COLUMN incident_id BIGINT REFERENCES incidents (id),
    ADD COLUMN version BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN changed_at BIGINT;
CREATE UNIQUE INDEX mobilisations_incident ON mobilisations (incident_id);
