-- +goose Up
-- The search index is brought up to date once per commit instead of in
-- every statement that changes a customer. Each FTS5 write used to be
-- flushed to disk by the next statement's savepoint (a new index segment
-- per customer created, and the merges that follow); now the triggers only
-- mark the customer stale, and sqlite.go's BeforeCommit statements re-index
-- the stale customers from their rows at the end of each write transaction
-- (one group-commit batch), so renames, trash, restore and purge inside the
-- same batch stay right. The index is contentless with delete support: it
-- keeps no copy of the keys (the rows are the content), and an entry is
-- removed by rowid. A stale customer's first mark in a transaction records
-- whether the index holds it (it was live before the change), and only
-- those are taken out.
DROP TRIGGER customers_search_update;
DROP TRIGGER customers_search_delete;
DROP TRIGGER customers_search_insert;
DROP TABLE customers_search;

CREATE VIRTUAL TABLE customers_search USING fts5(
    name_key, code_key, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO customers_search (rowid, name_key, code_key)
SELECT seq, name_key, code_key FROM customers WHERE deleted_at IS NULL;

CREATE TABLE customers_search_stale (seq INTEGER PRIMARY KEY, indexed INTEGER NOT NULL);

-- +goose StatementBegin
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
    INSERT OR IGNORE INTO customers_search_stale (seq, indexed) VALUES (new.seq, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
    INSERT OR IGNORE INTO customers_search_stale (seq, indexed) VALUES (old.seq, old.deleted_at IS NULL);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER customers_search_update AFTER UPDATE OF name_key, code_key, deleted_at ON customers BEGIN
    INSERT OR IGNORE INTO customers_search_stale (seq, indexed) VALUES (new.seq, old.deleted_at IS NULL);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER customers_search_update;
DROP TRIGGER customers_search_delete;
DROP TRIGGER customers_search_insert;
DROP TABLE customers_search_stale;
DROP TABLE customers_search;
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
