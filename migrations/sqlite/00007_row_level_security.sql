-- +goose Up
-- Row-level security is PostgreSQL's (see postgres/00007); SQLite has none.
-- This migration keeps the two schemas at the same version.
SELECT 1;

-- +goose Down
SELECT 1;
