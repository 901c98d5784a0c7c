-- +goose Up
-- The number of live customers, kept in the same transaction as every
-- create and trash, so the list's unfiltered total is a sum of 16 rows
-- instead of an index scan. It is spread over slots (a write picks one by
-- the customer's id) so that concurrent writers do not queue on one row
-- lock; the total is their sum.
CREATE TABLE live_customer_slots (
    slot INTEGER PRIMARY KEY CHECK (slot >= 0 AND slot < 16),
    n    BIGINT  NOT NULL
);
INSERT INTO live_customer_slots (slot, n)
SELECT s, CASE WHEN s = 0 THEN (SELECT count(*) FROM customers WHERE deleted_at IS NULL) ELSE 0 END
FROM generate_series(0, 15) s;

-- +goose Down
DROP TABLE live_customer_slots;
