-- +goose Up
-- Licenses (SPEC §3). The organization's pool per type (NULL: unlimited),
-- the sum of customers' allocations and the use by records of no customer,
-- kept with every write; each customer's allocation and use per type; and
-- the use by customers' records, spread over slots like the live-customer
-- count so that concurrent writers do not queue on one row.
CREATE TABLE org_licenses (
    type      TEXT    PRIMARY KEY,
    pool      BIGINT CHECK (pool IS NULL OR pool >= 0),
    allocated BIGINT NOT NULL CHECK (allocated >= 0),
    org_used  BIGINT NOT NULL CHECK (org_used >= 0)
);
CREATE TABLE customer_licenses (
    customer_id TEXT    NOT NULL REFERENCES customers (id),
    type        TEXT    NOT NULL REFERENCES org_licenses (type),
    allocated   BIGINT NOT NULL CHECK (allocated >= 0),
    used        BIGINT NOT NULL CHECK (used >= 0),
    PRIMARY KEY (customer_id, type)
);
CREATE TABLE license_used_slots (
    type TEXT    NOT NULL REFERENCES org_licenses (type),
    slot INTEGER NOT NULL CHECK (slot >= 0 AND slot < 16),
    n    BIGINT NOT NULL,
    PRIMARY KEY (type, slot)
);
CREATE TABLE license_types (type TEXT PRIMARY KEY, position INTEGER NOT NULL);
INSERT INTO license_types (type, position) VALUES ('users', 0), ('technicians', 1), ('it_assets', 2),
    ('non_it_assets', 3), ('mobile_devices', 4), ('availability_monitoring', 5), ('performance_monitoring', 6);
INSERT INTO org_licenses (type, pool, allocated, org_used) SELECT type, NULL, 0, 0 FROM license_types;
WITH s(n) AS (SELECT generate_series(0, 15))
INSERT INTO license_used_slots (type, slot, n) SELECT type, n, 0 FROM license_types, s;

-- What exists already is counted; each customer is allocated what it uses,
-- so the invariants hold from the start (the pools are unlimited).
CREATE TEMP TABLE usage_now ON COMMIT DROP AS
SELECT customer_id, 'users' AS type, count(*) AS n FROM users WHERE deleted_at IS NULL AND is_active AND kind = 'user' GROUP BY customer_id
UNION ALL SELECT customer_id, 'technicians', count(*) FROM users WHERE deleted_at IS NULL AND is_active AND kind = 'technician' GROUP BY customer_id
UNION ALL SELECT customer_id, 'it_assets', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'it' GROUP BY customer_id
UNION ALL SELECT customer_id, 'non_it_assets', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'non_it' GROUP BY customer_id
UNION ALL SELECT customer_id, 'mobile_devices', count(*) FROM assets WHERE deleted_at IS NULL AND class = 'mobile' GROUP BY customer_id
UNION ALL SELECT customer_id, 'availability_monitoring', count(*) FROM assets WHERE deleted_at IS NULL AND availability_monitoring GROUP BY customer_id
UNION ALL SELECT customer_id, 'performance_monitoring', count(*) FROM assets WHERE deleted_at IS NULL AND performance_monitoring GROUP BY customer_id;
INSERT INTO customer_licenses (customer_id, type, allocated, used)
SELECT c.id, t.type, coalesce(u.n, 0), coalesce(u.n, 0)
FROM customers c CROSS JOIN license_types t LEFT JOIN usage_now u ON u.customer_id = c.id AND u.type = t.type;
UPDATE org_licenses SET
    allocated = (SELECT coalesce(sum(cl.allocated), 0) FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id
                 WHERE cl.type = org_licenses.type AND c.deleted_at IS NULL),
    org_used = (SELECT coalesce(sum(n), 0) FROM usage_now WHERE customer_id IS NULL AND type = org_licenses.type);
UPDATE license_used_slots SET n = (SELECT coalesce(sum(cl.used), 0) FROM customer_licenses cl JOIN customers c ON c.id = cl.customer_id
                 WHERE cl.type = license_used_slots.type AND c.deleted_at IS NULL) WHERE slot = 0;

-- Each customer's allocation and use are that customer's (row-level
-- security, as migration 00007); the organization's counts carry no
-- customer's data and every transaction updates them.
ALTER TABLE customer_licenses ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_licenses FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON customer_licenses
    USING (custreg_tenant() IS NULL OR customer_id = custreg_tenant())
    WITH CHECK (custreg_tenant() IS NULL OR customer_id = custreg_tenant());

-- +goose Down
DROP TABLE license_used_slots;
DROP TABLE customer_licenses;
DROP TABLE org_licenses;
DROP TABLE license_types;
