package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

// TestInactiveCustomerSignsOut checks that deactivating or deleting a
// customer ends its users' sessions and tokens at once (for good: they do
// not come back with the customer), and that they cannot sign in.
func TestInactiveCustomerSignsOut(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		st := apptest.OpenStore(t, kind)
		svc := service.New(st, service.Options{})
		ctx := context.Background()
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		c, err := createCustomer(svc, org, domain.CustomerInput{Name: "Alpha", Code: "A1"})
		if err != nil {
			t.Fatal(err)
		}
		hash, err := auth.HashPassword(ctx, "customer-user-password")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		u := domain.User{ID: "01900000-0000-7000-8000-00000000000a", Email: "ann@alpha.example", Name: "Ann", Kind: domain.KindUser,
			Role: domain.RoleCustomerUser, CustomerID: c.ID, IsActive: true, PasswordHash: hash, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := st.Write(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		session, cp, err := svc.Login(ctx, u.Email, "customer-user-password")
		if err != nil || cp.CustomerID != c.ID {
			t.Fatalf("customer user sign-in = %+v, %v", cp, err)
		}
		_, token, err := svc.CreateToken(domain.WithPrincipal(ctx, cp), "script")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AuthenticateToken(ctx, token); err != nil {
			t.Fatalf("token before deactivation: %v", err)
		}

		inactive := false
		if _, err := svc.UpdateCustomer(org, c.ID, 0, func(in domain.CustomerInput) (domain.CustomerInput, error) {
			in.IsActive = &inactive
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthenticateSession(ctx, session)
		wantCode(t, err, domain.EUnauthorized)
		_, err = svc.AuthenticateToken(ctx, token)
		wantCode(t, err, domain.EUnauthorized)
		_, _, err = svc.Login(ctx, u.Email, "customer-user-password")
		wantCode(t, err, domain.EUnauthorized)

		active := true
		if _, err := svc.UpdateCustomer(org, c.ID, 0, func(in domain.CustomerInput) (domain.CustomerInput, error) {
			in.IsActive = &active
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		// Reactivation does not revive what deactivation ended.
		_, err = svc.AuthenticateToken(ctx, token)
		wantCode(t, err, domain.EUnauthorized)
		_, err = svc.AuthenticateSession(ctx, session)
		wantCode(t, err, domain.EUnauthorized)
		session, cp, err = svc.Login(ctx, u.Email, "customer-user-password")
		if err != nil {
			t.Fatalf("sign-in after reactivation: %v", err)
		}
		if err := svc.DeleteCustomer(org, c.ID, 0); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AuthenticateSession(ctx, session)
		wantCode(t, err, domain.EUnauthorized)
		_, _, err = svc.Login(ctx, u.Email, "customer-user-password")
		wantCode(t, err, domain.EUnauthorized)
	})
}
