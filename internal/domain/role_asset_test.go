package domain_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
)

func TestBuiltinRoles(t *testing.T) {
	admin, ok := domain.BuiltinRole(domain.RoleOrgAdmin)
	if !ok || !admin.Can("licenses", "edit") || admin.Scope != domain.ScopeOrganization {
		t.Fatalf("org admin = %+v", admin)
	}
	user, _ := domain.BuiltinRole(domain.RoleCustomerUser)
	for _, res := range domain.Resources {
		// The audit history is for admins: a customer's users read
		// everything else of their customer.
		if user.Can(res, "view") == (res == "audit") {
			t.Errorf("customer user: view %s = %v", res, user.Can(res, "view"))
		}
		for _, act := range []string{"add", "edit", "delete"} {
			if user.Can(res, act) {
				t.Errorf("customer user (read-only) can %s %s", act, res)
			}
		}
	}
	cadmin, _ := domain.BuiltinRole(domain.RoleCustomerAdmin)
	tech, _ := domain.BuiltinRole(domain.RoleCustomerTechnician)
	if !cadmin.Covers(tech) || !cadmin.Covers(user) || tech.Covers(cadmin) || cadmin.Covers(admin) {
		t.Error("Covers does not order the customer roles")
	}
	for _, r := range domain.BuiltinRoles {
		if r.Scope == domain.ScopeCustomer && (r.Can("customers", "edit") || r.Can("licenses", "edit")) {
			t.Errorf("customer role %s may change customers or licenses", r.Key)
		}
	}
	if !cadmin.Can("audit", "view") || !admin.Can("audit", "view") || tech.Can("audit", "view") {
		t.Error("the audit history is not for exactly the admins")
	}
	if _, ok := domain.BuiltinRole("root"); ok {
		t.Error("unknown role found")
	}
}

func TestRoleInput(t *testing.T) {
	r, err := domain.RoleInput{Key: "site_lead", Name: " Site lead ", Scope: "customer",
		Permissions: []string{"assets.edit", "assets.view", "assets.edit"}}.Normalize()
	if err != nil || r.Name != "Site lead" || fmt.Sprint(r.Permissions) != "[assets.edit assets.view]" {
		t.Fatalf("Normalize = %+v, %v", r, err)
	}
	for _, tc := range []struct {
		in   domain.RoleInput
		want map[string]string
	}{
		{domain.RoleInput{}, map[string]string{"key": "required", "name": "required", "scope": "unknown"}},
		{domain.RoleInput{Key: "Site Lead", Name: "x", Scope: "customer"}, map[string]string{"key": "format"}},
		{domain.RoleInput{Key: "1st", Name: "x", Scope: "customer"}, map[string]string{"key": "format"}},
		{domain.RoleInput{Key: "org_admin", Name: "x", Scope: "organization"}, map[string]string{"key": "taken"}},
		{domain.RoleInput{Key: "x", Name: "x", Scope: "customer", Permissions: []string{"assets.fly", "rockets.view", "customers.edit"}},
			map[string]string{"permissions[0]": "unknown", "permissions[1]": "unknown", "permissions[2]": "unknown"}},
	} {
		_, err := tc.in.Normalize()
		got := map[string]string{}
		if e, ok := err.(*domain.Error); ok {
			for _, f := range e.Fields {
				got[f.Field] = f.Code
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%+v: errors %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestAssetInput(t *testing.T) {
	yes := true
	a, err := domain.AssetInput{Name: " Core switch ", Class: "it", CustomerID: "c1", EntityID: "e1",
		AvailabilityMonitoring: &yes, IPAddress: "::ffff:10.0.0.1", Serial: "SN-1"}.Normalize()
	if err != nil || a.Name != "Core switch" || a.IPAddress != "10.0.0.1" || !a.AvailabilityMonitoring || a.PerformanceMonitoring {
		t.Fatalf("Normalize = %+v, %v", a, err)
	}
	for _, tc := range []struct {
		in   domain.AssetInput
		want map[string]string
	}{
		{domain.AssetInput{}, map[string]string{"name": "required", "class": "required"}},
		{domain.AssetInput{Name: "x", Class: "laptop"}, map[string]string{"class": "unknown"}},
		{domain.AssetInput{Name: "x", Class: "it", IPAddress: "10.0.0.256"}, map[string]string{"ip_address": "format"}},
		{domain.AssetInput{Name: "x", Class: "it", IPAddress: "fe80::1%eth0"}, map[string]string{"ip_address": "format"}},
		{domain.AssetInput{Name: strings.Repeat("x", 201), Class: "mobile"}, map[string]string{"name": "too_long"}},
	} {
		_, err := tc.in.Normalize()
		got := map[string]string{}
		if e, ok := err.(*domain.Error); ok {
			for _, f := range e.Fields {
				got[f.Field] = f.Code
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%+v: errors %v, want %v", tc.in, got, tc.want)
		}
	}
}
