package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
)

// TestOrgSettingsPage covers the organization's Settings page without the
// script: the name and a logo saved together, a refused logo and an
// impossible MSP switch shown beside their fields with nothing changed, a
// stale form, Remove, and the header's branding for organization users
// and for a customer's people.
func TestOrgSettingsPage(t *testing.T) {
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	c := s.signedIn()
	res := s.get(c, "/settings")
	if res.status != http.StatusOK || attr(byID(res.doc, "f-org-name"), "value") != "Northwind MSP" || !hasAttr(byID(res.doc, "f-org-msp"), "checked") {
		t.Fatalf("settings page: %d", res.status)
	}
	if linkTo(res.doc, "/settings") == nil {
		t.Errorf("the menu has no Settings for an organization admin")
	}
	version := attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == "version" }), "value")
	org := func() domain.Org {
		o, err := s.svc.OrgSettings(s.admin)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	form := url.Values{"version": {version}, "name": {"Northwind Managed Services"}, "msp_enabled": {"on"}}

	// A refused logo: 422 beside it, and neither it nor the name is saved.
	res = s.postMultipart(c, "/settings", form, map[string][]byte{domain.LogoFull: logotest.Text()})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(text(byID(res.doc, "f-full-logo-error")), "PNG or JPEG") {
		t.Fatalf("text as a logo: %d %q", res.status, text(byID(res.doc, "f-full-logo-error")))
	}
	if got := attr(byID(res.doc, "f-org-name"), "value"); got != "Northwind Managed Services" {
		t.Errorf("the typed name was lost: %q", got)
	}
	if o := org(); o.Name != "Northwind MSP" || strconv.FormatInt(o.Version, 10) != version {
		t.Errorf("a refused save changed the settings: %+v", o)
	}

	// The name and both logos saved together.
	res = s.postMultipart(c, "/settings", form, map[string][]byte{domain.LogoFull: logotest.PNG(640, 160), domain.LogoMark: logotest.PNG(120, 120)})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.status, text(byID(res.doc, "form-errors")))
	}
	if o := org(); o.Name != "Northwind Managed Services" {
		t.Errorf("name not saved: %q", o.Name)
	}
	res = s.get(c, "/settings")
	brand := byID(res.doc, "brand")
	full := find(brand, func(n *html.Node) bool { return n.Data == "img" && strings.Contains(attr(n, "class"), "brand-full") })
	mark := find(brand, func(n *html.Node) bool { return n.Data == "img" && strings.Contains(attr(n, "class"), "brand-mark") })
	if attr(full, "src") != "/api/v1/org/full_logo" || attr(mark, "src") != "/api/v1/org/logomark" {
		t.Errorf("header branding: full %q, mark %q", attr(full, "src"), attr(mark, "src"))
	}
	if img := s.get(c, "/api/v1/org/full_logo"); img.status != http.StatusOK || img.header.Get("Content-Type") != "image/png" {
		t.Errorf("org full logo: %d", img.status)
	}

	// A stale version: nothing saved, the form says so.
	stale := url.Values{"version": {version}, "name": {"Stale Name"}, "msp_enabled": {"on"}}
	if res = s.postMultipart(c, "/settings", stale, nil); res.status != http.StatusConflict || org().Name != "Northwind Managed Services" {
		t.Errorf("stale save: %d, name %q", res.status, org().Name)
	}

	// MSP mode cannot go off while a customer exists: said beside the toggle.
	cust := s.MustCreateCustomer(domain.CustomerInput{Name: "Contoso", Code: "CON"})
	next := strconv.FormatInt(org().Version, 10)
	res = s.postMultipart(c, "/settings", url.Values{"version": {next}, "name": {"Northwind Managed Services"}}, nil)
	if res.status != http.StatusConflict || !strings.Contains(text(byID(res.doc, "f-org-msp-error")), "customers exist") || !org().MSPEnabled {
		t.Errorf("MSP off with a customer: %d %q, msp %v", res.status, text(byID(res.doc, "f-org-msp-error")), org().MSPEnabled)
	}

	// A customer's people see the organization's branding while their
	// customer has none, and their customer's once it has.
	if _, err := s.svc.CreateUser(s.admin, domain.UserInput{Email: "user@contoso.example", Name: "Casey", Role: domain.RoleCustomerUser,
		CustomerID: cust.ID, Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	cu := s.client()
	if r := s.post(cu, "/login", url.Values{"email": {"user@contoso.example"}, "password": {"a long enough password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("customer user login: %d", r.status)
	}
	brandSrc := func() string {
		r := s.get(cu, "/customers/"+cust.ID)
		img := find(byID(r.doc, "brand"), func(n *html.Node) bool { return n.Data == "img" && strings.Contains(attr(n, "class"), "brand-full") })
		return attr(img, "src")
	}
	if got := brandSrc(); got != "/api/v1/org/full_logo" {
		t.Errorf("customer user's header before its customer has a logo: %q", got)
	}
	if linkTo(s.get(cu, "/customers/"+cust.ID).doc, "/settings") != nil {
		t.Errorf("a customer user's menu offers Settings")
	}
	if _, err := s.svc.SetCustomerLogo(s.admin, cust.ID, domain.LogoFull, logotest.PNG(320, 80), "image/png"); err != nil {
		t.Fatal(err)
	}
	if got := brandSrc(); got != "/api/v1/customers/"+cust.ID+"/full_logo" {
		t.Errorf("customer user's header with its customer's logo: %q", got)
	}
	if img := s.get(cu, "/api/v1/customers/"+cust.ID+"/full_logo"); img.status != http.StatusOK {
		t.Errorf("the customer user cannot load its header logo: %d", img.status)
	}

	// Remove without the script.
	res = s.postMultipart(c, "/settings", url.Values{"op": {"logo_remove:" + domain.LogoMark}}, nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	if img := s.get(c, "/api/v1/org/logomark"); img.status != http.StatusNotFound {
		t.Errorf("logomark after Remove: %d", img.status)
	}
}
