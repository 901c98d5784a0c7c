package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
)

// svgOf returns the dashboard SVG inlined in the page.
func svgOf(t *testing.T, res response) *html.Node {
	t.Helper()
	fig := byID(res.doc, "dash-figure")
	if fig == nil {
		t.Fatalf("no dashboard on the page: %s", text(byID(res.doc, "main")))
	}
	svg := find(fig, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "svg" })
	if svg == nil {
		t.Fatal("the dashboard holds no <svg>")
	}
	return svg
}

// TestDashboardsPage: the page lists the dashboards, draws the chosen one
// inline, lets an organization user search a customer (ten at most) or
// see all, and keeps a customer's people to their own customer.
func TestDashboardsPage(t *testing.T) {
	f := mustTenants(t)
	s := f.stack
	for i := range 12 {
		s.MustCreateCustomer(domain.CustomerInput{Name: fmt.Sprintf("Many %02d", i), Code: fmt.Sprintf("MANY%02d", i)})
	}
	odd := s.MustCreateCustomer(domain.CustomerInput{Name: `<b>Bold</b> & Co`, Code: "BOLD"})
	admin := s.signedIn()

	res := s.get(admin, "/dashboards")
	if res.status != http.StatusOK {
		t.Fatalf("GET /dashboards: %d %s", res.status, res.body)
	}
	if nav := linkTo(res.doc, "/dashboards"); nav == nil || attr(nav, "aria-current") != "page" {
		t.Error("the menu has no current Dashboards entry")
	}
	tabs := findAll(byID(res.doc, "dash-tabs"), func(n *html.Node) bool { return n.Data == "a" })
	if len(tabs) != len(domain.Dashboards) || attr(tabs[0], "aria-current") != "page" {
		t.Fatalf("tabs = %d", len(tabs))
	}
	if svg := svgOf(t, res); attr(svg, "data-dashboard") != domain.DashboardCustomerOverview {
		t.Errorf("drawn: %s", attr(svg, "data-dashboard"))
	}
	if got := text(byID(res.doc, "dash-over")); got != "all customers" {
		t.Errorf("showing %q", got)
	}
	// The figures are the organization's: 15 customers.
	if fig := find(svgOf(t, res), func(n *html.Node) bool { return attr(n, "data-key") == "customers" }); fig == nil || attr(fig, "data-value") != "15" {
		t.Errorf("customers figure = %v", fig)
	}

	// A search shows ten customers and says how many more match.
	res = s.get(admin, "/dashboards?key=license_utilization&q=many")
	matches := findAll(byID(res.doc, "dash-matches"), func(n *html.Node) bool { return n.Data == "a" })
	if len(matches) != 10 || !strings.Contains(text(byID(res.doc, "dash-more")), "2 more") {
		t.Errorf("%d matches, more: %q", len(matches), text(byID(res.doc, "dash-more")))
	}
	if svg := svgOf(t, res); attr(svg, "data-dashboard") != domain.DashboardLicenseUtilization {
		t.Errorf("drawn: %s", attr(svg, "data-dashboard"))
	}
	res = s.get(admin, "/dashboards?key=license_utilization&q=airtel")
	matches = findAll(byID(res.doc, "dash-matches"), func(n *html.Node) bool { return n.Data == "a" })
	if len(matches) != 1 || text(matches[0]) != "Airtel" {
		t.Fatalf("matches = %d", len(matches))
	}
	res = s.get(admin, attr(matches[0], "href"))
	if got := text(byID(res.doc, "dash-over")); got != "Airtel" {
		t.Errorf("after picking Airtel, showing %q", got)
	}
	if strings.Contains(res.body, "Globex") {
		t.Error("Airtel's dashboard names Globex")
	}
	if link := byID(res.doc, "dash-json-link"); attr(link, "href") != "/api/v1/dashboards/license_utilization?customer_id="+f.airtel.ID+"&format=json" {
		t.Errorf("JSON link = %s", attr(link, "href"))
	}
	if all := byID(res.doc, "dash-all"); attr(all, "href") != "/dashboards?key=license_utilization" {
		t.Errorf("all customers link = %s", attr(all, "href"))
	}

	// A customer's name is text, in the page and in the SVG.
	res = s.get(admin, "/dashboards?customer_id="+odd.ID)
	if strings.Contains(res.body, "<b>Bold</b>") || !strings.Contains(text(byID(res.doc, "dash-over")), "<b>Bold</b> & Co") {
		t.Errorf("the name is not escaped: %q", text(byID(res.doc, "dash-over")))
	}
	if res := s.get(admin, "/dashboards?key=policy_audit"); res.status != http.StatusNotFound {
		t.Errorf("unknown dashboard: %d", res.status)
	}
	if res := s.get(admin, "/dashboards?customer_id=01a00000-0000-7000-8000-0000000000aa"); res.status != http.StatusNotFound {
		t.Errorf("unknown customer: %d", res.status)
	}

	// A customer's user sees its own customer, whatever the address names,
	// and no customer search.
	ravi := s.signedInAs("ravi@airtel.com", userPassword)
	for _, path := range []string{"/dashboards", "/dashboards?customer_id=" + f.globex.ID, "/dashboards?key=license_utilization&q=globex"} {
		res := s.get(ravi, path)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s as a customer user: %d", path, res.status)
		}
		if byID(res.doc, "dash-pick") != nil || strings.Contains(res.body, "Globex") || strings.Contains(res.body, "Many 0") {
			t.Errorf("GET %s as a customer user shows the picker or another customer", path)
		}
		title := find(svgOf(t, res), func(n *html.Node) bool { return n.Data == "title" })
		if !strings.Contains(text(title), "Airtel") {
			t.Errorf("GET %s as a customer user draws %q", path, text(title))
		}
	}
	// An organization role without dashboards.view has no menu entry.
	if _, err := s.svc.CreateRole(s.admin, domain.RoleInput{Key: "asset_only", Name: "Assets only", Scope: domain.ScopeOrganization,
		Permissions: []string{"assets.view"}}); err != nil {
		t.Fatal(err)
	}
	s.MustCreateUser(domain.UserInput{Email: "assets@msp.example", Name: "Assets", Role: "asset_only"})
	viewer := s.signedInAs("assets@msp.example", userPassword)
	if res := s.get(viewer, "/assets"); linkTo(res.doc, "/dashboards") != nil {
		t.Error("the menu offers Dashboards to a role without dashboards.view")
	}
	if res := s.get(viewer, "/dashboards"); res.status != http.StatusForbidden {
		t.Errorf("GET /dashboards without dashboards.view: %d", res.status)
	}
}
