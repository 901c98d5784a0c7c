package service_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

// writeWatch is a store that knows when one of its write transactions is
// running.
type writeWatch struct {
	store.Store
	writing atomic.Int64
}

func (w *writeWatch) Write(ctx context.Context, fn func(store.Tx) error) error {
	return w.Store.Write(ctx, func(tx store.Tx) error {
		w.writing.Add(1)
		defer w.writing.Add(-1)
		return fn(tx)
	})
}

// TestNoPasswordHashInsideAWrite: every use case that hashes or checks a
// password — the first admin at bootstrap and through the setup link, a
// new user, a new password, a sign-in — does so before its write
// transaction begins, so no write batched or queued behind it waits tens of
// milliseconds for argon2.
func TestNoPasswordHashInsideAWrite(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		st := &writeWatch{Store: apptest.OpenStore(t, kind)}
		svc := service.New(st, service.Options{})
		var hashes, inside atomic.Int64
		restore := auth.SetHashObserver(func() {
			hashes.Add(1)
			if st.writing.Load() > 0 {
				inside.Add(1)
			}
		})
		defer restore()
		ctx := context.Background()
		token, err := svc.Bootstrap(ctx, service.FirstStart{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.CompleteSetup(ctx, token, admin); err != nil {
			t.Fatal(err)
		}
		_, p, err := svc.Login(ctx, admin.Email, admin.Password)
		if err != nil {
			t.Fatal(err)
		}
		org := auth.WithPrincipal(ctx, p)
		u, err := svc.CreateUser(org, domain.UserInput{Email: "hash@example.com", Name: "Hash", Role: domain.RoleTechnician, Password: "correct-horse-battery"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.UpdateUser(org, u.ID, 0, func(in domain.UserInput) (domain.UserInput, error) {
			in.Password = "another-long-password"
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		if hashes.Load() < 4 {
			t.Fatalf("only %d hashes observed: the observer is not wired", hashes.Load())
		}
		if inside.Load() != 0 {
			t.Errorf("%d of %d password hashes ran inside a write transaction", inside.Load(), hashes.Load())
		}
	})
}
