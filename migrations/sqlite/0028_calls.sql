-- Wake-up calls (issue 17 §2, §3): a volunteer may be called after a confirmed first alert's
-- text ('never' by default, 'night' within network.night_hours, or 'always'); a call is a
-- delivery on channel 'voice', whose statuses follow Twilio's call: 'ringing', 'in_progress',
-- then 'completed', 'no_answer', 'busy' (or 'failed'). Keep in step with
-- migrations/postgres/0028_calls.sql; tests/schema compares both with the Rust names
-- (domain::CallWhen, Channel, DeliveryStatus).
ALTER TABLE volunteers ADD COLUMN call TEXT NOT NULL DEFAULT 'never'
    CHECK (call IN ('never', 'night', 'always'));

DROP TRIGGER deliveries_status_insert;
DROP TRIGGER deliveries_status_update;
DROP TRIGGER deliveries_channel_insert;
DROP TRIGGER deliveries_channel_update;
DROP TRIGGER early_receipts_status_insert;
DROP TRIGGER early_receipts_status_update;
DROP TRIGGER early_receipts_channel_insert;
DROP TRIGGER early_receipts_channel_update;

CREATE TRIGGER deliveries_status_insert BEFORE INSERT ON deliveries
    WHEN NEW.status NOT IN ('queued', 'submitted', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over', 'ringing', 'in_progress', 'completed', 'no_answer', 'busy') BEGIN
    SELECT RAISE(ABORT, 'deliveries.status: not a delivery status');
END;
CREATE TRIGGER deliveries_status_update BEFORE UPDATE OF status ON deliveries
    WHEN NEW.status NOT IN ('queued', 'submitted', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over', 'ringing', 'in_progress', 'completed', 'no_answer', 'busy') BEGIN
    SELECT RAISE(ABORT, 'deliveries.status: not a delivery status');
END;
CREATE TRIGGER deliveries_channel_insert BEFORE INSERT ON deliveries
    WHEN NEW.channel NOT IN ('sms', 'signal', 'voice') BEGIN
    SELECT RAISE(ABORT, 'deliveries.channel: not a delivery channel');
END;
CREATE TRIGGER deliveries_channel_update BEFORE UPDATE OF channel ON deliveries
    WHEN NEW.channel NOT IN ('sms', 'signal', 'voice') BEGIN
    SELECT RAISE(ABORT, 'deliveries.channel: not a delivery channel');
END;
CREATE TRIGGER early_receipts_status_insert BEFORE INSERT ON early_receipts
    WHEN NEW.status NOT IN ('queued', 'submitted', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over', 'ringing', 'in_progress', 'completed', 'no_answer', 'busy') BEGIN
    SELECT RAISE(ABORT, 'early_receipts.status: not a delivery status');
END;
CREATE TRIGGER early_receipts_status_update BEFORE UPDATE OF status ON early_receipts
    WHEN NEW.status NOT IN ('queued', 'submitted', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over', 'ringing', 'in_progress', 'completed', 'no_answer', 'busy') BEGIN
    SELECT RAISE(ABORT, 'early_receipts.status: not a delivery status');
END;
CREATE TRIGGER early_receipts_channel_insert BEFORE INSERT ON early_receipts
    WHEN NEW.channel NOT IN ('sms', 'signal', 'voice') BEGIN
    SELECT RAISE(ABORT, 'early_receipts.channel: not a delivery channel');
END;
CREATE TRIGGER early_receipts_channel_update BEFORE UPDATE OF channel ON early_receipts
    WHEN NEW.channel NOT IN ('sms', 'signal', 'voice') BEGIN
    SELECT RAISE(ABORT, 'early_receipts.channel: not a delivery channel');
END;
