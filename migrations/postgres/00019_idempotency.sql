-- +goose Up
-- Idempotency-Key on POST (docs/api.md, "Safe retries"): the first answer
-- to a key, kept a day, so that a retry with the same key and body gets it
-- again without a second write, on whichever node it lands. A key belongs
-- to the caller who sent it; only its hash is kept. status is 0 while the
-- first request is still running.
CREATE TABLE idempotency_keys (
    user_id      TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL,
    customer_id  TEXT,
    fingerprint  TEXT    NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    headers      TEXT    NOT NULL DEFAULT '',
    body         BYTEA,
    created_at   TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (user_id, key_hash)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
-- A customer's people's keys are their customer's rows (migration 00007).
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON idempotency_keys
    USING (custreg_tenant() IS NULL OR customer_id = custreg_tenant())
    WITH CHECK (custreg_tenant() IS NULL OR customer_id = custreg_tenant());

-- +goose Down
DROP TABLE idempotency_keys;
