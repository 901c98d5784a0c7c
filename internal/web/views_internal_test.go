package web

import (
	"slices"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// TestNewShell checks the page frame as the view layer builds it, without
// a request or a handler: the menu holds what exists for the person, and
// a customer's logos replace the organization's.
func TestNewShell(t *testing.T) {
	asset := func(name string) string { return "/static/" + name + "?v=1" }
	keys := func(s Shell) []string {
		var out []string
		for _, n := range s.Nav {
			out = append(out, n.Key)
		}
		return out
	}
	org := domain.Org{Name: "Northwind", MSPEnabled: true}

	if s := newShell(domain.Principal{}, false, nil, "", "Sign in", asset); s.SignedIn || len(s.Nav) != 0 || s.OrgName != "custreg" ||
		s.Asset("app.css") != "/static/app.css?v=1" {
		t.Errorf("signed out: %+v", s)
	}

	admin := domain.Principal{UserID: "u1", Email: "admin@northwind.example", Role: domain.RoleOrgAdmin}
	b := &service.Branding{Org: org, OrgLogos: []domain.LogoInfo{{Kind: domain.LogoFull}}}
	s := newShell(admin, true, b, "users", "Users", asset)
	if want := []string{"customers", "users", "assets", "licenses", "reports", "dashboards", "audit", "trash", "settings"}; !slices.Equal(keys(s), want) {
		t.Errorf("admin menu = %v, want %v", keys(s), want)
	}
	if s.User != admin.Email || s.OrgName != "Northwind" || s.FullLogo != "/api/v1/org/full_logo" || s.ListTitle != "Users" || !s.MSP {
		t.Errorf("admin frame: %+v", s)
	}
	off := *b
	off.Org.MSPEnabled = false
	if s := newShell(admin, true, &off, "", "", asset); slices.Contains(keys(s), "customers") {
		t.Errorf("MSP mode off, yet the menu has Customers: %v", keys(s))
	}
	if s := newShell(admin, true, nil, "", "", asset); slices.Contains(keys(s), "customers") || s.OrgName != "custreg" {
		t.Errorf("without branding: %v, %q", keys(s), s.OrgName)
	}

	cust := domain.Principal{UserID: "u2", Name: "Ravi", CustomerID: "c1", Role: domain.RoleCustomerAdmin, RoleScope: domain.ScopeCustomer,
		Permissions: []string{domain.Permission("customers", "view"), domain.Permission("users", "view")}}
	cb := &service.Branding{Org: org, OrgLogos: []domain.LogoInfo{{Kind: domain.LogoFull}, {Kind: domain.LogoMark}},
		CustomerLogos: []domain.LogoInfo{{Kind: domain.LogoMark}}}
	s = newShell(cust, true, cb, "customers", "Airtel", asset)
	if len(s.Nav) < 2 || s.Nav[0].Label != "Customer" || slices.Contains(keys(s), "licenses") || slices.Contains(keys(s), "assets") {
		t.Errorf("customer admin menu = %+v", s.Nav)
	}
	if s.FullLogo != "" || s.Logomark != "/api/v1/customers/c1/logomark" || s.BrandName != "" || s.User != "Ravi" {
		t.Errorf("a customer's logos replace both of the organization's: %+v", s)
	}
}
