package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

func asset(name, class, customerID, entityID string) domain.Asset {
	return domain.Asset{ID: id(), Name: name, Class: class, CustomerID: customerID, EntityID: entityID,
		CreatedAt: t0, UpdatedAt: t0, Version: 1}
}

// assetsCount is the customer's live assets as its read counts them.
func assetsCount(tb testing.TB, st store.Store, customerID string) int64 {
	return customerCount(tb, st, customerID).AssetsCount
}

// assetNames walks the asset list f selects, two at a time.
func assetNames(tb testing.TB, st store.Store, scope domain.Scope, f domain.AssetFilter) []string {
	return walk(tb, st, func(tx store.Tx, cur *domain.Cursor) (domain.AssetPage, error) {
		f.Limit, f.Cursor = 2, cur
		return tx.Assets(ctx(tb), scope, f)
	}, func(a domain.Asset) string { return a.Name })
}

func testAssets(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	b := mustCreateCustomer(t, st, customer("Beta", "B1", t0))
	north := mustCreateEntity(t, st, entity(a.ID, "North", ""))
	full := asset("Core Switch", domain.AssetIT, a.ID, north.ID)
	full.AvailabilityMonitoring, full.Serial, full.IPAddress = true, "SN-1", "10.0.0.1"
	for _, x := range []domain.Asset{full, asset("laptop 7", domain.AssetMobile, a.ID, ""),
		asset("Printer", domain.AssetNonIT, b.ID, ""), asset("Org Firewall", domain.AssetIT, "", "")} {
		mustWrite(t, st, func(tx store.Tx) error { return tx.CreateAsset(c, x) })
	}
	if n := assetsCount(t, st, a.ID); n != 2 {
		t.Errorf("assets_count(a) = %d, want 2", n)
	}
	mustRead(t, st, func(tx store.Tx) error {
		got, err := tx.Asset(c, domain.OrgScope, full.ID)
		if err != nil {
			return err
		}
		got.CreatedAt, got.UpdatedAt = full.CreatedAt, full.UpdatedAt
		if fmt.Sprint(got) != fmt.Sprint(full) {
			t.Errorf("round trip:\n got %s\nwant %s", describe(got), describe(full))
		}
		return nil
	})

	t.Run("Scope", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			scope domain.Scope
			want  string
		}{
			{"Organization", domain.OrgScope, "[Core Switch laptop 7 Org Firewall Printer]"},
			{"CustomerA", domain.Scope{CustomerID: a.ID}, "[Core Switch laptop 7]"},
			{"CustomerB", domain.Scope{CustomerID: b.ID}, "[Printer]"},
			{"NarrowedToNorth", domain.Scope{CustomerID: a.ID, EntityIDs: []string{north.ID}}, "[Core Switch]"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := fmt.Sprint(assetNames(t, st, tc.scope, domain.AssetFilter{})); got != tc.want {
					t.Errorf("assets = %s, want %s", got, tc.want)
				}
			})
		}
		if got := fmt.Sprint(assetNames(t, st, domain.OrgScope, domain.AssetFilter{CustomerID: a.ID, EntityID: north.ID})); got != "[Core Switch]" {
			t.Errorf("filtered by entity = %s", got)
		}
		scopeB := domain.Scope{CustomerID: b.ID}
		mustRead(t, st, func(tx store.Tx) error {
			_, err := tx.Asset(c, scopeB, full.ID)
			wantCode(t, err, domain.ENotFound)
			return nil
		})
		up := full
		up.Name, up.Version = "Hijacked", 2
		err := st.Write(c, func(tx store.Tx) error { return tx.UpdateAsset(c, scopeB, up) })
		wantCode(t, err, domain.ENotFound)
		err = st.Write(c, func(tx store.Tx) error { return tx.TrashAsset(c, scopeB, full.ID, 1, t0) })
		wantCode(t, err, domain.ENotFound)
	})

	t.Run("MoveKeepsCounts", func(t *testing.T) {
		moved := full
		moved.CustomerID, moved.EntityID, moved.Version, moved.UpdatedAt = b.ID, "", 2, t0.Add(time.Minute)
		mustWrite(t, st, func(tx store.Tx) error { return tx.UpdateAsset(c, domain.OrgScope, moved) })
		if na, nb := assetsCount(t, st, a.ID), assetsCount(t, st, b.ID); na != 1 || nb != 2 {
			t.Errorf("after move: a %d, b %d; want 1, 2", na, nb)
		}
		err := st.Write(c, func(tx store.Tx) error { return tx.UpdateAsset(c, domain.OrgScope, moved) })
		wantCode(t, err, domain.EPrecondition)
	})

	t.Run("Trash", func(t *testing.T) {
		// A trash guards the version it replaces, like an update.
		err := st.Write(c, func(tx store.Tx) error { return tx.TrashAsset(c, domain.OrgScope, full.ID, 1, t0) })
		wantCode(t, err, domain.EPrecondition)
		mustWrite(t, st, func(tx store.Tx) error { return tx.TrashAsset(c, domain.OrgScope, full.ID, 2, t0) })
		err = st.Write(c, func(tx store.Tx) error { return tx.TrashAsset(c, domain.OrgScope, full.ID, 3, t0) })
		wantCode(t, err, domain.ENotFound)
		if nb := assetsCount(t, st, b.ID); nb != 1 {
			t.Errorf("after trash: b %d, want 1", nb)
		}
		// A customer in trash takes its assets out of every list.
		mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, b.ID, t0) })
		if got := fmt.Sprint(assetNames(t, st, domain.OrgScope, domain.AssetFilter{})); got != "[laptop 7 Org Firewall]" {
			t.Errorf("after customer trash: %s", got)
		}
	})

	t.Run("ErrEntityWithoutCustomer", func(t *testing.T) {
		err := st.Write(c, func(tx store.Tx) error { return tx.CreateAsset(c, asset("Orphan", domain.AssetIT, "", north.ID)) })
		if err == nil {
			t.Error("the database accepted an entity without its customer")
		}
	})
}
