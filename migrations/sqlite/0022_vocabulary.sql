-- Issue 13 §1: the enum-like columns take only the values tocsin writes, as PostgreSQL's CHECKs
-- in migrations/postgres/0022_vocabulary.sql do. Keep the two in step; tests/schema compares
-- both lists with the Rust names (domain::IncidentStatus::NAMES ...).
-- SQLite adds no CHECK to an existing table without rebuilding it, and other tables point at
-- these: triggers refuse the same values instead. NULL passes, as it passes a CHECK (NOT NULL
-- columns refuse it themselves). No mapping first: every value ever written is in the lists
-- (0009 mapped the last old incident statuses, 'verified' and 'resolved').

-- incidents.status
CREATE TRIGGER incidents_status_insert BEFORE INSERT ON incidents
    WHEN NEW.status NOT IN ('unverified', 'verifying', 'confirmed', 'not_found', 'all_clear', 'false_alarm', 'merged') BEGIN
    SELECT RAISE(ABORT, 'incidents.status: not an incident status');
END;
CREATE TRIGGER incidents_status_update BEFORE UPDATE OF status ON incidents
    WHEN NEW.status NOT IN ('unverified', 'verifying', 'confirmed', 'not_found', 'all_clear', 'false_alarm', 'merged') BEGIN
    SELECT RAISE(ABORT, 'incidents.status: not an incident status');
END;

-- incidents.confirmed_by
CREATE TRIGGER incidents_confirmed_by_insert BEFORE INSERT ON incidents
    WHEN NEW.confirmed_by NOT IN ('trusted', 'verifier', 'dispatcher', 'policy') BEGIN
    SELECT RAISE(ABORT, 'incidents.confirmed_by: not a way of confirming');
END;
CREATE TRIGGER incidents_confirmed_by_update BEFORE UPDATE OF confirmed_by ON incidents
    WHEN NEW.confirmed_by NOT IN ('trusted', 'verifier', 'dispatcher', 'policy') BEGIN
    SELECT RAISE(ABORT, 'incidents.confirmed_by: not a way of confirming');
END;

-- alerts.purpose
CREATE TRIGGER alerts_purpose_insert BEFORE INSERT ON alerts
    WHEN NEW.purpose NOT IN ('verify', 'first', 'update', 'all_clear') BEGIN
    SELECT RAISE(ABORT, 'alerts.purpose: not an alert purpose');
END;
CREATE TRIGGER alerts_purpose_update BEFORE UPDATE OF purpose ON alerts
    WHEN NEW.purpose NOT IN ('verify', 'first', 'update', 'all_clear') BEGIN
    SELECT RAISE(ABORT, 'alerts.purpose: not an alert purpose');
END;

-- deliveries.status
CREATE TRIGGER deliveries_status_insert BEFORE INSERT ON deliveries
    WHEN NEW.status NOT IN ('queued', 'submitted', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over') BEGIN
    SELECT RAISE(ABORT, 'deliveries.status: not a delivery status');
END;
CREATE TRIGGER deliveries_status_update BEFORE UPDATE OF status ON deliveries
    WHEN NEW.status NOT IN ('queued', 'submitted', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over') BEGIN
    SELECT RAISE(ABORT, 'deliveries.status: not a delivery status');
END;

-- deliveries.channel
CREATE TRIGGER deliveries_channel_insert BEFORE INSERT ON deliveries
    WHEN NEW.channel NOT IN ('sms', 'signal') BEGIN
    SELECT RAISE(ABORT, 'deliveries.channel: not a delivery channel');
END;
CREATE TRIGGER deliveries_channel_update BEFORE UPDATE OF channel ON deliveries
    WHEN NEW.channel NOT IN ('sms', 'signal') BEGIN
    SELECT RAISE(ABORT, 'deliveries.channel: not a delivery channel');
END;

-- delivery_attempts.outcome
CREATE TRIGGER delivery_attempts_outcome_insert BEFORE INSERT ON delivery_attempts
    WHEN NEW.outcome NOT IN ('submitted', 'retry', 'failed', 'failed_over') BEGIN
    SELECT RAISE(ABORT, 'delivery_attempts.outcome: not an attempt outcome');
END;
CREATE TRIGGER delivery_attempts_outcome_update BEFORE UPDATE OF outcome ON delivery_attempts
    WHEN NEW.outcome NOT IN ('submitted', 'retry', 'failed', 'failed_over') BEGIN
    SELECT RAISE(ABORT, 'delivery_attempts.outcome: not an attempt outcome');
END;

-- confirmations.answer
CREATE TRIGGER confirmations_answer_insert BEFORE INSERT ON confirmations
    WHEN NEW.answer NOT IN ('coming', 'cant', 'on_scene') BEGIN
    SELECT RAISE(ABORT, 'confirmations.answer: not an answer');
END;
CREATE TRIGGER confirmations_answer_update BEFORE UPDATE OF answer ON confirmations
    WHEN NEW.answer NOT IN ('coming', 'cant', 'on_scene') BEGIN
    SELECT RAISE(ABORT, 'confirmations.answer: not an answer');
END;

-- volunteers.channel
CREATE TRIGGER volunteers_channel_insert BEFORE INSERT ON volunteers
    WHEN NEW.channel NOT IN ('sms', 'signal', 'both') BEGIN
    SELECT RAISE(ABORT, 'volunteers.channel: not a volunteer channel');
END;
CREATE TRIGGER volunteers_channel_update BEFORE UPDATE OF channel ON volunteers
    WHEN NEW.channel NOT IN ('sms', 'signal', 'both') BEGIN
    SELECT RAISE(ABORT, 'volunteers.channel: not a volunteer channel');
END;

-- reports.channel
CREATE TRIGGER reports_channel_insert BEFORE INSERT ON reports
    WHEN NEW.channel NOT IN ('sms', 'signal', 'api') BEGIN
    SELECT RAISE(ABORT, 'reports.channel: not a report channel');
END;
CREATE TRIGGER reports_channel_update BEFORE UPDATE OF channel ON reports
    WHEN NEW.channel NOT IN ('sms', 'signal', 'api') BEGIN
    SELECT RAISE(ABORT, 'reports.channel: not a report channel');
END;

-- early_receipts.status
CREATE TRIGGER early_receipts_status_insert BEFORE INSERT ON early_receipts
    WHEN NEW.status NOT IN ('queued', 'submitted', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over') BEGIN
    SELECT RAISE(ABORT, 'early_receipts.status: not a delivery status');
END;
CREATE TRIGGER early_receipts_status_update BEFORE UPDATE OF status ON early_receipts
    WHEN NEW.status NOT IN ('queued', 'submitted', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'canceled', 'failed_over') BEGIN
    SELECT RAISE(ABORT, 'early_receipts.status: not a delivery status');
END;

-- early_receipts.channel
CREATE TRIGGER early_receipts_channel_insert BEFORE INSERT ON early_receipts
    WHEN NEW.channel NOT IN ('sms', 'signal') BEGIN
    SELECT RAISE(ABORT, 'early_receipts.channel: not a delivery channel');
END;
CREATE TRIGGER early_receipts_channel_update BEFORE UPDATE OF channel ON early_receipts
    WHEN NEW.channel NOT IN ('sms', 'signal') BEGIN
    SELECT RAISE(ABORT, 'early_receipts.channel: not a delivery channel');
END;
