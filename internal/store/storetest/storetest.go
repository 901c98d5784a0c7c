package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// Opener returns a new, empty, migrated store for one test. The store is
// closed by the suite.
type Opener func(tb testing.TB) store.Store

// Run runs the whole conformance suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"Org", testOrg},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"SetupTokens", testSetupTokens},
		{"ConsumeSetupToken", testConsumeSetupToken},
		{"CredentialsEpoch", testCredentialsEpoch},
		{"SigninCounters", testSigninCounters},
		{"CustomerRoundTrip", testCustomerRoundTrip},
		{"CustomerUniqueness", testCustomerUniqueness},
		{"CustomerUpdate", testCustomerUpdate},
		{"CustomerTrash", testCustomerTrash},
		{"CustomerScope", testCustomerScope},
		{"CustomerListOrderAndPaging", testCustomerList},
		{"Entities", testEntities},
		{"EntitiesBatch", testEntitiesBatch},
		{"Assets", testAssets},
		{"AssetTotals", testAssetTotals},
		{"CustomRoles", testCustomRoles},
		{"Licenses", testLicenses},
		{"RegisterWithAllocation", testRegisterWithAllocation},
		{"CustomerUsers", testCustomerUsers},
		{"FilterProperty", testFilterProperty},
		{"Totals", testTotals},
		{"SearchFollowsChanges", testSearchFollowsChanges},
		{"SearchFollowsChangesInOneCommit", testSearchInOneCommit},
		{"Audit", testAudit},
		{"RollbackWritesNothing", testRollback},
		{"SnapshotRead", testSnapshotRead},
		{"ConcurrentUniqueCodes", testConcurrentUnique},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() { st.Close() })
			tc.fn(t, st)
		})
	}
}

// testSnapshotRead: a read transaction whose context asks for one snapshot
// (store.WithSnapshot) sees, from its first statement to its end, none of
// what writers commit meanwhile, and the next read sees it.
func testSnapshotRead(t *testing.T, st store.Store) {
	c := ctx(t)
	mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	var first, second int64
	err := st.Read(store.WithSnapshot(c), func(tx store.Tx) (err error) {
		if first, err = tx.CountCustomers(c); err != nil {
			return err
		}
		mustCreateCustomer(t, st, customer("Beta", "B1", t0))
		second, err = tx.CountCustomers(c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if first != 1 || second != 1 {
		t.Errorf("in one snapshot: %d customers, then %d after a commit; want 1 and 1", first, second)
	}
	mustRead(t, st, func(tx store.Tx) error {
		n, err := tx.CountCustomers(c)
		if n != 2 {
			t.Errorf("after the snapshot: %d customers, want 2", n)
		}
		return err
	})
}

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 123456000, time.UTC)

// ctx bounds a test's store calls so that a hang fails instead of blocking
// the run; the bound is generous because the race detector on a busy
// two-core machine slows the property tests several times over.
func ctx(tb testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	tb.Cleanup(cancel)
	return c
}

func id() string { return uuid.Must(uuid.NewV7()).String() }

// mustWrite runs fn in a write transaction and fails the test on error.
func mustWrite(tb testing.TB, st store.Store, fn func(store.Tx) error) {
	tb.Helper()
	if err := st.Write(ctx(tb), fn); err != nil {
		tb.Fatalf("write: %v", err)
	}
}

func mustRead(tb testing.TB, st store.Store, fn func(store.Tx) error) {
	tb.Helper()
	if err := st.Read(ctx(tb), fn); err != nil {
		tb.Fatalf("read: %v", err)
	}
}

func wantCode(tb testing.TB, err error, code domain.Code) {
	tb.Helper()
	if got := domain.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func customer(name, code string, at time.Time) domain.Customer {
	return domain.Customer{ID: id(), Name: name, Code: code, IsActive: true, CreatedAt: at, UpdatedAt: at, Version: 1}
}

func mustCreateCustomer(tb testing.TB, st store.Store, c domain.Customer) domain.Customer {
	tb.Helper()
	mustWrite(tb, st, func(tx store.Tx) error { return tx.CreateCustomer(ctx(tb), store.NewCustomer{Customer: c}) })
	return c
}

func testOrg(t *testing.T, st store.Store) {
	c := ctx(t)
	mustRead(t, st, func(tx store.Tx) error {
		o, err := tx.Org(c)
		if err != nil {
			return err
		}
		if !o.MSPEnabled || o.Version != 1 || o.Name == "" {
			t.Errorf("new org = %s, want MSP on, version 1, a name", describe(o))
		}
		init, err := tx.OrgInitialized(c)
		if init {
			t.Error("a new org is already initialized")
		}
		return err
	})
	mustWrite(t, st, func(tx store.Tx) error {
		return tx.UpdateOrg(c, domain.Org{Name: "Acme MSP", MSPEnabled: false, UpdatedAt: t0})
	})
	mustRead(t, st, func(tx store.Tx) error {
		o, err := tx.Org(c)
		if err != nil {
			return err
		}
		if o.Name != "Acme MSP" || o.MSPEnabled || o.Version != 2 || !o.UpdatedAt.Equal(t0) {
			t.Errorf("updated org = %s", describe(o))
		}
		init, err := tx.OrgInitialized(c)
		if !init {
			t.Error("org not initialized after UpdateOrg")
		}
		return err
	})
}

func user(email string) domain.User {
	return domain.User{ID: id(), Email: email, Name: "Ann", Kind: domain.KindUser, Role: domain.RoleOrgAdmin,
		IsActive: true, PasswordHash: "$argon2id$x", CreatedAt: t0, UpdatedAt: t0, Version: 1}
}

func testUsers(t *testing.T, st store.Store) {
	c := ctx(t)
	u := user("ann@example.com")
	mustWrite(t, st, func(tx store.Tx) error { return tx.CreateUser(c, u) })
	t.Run("ErrTaken", func(t *testing.T) {
		dup := user("ann@example.com")
		err := st.Write(c, func(tx store.Tx) error { return tx.CreateUser(c, dup) })
		wantCode(t, err, domain.EInvalid)
		var de *domain.Error
		if errors.As(err, &de) && (len(de.Fields) != 1 || de.Fields[0].Field != "email" || de.Fields[0].Code != domain.FieldTaken) {
			t.Errorf("fields = %+v, want email taken", de.Fields)
		}
	})
	mustRead(t, st, func(tx store.Tx) error {
		n, err := tx.CountUsers(c)
		if err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("CountUsers = %d, want 1", n)
		}
		got, err := tx.UserByEmail(c, "ann@example.com")
		if err != nil {
			return err
		}
		if got.ID != u.ID || got.Name != u.Name || got.Role != u.Role || !got.IsActive || got.PasswordHash != u.PasswordHash ||
			!got.CreatedAt.Equal(t0) || got.CustomerID != "" {
			t.Errorf("UserByEmail = %s, want %s", describe(got), describe(u))
		}
		if got, err := tx.User(c, u.ID); err != nil || got.Email != u.Email {
			t.Errorf("User = %v, %v", got, err)
		}
		_, err = tx.User(c, id())
		wantCode(t, err, domain.ENotFound)
		_, err = tx.UserByEmail(c, "nobody@example.com")
		wantCode(t, err, domain.ENotFound)
		return nil
	})
}

func testSessions(t *testing.T, st store.Store) {
	c := ctx(t)
	u := user("s@example.com")
	s := domain.Session{IDHash: "h1", UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	mustWrite(t, st, func(tx store.Tx) error {
		if err := tx.CreateUser(c, u); err != nil {
			return err
		}
		if err := tx.CreateSession(c, s); err != nil {
			return err
		}
		return tx.CreateSession(c, domain.Session{IDHash: "h2", UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)})
	})
	mustRead(t, st, func(tx store.Tx) error {
		got, err := tx.Session(c, "h1", t0.Add(30*time.Minute))
		if err != nil {
			return err
		}
		if got.UserID != u.ID || !got.ExpiresAt.Equal(s.ExpiresAt) {
			t.Errorf("Session = %s", describe(got))
		}
		_, err = tx.Session(c, "h1", t0.Add(2*time.Hour))
		wantCode(t, err, domain.ENotFound)
		_, err = tx.Session(c, "nope", t0)
		wantCode(t, err, domain.ENotFound)
		return nil
	})
	mustWrite(t, st, func(tx store.Tx) error {
		n, err := tx.DeleteExpiredSessions(c, t0.Add(30*time.Minute))
		if n != 1 {
			t.Errorf("DeleteExpiredSessions removed %d, want 1", n)
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteSession(c, "h1"); err != nil {
			return err
		}
		return tx.DeleteSession(c, "h1") // missing: not an error
	})
	mustRead(t, st, func(tx store.Tx) error {
		_, err := tx.Session(c, "h1", t0)
		wantCode(t, err, domain.ENotFound)
		return nil
	})
}

func testTokens(t *testing.T, st store.Store) {
	c := ctx(t)
	a, b := user("a@example.com"), user("b@example.com")
	k1 := domain.Token{ID: id(), UserID: a.ID, Name: "ci", Hash: "hash1", Prefix: "crg_abc", CreatedAt: t0}
	k2 := domain.Token{ID: id(), UserID: a.ID, Name: "backup", Hash: "hash2", Prefix: "crg_def", CreatedAt: t0.Add(time.Second)}
	mustWrite(t, st, func(tx store.Tx) error {
		for _, u := range []domain.User{a, b} {
			if err := tx.CreateUser(c, u); err != nil {
				return err
			}
		}
		for _, k := range []domain.Token{k1, k2} {
			if err := tx.CreateToken(c, k); err != nil {
				return err
			}
		}
		return nil
	})
	mustRead(t, st, func(tx store.Tx) error {
		ks, err := tx.Tokens(c, a.ID)
		if err != nil {
			return err
		}
		if len(ks) != 2 || ks[0].ID != k2.ID || ks[1].ID != k1.ID {
			t.Errorf("Tokens = %s, want newest first", describe(ks))
		}
		if ks, _ := tx.Tokens(c, b.ID); len(ks) != 0 {
			t.Errorf("b has tokens %v", ks)
		}
		got, err := tx.TokenByHash(c, "hash1")
		if err != nil || got.ID != k1.ID || got.LastUsedAt != nil {
			t.Errorf("TokenByHash = %s, %v", describe(got), err)
		}
		_, err = tx.TokenByHash(c, "nope")
		wantCode(t, err, domain.ENotFound)
		return nil
	})
	mustWrite(t, st, func(tx store.Tx) error { return tx.TouchToken(c, k1.ID, t0.Add(time.Hour)) })
	mustRead(t, st, func(tx store.Tx) error {
		got, err := tx.TokenByHash(c, "hash1")
		if err != nil || got.LastUsedAt == nil || !got.LastUsedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("after touch = %s, %v", describe(got), err)
		}
		return nil
	})
	t.Run("ErrNotFoundOtherUsersToken", func(t *testing.T) {
		err := st.Write(c, func(tx store.Tx) error { return tx.DeleteToken(c, b.ID, k1.ID) })
		wantCode(t, err, domain.ENotFound)
	})
	mustWrite(t, st, func(tx store.Tx) error { return tx.DeleteToken(c, a.ID, k1.ID) })
	mustRead(t, st, func(tx store.Tx) error {
		_, err := tx.TokenByHash(c, "hash1")
		wantCode(t, err, domain.ENotFound)
		return nil
	})
}

func testSetupTokens(t *testing.T, st store.Store) {
	c := ctx(t)
	mustWrite(t, st, func(tx store.Tx) error {
		if err := tx.CreateSetupToken(c, domain.SetupToken{Hash: "one", CreatedAt: t0}); err != nil {
			return err
		}
		return tx.CreateSetupToken(c, domain.SetupToken{Hash: "two", CreatedAt: t0})
	})
	mustRead(t, st, func(tx store.Tx) error {
		if ok, err := tx.SetupTokenExists(c, "one", t0.Add(-time.Hour)); ok || err != nil {
			t.Errorf("replaced token still valid: %v %v", ok, err)
		}
		if ok, err := tx.SetupTokenExists(c, "two", t0.Add(-time.Hour)); !ok || err != nil {
			t.Errorf("current token not valid: %v %v", ok, err)
		}
		if ok, err := tx.SetupTokenExists(c, "two", t0); ok || err != nil {
			t.Errorf("token created at the cut-off still valid: %v %v", ok, err)
		}
		return nil
	})
	mustWrite(t, st, func(tx store.Tx) error { return tx.DeleteSetupTokens(c) })
	mustRead(t, st, func(tx store.Tx) error {
		if ok, _ := tx.SetupTokenExists(c, "two", t0.Add(-time.Hour)); ok {
			t.Error("token valid after DeleteSetupTokens")
		}
		return nil
	})
}

func testCustomerRoundTrip(t *testing.T, st store.Store) {
	c := ctx(t)
	full := domain.Customer{
		ID: id(), Name: "Airtel Ünïcode", Code: "AIR001", Domain: "airtel.com", BusinessEmail: "enterprise@airtel.com",
		Phone: "+12025550143", Website: "https://www.airtel.com/", SubscriptionID: "SUBAIR2026001", IsActive: false,
		Location: domain.Location{Name: "Airtel Corporate HQ", Country: "US", Region: "North America", State: "New York",
			District: "New York County", City: "New York", PinCode: "10036", Landmark: "Near Bryant Park",
			AddressLine1: "1095 Avenue of the Americas", AddressLine2: "Midtown Manhattan"},
		CreatedAt: t0, UpdatedAt: t0.Add(time.Second), Version: 1,
	}
	bare := customer("Bare", "B1", t0)
	mustCreateCustomer(t, st, full)
	mustCreateCustomer(t, st, bare)
	mustRead(t, st, func(tx store.Tx) error {
		for _, want := range []domain.Customer{full, bare} {
			got, err := tx.Customer(c, domain.OrgScope, want.ID)
			if err != nil {
				return err
			}
			if !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
				t.Errorf("times = %v %v, want %v %v", got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt)
			}
			got.CreatedAt, got.UpdatedAt = want.CreatedAt, want.UpdatedAt
			if got.DeletedAt != nil {
				t.Errorf("DeletedAt = %v", got.DeletedAt)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("round trip:\n got %s\nwant %s", describe(got), describe(want))
			}
		}
		_, err := tx.Customer(c, domain.OrgScope, id())
		wantCode(t, err, domain.ENotFound)
		_, err = tx.Customer(c, domain.OrgScope, "not-a-uuid")
		wantCode(t, err, domain.ENotFound)
		return nil
	})
}

func testCustomerUniqueness(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Ärzte Straße", "AIR-001", t0))
	mustRead(t, st, func(tx store.Tx) error {
		for _, tc := range []struct {
			name, code, except string
			wantName, wantCode bool
		}{
			{"ÄRZTE STRASSE", "other", "", true, false}, // full case folding: ß = ss
			{"ärzte straße", "air-001", "", true, true},
			{"Other", "Air-001", "", false, true},
			{"Other", "Other", "", false, false},
			{"Ärzte Straße", "AIR-001", a.ID, false, false}, // itself
		} {
			probe := domain.Customer{Name: tc.name, Code: tc.code}
			n, k, err := tx.CustomerTaken(c, probe.NameKey(), probe.CodeKey(), tc.except)
			if err != nil {
				return err
			}
			if n != tc.wantName || k != tc.wantCode {
				t.Errorf("CustomerTaken(%q, %q, %q) = %v, %v; want %v, %v", tc.name, tc.code, tc.except, n, k, tc.wantName, tc.wantCode)
			}
		}
		return nil
	})
	t.Run("ErrConstraintBacksTheCheck", func(t *testing.T) {
		// The database itself refuses a second live customer with the same
		// folded name, even when the service's check is bypassed.
		err := st.Write(c, func(tx store.Tx) error {
			return tx.CreateCustomer(c, store.NewCustomer{Customer: customer("ärzte strasse", "X2", t0)})
		})
		if code := domain.ErrorCode(err); code != domain.EInvalid && code != domain.EConflict {
			t.Fatalf("duplicate name insert: %v, want EInvalid or EConflict", err)
		}
		err = st.Write(c, func(tx store.Tx) error {
			return tx.CreateCustomer(c, store.NewCustomer{Customer: customer("Unique", "air-001", t0)})
		})
		if code := domain.ErrorCode(err); code != domain.EInvalid && code != domain.EConflict {
			t.Fatalf("duplicate code insert: %v, want EInvalid or EConflict", err)
		}
	})
	// A trashed customer frees its name and code.
	mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, a.ID, t0) })
	mustCreateCustomer(t, st, customer("Ärzte Straße", "AIR-001", t0))
}

func testCustomerUpdate(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	b := a
	b.Name, b.Phone, b.Location.City, b.Version, b.UpdatedAt = "Alpha Two", "+442079460958", "London", 2, t0.Add(time.Minute)
	mustWrite(t, st, func(tx store.Tx) error { return tx.UpdateCustomer(c, domain.OrgScope, b) })
	mustRead(t, st, func(tx store.Tx) error {
		got, err := tx.Customer(c, domain.OrgScope, a.ID)
		if err != nil {
			return err
		}
		if got.Name != "Alpha Two" || got.Phone != "+442079460958" || got.Location.City != "London" || got.Version != 2 ||
			!got.UpdatedAt.Equal(b.UpdatedAt) || !got.CreatedAt.Equal(t0) {
			t.Errorf("after update = %s", describe(got))
		}
		return nil
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		stale := b
		stale.Name = "Lost update"
		// Version 2 again means "over version 1", which is gone.
		err := st.Write(c, func(tx store.Tx) error { return tx.UpdateCustomer(c, domain.OrgScope, stale) })
		wantCode(t, err, domain.EPrecondition)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		ghost := customer("Ghost", "G1", t0)
		ghost.Version = 2
		err := st.Write(c, func(tx store.Tx) error { return tx.UpdateCustomer(c, domain.OrgScope, ghost) })
		wantCode(t, err, domain.ENotFound)
	})
	mustRead(t, st, func(tx store.Tx) error {
		got, _ := tx.Customer(c, domain.OrgScope, a.ID)
		if got.Name != "Alpha Two" {
			t.Errorf("a refused update changed the name to %q", got.Name)
		}
		return nil
	})
}

func testCustomerTrash(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	mustCreateCustomer(t, st, customer("Beta", "B1", t0))
	mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, a.ID, t0.Add(time.Hour)) })
	t.Run("ErrNotFoundTwice", func(t *testing.T) {
		err := st.Write(c, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, a.ID, t0) })
		wantCode(t, err, domain.ENotFound)
	})
	mustRead(t, st, func(tx store.Tx) error {
		_, err := tx.Customer(c, domain.OrgScope, a.ID)
		wantCode(t, err, domain.ENotFound)
		page, err := tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Sort: domain.SortNameAsc, Limit: 10})
		if err != nil {
			return err
		}
		if page.Total != 1 || len(page.Items) != 1 || page.Items[0].Name != "Beta" {
			t.Errorf("list after trash = %s", describe(page))
		}
		n, err := tx.CountCustomers(c)
		if n != 2 {
			t.Errorf("CountCustomers = %d, want 2 (trash counts)", n)
		}
		return err
	})
	t.Run("ErrNotFoundUpdateTrashed", func(t *testing.T) {
		up := a
		up.Version = 2
		err := st.Write(c, func(tx store.Tx) error { return tx.UpdateCustomer(c, domain.OrgScope, up) })
		wantCode(t, err, domain.ENotFound)
	})
}

func testCustomerScope(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	b := mustCreateCustomer(t, st, customer("Beta", "B1", t0))
	scopeA := domain.Scope{CustomerID: a.ID}
	mustRead(t, st, func(tx store.Tx) error {
		if _, err := tx.Customer(c, scopeA, a.ID); err != nil {
			t.Errorf("own customer: %v", err)
		}
		_, err := tx.Customer(c, scopeA, b.ID)
		wantCode(t, err, domain.ENotFound)
		page, err := tx.Customers(c, scopeA, domain.CustomerFilter{Sort: domain.SortNameAsc, Limit: 10})
		if err != nil {
			return err
		}
		if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != a.ID {
			t.Errorf("scoped list = %s", describe(page))
		}
		return nil
	})
	t.Run("ErrNotFoundWritesOutOfScope", func(t *testing.T) {
		up := b
		up.Name, up.Version = "Hijacked", 2
		err := st.Write(c, func(tx store.Tx) error { return tx.UpdateCustomer(c, scopeA, up) })
		wantCode(t, err, domain.ENotFound)
		err = st.Write(c, func(tx store.Tx) error { return tx.TrashCustomer(c, scopeA, b.ID, t0) })
		wantCode(t, err, domain.ENotFound)
		mustRead(t, st, func(tx store.Tx) error {
			got, err := tx.Customer(c, domain.OrgScope, b.ID)
			if err != nil || got.Name != "Beta" {
				t.Errorf("b changed through another scope: %s, %v", describe(got), err)
			}
			return nil
		})
	})
}

func testCustomerList(t *testing.T, st store.Store) {
	c := ctx(t)
	names := []string{"zeta", "Alpha", "beta", "Éclair", "delta", "Gamma", "epsilon", "Ärger", "ALPHA two", "b2"}
	var all []domain.Customer
	for i, n := range names {
		all = append(all, mustCreateCustomer(t, st, customer(n, fmt.Sprintf("C%02d", (i*7)%10), t0.Add(time.Duration(i%4)*time.Second))))
	}
	byKey := map[domain.CustomerSort]func(a, b domain.Customer) int{
		domain.SortNameAsc:       func(a, b domain.Customer) int { return cmp2(a.NameKey(), b.NameKey(), a.ID, b.ID) },
		domain.SortNameDesc:      func(a, b domain.Customer) int { return -cmp2(a.NameKey(), b.NameKey(), a.ID, b.ID) },
		domain.SortCodeAsc:       func(a, b domain.Customer) int { return cmp2(a.CodeKey(), b.CodeKey(), a.ID, b.ID) },
		domain.SortCodeDesc:      func(a, b domain.Customer) int { return -cmp2(a.CodeKey(), b.CodeKey(), a.ID, b.ID) },
		domain.SortCreatedAtAsc:  func(a, b domain.Customer) int { return cmpTime(a, b) },
		domain.SortCreatedAtDesc: func(a, b domain.Customer) int { return -cmpTime(a, b) },
	}
	for sort, cmp := range byKey {
		for _, limit := range []int{1, 3, 10, 50} {
			t.Run(fmt.Sprintf("%s/limit%d", sort, limit), func(t *testing.T) {
				want := slices.Clone(all)
				slices.SortFunc(want, cmp)
				var got []string
				var cursor *domain.Cursor
				for pages := 0; ; pages++ {
					if pages > len(all)+1 {
						t.Fatal("paging does not end")
					}
					var page domain.CustomerPage
					mustRead(t, st, func(tx store.Tx) (err error) {
						page, err = tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Sort: sort, Limit: limit, Cursor: cursor})
						return err
					})
					if page.Total != int64(len(all)) {
						t.Fatalf("total = %d, want %d", page.Total, len(all))
					}
					if len(page.Items) > limit {
						t.Fatalf("page of %d items, limit %d", len(page.Items), limit)
					}
					for _, it := range page.Items {
						got = append(got, it.Name)
					}
					if page.Next == nil {
						break
					}
					cursor = page.Next
				}
				var wantNames []string
				for _, w := range want {
					wantNames = append(wantNames, w.Name)
				}
				if !slices.Equal(got, wantNames) {
					t.Errorf("order:\n got %q\nwant %q", got, wantNames)
				}
			})
		}
	}
}

func cmp2(a, b, aid, bid string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case aid < bid:
		return -1
	case aid > bid:
		return 1
	}
	return 0
}

func cmpTime(a, b domain.Customer) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp2("", "", a.ID, b.ID)
}

func testAudit(t *testing.T, st store.Store) {
	c := ctx(t)
	custA, custB := id(), id()
	var ids []string
	mustWrite(t, st, func(tx store.Tx) error {
		for i, cust := range []string{custA, custB, custA, ""} {
			e := domain.AuditEntry{ID: id(), At: t0.Add(time.Duration(i) * time.Second), ActorID: "u1", ActorEmail: "a@example.com",
				Action: "customer.update", TargetType: "customer", TargetID: cust, CustomerID: cust,
				Before: []byte(`{"name": "old"}`), After: []byte(`{"name": "new"}`)}
			if i == 0 {
				e.Before = nil
			}
			ids = append(ids, e.ID)
			if err := tx.AppendAudit(c, e); err != nil {
				return err
			}
		}
		return nil
	})
	mustRead(t, st, func(tx store.Tx) error {
		es, err := tx.Audit(c, custA, 10)
		if err != nil {
			return err
		}
		if len(es) != 2 || es[0].ID != ids[2] || es[1].ID != ids[0] {
			t.Fatalf("Audit(custA) = %s", describe(es))
		}
		if es[1].Before != nil || !jsonEqual(es[0].After, `{"name":"new"}`) || es[0].ActorEmail != "a@example.com" || !es[0].At.Equal(t0.Add(2*time.Second)) {
			t.Errorf("entry = %s", describe(es[0]))
		}
		all, err := tx.Audit(c, "", 3)
		if err != nil {
			return err
		}
		if len(all) != 3 || all[0].ID != ids[3] {
			t.Errorf("Audit(all, 3) = %s", describe(all))
		}
		return nil
	})
}

func testRollback(t *testing.T, st store.Store) {
	c := ctx(t)
	boom := errors.New("boom")
	err := st.Write(c, func(tx store.Tx) error {
		if err := tx.CreateCustomer(c, store.NewCustomer{Customer: customer("Ghost", "G1", t0)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want the fn's error", err)
	}
	mustRead(t, st, func(tx store.Tx) error {
		n, err := tx.CountCustomers(c)
		if n != 0 {
			t.Errorf("a rolled-back write left %d customers", n)
		}
		return err
	})
}

// testConcurrentUnique races many writers for one code: the store must let
// exactly one of them through, whatever its locking.
func testConcurrentUnique(t *testing.T, st store.Store) {
	c := ctx(t)
	const writers = 16
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.Write(c, func(tx store.Tx) error {
				cu := customer(fmt.Sprintf("Racer %d", i), "RACE", t0)
				_, taken, err := tx.CustomerTaken(c, cu.NameKey(), cu.CodeKey(), "")
				if err != nil {
					return err
				}
				if taken {
					return domain.Errorf(domain.EInvalid, "taken")
				}
				return tx.CreateCustomer(c, store.NewCustomer{Customer: cu})
			})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch code := domain.ErrorCode(err); code {
		case "":
			ok++
		case domain.EInvalid, domain.EConflict:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d writers created the code, want exactly 1", ok)
	}
	mustRead(t, st, func(tx store.Tx) error {
		n, err := tx.CountCustomers(c)
		if n != 1 {
			t.Errorf("%d customers exist, want 1", n)
		}
		return err
	})
}

// customerCount reads the customer with its counts of live records.
func customerCount(tb testing.TB, st store.Store, customerID string) domain.Customer {
	tb.Helper()
	var c domain.Customer
	mustRead(tb, st, func(tx store.Tx) (err error) {
		c, err = tx.Customer(ctx(tb), domain.OrgScope, customerID)
		return err
	})
	return c
}

// walk reads a list page by page, following each page's cursor from the
// first (nil), and returns what pick takes from every record in order.
func walk[R any](tb testing.TB, st store.Store, page func(tx store.Tx, cursor *domain.Cursor) (domain.Page[R], error), pick func(R) string) []string {
	tb.Helper()
	var out []string
	mustRead(tb, st, func(tx store.Tx) error {
		var cur *domain.Cursor
		for {
			p, err := page(tx, cur)
			if err != nil {
				return err
			}
			for _, r := range p.Items {
				out = append(out, pick(r))
			}
			if p.Next == nil {
				return nil
			}
			cur = p.Next
		}
	})
	return out
}
