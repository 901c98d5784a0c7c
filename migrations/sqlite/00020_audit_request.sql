-- +goose Up
-- Every audit entry names the request that wrote it (the X-Request-Id the
-- client saw, which the logs carry too) and the address it came from.
-- Entries written before this migration, and by the CLI or a background
-- job, have neither.
ALTER TABLE audit_log ADD COLUMN request_id TEXT;
ALTER TABLE audit_log ADD COLUMN client_addr TEXT;

-- +goose Down
ALTER TABLE audit_log DROP COLUMN client_addr;
ALTER TABLE audit_log DROP COLUMN request_id;
