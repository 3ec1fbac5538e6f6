-- Issue 12 §3: incidents placed only roughly (a zone, a street) are found by the reports that
-- fall in their area within dispatch.merge_s, and made exact by one that is. Keep in step with
-- migrations/sqlite/0021_rough_places.sql.
CREATE INDEX incidents_rough ON incidents (approximate, created_at);
