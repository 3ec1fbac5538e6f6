-- The delivery engine across instances. Keep in step with migrations/postgres/0005_engine.sql.
-- SQLite is one process: the PostgreSQL notification triggers have no counterpart here (the
-- process wakes its own workers), so this migration only keeps the numbering in step.
SELECT 1;
