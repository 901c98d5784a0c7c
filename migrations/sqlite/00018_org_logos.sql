-- +goose Up
-- The organization's own full logo and logomark (docs/api.md, "Logos"):
-- shown in the app to organization users, as a customer's are to its
-- people. The same columns as customer_logos, one row per kind.
CREATE TABLE org_logos (
    kind           TEXT    PRIMARY KEY CHECK (kind IN ('full_logo', 'logomark')),
    format         TEXT    NOT NULL CHECK (format IN ('png', 'jpeg')),
    width          INTEGER NOT NULL CHECK (width > 0),
    height         INTEGER NOT NULL CHECK (height > 0),
    bytes          INTEGER  NOT NULL CHECK (bytes > 0),
    original       BLOB    NOT NULL,
    original_sha   TEXT    NOT NULL,
    display        BLOB    NOT NULL,
    display_width  INTEGER NOT NULL CHECK (display_width > 0),
    display_height INTEGER NOT NULL CHECK (display_height > 0),
    display_sha    TEXT    NOT NULL,
    uploaded_at    TEXT    NOT NULL
);

-- +goose Down
DROP TABLE org_logos;
