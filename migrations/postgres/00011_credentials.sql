-- +goose Up
-- Credentials that end (docs/architecture.md, "Credentials"). Every user has
-- a credentials epoch that a password change, its deactivation or its
-- customer's deactivation advances; a session or token carries the epoch it
-- was issued under and works only while it is still its user's.
ALTER TABLE users ADD COLUMN credentials_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN user_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN user_epoch BIGINT NOT NULL DEFAULT 0;

-- Sign-in throttling, shared by every node: one counter per account and per
-- client address, keyed by the SHA-256 of "account:<email>" or
-- "address:<ip>". No customer_id: a counter belongs to no tenant.
CREATE TABLE signin_throttle (
    key_hash      TEXT    PRIMARY KEY,
    window_start  TIMESTAMPTZ NOT NULL,
    failures      INTEGER NOT NULL CHECK (failures >= 0),
    blocked_until TIMESTAMPTZ
);
CREATE INDEX signin_throttle_window ON signin_throttle (window_start);

-- +goose Down
DROP TABLE signin_throttle;
ALTER TABLE api_tokens DROP COLUMN user_epoch;
ALTER TABLE sessions DROP COLUMN user_epoch;
ALTER TABLE users DROP COLUMN credentials_epoch;
