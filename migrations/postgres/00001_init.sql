-- +goose Up
-- Times are timestamptz (microseconds, UTC). Folded keys use the "C" collation
-- so that both stores order them by code point, as keyset pagination needs.

CREATE TABLE org (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT    NOT NULL,
    msp_enabled    BOOLEAN NOT NULL,
    initialized    BOOLEAN NOT NULL DEFAULT false,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT NOT NULL
);
INSERT INTO org (id, name, msp_enabled, initialized, updated_at, version)
VALUES (1, 'My Organization', true, false, now(), 1);

CREATE TABLE customers (
    id              TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL,
    name_key        TEXT    COLLATE "C" NOT NULL,
    code            TEXT    NOT NULL,
    code_key        TEXT    COLLATE "C" NOT NULL,
    domain          TEXT,
    business_email  TEXT,
    phone           TEXT,
    website         TEXT,
    subscription_id TEXT,
    is_active       BOOLEAN NOT NULL,
    location_name   TEXT,
    country         TEXT,
    region          TEXT,
    state           TEXT,
    district        TEXT,
    city            TEXT,
    pin_code        TEXT,
    landmark        TEXT,
    address_line1   TEXT,
    address_line2   TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    deleted_at      TIMESTAMPTZ,
    version         BIGINT NOT NULL
);
-- Live names and codes are unique case-insensitively; the folded keys are
-- computed in Go so both stores fold every script the same way.
CREATE UNIQUE INDEX customers_name_key_live ON customers (name_key) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_code_key_live ON customers (code_key) WHERE deleted_at IS NULL;
CREATE INDEX customers_created_live ON customers (created_at, id) WHERE deleted_at IS NULL;

CREATE TABLE users (
    id            TEXT    PRIMARY KEY,
    email         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('user', 'technician')),
    role          TEXT    NOT NULL,
    customer_id   TEXT    REFERENCES customers (id),
    is_active     BOOLEAN NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_customer ON users (customer_id);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

CREATE TABLE setup_tokens (
    hash       TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    TEXT,
    actor_email TEXT,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT,
    customer_id TEXT,
    before      JSONB,
    after       JSONB
);
CREATE INDEX audit_log_customer ON audit_log (customer_id, id);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE setup_tokens;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE customers;
DROP TABLE org;
