-- +goose Up
-- The number of live customers, kept in the same transaction as every
-- create and trash, so the list's unfiltered total is one row read instead
-- of an index scan.
ALTER TABLE org ADD COLUMN live_customers BIGINT NOT NULL DEFAULT 0;
UPDATE org SET live_customers = (SELECT count(*) FROM customers WHERE deleted_at IS NULL);

-- +goose Down
ALTER TABLE org DROP COLUMN live_customers;
