package web_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// TestAuditPageAndHistory: the Audit page lists entries as sentences with
// what changed, filters by record, pages back and offers the CSV; a
// customer's page has its History for those who may read it, and none for
// its users.
func TestAuditPageAndHistory(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	cust := s.MustCreateCustomer(domain.CustomerInput{Name: "Historic", Code: "HIST"})
	if _, err := s.svc.UpdateCustomer(s.admin, cust.ID, 0, func(in domain.CustomerInput) (domain.CustomerInput, error) {
		in.Website = "https://historic.example/"
		return in, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateEntity(s.admin, cust.ID, domain.EntityInput{Name: "Old Town"}); err != nil {
		t.Fatal(err)
	}
	res := s.get(c, "/customers/"+cust.ID)
	hist := text(byID(res.doc, "history"))
	if !strings.Contains(hist, "changed the customer") || !strings.Contains(hist, "website: — → https://historic.example/") ||
		!strings.Contains(hist, "added an entity") || !strings.Contains(hist, adminEmail) {
		t.Errorf("history: %q", hist)
	}
	res = s.get(c, "/audit")
	if res.status != http.StatusOK || linkTo(res.doc, "/audit") == nil {
		t.Fatalf("audit page: %d, in the menu %v", res.status, linkTo(res.doc, "/audit") != nil)
	}
	if n := len(findAll(byID(res.doc, "audit-list"), func(n *html.Node) bool { return attr(n, "class") == "audit-entry" })); n < 3 {
		t.Errorf("audit page lists %d entries", n)
	}
	if got := attr(byID(res.doc, "audit-csv"), "href"); !strings.HasPrefix(got, "/api/v1/audit?") || !strings.Contains(got, "format=csv") {
		t.Errorf("CSV link %q", got)
	}
	res = s.get(c, "/audit?target_type=entity")
	if got := text(byID(res.doc, "audit-list")); !strings.Contains(got, "added an entity") || strings.Contains(got, "changed the customer") {
		t.Errorf("filtered to entities: %q", got)
	}
	if res := s.get(c, "/audit?from=yesterday"); res.status != http.StatusBadRequest {
		t.Errorf("a bad date: %d", res.status)
	}
	// A customer's user: no History, no Audit page.
	if _, err := s.svc.CreateUser(s.admin, domain.UserInput{Email: "u@historic.example", Name: "U", Role: domain.RoleCustomerUser, CustomerID: cust.ID, Password: "a long enough password"}); err != nil {
		t.Fatal(err)
	}
	cu := s.client()
	s.post(cu, "/login", map[string][]string{"email": {"u@historic.example"}, "password": {"a long enough password"}})
	if r := s.get(cu, "/customers/"+cust.ID); byID(r.doc, "history") != nil || linkTo(r.doc, "/audit") != nil {
		t.Errorf("a customer's user sees the history")
	}
	if r := s.get(cu, "/audit"); r.status != http.StatusForbidden {
		t.Errorf("a customer's user opened the Audit page: %d", r.status)
	}
}
