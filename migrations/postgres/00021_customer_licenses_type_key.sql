-- +goose Up
-- A customer's license rows name their type through license_types, which
-- never changes, rather than through org_licenses, whose rows every
-- allocation updates: the foreign key check of each create's seven rows
-- took a key-share lock on the organization's seven hot rows, so creates
-- queued behind allocations and piled up multixacts on the rows they all
-- share (BENCHMARKS.md, issue 12). org_licenses has a row for every type
-- in license_types (migration 00009), so the rule is the same.
-- SQLite takes no row locks, so its schema keeps the reference.
ALTER TABLE customer_licenses DROP CONSTRAINT customer_licenses_type_fkey;
ALTER TABLE customer_licenses ADD CONSTRAINT customer_licenses_type_fkey
    FOREIGN KEY (type) REFERENCES license_types (type);

-- +goose Down
ALTER TABLE customer_licenses DROP CONSTRAINT customer_licenses_type_fkey;
ALTER TABLE customer_licenses ADD CONSTRAINT customer_licenses_type_fkey
    FOREIGN KEY (type) REFERENCES org_licenses (type);
