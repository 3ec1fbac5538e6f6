-- Wake-up calls (issue 17 §2, §3): a volunteer may be called after a confirmed first alert's
-- text ('never' by default, 'night' within network.night_hours, or 'always'); a call is a
-- delivery on channel 'voice', whose statuses follow Twilio's call: 'ringing', 'in_progress',
-- then 'completed', 'no_answer', 'busy' (or 'failed'). Keep in step with
-- migrations/sqlite/0028_calls.sql; tests/schema compares both with the Rust names
-- (domain::CallWhen, Channel, DeliveryStatus).
ALTER TABLE volunteers ADD COLUMN call TEXT NOT NULL DEFAULT 'never'
    CHECK (call IN ('never', 'night', 'always'));

ALTER TABLE deliveries
    DROP CONSTRAINT deliveries_status_check,
    DROP CONSTRAINT deliveries_channel_check,
    ADD CONSTRAINT deliveries_status_check CHECK (status IN ('queued', 'submitted', 'sent',
        'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over',
        'ringing', 'in_progress', 'completed', 'no_answer', 'busy')),
    ADD CONSTRAINT deliveries_channel_check CHECK (channel IN ('sms', 'signal', 'voice'));

ALTER TABLE early_receipts
    DROP CONSTRAINT early_receipts_status_check,
    DROP CONSTRAINT early_receipts_channel_check,
    ADD CONSTRAINT early_receipts_status_check CHECK (status IN ('queued', 'submitted', 'sent',
        'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over',
        'ringing', 'in_progress', 'completed', 'no_answer', 'busy')),
    ADD CONSTRAINT early_receipts_channel_check CHECK (channel IN ('sms', 'signal', 'voice'));
