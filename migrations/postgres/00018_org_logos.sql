-- +goose Up
-- The organization's own full logo and logomark (docs/api.md, "Logos"):
-- shown in the app to organization users, as a customer's are to its
-- people. The same columns as customer_logos, one row per kind.
CREATE TABLE org_logos (
    kind           TEXT    PRIMARY KEY CHECK (kind IN ('full_logo', 'logomark')),
    format         TEXT    NOT NULL CHECK (format IN ('png', 'jpeg')),
    width          INTEGER NOT NULL CHECK (width > 0),
    height         INTEGER NOT NULL CHECK (height > 0),
    bytes          BIGINT  NOT NULL CHECK (bytes > 0),
    original       BYTEA    NOT NULL,
    original_sha   TEXT    NOT NULL,
    display        BYTEA    NOT NULL,
    display_width  INTEGER NOT NULL CHECK (display_width > 0),
    display_height INTEGER NOT NULL CHECK (display_height > 0),
    display_sha    TEXT    NOT NULL,
    uploaded_at    TIMESTAMPTZ    NOT NULL
);
ALTER TABLE org_logos ALTER COLUMN original SET STORAGE EXTERNAL;
ALTER TABLE org_logos ALTER COLUMN display SET STORAGE EXTERNAL;
-- Organization data: readable by everyone signed in (a customer's people
-- see the organization's logo where their customer has none), written only
-- by unconfined (organization) transactions.
ALTER TABLE org_logos ENABLE ROW LEVEL SECURITY;
ALTER TABLE org_logos FORCE ROW LEVEL SECURITY;
CREATE POLICY read_all ON org_logos FOR SELECT USING (true);
CREATE POLICY org_write ON org_logos FOR ALL USING (custreg_tenant() IS NULL) WITH CHECK (custreg_tenant() IS NULL);

-- +goose Down
DROP TABLE org_logos;
