-- +goose Up
-- The reports and dashboards a customer's people may list and run (SPEC §4,
-- the Settings step): comma-separated catalog keys in catalog order, checked
-- against domain.Reports and domain.Dashboards by the service. Customers
-- that existed before support every entry, as a customer created without a
-- choice does.
ALTER TABLE customers ADD COLUMN reports TEXT NOT NULL DEFAULT 'license_usage,asset_inventory,users,entity_directory';
ALTER TABLE customers ADD COLUMN dashboards TEXT NOT NULL DEFAULT 'customer_overview,license_utilization';

-- +goose Down
ALTER TABLE customers DROP COLUMN dashboards;
ALTER TABLE customers DROP COLUMN reports;
