-- +goose Up
-- Kept counts never go below zero. Before the checks are added, every kept
-- figure is recounted from the records (as on PostgreSQL, where versions
-- before this one could lose or double a count when writes raced; SQLite's
-- single writer could not, and the recount changes nothing there). An
-- allocation below the recounted use is raised to it, and a pool below what
-- is then allocated and used is raised too. SQLite adds a CHECK to an
-- existing table only by rebuilding it, so the checks are triggers.
UPDATE customers SET
    entities_count = (SELECT count(*) FROM entities e WHERE e.customer_id = customers.id AND e.deleted_at IS NULL),
    assets_count   = (SELECT count(*) FROM assets a WHERE a.customer_id = customers.id AND a.deleted_at IS NULL),
    users_count    = (SELECT count(*) FROM users u WHERE u.customer_id = customers.id AND u.deleted_at IS NULL);

CREATE TEMP TABLE usage_now AS
SELECT customer_id, 'users' AS type, count(*) AS n FROM users WHERE deleted_at IS NULL AND is_active AND kind = 'user' GROUP BY customer_id
UNION ALL SELECT customer_id, 'technicians', count(*) FROM users WHERE deleted_at IS NULL AND is_active AND kind = 'technician' GROUP BY customer_id
UNION ALL SELECT customer_id, 'it_assets', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'it' GROUP BY customer_id
UNION ALL SELECT customer_id, 'non_it_assets', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'non_it' GROUP BY customer_id
UNION ALL SELECT customer_id, 'mobile_devices', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'mobile' GROUP BY customer_id
UNION ALL SELECT customer_id, 'availability_monitoring', count(*) FROM assets WHERE deleted_at IS NULL AND availability_monitoring GROUP BY customer_id
UNION ALL SELECT customer_id, 'performance_monitoring', count(*) FROM assets WHERE deleted_at IS NULL AND performance_monitoring GROUP BY customer_id;

UPDATE customer_licenses SET used = coalesce((SELECT n FROM usage_now u WHERE u.customer_id = customer_licenses.customer_id
    AND u.type = customer_licenses.type), 0)
WHERE customer_id IN (SELECT id FROM customers WHERE deleted_at IS NULL);
UPDATE customer_licenses SET allocated = used WHERE allocated < used;
UPDATE org_licenses SET
    allocated = (SELECT coalesce(sum(cl.allocated), 0) FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id
                 WHERE cl.type = org_licenses.type AND c.deleted_at IS NULL),
    org_used = (SELECT coalesce(sum(n), 0) FROM usage_now WHERE customer_id IS NULL AND type = org_licenses.type);
UPDATE org_licenses SET pool = allocated + org_used WHERE pool < allocated + org_used;
UPDATE license_used_slots SET n = CASE WHEN slot = 0 THEN
    (SELECT coalesce(sum(cl.used), 0) FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id
     WHERE cl.type = license_used_slots.type AND c.deleted_at IS NULL) ELSE 0 END;
DROP TABLE usage_now;

-- +goose StatementBegin
CREATE TRIGGER customers_counts_nonnegative BEFORE UPDATE OF entities_count, assets_count, users_count ON customers
WHEN NEW.entities_count < 0 OR NEW.assets_count < 0 OR NEW.users_count < 0
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: customers_counts_nonnegative');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER customers_counts_nonnegative;
