-- Accounts, database-backed sessions and rate-limit buckets. Times are UTC unix seconds.
CREATE TABLE users (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'member'
                  CHECK (role IN ('admin', 'ld_manager', 'author', 'member')),
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

-- Only a hash of the session token is stored: a leaked database does not sign anyone in.
CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Fixed-window counters shared by every instance that uses this database.
CREATE TABLE rate_limits (
    bucket       TEXT   PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);
