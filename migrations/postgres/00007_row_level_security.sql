-- +goose Up
-- Row-level security: a second wall behind the scope every store query
-- applies. A transaction that sets custreg.customer_id (set_config(...,
-- true)) sees and writes only that customer's rows in the tenant tables,
-- even through a query that forgot its scope. Without the setting,
-- organization-wide work (sign-in, organization admins) is unaffected.
--
-- Superusers, and roles with BYPASSRLS, skip every policy; FORCE makes the
-- tables' owner obey them. The application's queries are to run as
-- custreg_app, a role that owns nothing and bypasses nothing, entered with
-- SET LOCAL ROLE (the connecting user is made a member of it here).

-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'custreg_app') THEN
        CREATE ROLE custreg_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
    END IF;
END
$$;
-- +goose StatementEnd
GRANT custreg_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO custreg_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO custreg_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO custreg_app;

-- The customer the transaction is confined to, or NULL for none.
CREATE FUNCTION custreg_tenant() RETURNS text LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('custreg.customer_id', true), '') $$;

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON customers
    USING (custreg_tenant() IS NULL OR id = custreg_tenant())
    WITH CHECK (custreg_tenant() IS NULL OR id = custreg_tenant());

ALTER TABLE entities ENABLE ROW LEVEL SECURITY;
ALTER TABLE entities FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON entities
    USING (custreg_tenant() IS NULL OR customer_id = custreg_tenant())
    WITH CHECK (custreg_tenant() IS NULL OR customer_id = custreg_tenant());

ALTER TABLE assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE assets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON assets
    USING (custreg_tenant() IS NULL OR customer_id = custreg_tenant())
    WITH CHECK (custreg_tenant() IS NULL OR customer_id = custreg_tenant());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON users
    USING (custreg_tenant() IS NULL OR customer_id = custreg_tenant())
    WITH CHECK (custreg_tenant() IS NULL OR customer_id = custreg_tenant());

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON audit_log
    USING (custreg_tenant() IS NULL OR customer_id = custreg_tenant())
    WITH CHECK (custreg_tenant() IS NULL OR customer_id = custreg_tenant());

-- The organization-wide count of live customers is not a tenant's to read.
ALTER TABLE live_customer_slots ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_customer_slots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON live_customer_slots USING (custreg_tenant() IS NULL) WITH CHECK (custreg_tenant() IS NULL);

-- +goose Down
DROP POLICY tenant ON live_customer_slots;
ALTER TABLE live_customer_slots NO FORCE ROW LEVEL SECURITY;
ALTER TABLE live_customer_slots DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant ON audit_log;
ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant ON users;
ALTER TABLE users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant ON assets;
ALTER TABLE assets NO FORCE ROW LEVEL SECURITY;
ALTER TABLE assets DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant ON entities;
ALTER TABLE entities NO FORCE ROW LEVEL SECURITY;
ALTER TABLE entities DISABLE ROW LEVEL SECURITY;
DROP POLICY tenant ON customers;
ALTER TABLE customers NO FORCE ROW LEVEL SECURITY;
ALTER TABLE customers DISABLE ROW LEVEL SECURITY;
DROP FUNCTION custreg_tenant();
