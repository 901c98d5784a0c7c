package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
)

// matchIDs are the customer ids GET /pickers/customers offered.
func matchIDs(doc *html.Node) []string {
	var out []string
	for _, li := range findAll(byID(doc, "customer-matches"), func(n *html.Node) bool { return n.Data == "li" && attr(n, "data-id") != "" }) {
		out = append(out, attr(li, "data-id"))
	}
	return out
}

// TestCustomerPickerSearches: the customer box searches the server — a
// few letters of a name or code find the customer, nothing lists every
// customer — and without the script the text a form sends is looked up:
// one match is chosen, several come back as choices, none is an error; a
// form whose customer is still a question saves nothing.
func TestCustomerPickerSearches(t *testing.T) {
	f := mustTenants(t)
	c := f.signedIn()
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"air", []string{f.airtel.ID}},
		{"AIR0", []string{f.airtel.ID}},
		{"glx", []string{f.globex.ID}},
		{"e", []string{f.airtel.ID, f.globex.ID}},
		{"zzz", nil},
	} {
		res := f.get(c, "/pickers/customers?q="+url.QueryEscape(tc.q))
		if res.status != http.StatusOK {
			t.Fatalf("q=%s: status %d", tc.q, res.status)
		}
		if got := matchIDs(res.doc); !sameSet(got, tc.want) {
			t.Errorf("q=%s: matches %v, want %v", tc.q, got, tc.want)
		}
	}
	if res := f.get(c, "/pickers/customers?q=zzz"); !strings.Contains(text(byID(res.doc, "customer-matches")), "No customer matches") {
		t.Errorf("no match is not said")
	}

	before := len(f.allUsers())
	add := func(q string) response {
		return f.post(c, "/users/new", url.Values{"email": {"meera@example.com"}, "name": {"Meera"}, "kind": {domain.KindUser},
			"role": {domain.RoleCustomerUser}, "password": {"correct horse battery"}, "is_active": {"on"},
			"customer_id": {""}, "customer_id_shown": {""}, "customer_id_q": {q}})
	}
	t.Run("SeveralMatchesAreChoices", func(t *testing.T) {
		res := add("e")
		if res.status != http.StatusOK || len(f.allUsers()) != before {
			t.Fatalf("status %d; users %d, want %d", res.status, len(f.allUsers()), before)
		}
		radios := findAll(byID(res.doc, "f-customer-id"), func(n *html.Node) bool { return attr(n, "type") == "radio" })
		if len(radios) != 2 || !strings.Contains(text(byID(res.doc, "f-customer-id-error")), "2 customers match") {
			t.Errorf("%d choices; error %q", len(radios), text(byID(res.doc, "f-customer-id-error")))
		}
		if attr(byID(res.doc, "f-name"), "value") != "Meera" {
			t.Errorf("typed values not kept")
		}
	})
	t.Run("NoMatchIsAnError", func(t *testing.T) {
		res := add("zzz")
		if len(f.allUsers()) != before || !strings.Contains(text(byID(res.doc, "f-customer-id-error")), "No customer matches") {
			t.Errorf("users %d; error %q", len(f.allUsers()), text(byID(res.doc, "f-customer-id-error")))
		}
	})
	t.Run("OneMatchIsChosen", func(t *testing.T) {
		if res := add("airtel"); res.status != http.StatusSeeOther {
			t.Fatalf("status %d:\n%s", res.status, res.body)
		}
		var got domain.User
		for _, u := range f.allUsers() {
			if u.Email == "meera@example.com" {
				got = u
			}
		}
		if got.CustomerID != f.airtel.ID {
			t.Errorf("Meera's customer %q, want Airtel's %q", got.CustomerID, f.airtel.ID)
		}
	})
	t.Run("FilterBySearch", func(t *testing.T) {
		res := f.get(c, "/users?customer_id_q=AIR001&customer_id_shown=")
		if selected(res.doc, "filter-customer") != f.airtel.ID {
			t.Errorf("the filter did not choose Airtel")
		}
		for _, id := range rowIDs(res.doc, "data-user", "user-") {
			if u, _ := f.user(id); u.CustomerID != f.airtel.ID {
				t.Errorf("row %s is not Airtel's", id)
			}
		}
	})
}

// TestEntitiesWithoutCustomersView: a customer's person whose role may view
// entities and assets but not customers names no customer, yet still
// filters by its own customer's entities and sees each asset's entity.
func TestEntitiesWithoutCustomersView(t *testing.T) {
	f := mustTenants(t)
	s := f.stack
	if _, err := s.svc.CreateRole(s.admin, domain.RoleInput{Key: "asset_keeper", Name: "Asset keeper", Scope: domain.ScopeCustomer,
		Permissions: []string{"entities.view", "assets.view"}}); err != nil {
		t.Fatal(err)
	}
	s.MustCreateUser(domain.UserInput{Email: "keeper@airtel.com", Name: "Keeper", Role: "asset_keeper", CustomerID: f.airtel.ID})
	c := s.signedInAs("keeper@airtel.com", userPassword)
	res := f.get(c, "/assets")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if got := optionValues(res.doc, "filter-entity"); !sameSet(got, []string{f.mumbai.ID, f.pune.ID}) {
		t.Errorf("entity filter offers %v, want Airtel's two", got)
	}
	if row := text(byID(res.doc, "asset-"+f.airtelAsset.ID)); !strings.Contains(row, "Airtel Mumbai") {
		t.Errorf("the asset's row %q does not name its entity", row)
	}
	if strings.Contains(res.body, "Globex") {
		t.Errorf("another customer is named")
	}
}
