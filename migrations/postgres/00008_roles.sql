-- +goose Up
-- Custom roles, defined by organization admins beside the built-in catalog
-- (which lives in code and cannot change); and each customer's admin role,
-- the widest role any of its users may hold.
CREATE TABLE roles (
    key         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    scope       TEXT NOT NULL CHECK (scope IN ('organization', 'customer')),
    permissions TEXT NOT NULL, -- JSON array of "resource.action"
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL
);
ALTER TABLE customers ADD COLUMN admin_role TEXT NOT NULL DEFAULT 'customer_admin';
CREATE INDEX users_role_live ON users (role) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX users_role_live;
ALTER TABLE customers DROP COLUMN admin_role;
DROP TABLE roles;
