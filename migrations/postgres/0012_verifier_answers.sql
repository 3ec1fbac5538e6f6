-- Verifiers decide only on purpose: everything a verifier sends while asked to check is kept
-- for the dispatcher (CONFIRM, NOTHING, or anything else, which decides nothing), and NOTHING
-- answers are counted per verifier. Keep in step with migrations/sqlite/0012_verifier_answers.sql.

CREATE TABLE verifier_answers (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id  BIGINT NOT NULL REFERENCES incidents (id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
    kind         TEXT   NOT NULL CHECK (kind IN ('confirm', 'nothing', 'other')),
    -- The message as sent: message text, so encrypted like numbers (nonce || ciphertext).
    text_enc     BYTEA  NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX verifier_answers_incident ON verifier_answers (incident_id, id);

-- Requests to check sent in the last hour, per verifier (dispatch.max_checks_per_verifier_per_hour).
CREATE INDEX alerts_purpose_created ON alerts (purpose, created_at);
