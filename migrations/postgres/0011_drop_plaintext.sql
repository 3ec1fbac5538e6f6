-- The plaintext columns go once tocsin has sealed their values (src/store/upgrade.rs, run
-- between 0010 and this). Keep in step with migrations/sqlite/0011_drop_plaintext.sql.
-- PostgreSQL only hides a dropped column; the upgrade emptied them first and tocsin runs
-- VACUUM FULL on these tables afterwards, so that the old row versions are gone from the files.

ALTER TABLE volunteers DROP COLUMN name, DROP COLUMN area;
ALTER TABLE reports DROP COLUMN body;
ALTER TABLE conversations DROP COLUMN area, DROP COLUMN area_label;
