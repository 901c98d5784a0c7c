package postgres_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/postgres"
	"github.com/custreg/custreg/internal/store/storetest"
)

// TestRowLevelSecurity tests the second wall directly: as the application
// role, a transaction confined to customer A sees and changes nothing of
// customer B through queries that carry no scope at all.
func TestRowLevelSecurity(t *testing.T) {
	ctx := context.Background()
	url := storetest.NewPostgresDatabase(t, storetest.PostgresURL(t))
	st, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	mk := func(name string) domain.Customer {
		return domain.Customer{ID: uuid.NewString(), Name: name, Code: name, IsActive: true, CreatedAt: now, UpdatedAt: now, Version: 1}
	}
	a, b := mk("Alpha"), mk("Beta")
	if err := st.Write(ctx, func(tx store.Tx) error {
		for _, c := range []domain.Customer{a, b} {
			if err := tx.CreateCustomer(ctx, store.NewCustomer{Customer: c}); err != nil {
				return err
			}
			e := domain.Entity{ID: uuid.NewString(), CustomerID: c.ID, Name: c.Name + " HQ", Type: "branch", IsActive: true, CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := tx.CreateEntities(ctx, c.ID, []domain.Entity{e}); err != nil {
				return err
			}
			if err := tx.CreateAsset(ctx, domain.Asset{ID: uuid.NewString(), Name: c.Name + " router", Class: "it", CustomerID: c.ID, CreatedAt: now, UpdatedAt: now, Version: 1}); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, domain.AuditEntry{ID: uuid.NewString(), At: now, Action: "customer.create", TargetType: "customer", TargetID: c.ID, CustomerID: c.ID}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// confined runs fn in a transaction as custreg_app, confined to tenant
	// ("" for none), and rolls it back.
	confined := func(tenant string, fn func(tx *sql.Tx)) {
		t.Helper()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `SET LOCAL ROLE custreg_app`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `SELECT set_config('custreg.customer_id', $1, true)`, tenant); err != nil {
			t.Fatal(err)
		}
		fn(tx)
	}
	count := func(tx *sql.Tx, q string, args ...any) int {
		t.Helper()
		var n int
		if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}

	for _, table := range []string{"customers", "entities", "assets", "audit_log"} {
		confined(a.ID, func(tx *sql.Tx) {
			if n := count(tx, `SELECT count(*) FROM `+table); n != 1 {
				t.Errorf("confined to A, %s shows %d rows, want 1", table, n)
			}
		})
		confined("", func(tx *sql.Tx) {
			if n := count(tx, `SELECT count(*) FROM `+table); n != 2 {
				t.Errorf("unconfined, %s shows %d rows, want 2", table, n)
			}
		})
	}
	// Each customer has one license row per type.
	confined(a.ID, func(tx *sql.Tx) {
		if n := count(tx, `SELECT count(*) FROM customer_licenses`); n != len(domain.LicenseTypes) {
			t.Errorf("confined to A, customer_licenses shows %d rows, want %d", n, len(domain.LicenseTypes))
		}
	})
	// The license-usage history too: a day's snapshot holds both
	// customers' rows; confined to A, only A's show.
	if err := st.Write(ctx, func(tx store.Tx) error {
		_, _, err := tx.SnapshotUsage(ctx, "2026-11-30", now, "2025-11-30")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	confined(a.ID, func(tx *sql.Tx) {
		if n := count(tx, `SELECT count(*) FROM license_usage_daily`); n != len(domain.LicenseTypes) {
			t.Errorf("confined to A, license_usage_daily shows %d rows, want %d", n, len(domain.LicenseTypes))
		}
		if n := count(tx, `SELECT count(*) FROM license_usage_daily WHERE customer_id = $1`, b.ID); n != 0 {
			t.Error("confined to A, B's history is visible")
		}
	})
	// Every table that holds a customer's rows (a customer_id column) is
	// under a policy that its owner obeys too: a new tenant table cannot
	// be forgotten.
	rows, err := db.QueryContext(ctx, `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
  EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
FROM pg_class c JOIN information_schema.columns col ON col.table_name = c.relname AND col.table_schema = 'public'
WHERE col.column_name = 'customer_id' AND c.relkind = 'r'`)
	if err != nil {
		t.Fatal(err)
	}
	tenantTables := 0
	for rows.Next() {
		var name string
		var enabled, forced, policy bool
		if err := rows.Scan(&name, &enabled, &forced, &policy); err != nil {
			t.Fatal(err)
		}
		tenantTables++
		if !enabled || !forced || !policy {
			t.Errorf("table %s holds customer rows but row-level security is enabled=%v forced=%v with policy=%v", name, enabled, forced, policy)
		}
	}
	rows.Close()
	if tenantTables < 5 {
		t.Errorf("only %d tables with a customer_id column", tenantTables)
	}
	confined(a.ID, func(tx *sql.Tx) {
		if n := count(tx, `SELECT count(*) FROM customers WHERE id = $1`, b.ID); n != 0 {
			t.Error("confined to A, B's row is visible by id")
		}
		res, err := tx.ExecContext(ctx, `UPDATE customers SET name = 'Hijacked' WHERE id = $1`, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 0 {
			t.Error("confined to A, B's row was updated")
		}
		res, err = tx.ExecContext(ctx, `DELETE FROM entities WHERE customer_id = $1`, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 0 {
			t.Error("confined to A, B's entities were deleted")
		}
	})
	confined(a.ID, func(tx *sql.Tx) {
		_, err := tx.ExecContext(ctx, `INSERT INTO assets (id, name, name_key, class, customer_id, availability_monitoring,
performance_monitoring, created_at, updated_at, version) VALUES ($1, 'X', 'x', 'it', $2, false, false, now(), now(), 1)`, uuid.NewString(), b.ID)
		if err == nil {
			t.Error("confined to A, an asset was written for B")
		}
	})
	// The search copy of the keys (migration 00022) is no way around the
	// wall: custreg_app cannot read it, and the function that searches it
	// answers a confined transaction with at most its own customer.
	confined(a.ID, func(tx *sql.Tx) {
		if _, err := tx.ExecContext(ctx, `SELECT count(*) FROM customer_search`); err == nil {
			t.Error("custreg_app reads customer_search directly")
		}
	})
	confined(a.ID, func(tx *sql.Tx) {
		if n := count(tx, `SELECT count(*) FROM custreg_search_customers('%beta%', 'any', NULL)`); n != 0 {
			t.Errorf("confined to A, a search for B's name finds %d", n)
		}
		if n := count(tx, `SELECT count(*) FROM custreg_search_customers('%alp%', 'name', NULL)`); n != 1 {
			t.Errorf("confined to A, a search for A's own name finds %d, want 1", n)
		}
	})
	confined("", func(tx *sql.Tx) {
		if n := count(tx, `SELECT count(*) FROM custreg_search_customers('%a%', 'code', NULL)`); n != 2 {
			t.Errorf("unconfined, a search matching both codes finds %d, want 2", n)
		}
	})
	// The wall binds only roles that do not bypass it: the test's superuser
	// connection sees everything, which is why the application must run as
	// custreg_app.
	var bypass bool
	if err := db.QueryRowContext(ctx, `SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = 'custreg_app'`).Scan(&bypass); err != nil || bypass {
		t.Errorf("custreg_app bypasses row-level security (%v, %v)", bypass, err)
	}
}

// TestTenantConfinesTransactions checks the store's wiring of the wall: a
// transaction whose context is confined to customer A finds nothing of
// customer B even when a query is given the organization scope by mistake.
func TestTenantConfinesTransactions(t *testing.T) {
	ctx := context.Background()
	st, err := postgres.Open(ctx, storetest.NewPostgresDatabase(t, storetest.PostgresURL(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	var ids []string
	if err := st.Write(ctx, func(tx store.Tx) error {
		for _, name := range []string{"Alpha", "Beta"} {
			c := domain.Customer{ID: uuid.NewString(), Name: name, Code: name, IsActive: true, CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := tx.CreateCustomer(ctx, store.NewCustomer{Customer: c}); err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	a, b := ids[0], ids[1]
	confined := store.WithTenant(ctx, a)
	if err := st.Read(confined, func(tx store.Tx) error {
		page, err := tx.Customers(confined, domain.OrgScope, domain.CustomerFilter{Sort: domain.SortNameAsc, Limit: 10})
		if err != nil {
			return err
		}
		if len(page.Items) != 1 || page.Items[0].ID != a || page.Total > 1 {
			t.Errorf("confined list = %d items, total %d", len(page.Items), page.Total)
		}
		if _, err := tx.Customer(confined, domain.OrgScope, b); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("confined read of B = %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	err = st.Write(confined, func(tx store.Tx) error {
		return tx.UpdateCustomer(confined, domain.OrgScope, domain.Customer{ID: b, Name: "Hijacked", Code: "HJ", Version: 2, UpdatedAt: now})
	})
	if domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("confined update of B = %v", err)
	}
	if err := st.Read(ctx, func(tx store.Tx) error {
		c, err := tx.Customer(ctx, domain.OrgScope, b)
		if err == nil && c.Name != "Beta" {
			t.Errorf("B was changed: %s", c.Name)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
