-- Dispatchers on duty, and paging them when a report needs a person (issue 14). Keep in step
-- with migrations/postgres/0024_oncall.sql.

-- A dashboard account's phone, sealed like a volunteer's, found by its keyed hash; the channel
-- and language pages go out in; the on-duty switch and when it was last set (a schedule's shift that began
-- later overrides it).
ALTER TABLE users ADD COLUMN phone_enc BLOB;
ALTER TABLE users ADD COLUMN phone_hash TEXT;
ALTER TABLE users ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms', 'signal'));
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN on_duty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN duty_set_at INTEGER;
CREATE UNIQUE INDEX users_phone_hash ON users (phone_hash);

-- Why an incident waits for a person (none: it does not), since when; the paging rounds taken
-- (1: the on-duty dispatchers, 2: every dispatcher with a phone) and when the latest went out;
-- who acknowledged it.
ALTER TABLE incidents ADD COLUMN needs_person TEXT CHECK (needs_person IN
    ('no_verifier', 'verifiers_silent', 'unplaced', 'flood'));
ALTER TABLE incidents ADD COLUMN needs_person_at INTEGER;
ALTER TABLE incidents ADD COLUMN paged_round INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN paged_at INTEGER;
ALTER TABLE incidents ADD COLUMN acked_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE incidents ADD COLUMN acked_at INTEGER;
-- How many rounds of verifiers were asked (the latest at verifiers_paged_at); before this
-- migration, one at most.
ALTER TABLE incidents ADD COLUMN verifier_rounds INTEGER NOT NULL DEFAULT 0;
UPDATE incidents SET verifier_rounds = 1
    WHERE id IN (SELECT incident_id FROM alerts WHERE purpose = 'verify');
-- Escalation driven by answers: replacements alerted for those who said they can't, and when
-- everyone still silent was told that enough are coming.
ALTER TABLE incidents ADD COLUMN replacements INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN enough_at INTEGER;
CREATE INDEX incidents_needs_person ON incidents (needs_person_at) WHERE needs_person IS NOT NULL;

-- One page per dispatcher, subject ("incident:12", "flood:<hour>") and round. The text is written
-- when it is sent, from the incident: no report words rest here.
CREATE TABLE pages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    topic           TEXT    NOT NULL,
    incident_id     INTEGER REFERENCES incidents (id),
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    round           INTEGER NOT NULL,
    channel         TEXT    NOT NULL CHECK (channel IN ('sms', 'signal')),
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'canceled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    provider_id     TEXT,
    error           TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (topic, round, user_id)
);
CREATE INDEX pages_due ON pages (status, next_attempt_at);
CREATE INDEX pages_incident ON pages (incident_id);
