package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// testAssetTotals: a list of one customer's assets is counted exactly
// from the customer's maintained count; anything else is counted up to
// domain.TotalCountLimit and says so.
func testAssetTotals(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	b := mustCreateCustomer(t, st, customer("Beta", "B1", t0))
	north := mustCreateEntity(t, st, entity(a.ID, "North", ""))
	n := domain.TotalCountLimit + 5
	mustWrite(t, st, func(tx store.Tx) error {
		for i := range n {
			e := ""
			if i%10 == 0 {
				e = north.ID
			}
			if err := tx.CreateAsset(c, asset(fmt.Sprintf("Asset %04d", i), domain.AssetIT, a.ID, e)); err != nil {
				return err
			}
		}
		return tx.CreateAsset(c, asset("Beta's", domain.AssetIT, b.ID, ""))
	})
	for _, tc := range []struct {
		name  string
		scope domain.Scope
		f     domain.AssetFilter
		total int64
		exact bool
	}{
		{"Organization", domain.OrgScope, domain.AssetFilter{}, int64(domain.TotalCountLimit), false},
		{"OneCustomer", domain.OrgScope, domain.AssetFilter{CustomerID: a.ID}, int64(n), true},
		{"OtherCustomer", domain.OrgScope, domain.AssetFilter{CustomerID: b.ID}, 1, true},
		{"OneEntity", domain.OrgScope, domain.AssetFilter{CustomerID: a.ID, EntityID: north.ID}, int64((n + 9) / 10), true},
		{"CustomerScope", domain.Scope{CustomerID: a.ID}, domain.AssetFilter{}, int64(n), true},
		{"CustomerScopeAskingForAnother", domain.Scope{CustomerID: a.ID}, domain.AssetFilter{CustomerID: b.ID}, 0, true},
		{"Narrowed", domain.Scope{CustomerID: a.ID, EntityIDs: []string{north.ID}}, domain.AssetFilter{}, int64((n + 9) / 10), true},
		{"NoSuchCustomer", domain.OrgScope, domain.AssetFilter{CustomerID: id()}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustRead(t, st, func(tx store.Tx) error {
				f := tc.f
				f.Limit = 3
				page, err := tx.Assets(c, tc.scope, f)
				if err != nil {
					return err
				}
				if page.Total != tc.total || page.TotalExact != tc.exact {
					t.Errorf("total = %d (exact %v), want %d (exact %v)", page.Total, page.TotalExact, tc.total, tc.exact)
				}
				if want := min(3, int(tc.total)); len(page.Items) != want {
					t.Errorf("%d items, want %d", len(page.Items), want)
				}
				return nil
			})
		})
	}
}

// testCustomRoles: custom roles round-trip, and the store tells who holds
// a role.
func testCustomRoles(t *testing.T, st store.Store) {
	c := ctx(t)
	r := domain.Role{Key: "night_shift", Name: "Night shift", Scope: domain.ScopeCustomer, Permissions: []string{"assets.view", "users.view"}}
	mustWrite(t, st, func(tx store.Tx) error { return tx.CreateRole(c, r, t0) })
	mustRead(t, st, func(tx store.Tx) error {
		got, err := tx.CustomRole(c, r.Key)
		if err != nil {
			return err
		}
		if fmt.Sprint(got) != fmt.Sprint(r) {
			t.Errorf("round trip: %+v, want %+v", got, r)
		}
		all, err := tx.CustomRoles(c)
		if err != nil || len(all) != 1 || all[0].Key != r.Key {
			t.Errorf("custom roles = %v, %v", all, err)
		}
		_, err = tx.CustomRole(c, "customer_admin")
		wantCode(t, err, domain.ENotFound)
		return nil
	})
	err := st.Write(c, func(tx store.Tx) error { return tx.CreateRole(c, r, t0) })
	if err == nil {
		t.Error("the store took a second role with the same key")
	}

	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	a.AdminRole, a.Version = r.Key, 2
	mustWrite(t, st, func(tx store.Tx) error { return tx.UpdateCustomer(c, domain.OrgScope, a) })
	mustWrite(t, st, func(tx store.Tx) error {
		return tx.CreateUser(c, domain.User{ID: id(), Email: "n@example.com", Name: "N", Kind: domain.KindUser, Role: r.Key,
			CustomerID: a.ID, IsActive: true, PasswordHash: "x", CreatedAt: t0, UpdatedAt: t0, Version: 1})
	})
	mustRead(t, st, func(tx store.Tx) error {
		users, customers, err := tx.RoleHolders(c, r.Key)
		if err != nil || users != 1 || customers != 1 {
			t.Errorf("holders = %d users, %d customers (%v), want 1, 1", users, customers, err)
		}
		roles, err := tx.CustomerUserRoles(c, a.ID)
		if err != nil || !slices.Equal(roles, []string{r.Key}) {
			t.Errorf("roles held in a = %v, %v", roles, err)
		}
		got, err := tx.Customer(c, domain.OrgScope, a.ID)
		if err != nil || got.AdminRole != r.Key {
			t.Errorf("admin role = %q, %v", got.AdminRole, err)
		}
		return nil
	})
	mustWrite(t, st, func(tx store.Tx) error { return tx.DeleteRole(c, r.Key) })
	err = st.Write(c, func(tx store.Tx) error { return tx.DeleteRole(c, r.Key) })
	wantCode(t, err, domain.ENotFound)
}
