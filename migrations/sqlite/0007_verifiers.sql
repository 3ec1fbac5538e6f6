-- Verifiers first: volunteers with the verifier role nearest to an unverified report are asked
-- to check before anyone else is called. Keep in step with migrations/postgres/0007_verifiers.sql.

-- Comma-separated roles, e.g. "verifier".
ALTER TABLE volunteers ADD COLUMN roles TEXT NOT NULL DEFAULT '';

-- When the nearest verifiers were asked to check (or found to be none within reach).
ALTER TABLE incidents ADD COLUMN verifiers_paged_at INTEGER;
