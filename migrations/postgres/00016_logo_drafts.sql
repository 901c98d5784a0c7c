-- +goose Up
-- Logos chosen in the Add Customer wizard before the customer exists
-- (docs/api.md, "Logos"): checked and rendered when they are chosen, kept
-- for the person who chose them, and moved into customer_logos by the
-- create's own transaction. A draft older than a day, or beyond a person's
-- newest few, is deleted when the next one is staged.
CREATE TABLE logo_drafts (
    id             TEXT    PRIMARY KEY,
    user_id        TEXT    NOT NULL REFERENCES users (id),
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
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX logo_drafts_user ON logo_drafts (user_id, created_at);
ALTER TABLE logo_drafts ALTER COLUMN original SET STORAGE EXTERNAL;
ALTER TABLE logo_drafts ALTER COLUMN display SET STORAGE EXTERNAL;

-- Only organization users stage logos: a transaction confined to a
-- customer (migration 00007) sees and writes none.
ALTER TABLE logo_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE logo_drafts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON logo_drafts USING (custreg_tenant() IS NULL) WITH CHECK (custreg_tenant() IS NULL);

-- +goose Down
DROP TABLE logo_drafts;
