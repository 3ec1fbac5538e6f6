-- Large alerts are written in batches of deliveries, one transaction each; an alert whose last
-- batch is not written yet (the process stopped) is finished by the dispatcher.
ALTER TABLE alerts ADD COLUMN complete BOOLEAN NOT NULL DEFAULT TRUE;
