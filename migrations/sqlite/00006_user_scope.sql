-- +goose Up
-- Users of a customer may be narrowed to some of its entities; users go to
-- trash like everything else; each customer row carries the count of its
-- live users.
ALTER TABLE users ADD COLUMN deleted_at TEXT;
ALTER TABLE customers ADD COLUMN users_count INTEGER NOT NULL DEFAULT 0;
CREATE TABLE user_entities (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    PRIMARY KEY (user_id, entity_id)
);
CREATE INDEX user_entities_entity ON user_entities (entity_id);

-- +goose Down
DROP TABLE user_entities;
ALTER TABLE customers DROP COLUMN users_count;
ALTER TABLE users DROP COLUMN deleted_at;
