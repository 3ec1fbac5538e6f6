-- Answers to the right incident (issue 12): a bare Y/N/HERE from a volunteer with several open
-- incidents is held here while tocsin asks which one; the next message naming one applies it.
-- One per volunteer; a new question replaces the old. Keep in step with
-- migrations/postgres/0019_answers.sql.
CREATE TABLE pending_answers (
    volunteer_id INTEGER NOT NULL PRIMARY KEY REFERENCES volunteers (id) ON DELETE CASCADE,
    answer       TEXT   NOT NULL CHECK (answer IN ('coming', 'cant', 'on_scene')),
    asked_at     INTEGER NOT NULL
);
