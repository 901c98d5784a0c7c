package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
)

// reportCards returns the report keys the page lists, in order.
func reportCards(doc *html.Node) []string {
	var keys []string
	for _, n := range findAll(doc, func(n *html.Node) bool { return hasAttr(n, "data-report") }) {
		keys = append(keys, attr(n, "data-report"))
	}
	return keys
}

// TestReportsPage: the page lists the reports the caller may run, with
// download links the session opens, a scope an organization user picks by
// search, and a preview of the first rows computed here.
func TestReportsPage(t *testing.T) {
	f := mustTenants(t)
	s := f.stack
	for i := range 60 {
		s.MustCreateAsset(domain.AssetInput{Name: fmt.Sprintf("Airtel laptop %02d", i), Class: domain.AssetIT, CustomerID: f.airtel.ID, EntityID: f.pune.ID})
	}
	admin := s.signedIn()
	res := s.get(admin, "/reports")
	if res.status != http.StatusOK {
		t.Fatalf("GET /reports: %d", res.status)
	}
	if got := strings.Join(reportCards(res.doc), ","); got != "license_usage,asset_inventory,users,entity_directory" {
		t.Errorf("reports listed = %s", got)
	}
	if nav := linkTo(res.doc, "/reports"); nav == nil || attr(nav, "aria-current") != "page" {
		t.Error("the menu has no current Reports entry")
	}
	if !strings.Contains(text(byID(res.doc, "scope-now")), "all customers") {
		t.Errorf("scope = %q", text(byID(res.doc, "scope-now")))
	}
	// The download links are the API's, and the session opens them.
	csvLink := linkTo(res.doc, "/api/v1/reports/asset_inventory?format=csv")
	if csvLink == nil || linkTo(res.doc, "/api/v1/reports/users?format=pdf") == nil {
		t.Fatal("no download links to the API")
	}
	dl := s.get(admin, attr(csvLink, "href"))
	if dl.status != http.StatusOK || !strings.HasPrefix(dl.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(dl.body, "Mumbai core switch") || !strings.Contains(dl.body, "Globex Berlin router") {
		t.Errorf("CSV download: %d %s %.200s", dl.status, dl.header.Get("Content-Type"), dl.body)
	}

	// Search, then choose: the links and preview follow the customer.
	res = s.get(admin, "/reports?customer=air")
	match := byID(res.doc, "customer-matches")
	if match == nil || !strings.Contains(text(match), "Airtel") || strings.Contains(text(match), "Globex") {
		t.Fatalf("matches for 'air' = %v", match != nil)
	}
	chosen := attr(find(match, func(n *html.Node) bool { return attr(n, "data-customer-id") == f.airtel.ID }), "href")
	if chosen != "/reports?customer_id="+f.airtel.ID {
		t.Fatalf("choose link = %q", chosen)
	}
	res = s.get(admin, "/reports?customer=zzz-nothing")
	if byID(res.doc, "customer-none") == nil {
		t.Error("a search without matches says nothing")
	}
	res = s.get(admin, chosen+"&preview=asset_inventory")
	if !strings.Contains(text(byID(res.doc, "scope-now")), "Airtel") {
		t.Errorf("scope = %q", text(byID(res.doc, "scope-now")))
	}
	if linkTo(res.doc, "/api/v1/reports/asset_inventory?customer_id="+f.airtel.ID+"&format=pdf") == nil {
		t.Error("the PDF link does not name the chosen customer")
	}
	table := byID(res.doc, "preview-table")
	if table == nil {
		t.Fatal("no preview table")
	}
	rows := findAll(table, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "tr" })
	if len(rows) != 51 { // the header and the first 50
		t.Errorf("preview has %d rows, want a header and 50", len(rows))
	}
	if got := text(byID(res.doc, "preview-count")); !strings.Contains(got, "first 50 rows") || !strings.Contains(got, "Airtel") {
		t.Errorf("preview count = %q", got)
	}
	if byID(res.doc, "preview-more") == nil || strings.Contains(text(table), "Globex") {
		t.Error("the preview does not say it is cut, or shows another customer")
	}
	// The first row is the asset of no entity first, then by entity name:
	// Mumbai's switch before Pune's laptops.
	if first := text(rows[1]); !strings.Contains(first, "Airtel Mumbai") || !strings.Contains(first, "Mumbai core switch") {
		t.Errorf("first preview row = %q", first)
	}
	res = s.get(admin, chosen+"&preview=users")
	if got := text(byID(res.doc, "preview-count")); !strings.HasSuffix(strings.TrimSpace(got), "2 rows") {
		t.Errorf("users preview count = %q", got)
	}
	if res := s.get(admin, "/reports?preview=policy_audit"); res.status != http.StatusNotFound {
		t.Errorf("preview of an unknown report: %d", res.status)
	}
	if res := s.get(admin, "/reports?customer_id=01a00000-0000-7000-8000-0000000000aa"); res.status != http.StatusNotFound {
		t.Errorf("an unknown customer: %d", res.status)
	}

	// A customer's user: no picker, its own customer whatever it names,
	// its own entity only, and only what its customer supports.
	ravi := s.signedInAs("ravi@airtel.com", userPassword)
	res = s.get(ravi, "/reports?customer_id="+f.globex.ID+"&preview=asset_inventory&customer=glo")
	if res.status != http.StatusOK {
		t.Fatalf("GET /reports as ravi: %d", res.status)
	}
	if byID(res.doc, "customer-search") != nil || byID(res.doc, "customer-matches") != nil {
		t.Error("a customer's user has a customer picker")
	}
	if !strings.Contains(text(byID(res.doc, "scope-now")), "Airtel") || strings.Contains(res.body, "Globex") {
		t.Error("a customer's user sees another customer")
	}
	if pv := text(byID(res.doc, "preview-table")); !strings.Contains(pv, "Mumbai core switch") || strings.Contains(pv, "laptop") {
		t.Errorf("ravi (narrowed to Mumbai) previews %q", pv)
	}
	cur, err := s.svc.Customer(s.admin, f.airtel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.UpdateCustomer(s.admin, f.airtel.ID, cur.Version, func(in domain.CustomerInput) (domain.CustomerInput, error) {
		in.Reports = []string{domain.ReportLicenseUsage}
		return in, nil
	}); err != nil {
		t.Fatal(err)
	}
	res = s.get(ravi, "/reports")
	if got := strings.Join(reportCards(res.doc), ","); got != "license_usage" {
		t.Errorf("reports listed to ravi after narrowing = %s", got)
	}
	if res := s.get(ravi, "/reports?preview=users"); res.status != http.StatusNotFound {
		t.Errorf("preview of an unsupported report: %d", res.status)
	}
}

// TestReportsMenu: the menu offers Reports exactly to those who may run
// them.
func TestReportsMenu(t *testing.T) {
	f := mustTenants(t)
	s := f.stack
	if _, err := s.svc.CreateRole(s.admin, domain.RoleInput{Key: "no_reports", Name: "No reports", Scope: domain.ScopeOrganization,
		Permissions: []string{"assets.view"}}); err != nil {
		t.Fatal(err)
	}
	s.MustCreateUser(domain.UserInput{Email: "noreports@msp.example", Name: "Nora", Role: "no_reports"})
	for email, want := range map[string]bool{adminEmail: true, "ravi@airtel.com": true, "noreports@msp.example": false} {
		pw := userPassword
		if email == adminEmail {
			pw = adminPassword
		}
		c := s.signedInAs(email, pw)
		res := s.get(c, "/assets")
		if got := linkTo(res.doc, "/reports") != nil; got != want {
			t.Errorf("%s: Reports in the menu = %v, want %v", email, got, want)
		}
		if res := s.get(c, "/reports"); (res.status == http.StatusOK) != want || (!want && res.status != http.StatusForbidden) {
			t.Errorf("%s: GET /reports = %d", email, res.status)
		}
	}
}
