-- +goose Up
-- Times are stored as fixed-width UTC text (2006-01-02T15:04:05.000000Z) so
-- that they sort as text and compare like PostgreSQL's timestamptz.

CREATE TABLE org (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT    NOT NULL,
    msp_enabled    INTEGER NOT NULL CHECK (msp_enabled IN (0, 1)),
    initialized    INTEGER NOT NULL DEFAULT 0 CHECK (initialized IN (0, 1)),
    updated_at     TEXT    NOT NULL,
    version        INTEGER NOT NULL
);
INSERT INTO org (id, name, msp_enabled, initialized, updated_at, version)
VALUES (1, 'My Organization', 1, 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 1);

-- seq is an explicit integer key so that rowids survive VACUUM: the search
-- index (00003) refers to customers by it.
CREATE TABLE customers (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    name_key        TEXT    NOT NULL,
    code            TEXT    NOT NULL,
    code_key        TEXT    NOT NULL,
    domain          TEXT,
    business_email  TEXT,
    phone           TEXT,
    website         TEXT,
    subscription_id TEXT,
    is_active       INTEGER NOT NULL CHECK (is_active IN (0, 1)),
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
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    deleted_at      TEXT,
    version         INTEGER NOT NULL
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
    is_active     INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    password_hash TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    version       INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_customer ON users (customer_id);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

CREATE TABLE setup_tokens (
    hash       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    TEXT,
    actor_email TEXT,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT,
    customer_id TEXT,
    before      TEXT,
    after       TEXT
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
