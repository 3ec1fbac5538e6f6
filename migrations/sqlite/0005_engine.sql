-- The delivery engine across instances. Keep in step with migrations/postgres/0005_engine.sql.
-- SQLite is one process: the PostgreSQL notification triggers have no counterpart here (the
-- process wakes its own workers), and senders are paced in memory; the table is kept for a
-- schema like PostgreSQL's.
CREATE TABLE sender_slots (
    sender   TEXT    PRIMARY KEY,
    next_at  INTEGER NOT NULL
);
