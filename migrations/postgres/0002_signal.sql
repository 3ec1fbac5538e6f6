-- Signal: volunteers choose their channel; a Signal delivery that cannot go through fails over
-- to SMS. Keep in step with migrations/sqlite/0002_signal.sql.

ALTER TABLE volunteers ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms';   -- sms, signal, both
ALTER TABLE volunteers ADD COLUMN signal_enc BYTEA;                       -- Signal UUID when not their number
ALTER TABLE volunteers ADD COLUMN signal_hash TEXT;
CREATE UNIQUE INDEX volunteers_signal_hash ON volunteers (signal_hash);

-- The SMS delivery that replaced a failed Signal one points at it.
ALTER TABLE deliveries ADD COLUMN failover_of BIGINT REFERENCES deliveries (id);

-- Signal ids a send by its timestamp, which two sends in the same millisecond could share:
-- provider ids are looked up, not unique.
DROP INDEX deliveries_provider;
CREATE INDEX deliveries_provider ON deliveries (channel, provider_id);

-- Receipts that arrive before we recorded the provider's id (a fast callback racing our write);
-- applied when the id is recorded.
CREATE TABLE early_receipts (
    channel     TEXT    NOT NULL,
    provider_id TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    error       TEXT,
    received_at BIGINT  NOT NULL
);
CREATE INDEX early_receipts_provider ON early_receipts (channel, provider_id);

-- Facts about this database, such as a check value of the data key that encrypted it.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
