-- API tokens with a scope (read, dispatch, admin), managed with `tocsin token add|list|revoke`.
-- Only the SHA-256 of a token is kept: a copy of the database opens no API. A revoked token
-- keeps its row (and hash), so that it is listed, its name is not given to another, and its
-- use can be told apart from a wrong token in the log. Keep in step with
-- migrations/postgres/0013_api_tokens.sql.

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    scope        TEXT    NOT NULL CHECK (scope IN ('read', 'dispatch', 'admin')),
    token_hash   TEXT    NOT NULL UNIQUE,     -- hex SHA-256 of the token
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,                     -- updated at most once a minute
    revoked_at   INTEGER                      -- NULL: live
);

