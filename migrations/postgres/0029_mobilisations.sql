-- Issue 18: planned mobilisations (eviction defence, hearings, lockouts, actions). Keep in step
-- with migrations/sqlite/0029_mobilisations.sql.
--
-- The place (as typed, where it resolved, its label) and the public text are sealed bound to
-- the row: a planned eviction is someone's home, and where the network will be tomorrow is what
-- an adversary with a copy of the database would most like to know. The zone is in clear (it
-- is coarse, and lists are filtered by it); so are the kind and the time.
CREATE TABLE mobilisations (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'planned'
                   CHECK (status IN ('planned', 'live', 'ended', 'cancelled')),
    starts_at      BIGINT  NOT NULL,            -- ms since the epoch; shown in network.timezone
    place_enc      BYTEA   NOT NULL,            -- JSON {typed, lat, lon, label}, sealed
    zone           TEXT,
    text_enc       BYTEA   NOT NULL,            -- the short public text, sealed
    wanted         BIGINT  NOT NULL,
    audience       TEXT    NOT NULL,            -- JSON: radius_m | zones | role | volunteers
    disclose       TEXT    NOT NULL DEFAULT 'yes' CHECK (disclose IN ('yes', 'all')),
    reminders_s    TEXT,                        -- its own offsets ("86400,7200"); NULL: the config's
    widen_before_s BIGINT,                      -- its own; NULL: the config's
    same_hash      TEXT,                        -- keyed hash of the case number, else of kind and place
    created_by     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX mobilisations_starts ON mobilisations (starts_at);
-- One hearing of a case, or one mobilisation of a kind at a place, at one time: importing the
-- same list twice (or sending the same form twice) adds nothing.
CREATE UNIQUE INDEX mobilisations_same ON mobilisations (same_hash, starts_at);
