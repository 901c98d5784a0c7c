package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// usersCount is the customer's live users as its read counts them.
func usersCount(tb testing.TB, st store.Store, customerID string) int64 {
	return customerCount(tb, st, customerID).UsersCount
}

// userEmails walks the user list f selects, two at a time.
func userEmails(tb testing.TB, st store.Store, scope domain.Scope, f domain.UserFilter) []string {
	return walk(tb, st, func(tx store.Tx, cur *domain.Cursor) (domain.UserPage, error) {
		f.Limit, f.Cursor = 2, cur
		return tx.Users(ctx(tb), scope, f)
	}, func(u domain.User) string { return u.Email })
}

func testCustomerUsers(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Alpha", "A1", t0))
	b := mustCreateCustomer(t, st, customer("Beta", "B1", t0))
	north := mustCreateEntity(t, st, entity(a.ID, "North", ""))
	south := mustCreateEntity(t, st, entity(a.ID, "South", ""))
	mk := func(email, customerID string, entities ...string) domain.User {
		u := user(email)
		u.CustomerID, u.EntityIDs, u.Role = customerID, entities, domain.RoleCustomerUser
		if customerID == "" {
			u.Role = domain.RoleTechnician
		}
		mustWrite(t, st, func(tx store.Tx) error { return tx.CreateUser(c, u) })
		return u
	}
	mk("org@example.com", "")
	whole := mk("a-all@example.com", a.ID)
	nu := mk("a-north@example.com", a.ID, north.ID)
	mk("a-south@example.com", a.ID, south.ID)
	bu := mk("b@example.com", b.ID)
	if n := usersCount(t, st, a.ID); n != 3 {
		t.Errorf("users_count(a) = %d, want 3", n)
	}
	mustRead(t, st, func(tx store.Tx) error {
		got, err := tx.UserByEmail(c, nu.Email)
		if err != nil || fmt.Sprint(got.EntityIDs) != fmt.Sprint([]string{north.ID}) || got.CustomerID != a.ID {
			t.Errorf("UserByEmail = %s, %v", describe(got), err)
		}
		return nil
	})
	for _, tc := range []struct {
		name  string
		scope domain.Scope
		want  string
	}{
		{"Organization", domain.OrgScope, "[a-all@example.com a-north@example.com a-south@example.com admin@example.com b@example.com org@example.com]"},
		{"CustomerA", domain.Scope{CustomerID: a.ID}, "[a-all@example.com a-north@example.com a-south@example.com]"},
		{"NarrowedToNorth", domain.Scope{CustomerID: a.ID, EntityIDs: []string{north.ID}}, "[a-north@example.com]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "Organization" {
				mk("admin@example.com", "")
			}
			if got := fmt.Sprint(userEmails(t, st, tc.scope, domain.UserFilter{})); got != tc.want {
				t.Errorf("users = %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("ErrOutOfScope", func(t *testing.T) {
		scopeB := domain.Scope{CustomerID: b.ID}
		mustRead(t, st, func(tx store.Tx) error {
			_, err := tx.ScopedUser(c, scopeB, whole.ID)
			wantCode(t, err, domain.ENotFound)
			return nil
		})
		up := whole
		up.Name, up.Version = "Hijacked", 2
		wantCode(t, st.Write(c, func(tx store.Tx) error { return tx.UpdateUser(c, scopeB, up) }), domain.ENotFound)
		wantCode(t, st.Write(c, func(tx store.Tx) error { return tx.TrashUser(c, scopeB, whole.ID, whole.Version, t0) }), domain.ENotFound)
	})
	t.Run("UpdateMovesCountsAndEntities", func(t *testing.T) {
		up := nu
		up.CustomerID, up.EntityIDs, up.Version, up.UpdatedAt = b.ID, nil, 2, t0.Add(time.Minute)
		mustWrite(t, st, func(tx store.Tx) error { return tx.UpdateUser(c, domain.OrgScope, up) })
		if na, nb := usersCount(t, st, a.ID), usersCount(t, st, b.ID); na != 2 || nb != 2 {
			t.Errorf("after move: a %d, b %d; want 2, 2", na, nb)
		}
		mustRead(t, st, func(tx store.Tx) error {
			got, err := tx.User(c, nu.ID)
			if err != nil || len(got.EntityIDs) != 0 || got.CustomerID != b.ID {
				t.Errorf("moved user = %s, %v", describe(got), err)
			}
			return nil
		})
		wantCode(t, st.Write(c, func(tx store.Tx) error { return tx.UpdateUser(c, domain.OrgScope, up) }), domain.EPrecondition)
	})
	t.Run("Trash", func(t *testing.T) {
		mustWrite(t, st, func(tx store.Tx) error {
			return tx.CreateSession(c, domain.Session{IDHash: "s-b", UserID: bu.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
		})
		mustWrite(t, st, func(tx store.Tx) error { return tx.TrashUser(c, domain.OrgScope, bu.ID, bu.Version, t0) })
		mustRead(t, st, func(tx store.Tx) error {
			_, err := tx.UserByEmail(c, bu.Email)
			wantCode(t, err, domain.ENotFound)
			_, err = tx.Session(c, "s-b", t0)
			wantCode(t, err, domain.ENotFound)
			return nil
		})
		if nb := usersCount(t, st, b.ID); nb != 1 {
			t.Errorf("after trash: b %d, want 1", nb)
		}
	})
}
