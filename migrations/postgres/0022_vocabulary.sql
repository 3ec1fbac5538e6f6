-- Issue 13 §1: the enum-like columns take only the values tocsin writes. Keep in step with
-- migrations/sqlite/0022_vocabulary.sql (triggers there); tests/schema compares both lists with
-- the Rust names (domain::IncidentStatus::NAMES ...). No mapping first: every value ever
-- written is in the lists (0009 mapped the last old incident statuses). One ALTER per table:
-- one scan of its rows.

ALTER TABLE incidents
    ADD CONSTRAINT incidents_status_check CHECK (status IN
        ('unverified', 'verifying', 'confirmed', 'not_found', 'all_clear', 'false_alarm', 'merged')),
    ADD CONSTRAINT incidents_confirmed_by_check CHECK (confirmed_by IN
        ('trusted', 'verifier', 'dispatcher', 'policy'));

ALTER TABLE alerts
    ADD CONSTRAINT alerts_purpose_check CHECK (purpose IN ('verify', 'first', 'update', 'all_clear'));

ALTER TABLE deliveries
    ADD CONSTRAINT deliveries_status_check CHECK (status IN ('queued', 'submitted', 'sent',
        'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over')),
    ADD CONSTRAINT deliveries_channel_check CHECK (channel IN ('sms', 'signal'));

ALTER TABLE delivery_attempts
    ADD CONSTRAINT delivery_attempts_outcome_check CHECK (outcome IN
        ('submitted', 'retry', 'failed', 'failed_over'));

ALTER TABLE confirmations
    ADD CONSTRAINT confirmations_answer_check CHECK (answer IN ('coming', 'cant', 'on_scene'));

ALTER TABLE volunteers
    ADD CONSTRAINT volunteers_channel_check CHECK (channel IN ('sms', 'signal', 'both'));

ALTER TABLE reports
    ADD CONSTRAINT reports_channel_check CHECK (channel IN ('sms', 'signal', 'api'));

ALTER TABLE early_receipts
    ADD CONSTRAINT early_receipts_status_check CHECK (status IN ('queued', 'submitted', 'sent',
        'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over')),
    ADD CONSTRAINT early_receipts_channel_check CHECK (channel IN ('sms', 'signal'));
