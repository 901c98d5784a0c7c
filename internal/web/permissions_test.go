package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/web"
)

// TestPagePermissionTable: every signed-in page of the UI, opened (GET) or
// submitted (POST) by every built-in role and by custom roles, is refused
// with 403 exactly when the page's use case (web.Routes, service.UseCases)
// is not for the caller's role — the table the API is held to — and opens
// (or fails for another reason: the pages name objects that do not exist)
// otherwise.
func TestPagePermissionTable(t *testing.T) {
	f := mustTenants(t)
	s := f.stack
	if _, err := s.svc.CreateRole(s.admin, domain.RoleInput{Key: "asset_viewer", Name: "Asset viewer", Scope: domain.ScopeOrganization,
		Permissions: []string{"assets.view"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateRole(s.admin, domain.RoleInput{Key: "helper", Name: "Helper", Scope: domain.ScopeCustomer,
		Permissions: []string{"customers.view", "entities.view", "assets.view", "assets.add"}}); err != nil {
		t.Fatal(err)
	}
	callers := map[string]string{"org_admin": adminEmail, "customer_admin": "carla@airtel.com", "customer_user": "ravi@airtel.com"}
	for _, u := range []domain.UserInput{
		{Email: "tech@msp.example", Role: domain.RoleTechnician},
		{Email: "viewer@msp.example", Role: "asset_viewer"},
		{Email: "ctech@airtel.com", Role: domain.RoleCustomerTechnician, CustomerID: f.airtel.ID},
		{Email: "helper@airtel.com", Role: "helper", CustomerID: f.airtel.ID},
	} {
		u.Name = "Person"
		s.MustCreateUser(u)
		callers[u.Role] = u.Email
	}
	password := func(email string) string {
		if email == adminEmail {
			return adminPassword
		}
		return userPassword
	}
	phantom := strings.NewReplacer("{id}", "01a00000-0000-7000-8000-0000000000aa", "{eid}", "01a00000-0000-7000-8000-0000000000bb", "{$}", "")
	var allowed, denied int
	for name, email := range callers {
		_, p, err := s.svc.Login(context.Background(), email, password(email))
		if err != nil {
			t.Fatal(err)
		}
		c := s.signedInAs(email, password(email))
		for _, rt := range web.Routes() {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			path := phantom.Replace(pattern)
			var res response
			if method == http.MethodPost {
				res = s.post(c, path, url.Values{"version": {"1"}})
			} else {
				res = s.get(c, path)
			}
			want := true
			if rt.UseCase != "" {
				want = service.NeedOf(rt.UseCase).Allows(p)
			}
			switch {
			case want && res.status == http.StatusForbidden:
				t.Errorf("%s %s (%s) is refused to %s, whose role allows it", method, path, rt.UseCase, name)
			case !want && res.status != http.StatusForbidden:
				t.Errorf("%s %s (%s) answered %d to %s, whose role does not allow it", method, path, rt.UseCase, res.status, name)
			case want:
				allowed++
			default:
				denied++
			}
		}
	}
	t.Logf("%d pages opened and %d refused as the catalog says, over %d callers", allowed, denied, len(callers))
	// The anchors: a customer admin's role grants entities.add (the
	// pickers list its entities); an organization role holding only
	// assets.view opens no customer.
	viewer := s.signedInAs("viewer@msp.example", userPassword)
	if res := s.get(viewer, "/customers"); res.status != http.StatusForbidden {
		t.Errorf("GET /customers as an assets.view-only role: %d", res.status)
	}
	if res := s.get(viewer, "/assets"); res.status != http.StatusOK {
		t.Errorf("GET /assets as an assets.view-only role: %d %s", res.status, text(byID(res.doc, "main")))
	}
}
