-- The delivery engine across instances. Keep in step with migrations/sqlite/0005_engine.sql.

-- Every instance follows these channels (LISTEN) to keep its geofence index fresh and to start
-- on new deliveries at once, whichever instance (or CLI) made the change. Notifications are
-- sent at commit, once per transaction and channel.
CREATE FUNCTION tocsin_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], '');
    RETURN NULL;
END
$$;

CREATE TRIGGER volunteers_changed AFTER INSERT OR UPDATE OR DELETE ON volunteers
    FOR EACH STATEMENT EXECUTE FUNCTION tocsin_notify('tocsin_volunteers');
CREATE TRIGGER zones_changed AFTER INSERT OR UPDATE OR DELETE ON zones
    FOR EACH STATEMENT EXECUTE FUNCTION tocsin_notify('tocsin_volunteers');
CREATE TRIGGER deliveries_added AFTER INSERT ON deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION tocsin_notify('tocsin_work');

-- Each sender's next free sending time (microseconds, database clock): instances sharing a
-- sender reserve slots here, so that together they stay within its messages per second.
CREATE TABLE sender_slots (
    sender   TEXT   PRIMARY KEY,     -- channel:number, channel:MG… (no secret)
    next_at  BIGINT NOT NULL
);
