-- +goose Up
-- Customer logos (docs/api.md, "Logos"): a full logo and a logomark per
-- customer, kept in the store so that every node serves the same. Each row
-- holds the bytes uploaded, as they came, and the display rendition fitted
-- into the kind's box at upload, each with the hex SHA-256 of its bytes
-- (its entity tag). A customer in trash keeps its logos.
CREATE TABLE customer_logos (
    customer_id    TEXT    NOT NULL REFERENCES customers (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('full_logo', 'logomark')),
    format         TEXT    NOT NULL CHECK (format IN ('png', 'jpeg')),
    width          INTEGER NOT NULL CHECK (width > 0),
    height         INTEGER NOT NULL CHECK (height > 0),
    bytes          BIGINT  NOT NULL CHECK (bytes > 0),
    original       BYTEA   NOT NULL,
    original_sha   TEXT    NOT NULL,
    display        BYTEA   NOT NULL,
    display_width  INTEGER NOT NULL CHECK (display_width > 0),
    display_height INTEGER NOT NULL CHECK (display_height > 0),
    display_sha    TEXT    NOT NULL,
    uploaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, kind)
);
-- The images are read whole and never searched: keep them out of line
-- without trying to compress what PNG and JPEG already compressed.
ALTER TABLE customer_logos ALTER COLUMN original SET STORAGE EXTERNAL;
ALTER TABLE customer_logos ALTER COLUMN display SET STORAGE EXTERNAL;

-- A tenant table: confined transactions see and write only their
-- customer's logos (migration 00007).
ALTER TABLE customer_logos ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_logos FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON customer_logos
    USING (custreg_tenant() IS NULL OR customer_id = custreg_tenant())
    WITH CHECK (custreg_tenant() IS NULL OR customer_id = custreg_tenant());

-- +goose Down
DROP TABLE customer_logos;
