-- Logins (issue 11): an account locks after dashboard.lockout_after failed logins in a row,
-- until locked_until (ms since the epoch); a right password or `tocsin user unlock` clears it.
-- Kept in the database so that every instance sees the same lock. (0014 is not used.)
-- Keep in step with migrations/postgres/0017_logins.sql.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until INTEGER;
