package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

func entity(customerID, name, code string) domain.Entity {
	return domain.Entity{ID: id(), CustomerID: customerID, Name: name, Code: code, Type: domain.EntityBranch,
		IsActive: true, CreatedAt: t0, UpdatedAt: t0, Version: 1}
}

func mustCreateEntity(tb testing.TB, st store.Store, e domain.Entity) domain.Entity {
	tb.Helper()
	mustWrite(tb, st, func(tx store.Tx) error { return tx.CreateEntities(ctx(tb), e.CustomerID, []domain.Entity{e}) })
	return e
}

func entitiesCount(tb testing.TB, st store.Store, customerID string) int64 {
	tb.Helper()
	var n int64
	mustRead(tb, st, func(tx store.Tx) error {
		c, err := tx.Customer(ctx(tb), domain.OrgScope, customerID)
		n = c.EntitiesCount
		return err
	})
	return n
}

func testEntities(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	b := mustCreateCustomer(t, st, customer("Beta", "B1", t0))
	full := entity(a.ID, "Head Office", "HQ")
	full.Type, full.BusinessEmail, full.Phone, full.IsActive = domain.EntityRegion, "hq@alpha.example", "+442079460958", false
	full.Location = domain.Location{Name: "HQ", Country: "GB", City: "London", PinCode: "SW1A 1AA"}
	mustCreateEntity(t, st, full)
	branch := mustCreateEntity(t, st, entity(a.ID, "Branch", ""))
	// The same name and code under another customer is fine.
	other := mustCreateEntity(t, st, entity(b.ID, "head office", "hq"))

	if n := entitiesCount(t, st, a.ID); n != 2 {
		t.Errorf("entities_count(a) = %d, want 2", n)
	}
	mustRead(t, st, func(tx store.Tx) error {
		got, err := tx.Entity(c, domain.OrgScope, a.ID, full.ID)
		if err != nil {
			return err
		}
		got.CreatedAt, got.UpdatedAt = full.CreatedAt, full.UpdatedAt
		if fmt.Sprint(got) != fmt.Sprint(full) {
			t.Errorf("round trip:\n got %s\nwant %s", describe(got), describe(full))
		}
		// An entity is found only under its own customer.
		_, err = tx.Entity(c, domain.OrgScope, b.ID, full.ID)
		wantCode(t, err, domain.ENotFound)
		for _, tc := range []struct {
			name, code       string
			wantName, wantCd bool
		}{
			{"HEAD OFFICE", "", true, false},
			{"New", "hq", false, true},
			{"New", "", false, false},
			{"branch", "HQ", true, true},
		} {
			probe := domain.Entity{Name: tc.name, Code: tc.code}
			n, k, err := tx.EntityTaken(c, a.ID, probe.NameKey(), probe.CodeKey(), "")
			if err != nil {
				return err
			}
			if n != tc.wantName || k != tc.wantCd {
				t.Errorf("EntityTaken(%q, %q) = %v %v, want %v %v", tc.name, tc.code, n, k, tc.wantName, tc.wantCd)
			}
		}
		if n, k, _ := tx.EntityTaken(c, a.ID, full.NameKey(), full.CodeKey(), full.ID); n || k {
			t.Error("an entity conflicts with itself")
		}
		page, err := tx.Entities(c, domain.OrgScope, a.ID, domain.EntityFilter{Limit: 1})
		if err != nil {
			return err
		}
		if page.Total != 2 || len(page.Items) != 1 || page.Items[0].Name != "Branch" || page.Next == nil {
			t.Fatalf("first page = %s", describe(page))
		}
		page, err = tx.Entities(c, domain.OrgScope, a.ID, domain.EntityFilter{Limit: 1, Cursor: page.Next})
		if err != nil {
			return err
		}
		if len(page.Items) != 1 || page.Items[0].Name != "Head Office" || page.Next != nil {
			t.Errorf("second page = %s", describe(page))
		}
		return nil
	})

	t.Run("ErrConstraintBacksTheCheck", func(t *testing.T) {
		err := st.Write(c, func(tx store.Tx) error {
			return tx.CreateEntities(c, a.ID, []domain.Entity{entity(a.ID, "BRANCH", "")})
		})
		if code := domain.ErrorCode(err); code != domain.EInvalid && code != domain.EConflict {
			t.Fatalf("duplicate entity name: %v", err)
		}
		if n := entitiesCount(t, st, a.ID); n != 2 {
			t.Errorf("a refused insert changed the count to %d", n)
		}
	})

	t.Run("Scope", func(t *testing.T) {
		scopeB := domain.Scope{CustomerID: b.ID}
		narrowed := domain.Scope{CustomerID: a.ID, EntityIDs: []string{branch.ID}}
		mustRead(t, st, func(tx store.Tx) error {
			_, err := tx.Entity(c, scopeB, a.ID, full.ID)
			wantCode(t, err, domain.ENotFound)
			if _, err := tx.Entity(c, scopeB, b.ID, other.ID); err != nil {
				t.Errorf("own entity: %v", err)
			}
			_, err = tx.Entity(c, narrowed, a.ID, full.ID)
			wantCode(t, err, domain.ENotFound)
			page, err := tx.Entities(c, narrowed, a.ID, domain.EntityFilter{Limit: 10})
			if err != nil {
				return err
			}
			if page.Total != 1 || len(page.Items) != 1 || page.Items[0].ID != branch.ID {
				t.Errorf("narrowed list = %s", describe(page))
			}
			page, err = tx.Entities(c, scopeB, a.ID, domain.EntityFilter{Limit: 10})
			if err != nil || page.Total != 0 || len(page.Items) != 0 {
				t.Errorf("another customer's list = %s, %v", describe(page), err)
			}
			return nil
		})
		up := full
		up.Name, up.Version = "Hijacked", 2
		err := st.Write(c, func(tx store.Tx) error { return tx.UpdateEntity(c, scopeB, up) })
		wantCode(t, err, domain.ENotFound)
		err = st.Write(c, func(tx store.Tx) error { return tx.TrashEntity(c, scopeB, a.ID, full.ID, t0) })
		wantCode(t, err, domain.ENotFound)
	})

	t.Run("Update", func(t *testing.T) {
		up := full
		up.Name, up.Code, up.Version, up.UpdatedAt = "Headquarters", "", 2, t0.Add(time.Minute)
		mustWrite(t, st, func(tx store.Tx) error { return tx.UpdateEntity(c, domain.OrgScope, up) })
		err := st.Write(c, func(tx store.Tx) error { return tx.UpdateEntity(c, domain.OrgScope, up) })
		wantCode(t, err, domain.EPrecondition)
		mustRead(t, st, func(tx store.Tx) error {
			got, err := tx.Entity(c, domain.OrgScope, a.ID, full.ID)
			if err == nil && (got.Name != "Headquarters" || got.Code != "" || got.Version != 2) {
				t.Errorf("after update = %s", describe(got))
			}
			return err
		})
	})

	t.Run("Trash", func(t *testing.T) {
		mustWrite(t, st, func(tx store.Tx) error { return tx.TrashEntity(c, domain.OrgScope, a.ID, branch.ID, t0) })
		err := st.Write(c, func(tx store.Tx) error { return tx.TrashEntity(c, domain.OrgScope, a.ID, branch.ID, t0) })
		wantCode(t, err, domain.ENotFound)
		if n := entitiesCount(t, st, a.ID); n != 1 {
			t.Errorf("entities_count after trash = %d, want 1", n)
		}
		// The trashed entity's name is free again.
		mustCreateEntity(t, st, entity(a.ID, "Branch", ""))
		// Entities of a trashed customer are gone with it.
		mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, b.ID, t0) })
		mustRead(t, st, func(tx store.Tx) error {
			_, err := tx.Entity(c, domain.OrgScope, b.ID, other.ID)
			wantCode(t, err, domain.ENotFound)
			return nil
		})
	})
}

// testEntitiesBatch creates several entities in one call: all are stored
// and counted, and a batch with one duplicate stores none.
func testEntitiesBatch(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	es := []domain.Entity{entity(a.ID, "One", "E1"), entity(a.ID, "Two", "E2"), entity(a.ID, "Three", "")}
	mustWrite(t, st, func(tx store.Tx) error { return tx.CreateEntities(c, a.ID, es) })
	if n := entitiesCount(t, st, a.ID); n != 3 {
		t.Errorf("entities_count = %d, want 3", n)
	}
	err := st.Write(c, func(tx store.Tx) error {
		return tx.CreateEntities(c, a.ID, []domain.Entity{entity(a.ID, "Four", ""), entity(a.ID, "two", "")})
	})
	if code := domain.ErrorCode(err); code != domain.EInvalid && code != domain.EConflict {
		t.Fatalf("batch with a duplicate: %v", err)
	}
	if n := entitiesCount(t, st, a.ID); n != 3 {
		t.Errorf("entities_count after a refused batch = %d, want 3", n)
	}
	b := mustCreateCustomer(t, st, customer("Beta", "B1", t0))
	err = st.Write(c, func(tx store.Tx) error { return tx.CreateEntities(c, a.ID, []domain.Entity{entity(b.ID, "X", "")}) })
	if err == nil {
		t.Error("an entity of another customer was accepted in the batch")
	}
}
