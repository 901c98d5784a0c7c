package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

func TestSignedOut(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.client()
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/", "/login"},
		{"GET", "/customers", "/login?next=%2Fcustomers"},
		{"GET", "/customers/new", "/login?next=%2Fcustomers%2Fnew"},
		{"GET", "/customers?cursor=abc", "/login?next=%2Fcustomers%3Fcursor%3Dabc"},
		{"POST", "/customers/new", "/login?next=%2Fcustomers%2Fnew"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			var res response
			if tc.method == "GET" {
				res = s.get(c, tc.path)
			} else {
				res = s.post(c, tc.path, url.Values{"name": {"X"}, "code": {"XX"}})
			}
			if res.status != http.StatusSeeOther || res.location != tc.want {
				t.Fatalf("got %d %q, want 303 %q", res.status, res.location, tc.want)
			}
		})
	}
	if got := len(s.customers()); got != 0 {
		t.Fatalf("a signed-out POST created %d customers", got)
	}
	res := s.get(c, "/login")
	if res.status != http.StatusOK || title(res.doc) != "Sign in · custreg" {
		t.Fatalf("login page: %d %q", res.status, title(res.doc))
	}
}

func TestLogin(t *testing.T) {
	s := MustStack(t, service.FirstStart{OrgName: "Acme MSP"}, false)

	t.Run("ErrWrongPassword", func(t *testing.T) {
		c := s.client()
		res := s.post(c, "/login", url.Values{"email": {adminEmail}, "password": {"not the password"}, "next": {"/customers/new"}})
		if res.status != http.StatusUnauthorized {
			t.Fatalf("status %d", res.status)
		}
		msg := text(byID(res.doc, "login-error"))
		if !strings.Contains(msg, "email or password is not correct") {
			t.Fatalf("message %q", msg)
		}
		if got := attr(byID(res.doc, "login-email"), "value"); got != adminEmail {
			t.Fatalf("email not kept: %q", got)
		}
		if got := attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == "next" }), "value"); got != "/customers/new" {
			t.Fatalf("next not kept: %q", got)
		}
		// The same message for an unknown account: nothing tells which part
		// was wrong.
		res2 := s.post(c, "/login", url.Values{"email": {"nobody@example.com"}, "password": {adminPassword}})
		if msg2 := text(byID(res2.doc, "login-error")); msg2 != msg {
			t.Fatalf("unknown account says %q, wrong password says %q", msg2, msg)
		}
		if res := s.get(c, "/customers"); res.status != http.StatusSeeOther {
			t.Fatalf("still signed out expected, got %d", res.status)
		}
	})

	t.Run("OKNext", func(t *testing.T) {
		for _, tc := range []struct{ next, want string }{
			{"/customers/new", "/customers/new"},
			{"", "/"},
			{"//evil.example/x", "/"},
			{"https://evil.example/", "/"},
			{"/\\evil.example", "/"},
			{"/api/v1/me", "/"},
		} {
			c := s.client()
			res := s.post(c, "/login", url.Values{"email": {adminEmail}, "password": {adminPassword}, "next": {tc.next}})
			if res.status != http.StatusSeeOther || res.location != tc.want {
				t.Errorf("next %q: got %d %q, want %q", tc.next, res.status, res.location, tc.want)
			}
		}
	})

	t.Run("OKShellAndLogout", func(t *testing.T) {
		c := s.signedIn()
		res := s.get(c, "/customers")
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		if got := title(res.doc); got != "Customers · Acme MSP · custreg" {
			t.Errorf("title %q", got)
		}
		if !strings.Contains(text(find(res.doc, func(n *html.Node) bool { return n.Data == "header" })), adminName) {
			t.Errorf("header does not name the user")
		}
		nav := find(res.doc, func(n *html.Node) bool { return n.Data == "nav" && attr(n, "aria-label") == "Main menu" })
		if l := linkTo(nav, "/customers"); l == nil || attr(l, "aria-current") != "page" {
			t.Errorf("no current Customers menu entry")
		}
		signout := find(res.doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == "/logout" })
		if signout == nil || attr(signout, "method") != "post" {
			t.Fatalf("no sign-out form")
		}
		res = s.post(c, "/logout", nil)
		if res.status != http.StatusSeeOther || res.location != "/login" {
			t.Fatalf("logout: %d %q", res.status, res.location)
		}
		if res := s.get(c, "/customers"); res.status != http.StatusSeeOther {
			t.Fatalf("after logout: %d", res.status)
		}
	})
}

func TestCustomersEmpty(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	res := s.get(c, "/customers")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if got := text(byID(res.doc, "customer-count")); got != "0 customers" {
		t.Errorf("count %q", got)
	}
	empty := byID(res.doc, "empty-state")
	if !strings.Contains(text(empty), "No customers yet") || linkTo(empty, "/customers/new") == nil {
		t.Errorf("empty state: %q", text(empty))
	}
	if add := byID(res.doc, "add-customer"); attr(add, "href") != "/customers/new" {
		t.Errorf("Add Customer is not a link to /customers/new")
	}
	if byID(res.doc, "sidebar") != nil {
		t.Errorf("sidebar open on the list")
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options"} {
		if res.header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	if got := res.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
}

// validForm is a complete Customer Details form as a browser posts it.
func validForm() url.Values {
	return url.Values{
		"name": {"Airtel"}, "code": {"AIR001"}, "domain": {"airtel.com"},
		"business_email": {"enterprise@airtel.com"}, "phone_region": {"US"}, "phone": {"201 555 0123"},
		"website": {"https://www.airtel.com/"}, "subscription_id": {"SUBAIR2026001"}, "is_active": {"on"},
		"location.location_name": {"Airtel Corporate HQ"}, "location.country": {"US"},
		"location.region": {"North America"}, "location.state": {"New York"},
		"location.district": {"New York County"}, "location.city": {"New York"},
		"location.pin_code": {"10036"}, "location.landmark": {"Near Bryant Park"},
		"location.address_line1": {"1095 Avenue of the Americas"}, "location.address_line2": {"Midtown Manhattan"},
	}
}

func TestNewCustomerForm(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	res := s.get(c, "/customers/new")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if got := title(res.doc); !strings.HasPrefix(got, "Add Customer · ") {
		t.Errorf("title %q", got)
	}
	sb := byID(res.doc, "sidebar")
	if sb == nil || !strings.Contains(text(byID(sb, "sidebar-title")), "Add Customer") {
		t.Fatalf("no Add Customer sidebar")
	}
	steps := find(sb, func(n *html.Node) bool { return attr(n, "aria-current") == "step" })
	if !strings.Contains(text(steps), "Customer Details") {
		t.Errorf("step indicator: %q", text(steps))
	}
	// Every field of the seed's Customer Details, with its label, example
	// and limit.
	for _, f := range []struct{ id, label, placeholder string }{
		{"f-name", "Customer Name *", "Airtel"},
		{"f-code", "Code *", "AIR001"},
		{"f-domain", "Domain", "airtel.com"},
		{"f-business-email", "Business Email", "enterprise@airtel.com"},
		{"f-phone", "Phone Number", "201 555 0123"},
		{"f-website", "Website", "https://www.airtel.com/"},
		{"f-subscription-id", "Subscription ID", "SUBAIR2026001"},
		{"f-location-location-name", "Location Name", "Airtel Corporate HQ"},
		{"f-location-country", "Country", ""},
		{"f-location-region", "Region", "North America"},
		{"f-location-state", "State", "New York"},
		{"f-location-district", "District", "New York County"},
		{"f-location-city", "City", ""},
		{"f-location-pin-code", "Pin Code", "10036"},
		{"f-location-landmark", "Landmark", "Near Bryant Park"},
		{"f-location-address-line1", "Flat, House No., Building, Company", "1095 Avenue of the Americas"},
		{"f-location-address-line2", "Area, Colony, Street, Sector, Village", "Midtown Manhattan"},
	} {
		in := byID(sb, f.id)
		if in == nil {
			t.Errorf("no input %s", f.id)
			continue
		}
		label := find(sb, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == f.id })
		if got := text(label); got != f.label {
			t.Errorf("%s: label %q, want %q", f.id, got, f.label)
		}
		if f.placeholder != "" && attr(in, "placeholder") != f.placeholder {
			t.Errorf("%s: placeholder %q, want %q", f.id, attr(in, "placeholder"), f.placeholder)
		}
	}
	for id, max := range map[string]int{"f-name": domain.MaxCustomerName, "f-code": domain.MaxCustomerCode,
		"f-subscription-id": domain.MaxSubscriptionID, "f-location-address-line1": domain.MaxAddressLine} {
		if got := attr(byID(sb, id), "maxlength"); got != strconv.Itoa(max) {
			t.Errorf("%s maxlength %q, want %d", id, got, max)
		}
	}
	if !hasAttr(byID(sb, "f-is-active"), "checked") {
		t.Errorf("Is Active is not on by default")
	}
	if !strings.Contains(text(find(byID(sb, "f-phone-region"), func(n *html.Node) bool { return attr(n, "value") == "US" })), "+1 United States") {
		t.Errorf("phone code picker lacks \"+1 United States\"")
	}
	if got := len(findAll(byID(sb, "f-location-country"), func(n *html.Node) bool { return n.Data == "option" })); got < 240 {
		t.Errorf("country picker has %d options", got)
	}
	if cancel := find(sb, func(n *html.Node) bool { return hasAttr(n, "data-cancel") }); attr(cancel, "href") != "/customers" {
		t.Errorf("Cancel is not a link back to /customers")
	}
	// The four steps, in the seed's order.
	stepItems := findAll(sb, func(n *html.Node) bool { return hasAttr(n, "data-step-item") })
	if len(stepItems) != 4 || !strings.Contains(text(stepItems[0]), "Customer Details") || !strings.Contains(text(stepItems[1]), "Entity Details") ||
		!strings.Contains(text(stepItems[2]), "Settings") || !strings.Contains(text(stepItems[3]), "License Allocation") {
		t.Errorf("steps: %d", len(stepItems))
	}
	// The first step shows; Next is there, Back and Submit are not yet.
	if hasAttr(byID(sb, "step-details"), "hidden") || !hasAttr(byID(sb, "step-entities"), "hidden") {
		t.Errorf("step panels: details hidden=%v entities hidden=%v", hasAttr(byID(sb, "step-details"), "hidden"), hasAttr(byID(sb, "step-entities"), "hidden"))
	}
	if hasAttr(byID(sb, "wizard-next"), "hidden") || !hasAttr(byID(sb, "wizard-back"), "hidden") || !hasAttr(byID(sb, "customer-submit"), "hidden") {
		t.Errorf("footer buttons wrong for the first step")
	}
	// The Enter key presses the form's first submit button: the one that
	// means "what Enter means here", not a step or an entity button.
	first := find(sb, func(n *html.Node) bool { return n.Data == "button" && attr(n, "type") == "submit" })
	if attr(first, "value") != "enter" {
		t.Errorf("first submit button is %q", attr(first, "value"))
	}
}

func TestAddCustomer(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	res := s.post(c, "/customers/new", validForm())
	if res.status != http.StatusSeeOther || res.location != "/customers" {
		t.Fatalf("got %d %q, body:\n%s", res.status, res.location, res.body)
	}
	all := s.customers()
	if len(all) != 1 {
		t.Fatalf("%d customers", len(all))
	}
	got := all[0]
	if got.Phone != "+12015550123" || got.Location.Country != "US" || !got.IsActive || got.Location.AddressLine2 != "Midtown Manhattan" {
		t.Errorf("stored %+v", got)
	}

	res = s.get(c, "/customers")
	card := byID(res.doc, "customer-"+got.ID)
	if card == nil {
		t.Fatalf("no card for the new customer")
	}
	if txt := text(card); !strings.Contains(txt, "Airtel") || !strings.Contains(txt, "AIR001") || strings.Contains(txt, "Inactive") {
		t.Errorf("card %q", txt)
	}
	if got := text(byID(res.doc, "customer-count")); got != "1 customer" {
		t.Errorf("count %q", got)
	}
	if !strings.Contains(text(byID(res.doc, "flash")), "Airtel") {
		t.Errorf("no notice that the customer was added")
	}
	edit := linkTo(card, "/customers/"+got.ID+"/edit")
	del := linkTo(card, "/customers/"+got.ID+"/delete")
	if text(edit) != "Edit Airtel" || text(del) != "Delete Airtel" {
		t.Errorf("icon buttons named %q and %q", text(edit), text(del))
	}
	// The notice is shown once.
	if res := s.get(c, "/customers"); byID(res.doc, "flash") != nil {
		t.Errorf("notice shown twice")
	}

	t.Run("Website and domain as people type them", func(t *testing.T) {
		f := url.Values{"name": {"Jio"}, "code": {"JIO01"}, "website": {"www.jio.com"}, "domain": {"https://www.jio.com/about"}}
		if res := s.post(c, "/customers/new", f); res.status != http.StatusSeeOther {
			t.Fatalf("status %d:\n%s", res.status, res.body)
		}
		found := false
		for _, got := range s.customers() {
			if got.Code == "JIO01" {
				found = true
				if got.Website != "https://www.jio.com" || got.Domain != "www.jio.com" {
					t.Errorf("stored website %q, domain %q", got.Website, got.Domain)
				}
			}
		}
		if !found {
			t.Error("the customer was not stored")
		}
		// A scheme other than http(s) is not rewritten: it is refused.
		bad := url.Values{"name": {"Vi"}, "code": {"VI01"}, "website": {"ftp://vi.com"}}
		if res := s.post(c, "/customers/new", bad); res.status != http.StatusUnprocessableEntity {
			t.Errorf("ftp website: status %d", res.status)
		}
	})

	t.Run("Inactive", func(t *testing.T) {
		f := url.Values{"name": {"Dormant Ltd"}, "code": {"DORM"}} // no is_active: the toggle is off
		if res := s.post(c, "/customers/new", f); res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		res := s.get(c, "/customers")
		card := find(res.doc, func(n *html.Node) bool {
			return hasAttr(n, "data-customer") && strings.Contains(text(n), "Dormant Ltd")
		})
		badge := find(card, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "badge") })
		if text(badge) != "Inactive" {
			t.Errorf("inactive card has no Inactive badge: %q", text(card))
		}
	})
}

func TestAddCustomerInvalid(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	f := validForm()
	f.Set("name", "")
	f.Set("code", "a b")
	f.Set("business_email", "x@")
	f.Set("location.pin_code", "ABC")
	res := s.post(c, "/customers/new", f)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.status)
	}
	if n := len(s.customers()); n != 0 {
		t.Fatalf("%d customers created", n)
	}
	sb := byID(res.doc, "sidebar")
	if sb == nil {
		t.Fatal("sidebar not open")
	}
	for id, want := range map[string]string{
		"f-name":              "Customer name is required.",
		"f-code":              "Use only letters",
		"f-business-email":    "Not a valid email address",
		"f-location-pin-code": "Not a valid postal code for United States",
	} {
		in := byID(sb, id)
		if attr(in, "aria-invalid") != "true" {
			t.Errorf("%s: aria-invalid %q", id, attr(in, "aria-invalid"))
		}
		desc := strings.Fields(attr(in, "aria-describedby"))
		if len(desc) == 0 || desc[0] != id+"-error" {
			t.Errorf("%s: aria-describedby %q", id, attr(in, "aria-describedby"))
			continue
		}
		if msg := text(byID(sb, desc[0])); !strings.Contains(msg, want) {
			t.Errorf("%s: message %q, want %q", id, msg, want)
		}
	}
	for id, want := range map[string]string{"f-code": "a b", "f-business-email": "x@", "f-domain": "airtel.com",
		"f-phone": "201 555 0123", "f-location-landmark": "Near Bryant Park"} {
		if got := attr(byID(sb, id), "value"); got != want {
			t.Errorf("%s: value %q, want %q", id, got, want)
		}
	}
	if got := selected(sb, "f-location-country"); got != "US" {
		t.Errorf("country %q", got)
	}
	if got := selected(sb, "f-phone-region"); got != "US" {
		t.Errorf("phone code %q", got)
	}
	if attr(byID(sb, "f-domain"), "aria-invalid") != "" {
		t.Errorf("a valid field is marked invalid")
	}
	summary := byID(sb, "error-summary")
	if got := len(findAll(summary, func(n *html.Node) bool { return n.Data == "li" })); got != 4 {
		t.Errorf("summary lists %d errors: %q", got, text(summary))
	}
	if linkTo(summary, "#f-code") == nil {
		t.Errorf("summary does not link to the code field")
	}
	if attr(find(sb, func(n *html.Node) bool { return n.Data == "form" }), "data-dirty") != "true" {
		t.Errorf("re-rendered form not marked as holding unsaved input")
	}

	t.Run("Taken", func(t *testing.T) {
		s.MustCreateCustomer(domain.CustomerInput{Name: "Airtel", Code: "AIR001"})
		res := s.post(c, "/customers/new", url.Values{"name": {"airtel"}, "code": {"air001"}, "is_active": {"on"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		for _, id := range []string{"f-name-error", "f-code-error"} {
			if !strings.Contains(text(byID(res.doc, id)), "already exists") {
				t.Errorf("%s: %q", id, text(byID(res.doc, id)))
			}
		}
	})
}

func TestEditCustomer(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	active := true
	cust := s.MustCreateCustomer(domain.CustomerInput{Name: "Bharti", Code: "BHA01", Phone: "+91 98765 43210",
		IsActive: &active, Location: domain.Location{Country: "IN", City: "Delhi"}})
	editPath := "/customers/" + cust.ID + "/edit"

	res := s.get(c, editPath)
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	sb := byID(res.doc, "sidebar")
	if !strings.Contains(text(byID(sb, "sidebar-title")), "Edit Customer") {
		t.Errorf("title %q", text(byID(sb, "sidebar-title")))
	}
	for id, want := range map[string]string{"f-name": "Bharti", "f-code": "BHA01", "f-phone": "98765 43210", "f-location-city": "Delhi"} {
		if got := attr(byID(sb, id), "value"); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if selected(sb, "f-phone-region") != "IN" || selected(sb, "f-location-country") != "IN" {
		t.Errorf("pickers: phone %q, country %q", selected(sb, "f-phone-region"), selected(sb, "f-location-country"))
	}
	version := attr(find(sb, func(n *html.Node) bool { return attr(n, "name") == "version" }), "value")
	if version != "1" {
		t.Fatalf("version field %q", version)
	}

	form := url.Values{"version": {version}, "name": {"Bharti Group"}, "code": {"BHA01"}, "phone_region": {"IN"},
		"phone": {"98765 43210"}, "location.country": {"IN"}, "location.city": {"Delhi"}, "is_active": {"on"}}

	t.Run("ErrStaleVersion", func(t *testing.T) {
		// Someone else saves a change first.
		if _, err := s.svc.UpdateCustomer(s.admin, cust.ID, 1, func(in domain.CustomerInput) (domain.CustomerInput, error) {
			in.Location.City = "New Delhi"
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		res := s.post(c, editPath, form)
		if res.status != http.StatusConflict {
			t.Fatalf("status %d", res.status)
		}
		alert := byID(res.doc, "form-alert")
		if !strings.Contains(text(alert), "Someone else changed this customer") || linkTo(alert, editPath) == nil {
			t.Errorf("alert %q", text(alert))
		}
		if got := attr(byID(res.doc, "f-name"), "value"); got != "Bharti Group" {
			t.Errorf("typed name not kept: %q", got)
		}
		now, err := s.svc.Customer(s.admin, cust.ID)
		if err != nil {
			t.Fatal(err)
		}
		if now.Name != "Bharti" || now.Location.City != "New Delhi" || now.Version != 2 {
			t.Errorf("customer changed: %+v", now)
		}
	})

	t.Run("OK", func(t *testing.T) {
		form.Set("version", "2")
		res := s.post(c, editPath, form)
		if res.status != http.StatusSeeOther || res.location != "/customers" {
			t.Fatalf("got %d %q\n%s", res.status, res.location, res.body)
		}
		now, _ := s.svc.Customer(s.admin, cust.ID)
		if now.Name != "Bharti Group" || now.Phone != "+919876543210" || now.Version != 3 {
			t.Errorf("after edit: %+v", now)
		}
		res = s.get(c, "/customers")
		if !strings.Contains(text(byID(res.doc, "customer-"+cust.ID)), "Bharti Group") {
			t.Errorf("card not updated")
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		bad := url.Values{"version": {"3"}, "name": {"Bharti Group"}, "code": {"BHA01"}, "website": {"ftp://x"}}
		res := s.post(c, editPath, bad)
		if res.status != http.StatusUnprocessableEntity || attr(byID(res.doc, "f-website"), "aria-invalid") != "true" {
			t.Fatalf("status %d", res.status)
		}
		if got := attr(find(res.doc, func(n *html.Node) bool { return attr(n, "name") == "version" }), "value"); got != "3" {
			t.Errorf("version not kept: %q", got)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		res := s.get(c, "/customers/01900000-0000-7000-8000-000000000000/edit")
		if res.status != http.StatusNotFound || !strings.Contains(title(res.doc), "Page not found") {
			t.Errorf("got %d %q", res.status, title(res.doc))
		}
	})
}

func TestDeleteCustomer(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	cust := s.MustCreateCustomer(domain.CustomerInput{Name: "Reliance", Code: "REL-7"})
	path := "/customers/" + cust.ID + "/delete"

	res := s.get(c, path)
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	dlg := byID(res.doc, "delete-dialog")
	if dlg == nil || !strings.Contains(text(dlg), "Reliance") || attr(byID(dlg, "confirm-code"), "data-code") != "REL-7" {
		t.Fatalf("dialog: %q", text(dlg))
	}
	// The dialog says what goes with the customer.
	if got := text(byID(dlg, "delete-impact")); !strings.Contains(got, "0 entities") || !strings.Contains(got, "0 users, who can no longer sign in") ||
		!strings.Contains(got, "0 assets") || !strings.Contains(got, "Returned to the organization's pool") {
		t.Errorf("delete impact: %q", got)
	}

	for _, typed := range []string{"", "REL-8"} {
		res := s.post(c, path, url.Values{"version": {"1"}, "confirm_code": {typed}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("typed %q: status %d", typed, res.status)
		}
		in := byID(res.doc, "confirm-code")
		if attr(in, "aria-invalid") != "true" || !strings.Contains(text(byID(res.doc, "confirm-code-error")), "REL-7") {
			t.Errorf("typed %q: no error beside the input", typed)
		}
		if attr(in, "value") != typed {
			t.Errorf("typed value not kept")
		}
		if len(s.customers()) != 1 {
			t.Fatalf("deleted without the code")
		}
	}

	res = s.post(c, path, url.Values{"version": {"1"}, "confirm_code": {" rel-7 "}})
	if res.status != http.StatusSeeOther || res.location != "/customers" {
		t.Fatalf("got %d %q", res.status, res.location)
	}
	if len(s.customers()) != 0 {
		t.Fatalf("not deleted")
	}
	res = s.get(c, "/customers")
	if byID(res.doc, "customer-"+cust.ID) != nil || !strings.Contains(text(byID(res.doc, "flash")), "deleted") {
		t.Errorf("card still shown or no notice")
	}
	if res := s.get(c, path); res.status != http.StatusNotFound {
		t.Errorf("deleted customer's dialog: %d", res.status)
	}
}

func TestMSPOff(t *testing.T) {
	s := MustStack(t, service.FirstStart{MSPDisabled: true, OrgName: "Solo Corp"}, false)
	c := s.signedIn()
	for _, path := range []string{"/customers", "/customers/new"} {
		res := s.get(c, path)
		if res.status != http.StatusNotFound {
			t.Errorf("%s: status %d", path, res.status)
		}
		if !strings.Contains(text(byID(res.doc, "msp-off")), "MSP mode is off") {
			t.Errorf("%s: no explanation", path)
		}
		if linkTo(res.doc, "/customers") != nil {
			t.Errorf("%s: a link to Customers exists", path)
		}
	}
	res := s.post(c, "/customers/new", validForm())
	if res.status != http.StatusConflict || !strings.Contains(text(byID(res.doc, "form-alert")), "MSP mode is off") {
		t.Errorf("POST: %d %q", res.status, text(byID(res.doc, "form-alert")))
	}
	res = s.get(c, "/")
	if res.status != http.StatusOK || !strings.Contains(text(byID(res.doc, "msp-off")), "MSP mode is off") {
		t.Errorf("home: %d", res.status)
	}
	if linkTo(res.doc, "/customers") != nil {
		t.Errorf("home links to Customers")
	}
}

func TestSetup(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, true)
	if s.setupToken == "" {
		t.Fatal("no setup token")
	}
	c := s.client()
	// A wrong link says so at once, before anyone types a password.
	if res := s.get(c, "/setup?token=wrong"); res.status != http.StatusNotFound {
		t.Fatalf("wrong token: status %d", res.status)
	}
	if res := s.get(c, "/setup?token="+s.setupToken); res.status != http.StatusOK || byID(res.doc, "f-password") == nil {
		t.Fatalf("right token: status %d", res.status)
	}
	res := s.post(c, "/setup", url.Values{"token": {"wrong"}, "email": {"a@example.com"}, "name": {"A"}, "password": {"long enough password"}})
	if res.status != http.StatusNotFound || !strings.Contains(res.body, "This setup link is not valid") {
		t.Fatalf("wrong token: %d", res.status)
	}
	res = s.post(c, "/setup", url.Values{"token": {s.setupToken}, "email": {"x@"}, "name": {"Grace"}, "password": {"short"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid: %d", res.status)
	}
	if attr(byID(res.doc, "f-email"), "aria-invalid") != "true" || attr(byID(res.doc, "f-password"), "aria-invalid") != "true" ||
		attr(byID(res.doc, "f-name"), "value") != "Grace" || attr(byID(res.doc, "f-password"), "value") != "" {
		t.Errorf("invalid form not shown right")
	}
	res = s.post(c, "/setup", url.Values{"token": {s.setupToken}, "email": {"grace@example.com"}, "name": {"Grace Hopper"}, "password": {"a long enough password"}})
	if res.status != http.StatusSeeOther || res.location != "/customers" {
		t.Fatalf("setup: %d %q", res.status, res.location)
	}
	res = s.get(c, "/customers")
	if res.status != http.StatusOK || !strings.Contains(text(byID(res.doc, "flash")), "Grace Hopper") {
		t.Fatalf("after setup: %d", res.status)
	}
	res = s.get(s.client(), "/setup?token="+s.setupToken)
	if res.status != http.StatusNotFound || !strings.Contains(res.body, "already used") {
		t.Errorf("used link: %d", res.status)
	}
}

func TestLoadMore(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	const n = domain.DefaultPageSize + 3
	for i := range n {
		s.MustCreateCustomer(domain.CustomerInput{Name: fmt.Sprintf("Customer %03d", i), Code: fmt.Sprintf("C%03d", i)})
	}
	res := s.get(c, "/customers")
	if got := text(byID(res.doc, "customer-count")); got != strconv.Itoa(n)+" customers" {
		t.Errorf("count %q", got)
	}
	cards := findAll(res.doc, func(n *html.Node) bool { return hasAttr(n, "data-customer") })
	if len(cards) != domain.DefaultPageSize {
		t.Fatalf("%d cards on the first page", len(cards))
	}
	more := find(res.doc, func(n *html.Node) bool { return hasAttr(n, "data-load-more") })
	if more == nil {
		t.Fatal("no load-more link")
	}
	res = s.get(c, attr(more, "href"))
	cards = findAll(res.doc, func(n *html.Node) bool { return hasAttr(n, "data-customer") })
	if len(cards) != 3 || !strings.Contains(text(cards[2]), "Customer 052") {
		t.Fatalf("second page: %d cards", len(cards))
	}
	if find(res.doc, func(n *html.Node) bool { return hasAttr(n, "data-load-more") }) != nil {
		t.Errorf("load-more on the last page")
	}
	if res := s.get(c, "/customers?cursor=abc"); res.status != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", res.status)
	}
}

func TestStaticAndNotFound(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	res := s.get(c, "/customers")
	css := find(res.doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "stylesheet" })
	href := attr(css, "href")
	if !strings.HasPrefix(href, "/static/app.css?v=") {
		t.Fatalf("stylesheet %q", href)
	}
	res = s.get(c, href)
	if res.status != http.StatusOK || !strings.Contains(res.header.Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
		t.Errorf("asset: %d %q %q", res.status, res.header.Get("Cache-Control"), res.header.Get("Content-Type"))
	}
	res = s.get(c, "/static/app.js")
	if res.status != http.StatusOK || res.header.Get("Cache-Control") != "public, no-cache" {
		t.Errorf("unversioned asset: %d %q", res.status, res.header.Get("Cache-Control"))
	}
	for _, p := range []string{"/static/nope.css", "/static/templates/layout.html", "/no-such-page"} {
		if res := s.get(c, p); res.status != http.StatusNotFound {
			t.Errorf("%s: %d", p, res.status)
		}
	}
	if res := s.get(c, "/static/../web.go"); res.status == http.StatusOK || strings.Contains(res.body, "package web") {
		t.Errorf("path traversal served a file")
	}
	// The API keeps its own answers.
	if res := s.get(c, "/api/v1/nope"); !strings.Contains(res.header.Get("Content-Type"), "problem+json") {
		t.Errorf("API 404 is %q", res.header.Get("Content-Type"))
	}
}

func TestSplitPhoneRoundTrip(t *testing.T) {
	for _, e164 := range []string{"+12015550123", "+14165550199", "+919876543210", "+442079460958", "+4930123456"} {
		region, code, national := domain.SplitPhone(e164)
		if region == "" || code == 0 {
			t.Errorf("%s: split %q %d %q", e164, region, code, national)
		}
		back, msg, ok := domain.NormalizePhone("+"+strconv.Itoa(code)+" "+national, "")
		if !ok || back != e164 {
			t.Errorf("%s: split to %q %d %q, joined back to %q (%s)", e164, region, code, national, back, msg)
		}
	}
	if r, c, n := domain.SplitPhone("not a phone"); r != "" || c != 0 || n != "not a phone" {
		t.Errorf("unparseable: %q %d %q", r, c, n)
	}
}

// TestDeleteUndo: the notice after a delete offers Undo, which brings the
// customer back as it was; the offer is made once.
func TestDeleteUndo(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	c := s.signedIn()
	cust := s.MustCreateCustomer(domain.CustomerInput{Name: "Lazarus", Code: "LAZ"})
	res := s.post(c, "/customers/"+cust.ID+"/delete", url.Values{"version": {"1"}, "confirm_code": {"LAZ"}})
	if res.status != http.StatusSeeOther || len(s.customers()) != 0 {
		t.Fatalf("delete: %d, %d customers", res.status, len(s.customers()))
	}
	res = s.get(c, "/customers")
	undo := byID(res.doc, "flash-undo")
	form := find(byID(res.doc, "flash"), func(n *html.Node) bool { return n.Data == "form" })
	if undo == nil || attr(form, "action") != "/customers/"+cust.ID+"/restore" {
		t.Fatalf("no Undo in the notice: %q", text(byID(res.doc, "flash")))
	}
	if again := s.get(c, "/customers"); byID(again.doc, "flash-undo") != nil {
		t.Errorf("the Undo is offered twice")
	}
	res = s.post(c, attr(form, "action"), url.Values{})
	if res.status != http.StatusSeeOther {
		t.Fatalf("undo: %d", res.status)
	}
	cs := s.customers()
	if len(cs) != 1 || cs[0].ID != cust.ID || cs[0].Name != "Lazarus" {
		t.Fatalf("after undo: %+v", cs)
	}
	if res := s.get(c, "/customers"); !strings.Contains(text(byID(res.doc, "flash")), "was restored") {
		t.Errorf("notice after undo: %q", text(byID(res.doc, "flash")))
	}
	// Undo of a customer not in trash is a page that says so.
	if res := s.post(c, "/customers/"+cust.ID+"/restore", url.Values{}); res.status != http.StatusNotFound {
		t.Errorf("undo again: %d", res.status)
	}
}
