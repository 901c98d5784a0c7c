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
		org := domain.WithPrincipal(ctx, p)
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

// tenantWatch records the tenant every transaction is confined to.
type tenantWatch struct {
	store.Store
	tenants []string
}

func (w *tenantWatch) Read(ctx context.Context, fn func(store.Tx) error) error {
	w.tenants = append(w.tenants, store.Tenant(ctx))
	return w.Store.Read(ctx, fn)
}

func (w *tenantWatch) Write(ctx context.Context, fn func(store.Tx) error) error {
	w.tenants = append(w.tenants, store.Tenant(ctx))
	return w.Store.Write(ctx, fn)
}

// TestRunnerConfinesEveryWayIn: a customer-scoped caller whose context
// carries only its principal — as a CLI command or a background job would
// build it, without the HTTP middleware — still has every transaction
// confined to its customer (PostgreSQL row-level security's tenant).
func TestRunnerConfinesEveryWayIn(t *testing.T) {
	st := &tenantWatch{Store: apptest.OpenStore(t, "sqlite")}
	svc := service.New(st, service.Options{})
	org, _ := orgAdmin(t, svc, service.FirstStart{})
	c, err := createCustomer(svc, org, domain.CustomerInput{Name: "Confined", Code: "CONF"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(org, domain.UserInput{Email: "conf@example.com", Name: "C", Role: domain.RoleCustomerAdmin,
		CustomerID: c.ID, Password: "correct-horse-battery"}); err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.Login(context.Background(), "conf@example.com", "correct-horse-battery")
	if err != nil {
		t.Fatal(err)
	}
	ctx := domain.WithPrincipal(context.Background(), p)
	if store.Tenant(ctx) != "" {
		t.Fatal("the test's context already names a tenant")
	}
	st.tenants = nil
	if _, err := svc.ListAssets(ctx, domain.AssetFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateAsset(ctx, domain.AssetInput{Name: "Confined laptop", Class: domain.AssetIT}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Customer(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if len(st.tenants) < 3 {
		t.Fatalf("%d transactions seen", len(st.tenants))
	}
	for i, tenant := range st.tenants {
		if tenant != c.ID {
			t.Errorf("transaction %d ran confined to %q, want the caller's customer %s", i, tenant, c.ID)
		}
	}
}
