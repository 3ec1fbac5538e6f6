-- Inbound messages longer than 1,600 characters are stored cut there, and say so. Keep in step
-- with migrations/postgres/0016_intake_bounds.sql.
ALTER TABLE reports ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;
