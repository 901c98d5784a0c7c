-- +goose Up
-- Substring search that row-level security does not defeat. LIKE is not
-- leakproof, so under the customers table's policy (migration 00007) the
-- planner may not test it inside an index ahead of the policy: every
-- contains-search at 100,000 customers was a sequential scan, 55-70 ms
-- (BENCHMARKS.md, issue 12). The live customers' folded keys are copied
-- into customer_search, a table without a policy that custreg_app cannot
-- read; custreg_search_customers (SECURITY DEFINER) is the one way in, and
-- applies the same rule as the policy before it answers: a transaction
-- confined to a customer gets at most that customer's id. The list then
-- joins the ids it returns, under the policy as before.
--
-- The keys sort as in customers (COLLATE "C"), and the creation time is
-- kept too, so that a page of matches is found and ordered here: the list
-- joins at most a page of ids, however many customers match.
CREATE TABLE customer_search (
    id         TEXT PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    name_key   TEXT COLLATE "C" NOT NULL,
    code_key   TEXT COLLATE "C" NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
REVOKE ALL ON customer_search FROM custreg_app;
INSERT INTO customer_search (id, name_key, code_key, created_at)
SELECT id, name_key, code_key, created_at FROM customers WHERE deleted_at IS NULL;
-- A GIN index queues new entries in a pending list that every search reads
-- through until a vacuum (or the list's limit) moves them into the tree:
-- at the default 4 MB a search read megabytes (7 ms instead of 0.1 ms at
-- 100,000 customers where autovacuum had not run). 128 kB keeps that read
-- small and still batches the inserts.
CREATE INDEX customer_search_name ON customer_search USING gin (name_key gin_trgm_ops) WITH (gin_pending_list_limit = 128);
CREATE INDEX customer_search_code ON customer_search USING gin (code_key gin_trgm_ops) WITH (gin_pending_list_limit = 128);
DROP INDEX customers_name_trgm;
DROP INDEX customers_code_trgm;

-- Kept by the customers table's own writes: a live customer has its row,
-- a deleted (trashed) one none; a purged one's goes with it (the foreign
-- key's ON DELETE CASCADE).
-- +goose StatementBegin
CREATE FUNCTION custreg_customer_search_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL THEN
        DELETE FROM customer_search WHERE id = NEW.id;
    ELSE
        INSERT INTO customer_search (id, name_key, code_key, created_at) VALUES (NEW.id, NEW.name_key, NEW.code_key, NEW.created_at)
        ON CONFLICT (id) DO UPDATE SET name_key = EXCLUDED.name_key, code_key = EXCLUDED.code_key;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER customer_search_insert AFTER INSERT ON customers
    FOR EACH ROW EXECUTE FUNCTION custreg_customer_search_sync();
CREATE TRIGGER customer_search_update AFTER UPDATE OF name_key, code_key, deleted_at ON customers
    FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key OR OLD.code_key IS DISTINCT FROM NEW.code_key
        OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION custreg_customer_search_sync();

-- The ids of live customers whose folded name (field 'name'), code
-- ('code') or either ('any') contains pattern (a LIKE pattern, escaped
-- with \), at most lim of them (NULL: all), within the transaction's
-- customer if it is confined to one.
-- +goose StatementBegin
CREATE FUNCTION custreg_search_customers(pattern text, field text, lim bigint) RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 50 AS $$
BEGIN
    IF field = 'name' THEN
        RETURN QUERY SELECT s.id FROM customer_search s
            WHERE s.name_key LIKE pattern ESCAPE '\' AND (custreg_tenant() IS NULL OR s.id = custreg_tenant()) LIMIT lim;
    ELSIF field = 'code' THEN
        RETURN QUERY SELECT s.id FROM customer_search s
            WHERE s.code_key LIKE pattern ESCAPE '\' AND (custreg_tenant() IS NULL OR s.id = custreg_tenant()) LIMIT lim;
    ELSIF field = 'any' THEN
        RETURN QUERY SELECT s.id FROM customer_search s
            WHERE (s.name_key LIKE pattern ESCAPE '\' OR s.code_key LIKE pattern ESCAPE '\')
              AND (custreg_tenant() IS NULL OR s.id = custreg_tenant()) LIMIT lim;
    ELSE
        RAISE EXCEPTION 'custreg_search_customers: unknown field %', field;
    END IF;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION custreg_search_customers(text, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION custreg_search_customers(text, text, bigint) TO custreg_app;

-- One page of those ids in list order: sorted by sort_col ('name_key',
-- 'code_key' or 'created_at') and id, ascending or descending, after the
-- cursor (after_key, after_id; NULL for the first page), at most lim.
-- +goose StatementBegin
CREATE FUNCTION custreg_search_page(pattern text, field text, sort_col text, descending boolean,
    after_key text, after_id text, lim bigint) RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 50 AS $$
DECLARE
    cond text;
    dir  text := CASE WHEN descending THEN 'DESC' ELSE 'ASC' END;
    cmp  text := CASE WHEN descending THEN '<' ELSE '>' END;
    key  text := CASE WHEN sort_col = 'created_at' THEN '$2::timestamptz' ELSE '$2' END;
BEGIN
    cond := CASE field
        WHEN 'name' THEN 's.name_key LIKE $1 ESCAPE ''\'''
        WHEN 'code' THEN 's.code_key LIKE $1 ESCAPE ''\'''
        WHEN 'any'  THEN '(s.name_key LIKE $1 ESCAPE ''\'' OR s.code_key LIKE $1 ESCAPE ''\'')'
    END;
    IF cond IS NULL OR sort_col NOT IN ('name_key', 'code_key', 'created_at') THEN
        RAISE EXCEPTION 'custreg_search_page: unknown field % or sort %', field, sort_col;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT s.id FROM customer_search s WHERE %s AND (custreg_tenant() IS NULL OR s.id = custreg_tenant())'
        ' AND ($2 IS NULL OR (s.%I, s.id) %s (%s, $3)) ORDER BY s.%I %s, s.id %s LIMIT $4',
        cond, sort_col, cmp, key, sort_col, dir, dir)
    USING pattern, after_key, after_id, lim;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION custreg_search_page(text, text, text, boolean, text, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION custreg_search_page(text, text, text, boolean, text, text, bigint) TO custreg_app;

-- +goose Down
DROP FUNCTION custreg_search_page(text, text, text, boolean, text, text, bigint);
DROP FUNCTION custreg_search_customers(text, text, bigint);
DROP TRIGGER customer_search_update ON customers;
DROP TRIGGER customer_search_insert ON customers;
DROP FUNCTION custreg_customer_search_sync();
CREATE INDEX customers_name_trgm ON customers USING gin ((name_key COLLATE "default") gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX customers_code_trgm ON customers USING gin ((code_key COLLATE "default") gin_trgm_ops) WHERE deleted_at IS NULL;
DROP TABLE customer_search;
