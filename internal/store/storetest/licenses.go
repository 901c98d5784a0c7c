package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

func excess(t *testing.T, err error, typ, limit string, value, result int64) {
	t.Helper()
	de, ok := err.(*domain.Error)
	if !ok || de.License == nil {
		t.Fatalf("err = %v, want a license excess", err)
	}
	if x := de.License; x.Type != typ || x.Limit != limit || x.LimitValue != value || x.Result != result {
		t.Errorf("excess = %+v, want %s %s %d → %d", *x, typ, limit, value, result)
	}
}

func licenseOf(tb testing.TB, st store.Store, customerID, typ string) domain.CustomerLicense {
	tb.Helper()
	var out domain.CustomerLicense
	mustRead(tb, st, func(tx store.Tx) error {
		ls, err := tx.CustomerLicenses(ctx(tb), domain.OrgScope, customerID)
		for _, l := range ls {
			if l.Type == typ {
				out = l
			}
		}
		return err
	})
	return out
}

func orgLicenseOf(tb testing.TB, st store.Store, typ string) domain.OrgLicense {
	tb.Helper()
	var out domain.OrgLicense
	mustRead(tb, st, func(tx store.Tx) error {
		ls, err := tx.OrgLicenses(ctx(tb))
		for _, l := range ls {
			if l.Type == typ {
				out = l
			}
		}
		return err
	})
	return out
}

// testLicenses: the store keeps the three invariants of SPEC §3 with its
// conditional updates, and refuses with the figures.
func testLicenses(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	b := mustCreateCustomer(t, st, customer("Beta", "B1", t0))
	it := domain.LicenseITAssets
	if l := licenseOf(t, st, a.ID, it); l.Allocated != 0 || l.Used != 0 {
		t.Fatalf("a new customer holds %+v", l)
	}
	if o := orgLicenseOf(t, st, it); o.Pool != nil || o.Allocated != 0 {
		t.Fatalf("a new organization's pool = %+v", o)
	}
	err := st.Write(c, func(tx store.Tx) error { return tx.AddUsage(c, a.ID, domain.Licenses{it: 1}) })
	excess(t, err, it, domain.LimitAllocation, 0, 1)

	pool := int64(5)
	mustWrite(t, st, func(tx store.Tx) error { return tx.SetPool(c, it, &pool) })
	mustWrite(t, st, func(tx store.Tx) error { return tx.SetAllocation(c, a.ID, map[string]int64{it: 3}) })
	err = st.Write(c, func(tx store.Tx) error { return tx.SetAllocation(c, b.ID, map[string]int64{it: 3}) })
	excess(t, err, it, domain.LimitPool, 5, 6)
	mustWrite(t, st, func(tx store.Tx) error { return tx.SetAllocation(c, b.ID, map[string]int64{it: 1}) })
	mustWrite(t, st, func(tx store.Tx) error { return tx.AddUsage(c, a.ID, domain.Licenses{it: 3}) })
	err = st.Write(c, func(tx store.Tx) error { return tx.AddUsage(c, a.ID, domain.Licenses{it: 1}) })
	excess(t, err, it, domain.LimitAllocation, 3, 4)
	// The organization's own records use what no customer holds.
	mustWrite(t, st, func(tx store.Tx) error { return tx.AddUsage(c, "", domain.Licenses{it: 1}) })
	err = st.Write(c, func(tx store.Tx) error { return tx.AddUsage(c, "", domain.Licenses{it: 1}) })
	excess(t, err, it, domain.LimitUnallocated, 1, 2)
	err = st.Write(c, func(tx store.Tx) error { return tx.SetAllocation(c, a.ID, map[string]int64{it: 2}) })
	excess(t, err, it, domain.LimitAllocation, 2, 3)
	low := int64(4)
	err = st.Write(c, func(tx store.Tx) error { return tx.SetPool(c, it, &low) })
	excess(t, err, it, domain.LimitPool, 4, 5)

	// A refused write inside a transaction that did other things rolls
	// them back with it.
	err = st.Write(c, func(tx store.Tx) error {
		if err := tx.AddUsage(c, b.ID, domain.Licenses{it: 1}); err != nil {
			return err
		}
		return tx.AddUsage(c, b.ID, domain.Licenses{it: 1})
	})
	excess(t, err, it, domain.LimitAllocation, 1, 2)
	if l := licenseOf(t, st, b.ID, it); l.Used != 0 {
		t.Errorf("a refused transaction left %d used", l.Used)
	}
	if o := orgLicenseOf(t, st, it); *o.Pool != 5 || o.Allocated != 4 || o.Used != 4 || o.OrgUsed != 1 {
		t.Errorf("org = pool %d, %+v; want 5, allocated 4, used 4 (1 the organization's)", *o.Pool, o)
	}

	// Trash returns the allocation and takes the use out of the totals.
	mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, a.ID, t0) })
	if o := orgLicenseOf(t, st, it); o.Allocated != 1 || o.Used != 1 {
		t.Errorf("after trash: %+v; want allocated 1, used 1", o)
	}
	err = st.Write(c, func(tx store.Tx) error { return tx.SetAllocation(c, a.ID, map[string]int64{it: 1}) })
	wantCode(t, err, domain.ENotFound)
	err = st.Write(c, func(tx store.Tx) error { return tx.AddUsage(c, a.ID, domain.Licenses{it: -1}) })
	wantCode(t, err, domain.ENotFound)
	mustWrite(t, st, func(tx store.Tx) error { return tx.SetPool(c, it, nil) })
	if o := orgLicenseOf(t, st, it); o.Pool != nil || o.Unallocated() != nil {
		t.Errorf("unlimited again: %+v", o)
	}
}

// testRegisterWithAllocation: a customer created with entities and an
// allocation holds them at once, takes the units from the pool, and one
// beyond the pool writes nothing at all.
func testRegisterWithAllocation(t *testing.T, st store.Store) {
	c := ctx(t)
	it, users := domain.LicenseITAssets, domain.LicenseUsers
	pool := int64(10)
	mustWrite(t, st, func(tx store.Tx) error { return tx.SetPool(c, it, &pool) })
	a := customer("Alpha", "A1", t0)
	es := []domain.Entity{entity(a.ID, "North", ""), entity(a.ID, "South", "")}
	mustWrite(t, st, func(tx store.Tx) error {
		return tx.CreateCustomer(c, store.NewCustomer{Customer: a, Entities: es, Licenses: map[string]int64{it: 6, users: 2}})
	})
	if l := licenseOf(t, st, a.ID, it); l.Allocated != 6 || l.Used != 0 {
		t.Errorf("it assets = %+v, want 6 allocated", l)
	}
	if l := licenseOf(t, st, a.ID, users); l.Allocated != 2 {
		t.Errorf("users = %+v, want 2 allocated", l)
	}
	if l := licenseOf(t, st, a.ID, domain.LicenseTechnicians); l.Type == "" || l.Allocated != 0 {
		t.Errorf("technicians = %+v, want a row at 0", l)
	}
	if o := orgLicenseOf(t, st, it); o.Allocated != 6 {
		t.Errorf("org it assets allocated %d, want 6", o.Allocated)
	}
	if o := orgLicenseOf(t, st, users); o.Allocated != 2 {
		t.Errorf("org users allocated %d, want 2", o.Allocated)
	}
	var got domain.Customer
	mustRead(t, st, func(tx store.Tx) (err error) { got, err = tx.Customer(c, domain.OrgScope, a.ID); return err })
	if got.EntitiesCount != 2 {
		t.Errorf("entities count %d, want 2", got.EntitiesCount)
	}

	// Changing the allocation in the transaction that created the
	// customer starts from what it was created with.
	b := customer("Beta", "B1", t0)
	mustWrite(t, st, func(tx store.Tx) error {
		if err := tx.CreateCustomer(c, store.NewCustomer{Customer: b, Licenses: map[string]int64{it: 3}}); err != nil {
			return err
		}
		return tx.SetAllocation(c, b.ID, map[string]int64{it: 1})
	})
	if o := orgLicenseOf(t, st, it); o.Allocated != 7 {
		t.Errorf("org it assets allocated %d after 6 + 3 - 2, want 7", o.Allocated)
	}

	// Beyond the pool: refused with the figures, nothing written.
	d := customer("Delta", "D1", t0)
	err := st.Write(c, func(tx store.Tx) error {
		return tx.CreateCustomer(c, store.NewCustomer{Customer: d, Entities: []domain.Entity{entity(d.ID, "East", "")},
			Licenses: map[string]int64{it: 4}})
	})
	excess(t, err, it, domain.LimitPool, 10, 11)
	err = st.Read(c, func(tx store.Tx) error { _, err := tx.Customer(c, domain.OrgScope, d.ID); return err })
	wantCode(t, err, domain.ENotFound)
	if o := orgLicenseOf(t, st, it); o.Allocated != 7 {
		t.Errorf("a refused create left the pool allocated %d, want 7", o.Allocated)
	}
	var n int64
	mustRead(t, st, func(tx store.Tx) (err error) { n, err = tx.CountCustomers(c); return err })
	if n != 2 {
		t.Errorf("%d customers after a refused create, want 2", n)
	}
}

// LicenseUpgrade checks migration 00009 on a database an older release
// left with customers, users and assets: each customer is allocated what
// it uses, the pools stay unlimited, and the totals are right. exec runs
// SQL on the database; migrateTo brings it to a version; open migrates the
// rest and opens the store.
func LicenseUpgrade(t *testing.T, exec func(q string) error, migrateTo func(version int64) error, open func() store.Store) {
	if err := migrateTo(8); err != nil {
		t.Fatal(err)
	}
	at := "'2026-11-30T12:00:00.000000Z'"
	for _, q := range []string{
		`INSERT INTO customers (id, name, name_key, code, code_key, is_active, created_at, updated_at, version)
		 VALUES ('c-a', 'Alpha', 'alpha', 'A1', 'a1', TRUE, ` + at + `, ` + at + `, 1),
		        ('c-b', 'Beta', 'beta', 'B1', 'b1', TRUE, ` + at + `, ` + at + `, 1)`,
		`INSERT INTO users (id, email, name, kind, role, customer_id, is_active, password_hash, created_at, updated_at, version) VALUES
		 ('u1', 'u1@a.example', 'U1', 'user', 'customer_user', 'c-a', TRUE, 'x', ` + at + `, ` + at + `, 1),
		 ('u2', 'u2@a.example', 'U2', 'user', 'customer_user', 'c-a', FALSE, 'x', ` + at + `, ` + at + `, 1),
		 ('u3', 'u3@a.example', 'U3', 'technician', 'customer_admin', 'c-a', TRUE, 'x', ` + at + `, ` + at + `, 1),
		 ('u4', 'admin@example.com', 'Admin', 'user', 'org_admin', NULL, TRUE, 'x', ` + at + `, ` + at + `, 1)`,
		`INSERT INTO assets (id, name, name_key, class, customer_id, availability_monitoring, performance_monitoring, created_at, updated_at, version) VALUES
		 ('x1', 'X1', 'x1', 'it', 'c-a', TRUE, FALSE, ` + at + `, ` + at + `, 1),
		 ('x2', 'X2', 'x2', 'it', 'c-a', TRUE, TRUE, ` + at + `, ` + at + `, 1),
		 ('x3', 'X3', 'x3', 'mobile', 'c-b', FALSE, FALSE, ` + at + `, ` + at + `, 1),
		 ('x4', 'X4', 'x4', 'non_it', NULL, FALSE, FALSE, ` + at + `, ` + at + `, 1)`,
		`INSERT INTO assets (id, name, name_key, class, customer_id, availability_monitoring, performance_monitoring, created_at, updated_at, deleted_at, version) VALUES
		 ('x5', 'X5', 'x5', 'it', 'c-a', FALSE, FALSE, ` + at + `, ` + at + `, ` + at + `, 2)`,
	} {
		if err := exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	st := open()
	want := map[string]map[string]int64{
		"c-a": {domain.LicenseUsers: 1, domain.LicenseTechnicians: 1, domain.LicenseITAssets: 2, domain.LicenseAvailability: 2, domain.LicensePerformance: 1},
		"c-b": {domain.LicenseMobileDevices: 1},
	}
	for id, types := range want {
		for _, typ := range domain.LicenseTypes {
			if l := licenseOf(t, st, id, typ); l.Allocated != types[typ] || l.Used != types[typ] {
				t.Errorf("%s %s = %+v, want allocated = used = %d", id, typ, l, types[typ])
			}
		}
	}
	for typ, used := range map[string]int64{domain.LicenseUsers: 2, domain.LicenseNonITAssets: 1, domain.LicenseITAssets: 2} {
		o := orgLicenseOf(t, st, typ)
		if o.Pool != nil || o.Used != used {
			t.Errorf("org %s = %+v, want unlimited with %d used", typ, o, used)
		}
	}
	if o := orgLicenseOf(t, st, domain.LicenseNonITAssets); o.OrgUsed != 1 || o.Allocated != 0 {
		t.Errorf("org non_it = %+v", o)
	}

}

// CountsRepair checks migration 00010 on a database whose kept figures an
// older release got wrong under racing writes: every count and license use
// is recounted from the records, an allocation below the recount is raised
// to it, and from then on a write that would take a kept count below zero
// is refused with a domain error (a check), never a raw driver error.
func CountsRepair(t *testing.T, exec func(q string) error, migrateTo func(version int64) error, open func() store.Store) {
	if err := migrateTo(9); err != nil {
		t.Fatal(err)
	}
	at := "'2026-11-30T12:00:00.000000Z'"
	for _, q := range []string{
		`INSERT INTO customers (id, name, name_key, code, code_key, is_active, created_at, updated_at, version, assets_count, users_count, entities_count)
		 VALUES ('c-a', 'Alpha', 'alpha', 'A1', 'a1', TRUE, ` + at + `, ` + at + `, 1, 0, 5, 3)`,
		`INSERT INTO customer_licenses (customer_id, type, allocated, used) SELECT 'c-a', type, 0, 0 FROM license_types`,
		`INSERT INTO users (id, email, name, kind, role, customer_id, is_active, password_hash, created_at, updated_at, version) VALUES
		 ('u1', 'u1@a.example', 'U1', 'user', 'customer_user', 'c-a', TRUE, 'x', ` + at + `, ` + at + `, 1)`,
		`INSERT INTO assets (id, name, name_key, class, customer_id, availability_monitoring, performance_monitoring, created_at, updated_at, version) VALUES
		 ('x1', 'X1', 'x1', 'it', 'c-a', TRUE, FALSE, ` + at + `, ` + at + `, 1),
		 ('x2', 'X2', 'x2', 'it', 'c-a', FALSE, FALSE, ` + at + `, ` + at + `, 1)`,
		`UPDATE org_licenses SET pool = 1 WHERE type = 'it_assets'`,
	} {
		if err := exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	st := open()
	c := context.Background()
	var got domain.Customer
	mustRead(t, st, func(tx store.Tx) (err error) { got, err = tx.Customer(c, domain.OrgScope, "c-a"); return err })
	if got.AssetsCount != 2 || got.UsersCount != 1 || got.EntitiesCount != 0 {
		t.Errorf("recounted: %d assets, %d users, %d entities; want 2, 1, 0", got.AssetsCount, got.UsersCount, got.EntitiesCount)
	}
	for typ, n := range map[string]int64{domain.LicenseITAssets: 2, domain.LicenseUsers: 1, domain.LicenseAvailability: 1, domain.LicenseNonITAssets: 0} {
		if l := licenseOf(t, st, "c-a", typ); l.Used != n || l.Allocated != n {
			t.Errorf("%s = %+v, want allocated = used = %d", typ, l, n)
		}
	}
	if o := orgLicenseOf(t, st, domain.LicenseITAssets); o.Pool == nil || *o.Pool != 2 || o.Allocated != 2 || o.Used != 2 {
		t.Errorf("org it_assets = %+v, want a pool raised to 2, all allocated and used", o)
	}
	// A count corrupted behind the store's back: the trash that would take
	// it below zero is refused as a conflict, and changes nothing.
	if err := exec(`UPDATE customers SET assets_count = 0 WHERE id = 'c-a'`); err != nil {
		t.Fatal(err)
	}
	err := st.Write(c, func(tx store.Tx) error {
		return tx.TrashAsset(c, domain.OrgScope, "x1", 1, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	})
	wantCode(t, err, domain.EConflict)
	mustRead(t, st, func(tx store.Tx) error {
		_, err := tx.Asset(c, domain.OrgScope, "x1")
		return err
	})
}
