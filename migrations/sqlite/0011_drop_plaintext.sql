-- The plaintext columns go once tocsin has sealed their values (src/store/upgrade.rs, run
-- between 0010 and this). Keep in step with migrations/postgres/0011_drop_plaintext.sql.
-- SQLite rewrites each table without the column; tocsin vacuums the file afterwards.

ALTER TABLE volunteers DROP COLUMN name;
ALTER TABLE volunteers DROP COLUMN area;
ALTER TABLE reports DROP COLUMN body;
ALTER TABLE conversations DROP COLUMN area;
ALTER TABLE conversations DROP COLUMN area_label;
