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
    bytes          INTEGER NOT NULL CHECK (bytes > 0),
    original       BLOB    NOT NULL,
    original_sha   TEXT    NOT NULL,
    display        BLOB    NOT NULL,
    display_width  INTEGER NOT NULL CHECK (display_width > 0),
    display_height INTEGER NOT NULL CHECK (display_height > 0),
    display_sha    TEXT    NOT NULL,
    uploaded_at    TEXT    NOT NULL,
    PRIMARY KEY (customer_id, kind)
);

-- +goose Down
DROP TABLE customer_logos;
