-- Dispatchers on duty, and paging them when a report needs a person (issue 14). Keep in step
-- with migrations/sqlite/0024_oncall.sql.

-- A dashboard account's phone, sealed like a volunteer's, found by its keyed hash; the channel
-- and language pages go out in; the on-duty switch and when it was last set (a schedule's shift that began
-- later overrides it).
ALTER TABLE users ADD COLUMN phone_enc BYTEA;
ALTER TABLE users ADD COLUMN phone_hash TEXT;
ALTER TABLE users ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'signal'));
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN on_duty BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN duty_set_at BIGINT;
CREATE UNIQUE INDEX users_phone_hash ON users (phone_hash);

-- Why an incident waits for a person (none: it does not), since when; the paging rounds taken
-- (1: the on-duty dispatchers, 2: every dispatcher with a phone) and when the latest went out;
-- who acknowledged it.
ALTER TABLE incidents ADD COLUMN needs_person TEXT CHECK (needs_person IN
    ('no_verifier', 'verifiers_silent', 'unplaced', 'flood'));
ALTER TABLE incidents ADD COLUMN needs_person_at BIGINT;
ALTER TABLE incidents ADD COLUMN paged_round BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN paged_at BIGINT;
ALTER TABLE incidents ADD COLUMN acked_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE incidents ADD COLUMN acked_at BIGINT;
-- How many rounds of verifiers were asked (the latest at verifiers_paged_at); before this
-- migration, one at most.
ALTER TABLE incidents ADD COLUMN verifier_rounds BIGINT NOT NULL DEFAULT 0;
UPDATE incidents SET verifier_rounds = 1
    WHERE id IN (SELECT incident_id FROM alerts WHERE purpose = 'verify');
-- Escalation driven by answers: replacements alerted for those who said they can't, and when
-- everyone still silent was told that enough are coming.
ALTER TABLE incidents ADD COLUMN replacements BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN enough_at BIGINT;
CREATE INDEX incidents_needs_person ON incidents (needs_person_at) WHERE needs_person IS NOT NULL;

-- One page per dispatcher, subject ("incident:12", "flood:<hour>") and round. The text is written
-- when it is sent, from the incident: no report words rest here.
CREATE TABLE pages (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic           TEXT    NOT NULL,
    incident_id     BIGINT REFERENCES incidents (id),
    user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    round           BIGINT NOT NULL,
    channel         TEXT    NOT NULL CHECK (channel IN ('sms', 'signal')),
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'canceled')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT,
    provider_id     TEXT,
    error           TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (topic, round, user_id)
);
CREATE INDEX pages_due ON pages (status, next_attempt_at);
CREATE INDEX pages_incident ON pages (incident_id);
