-- Who paused a volunteer from the dashboard (the `paused` flag): the actor as the history
-- names it ("dispatcher maria", "dispatcher (API)"); NULL when not paused that way. A pause
-- by text is `paused_until`, always the volunteer's own. Keep in step with
-- migrations/sqlite/0025_paused_by.sql.
ALTER TABLE volunteers ADD COLUMN paused_by TEXT;
