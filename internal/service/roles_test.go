package service_test

import (
	"context"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

func TestCustomRoles(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		ctx := context.Background()
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		const pw = "a-long-enough-password"

		// A narrow customer role: view everything, edit assets only.
		auditor, err := svc.CreateRole(org, domain.RoleInput{Key: "asset_keeper", Name: "Asset Keeper", Scope: domain.ScopeCustomer,
			Permissions: []string{"assets.view", "assets.edit", "customers.view", "entities.view"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			in    domain.RoleInput
			field string
		}{
			{domain.RoleInput{Key: "asset_keeper", Name: "Other", Scope: domain.ScopeCustomer}, "key"},
			{domain.RoleInput{Key: "other", Name: "ASSET keeper", Scope: domain.ScopeCustomer}, "name"},
			{domain.RoleInput{Key: "customer_admin", Name: "Mine", Scope: domain.ScopeCustomer}, "key"},
			{domain.RoleInput{Key: "x", Name: "X", Scope: domain.ScopeCustomer, Permissions: []string{"licenses.edit"}}, "permissions[0]"},
			{domain.RoleInput{Key: "Bad Key", Name: "X", Scope: domain.ScopeOrganization}, "key"},
		} {
			_, err := svc.CreateRole(org, tc.in)
			fieldCode(t, err, tc.field)
		}

		// A customer whose admin role is the narrow one: its users hold
		// nothing wider, whoever grants it.
		a, err := createCustomer(svc, org, domain.CustomerInput{Name: "Alpha", Code: "A1", AdminRole: "asset_keeper"})
		if err != nil || a.AdminRole != "asset_keeper" {
			t.Fatalf("create with admin role = %+v, %v", a, err)
		}
		_, err = createCustomer(svc, org, domain.CustomerInput{Name: "Beta", Code: "B1", AdminRole: domain.RoleTechnician})
		fieldCode(t, err, "admin_role")
		_, err = svc.CreateUser(org, domain.UserInput{Email: "wide@alpha.example", Name: "W", Role: domain.RoleCustomerAdmin, CustomerID: a.ID, Password: pw})
		fieldCode(t, err, "role")
		keeper, err := svc.CreateUser(org, domain.UserInput{Email: "keeper@alpha.example", Name: "K", Role: auditor.Key, CustomerID: a.ID, Password: pw})
		if err != nil {
			t.Fatal(err)
		}

		// The custom role's permissions apply to its holder.
		_, kp, err := svc.Login(ctx, "keeper@alpha.example", pw)
		if err != nil || len(kp.Permissions) != 4 || kp.RoleScope != domain.ScopeCustomer {
			t.Fatalf("keeper principal = %+v, %v", kp, err)
		}
		kctx := domain.WithPrincipal(ctx, kp)
		if _, err := svc.ListAssets(kctx, domain.AssetFilter{}); err != nil {
			t.Errorf("keeper lists assets: %v", err)
		}
		_, err = svc.CreateAsset(kctx, domain.AssetInput{Name: "Laptop", Class: domain.AssetIT})
		wantCode(t, err, domain.EForbidden)
		_, err = svc.ListUsers(kctx, domain.UserFilter{})
		wantCode(t, err, domain.EForbidden)
		// It sees only the roles that can be held inside its customer.
		roles, err := svc.Roles(kctx)
		if err != nil || len(roles) != 1 || roles[0].Key != "asset_keeper" {
			t.Errorf("keeper's catalog = %v, %v", roles, err)
		}
		if all, _ := svc.Roles(org); len(all) != len(domain.BuiltinRoles)+1 {
			t.Errorf("organization catalog has %d roles", len(all))
		}
		_, err = svc.CreateRole(kctx, domain.RoleInput{Key: "mine", Name: "Mine", Scope: domain.ScopeCustomer})
		wantCode(t, err, domain.EForbidden)

		// Widening the admin role is fine; narrowing it below what a user
		// holds is refused, and so is deleting a role in use.
		if _, err := svc.UpdateCustomer(org, a.ID, 0, func(in domain.CustomerInput) (domain.CustomerInput, error) {
			in.AdminRole = domain.RoleCustomerAdmin
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.UpdateUser(org, keeper.ID, 0, func(in domain.UserInput) (domain.UserInput, error) {
			in.Role = domain.RoleCustomerTechnician
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.UpdateCustomer(org, a.ID, 0, func(in domain.CustomerInput) (domain.CustomerInput, error) {
			in.AdminRole = "asset_keeper"
			return in, nil
		})
		fieldCode(t, err, "admin_role")
		if c, _ := svc.Customer(org, a.ID); c.AdminRole != domain.RoleCustomerAdmin || c.UsersCount != 1 {
			t.Errorf("after a refused narrowing: %+v", c)
		}
		wantCode(t, svc.DeleteRole(org, domain.RoleCustomerUser), domain.EConflict)
		if _, err := svc.CreateUser(org, domain.UserInput{Email: "k2@alpha.example", Name: "K2", Role: auditor.Key, CustomerID: a.ID, Password: pw}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, svc.DeleteRole(org, auditor.Key), domain.EConflict)
		wantCode(t, svc.DeleteRole(org, "no_such_role"), domain.ENotFound)
	})
}

func TestRoleDeletion(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		if _, err := svc.CreateRole(org, domain.RoleInput{Key: "night_shift", Name: "Night shift", Scope: domain.ScopeOrganization,
			Permissions: []string{"assets.view"}}); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteRole(org, "night_shift"); err != nil {
			t.Fatal(err)
		}
		_, err := svc.Role(org, "night_shift")
		wantCode(t, err, domain.ENotFound)
		if r, err := svc.Role(org, domain.RoleCustomerUser); err != nil || !r.Builtin {
			t.Errorf("built-in role = %+v, %v", r, err)
		}
	})
}
