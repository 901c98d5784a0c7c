-- +goose Up
-- Substring search over the folded name and code keys: trigram GIN indexes
-- (pg_trgm), so LIKE '%x%' of three or more characters is an index lookup
-- instead of a scan. pg_trgm is a trusted extension: the database owner may
-- create it.
--
-- The indexes are on the keys under the default collation, an expression
-- that only the store's substring condition uses. On the plain columns the
-- planner would also pick them for equality (gin_trgm_ops supports = since
-- PostgreSQL 14), which for codes sharing trigrams such as "000" is far
-- slower than the unique b-tree indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customers_name_trgm ON customers USING gin ((name_key COLLATE "default") gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX customers_code_trgm ON customers USING gin ((code_key COLLATE "default") gin_trgm_ops) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX customers_code_trgm;
DROP INDEX customers_name_trgm;
