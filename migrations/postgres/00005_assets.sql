-- +goose Up
-- Assets, mapped to a customer and optionally one of its entities, or to
-- the organization (customer_id NULL). Each customer row carries the count
-- of its live assets, kept in the same transaction as every asset write.
ALTER TABLE customers ADD COLUMN assets_count BIGINT NOT NULL DEFAULT 0;

CREATE TABLE assets (
    id                      TEXT    PRIMARY KEY,
    name                    TEXT    NOT NULL,
    name_key                TEXT    COLLATE "C" NOT NULL,
    class                   TEXT    NOT NULL CHECK (class IN ('it', 'non_it', 'mobile')),
    customer_id             TEXT    REFERENCES customers (id),
    entity_id               TEXT    REFERENCES entities (id),
    availability_monitoring BOOLEAN NOT NULL,
    performance_monitoring  BOOLEAN NOT NULL,
    serial                  TEXT,
    ip_address              TEXT,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL,
    deleted_at              TIMESTAMPTZ,
    version                 BIGINT  NOT NULL,
    CHECK (entity_id IS NULL OR customer_id IS NOT NULL)
);
CREATE INDEX assets_customer_live ON assets (customer_id, name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX assets_entity_live ON assets (entity_id, name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX assets_name_live ON assets (name_key, id) WHERE deleted_at IS NULL;

-- +goose Down
DROP TABLE assets;
ALTER TABLE customers DROP COLUMN assets_count;
