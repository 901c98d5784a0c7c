-- +goose Up
-- Entities: subdivisions of a customer. Each customer row carries the count
-- of its live entities, kept in the same transaction as every entity write,
-- so the customer list shows counts without counting rows per customer.
ALTER TABLE customers ADD COLUMN entities_count INTEGER NOT NULL DEFAULT 0;

CREATE TABLE entities (
    id              TEXT    PRIMARY KEY,
    customer_id     TEXT    NOT NULL REFERENCES customers (id),
    name            TEXT    NOT NULL,
    name_key        TEXT    NOT NULL,
    code            TEXT,
    code_key        TEXT,
    type            TEXT    NOT NULL CHECK (type IN ('branch', 'department', 'region', 'business_unit', 'other')),
    business_email  TEXT,
    phone           TEXT,
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
CREATE UNIQUE INDEX entities_name_key_live ON entities (customer_id, name_key) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX entities_code_key_live ON entities (customer_id, code_key) WHERE deleted_at IS NULL AND code_key IS NOT NULL;

-- +goose Down
DROP TABLE entities;
ALTER TABLE customers DROP COLUMN entities_count;
