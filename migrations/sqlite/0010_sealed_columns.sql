-- Encryption at rest of what names or locates a person (issue 11): volunteers' names and home
-- areas, report texts and a joiner's chosen area get sealed columns, each value bound to its
-- column and row. Keep in step with migrations/postgres/0010_sealed_columns.sql.
-- tocsin itself moves the values out of the plaintext columns (it needs the key:
-- src/store/upgrade.rs) before 0011 drops them.

ALTER TABLE volunteers ADD COLUMN name_enc BLOB NOT NULL DEFAULT X'';
ALTER TABLE volunteers ADD COLUMN area_enc BLOB NOT NULL DEFAULT X'';
ALTER TABLE reports ADD COLUMN body_enc BLOB NOT NULL DEFAULT X'';
ALTER TABLE conversations ADD COLUMN area_enc BLOB;
ALTER TABLE conversations ADD COLUMN area_label_enc BLOB;

-- A Signal receipt moves only a delivery to whoever sent it, also when it arrives early.
ALTER TABLE early_receipts ADD COLUMN volunteer_id INTEGER;

-- Inbound message ids are kept for the retention window only.
CREATE INDEX inbound_messages_received ON inbound_messages (received_at);
