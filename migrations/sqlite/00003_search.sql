-- +goose Up
-- Substring search over the folded name and code keys: an FTS5 index with
-- the trigram tokenizer, so `contains` of three or more characters is an
-- index lookup instead of a scan. It is an external-content index over the
-- live customers, kept in step by triggers; customers in trash are not in it,
-- so it also counts matches without touching the customers table.
CREATE VIRTUAL TABLE customers_search USING fts5(
    name_key, code_key, content = 'customers', content_rowid = 'seq', tokenize = 'trigram'
);
INSERT INTO customers_search (rowid, name_key, code_key)
SELECT seq, name_key, code_key FROM customers WHERE deleted_at IS NULL;

-- +goose StatementBegin
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO customers_search (rowid, name_key, code_key) VALUES (new.seq, new.name_key, new.code_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers WHEN old.deleted_at IS NULL BEGIN
    INSERT INTO customers_search (customers_search, rowid, name_key, code_key) VALUES ('delete', old.seq, old.name_key, old.code_key);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_search_update AFTER UPDATE OF name_key, code_key, deleted_at ON customers BEGIN
    INSERT INTO customers_search (customers_search, rowid, name_key, code_key)
    SELECT 'delete', old.seq, old.name_key, old.code_key WHERE old.deleted_at IS NULL;
    INSERT INTO customers_search (rowid, name_key, code_key)
    SELECT new.seq, new.name_key, new.code_key WHERE new.deleted_at IS NULL;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER customers_search_update;
DROP TRIGGER customers_search_delete;
DROP TRIGGER customers_search_insert;
DROP TABLE customers_search;
