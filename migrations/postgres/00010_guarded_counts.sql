-- +goose Up
-- Kept counts never go below zero. Before the checks are added, every kept
-- figure is recounted from the records: versions before this one could lose
-- or double a count when writes raced on PostgreSQL (issue 9), and a
-- database written by them is repaired here. An allocation below the
-- recounted use is raised to it, and a pool below what is then allocated
-- and used is raised too, so that the license rules hold afterwards.
UPDATE customers c SET
    entities_count = (SELECT count(*) FROM entities e WHERE e.customer_id = c.id AND e.deleted_at IS NULL),
    assets_count   = (SELECT count(*) FROM assets a WHERE a.customer_id = c.id AND a.deleted_at IS NULL),
    users_count    = (SELECT count(*) FROM users u WHERE u.customer_id = c.id AND u.deleted_at IS NULL);

CREATE TEMP TABLE usage_now ON COMMIT DROP AS
SELECT customer_id, 'users' AS type, count(*) AS n FROM users WHERE deleted_at IS NULL AND is_active AND kind = 'user' GROUP BY customer_id
UNION ALL SELECT customer_id, 'technicians', count(*) FROM users WHERE deleted_at IS NULL AND is_active AND kind = 'technician' GROUP BY customer_id
UNION ALL SELECT customer_id, 'it_assets', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'it' GROUP BY customer_id
UNION ALL SELECT customer_id, 'non_it_assets', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'non_it' GROUP BY customer_id
UNION ALL SELECT customer_id, 'mobile_devices', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'mobile' GROUP BY customer_id
UNION ALL SELECT customer_id, 'availability_monitoring', count(*) FROM assets WHERE deleted_at IS NULL AND availability_monitoring GROUP BY customer_id
UNION ALL SELECT customer_id, 'performance_monitoring', count(*) FROM assets WHERE deleted_at IS NULL AND performance_monitoring GROUP BY customer_id;

UPDATE customer_licenses cl SET used = coalesce((SELECT n FROM usage_now u WHERE u.customer_id = cl.customer_id AND u.type = cl.type), 0)
WHERE cl.customer_id IN (SELECT id FROM customers WHERE deleted_at IS NULL);
UPDATE customer_licenses SET allocated = used WHERE allocated < used;
UPDATE org_licenses SET
    allocated = (SELECT coalesce(sum(cl.allocated), 0) FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id
                 WHERE cl.type = org_licenses.type AND c.deleted_at IS NULL),
    org_used = (SELECT coalesce(sum(n), 0) FROM usage_now WHERE customer_id IS NULL AND type = org_licenses.type);
UPDATE org_licenses SET pool = allocated + org_used WHERE pool < allocated + org_used;
-- The customers' total use is the sum of the slots; a recount puts it in
-- slot 0 (a slot alone may then go below zero as customers of other slots
-- give use back, so slots carry no check).
UPDATE license_used_slots SET n = CASE WHEN slot = 0 THEN
    (SELECT coalesce(sum(cl.used), 0) FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id
     WHERE cl.type = license_used_slots.type AND c.deleted_at IS NULL) ELSE 0 END;

ALTER TABLE customers ADD CONSTRAINT customers_counts_nonnegative
    CHECK (entities_count >= 0 AND assets_count >= 0 AND users_count >= 0);

-- +goose Down
ALTER TABLE customers DROP CONSTRAINT customers_counts_nonnegative;
