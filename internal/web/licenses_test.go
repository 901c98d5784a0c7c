package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// n returns a pointer to a count.
func n(v int64) *int64 { return &v }

// MustSetPool sets the organization's pool through the service.
func (s *stack) MustSetPool(pool domain.LicenseCounts) {
	s.t.Helper()
	if _, err := s.svc.SetOrgPool(s.admin, pool); err != nil {
		s.t.Fatalf("set pool: %v", err)
	}
}

// MustRegister creates a customer with an allocation through the service.
func (s *stack) MustRegister(name, code string, alloc domain.LicenseCounts) domain.Customer {
	s.t.Helper()
	c, err := s.svc.RegisterCustomer(s.admin, service.NewCustomer{Customer: domain.CustomerInput{Name: name, Code: code}, Licenses: alloc})
	if err != nil {
		s.t.Fatalf("register %s: %v", name, err)
	}
	return c
}

// allocation reads a customer's allocation by type through the service.
func (s *stack) allocation(customerID string) map[string]int64 {
	s.t.Helper()
	ls, err := s.svc.CustomerLicenses(s.admin, customerID)
	if err != nil {
		s.t.Fatalf("customer licenses: %v", err)
	}
	out := map[string]int64{}
	for _, l := range ls {
		out[l.Type] = l.Allocated
	}
	return out
}

// pool reads the organization's licenses by type through the service.
func (s *stack) pool() map[string]domain.OrgLicense {
	s.t.Helper()
	ls, err := s.svc.OrgLicenses(s.admin)
	if err != nil {
		s.t.Fatalf("org licenses: %v", err)
	}
	out := map[string]domain.OrgLicense{}
	for _, l := range ls {
		out[l.Type] = l
	}
	return out
}

// summaryLinks returns the targets of the error summary's links.
func summaryLinks(doc *html.Node) []string {
	var out []string
	for _, a := range findAll(byID(doc, "error-summary"), func(n *html.Node) bool { return n.Data == "a" }) {
		out = append(out, attr(a, "href"))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestWizardLicenseStep walks the Add wizard's License Allocation step
// without the script: its groups and labels, the pool beside each count,
// Back and Next keeping the counts, bad counts and a count beyond the pool
// shown beside their inputs with nothing created, and a good Submit.
func TestWizardLicenseStep(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	s.MustSetPool(domain.LicenseCounts{domain.LicenseUsers: n(10), domain.LicenseITAssets: n(20)})
	c := s.signedIn()

	res := s.get(c, "/customers/new")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if !isHidden(res.doc, "step-licenses") {
		t.Errorf("License Allocation shows on the first step")
	}
	// The seed's two groups, each with its own counts, labelled with the
	// seed's words, 0 by default, the pool's figure tied to the input.
	groups := map[string][]struct{ typ, label string }{
		"license-group-user": {{"users", "User Count"}, {"technicians", "Technician User Count"}},
		"license-group-asset": {{"it_assets", "IT Asset Count"}, {"non_it_assets", "Non-IT Asset Count"},
			{"mobile_devices", "Mobile Device Count"}, {"availability_monitoring", "Availability Monitoring Count"},
			{"performance_monitoring", "Performance Monitoring Count"}},
	}
	legends := map[string]string{"license-group-user": "User License Count", "license-group-asset": "Asset License Count"}
	for id, fields := range groups {
		g := byID(res.doc, id)
		if g == nil || g.Data != "fieldset" {
			t.Fatalf("no fieldset %s", id)
		}
		if got := text(find(g, func(n *html.Node) bool { return n.Data == "legend" })); got != legends[id] {
			t.Errorf("%s legend %q", id, got)
		}
		inputs := findAll(g, func(n *html.Node) bool { return n.Data == "input" })
		if len(inputs) != len(fields) {
			t.Errorf("%s has %d inputs, want %d", id, len(inputs), len(fields))
		}
		for _, f := range fields {
			inID := "f-licenses-" + strings.ReplaceAll(f.typ, "_", "-")
			in := byID(g, inID)
			if in == nil || attr(in, "name") != "licenses."+f.typ || attr(in, "type") != "number" || attr(in, "value") != "0" {
				t.Errorf("%s: input %v name %q value %q", f.typ, in != nil, attr(in, "name"), attr(in, "value"))
			}
			label := find(g, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == inID })
			if text(label) != f.label {
				t.Errorf("%s: label %q, want %q", f.typ, text(label), f.label)
			}
			if !strings.Contains(attr(in, "aria-describedby"), inID+"-pool") {
				t.Errorf("%s: the pool's figure is not tied to the input", f.typ)
			}
		}
	}
	// The admin is an organization user, who takes one of the users
	// pool's unallocated part.
	if got := text(byID(res.doc, "f-licenses-users-pool")); got != "10 unallocated in the pool, 1 of them used by the organization" {
		t.Errorf("users pool note %q", got)
	}
	if got := text(byID(res.doc, "f-licenses-technicians-pool")); got != "Pool unlimited" {
		t.Errorf("technicians pool note %q", got)
	}

	// Enter on Entity Details with an empty editor goes on to Settings,
	// and Enter there to License Allocation; neither submits.
	f := validForm()
	f.Set("step", "entities")
	f.Set("op", "enter")
	res = s.post(c, "/customers/new", f)
	if res.status != http.StatusOK || isHidden(res.doc, "step-settings") || len(s.customers()) != 0 {
		t.Fatalf("Enter on Entity Details: %d, settings hidden %v, %d customers", res.status, isHidden(res.doc, "step-settings"), len(s.customers()))
	}
	f.Set("step", "settings")
	res = s.post(c, "/customers/new", f)
	if res.status != http.StatusOK || isHidden(res.doc, "step-licenses") || len(s.customers()) != 0 {
		t.Fatalf("Enter on Settings: %d, licenses hidden %v, %d customers", res.status, isHidden(res.doc, "step-licenses"), len(s.customers()))
	}
	// The last step: Back and Submit, no Next; focus on the first count.
	if !isHidden(res.doc, "wizard-next") || isHidden(res.doc, "customer-submit") || attr(byID(res.doc, "wizard-back"), "value") != "step:settings" {
		t.Errorf("footer not for the last step")
	}
	if !hasAttr(byID(res.doc, "f-licenses-users"), "autofocus") {
		t.Errorf("the first count has no focus")
	}

	// Counts typed, Back to Customer Details and Next again: kept.
	f = formOf(res.doc, "customer-form")
	f.Set("licenses.users", "4")
	f.Set("licenses.mobile_devices", "7")
	f.Set("op", "step:details")
	res = s.post(c, "/customers/new", f)
	if res.status != http.StatusOK || isHidden(res.doc, "step-details") {
		t.Fatalf("Back: %d", res.status)
	}
	if got := attr(byID(res.doc, "f-licenses-users"), "value"); got != "4" {
		t.Errorf("Back lost the users count: %q", got)
	}
	f = formOf(res.doc, "customer-form")
	f.Set("op", "step:licenses")
	res = s.post(c, "/customers/new", f)
	if isHidden(res.doc, "step-licenses") || attr(byID(res.doc, "f-licenses-users"), "value") != "4" ||
		attr(byID(res.doc, "f-licenses-mobile-devices"), "value") != "7" || attr(byID(res.doc, "f-name"), "value") != "Airtel" {
		t.Fatalf("Next lost what was typed")
	}

	t.Run("ErrBadCounts", func(t *testing.T) {
		f := formOf(res.doc, "customer-form")
		f.Set("licenses.users", "abc")
		f.Set("licenses.technicians", "-2")
		f.Set("op", "submit")
		res := s.post(c, "/customers/new", f)
		if res.status != http.StatusUnprocessableEntity || isHidden(res.doc, "step-licenses") {
			t.Fatalf("status %d, licenses hidden %v", res.status, isHidden(res.doc, "step-licenses"))
		}
		for _, id := range []string{"f-licenses-users", "f-licenses-technicians"} {
			if msg := fieldError(t, res.doc, id); !strings.Contains(msg, "Give a count from 0 to") {
				t.Errorf("%s: %q", id, msg)
			}
			if !contains(summaryLinks(res.doc), "#"+id) {
				t.Errorf("summary does not link to %s: %v", id, summaryLinks(res.doc))
			}
		}
		if got := attr(byID(res.doc, "f-licenses-users"), "value"); got != "abc" {
			t.Errorf("typed count not kept: %q", got)
		}
		if attr(byID(res.doc, "f-licenses-it-assets"), "aria-invalid") == "true" {
			t.Errorf("a good count is marked invalid")
		}
		if n := len(s.customers()); n != 0 {
			t.Fatalf("%d customers created", n)
		}
	})

	t.Run("ErrBadCountAndBadDetails", func(t *testing.T) {
		// Every problem at once; the first step with one is shown.
		f := formOf(res.doc, "customer-form")
		f.Set("licenses.users", "1.5")
		f.Set("code", "a b")
		f.Set("op", "submit")
		res := s.post(c, "/customers/new", f)
		if res.status != http.StatusUnprocessableEntity || isHidden(res.doc, "step-details") {
			t.Fatalf("status %d, details hidden %v", res.status, isHidden(res.doc, "step-details"))
		}
		if links := summaryLinks(res.doc); !contains(links, "#f-code") || !contains(links, "#f-licenses-users") {
			t.Errorf("summary %v", links)
		}
		if n := len(s.customers()); n != 0 {
			t.Fatalf("%d customers created", n)
		}
	})

	t.Run("ErrBeyondPool", func(t *testing.T) {
		f := formOf(res.doc, "customer-form")
		f.Set("licenses.users", "11")
		f.Set("op", "submit")
		res := s.post(c, "/customers/new", f)
		if res.status != http.StatusConflict || isHidden(res.doc, "step-licenses") {
			t.Fatalf("status %d, licenses hidden %v", res.status, isHidden(res.doc, "step-licenses"))
		}
		msg := fieldError(t, res.doc, "f-licenses-users")
		if !strings.Contains(msg, "pool is 10") || !strings.Contains(msg, "Users") {
			t.Errorf("message %q", msg)
		}
		if !contains(summaryLinks(res.doc), "#f-licenses-users") {
			t.Errorf("summary %v", summaryLinks(res.doc))
		}
		if !hasAttr(byID(res.doc, "f-licenses-users"), "autofocus") {
			t.Errorf("focus is not on the refused count")
		}
		if n := len(s.customers()); n != 0 {
			t.Fatalf("%d customers created", n)
		}
		if got := s.pool()[domain.LicenseUsers].Allocated; got != 0 {
			t.Errorf("%d users allocated after the refusal", got)
		}
	})

	t.Run("OK", func(t *testing.T) {
		f := formOf(res.doc, "customer-form")
		f.Set("licenses.users", "4")
		f.Set("licenses.it_assets", "20")
		f.Set("licenses.technicians", "") // empty is 0
		f.Set("op", "submit")
		res := s.post(c, "/customers/new", f)
		if res.status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", res.status, text(byID(res.doc, "form-errors")))
		}
		all := s.customers()
		if len(all) != 1 {
			t.Fatalf("%d customers", len(all))
		}
		got := s.allocation(all[0].ID)
		want := map[string]int64{"users": 4, "technicians": 0, "it_assets": 20, "non_it_assets": 0, "mobile_devices": 7,
			"availability_monitoring": 0, "performance_monitoring": 0}
		for typ, w := range want {
			if got[typ] != w {
				t.Errorf("%s allocated %d, want %d", typ, got[typ], w)
			}
		}
		res = s.get(c, "/customers/new")
		if got := text(byID(res.doc, "f-licenses-users-pool")); got != "6 unallocated in the pool, 1 of them used by the organization" {
			t.Errorf("pool note after the allocation %q", got)
		}
		if got := text(byID(res.doc, "f-licenses-it-assets-pool")); got != "0 unallocated in the pool" {
			t.Errorf("IT pool note after the allocation %q", got)
		}
	})
}

// TestEditLicenses changes an allocation in the edit sidebar: the step
// shows the stored counts and the customer's use; a change is saved with
// the details; a refusal (below use, beyond the pool) shows beside its
// input and changes nothing, the details included.
func TestEditLicenses(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	s.MustSetPool(domain.LicenseCounts{domain.LicenseUsers: n(20)})
	acme := s.MustRegister("Acme", "ACME", domain.LicenseCounts{domain.LicenseUsers: n(3)})
	s.MustRegister("Other", "OTH", domain.LicenseCounts{domain.LicenseUsers: n(10)})
	for i, email := range []string{"a1@acme.test", "a2@acme.test"} {
		s.MustCreateUser(domain.UserInput{Email: email, Name: "Acme user " + strconv.Itoa(i), Role: domain.RoleCustomerUser, CustomerID: acme.ID})
	}
	c := s.signedIn()
	path := "/customers/" + acme.ID + "/edit"

	res := s.get(c, path+"?step=licenses")
	if res.status != http.StatusOK || isHidden(res.doc, "step-licenses") || !isHidden(res.doc, "step-details") {
		t.Fatalf("edit on License Allocation: %d", res.status)
	}
	if got := attr(byID(res.doc, "f-licenses-users"), "value"); got != "3" {
		t.Errorf("stored users count %q", got)
	}
	if got := text(byID(res.doc, "f-licenses-users-pool")); !strings.Contains(got, "Uses 2") || !strings.Contains(got, "7 unallocated in the pool") {
		t.Errorf("users note %q", got)
	}
	// An edit is saved from any step.
	if isHidden(res.doc, "customer-submit") {
		t.Errorf("no Submit on the edit's License Allocation step")
	}
	before, _ := s.svc.Customer(s.admin, acme.ID)

	refuse := func(t *testing.T, count, want string) {
		t.Helper()
		f := formOf(res.doc, "customer-form")
		f.Set("name", "Acme Renamed")
		f.Set("licenses.users", count)
		f.Set("op", "submit")
		got := s.post(c, path, f)
		if got.status != http.StatusConflict || isHidden(got.doc, "step-licenses") {
			t.Fatalf("status %d, licenses hidden %v: %s", got.status, isHidden(got.doc, "step-licenses"), text(byID(got.doc, "form-errors")))
		}
		if msg := fieldError(t, got.doc, "f-licenses-users"); !strings.Contains(msg, want) {
			t.Errorf("message %q, want %q; errors %q", msg, want, text(byID(got.doc, "form-errors")))
		}
		if !contains(summaryLinks(got.doc), "#f-licenses-users") {
			t.Errorf("summary %v", summaryLinks(got.doc))
		}
		if v := attr(byID(got.doc, "f-licenses-users"), "value"); v != count {
			t.Errorf("typed count not kept: %q", v)
		}
		if a := s.allocation(acme.ID)[domain.LicenseUsers]; a != 3 {
			t.Errorf("allocation changed to %d", a)
		}
		after, _ := s.svc.Customer(s.admin, acme.ID)
		if after.Name != "Acme" || after.Version != before.Version {
			t.Errorf("details changed by a refused edit: %q v%d", after.Name, after.Version)
		}
	}
	t.Run("ErrBelowUse", func(t *testing.T) { refuse(t, "1", "Acme uses 2") })
	t.Run("ErrBeyondPool", func(t *testing.T) { refuse(t, "11", "pool is 20") })
	t.Run("ErrNotANumber", func(t *testing.T) {
		f := formOf(res.doc, "customer-form")
		f.Set("licenses.users", "ten")
		f.Set("op", "submit")
		got := s.post(c, path, f)
		if got.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(t, got.doc, "f-licenses-users"), "Give a count") {
			t.Fatalf("status %d", got.status)
		}
		if a := s.allocation(acme.ID)[domain.LicenseUsers]; a != 3 {
			t.Errorf("allocation changed to %d", a)
		}
	})

	t.Run("OK", func(t *testing.T) {
		f := formOf(res.doc, "customer-form")
		f.Set("name", "Acme Renamed")
		f.Set("licenses.users", "5")
		f.Set("licenses.it_assets", "2")
		f.Set("op", "submit")
		got := s.post(c, path, f)
		if got.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", got.status, text(byID(got.doc, "form-errors")))
		}
		a := s.allocation(acme.ID)
		if a[domain.LicenseUsers] != 5 || a[domain.LicenseITAssets] != 2 || a[domain.LicenseTechnicians] != 0 {
			t.Errorf("allocation %v", a)
		}
		if after, _ := s.svc.Customer(s.admin, acme.ID); after.Name != "Acme Renamed" {
			t.Errorf("name %q", after.Name)
		}
		if flash := text(byID(s.get(c, "/customers").doc, "flash")); !strings.Contains(flash, "license allocation") {
			t.Errorf("flash %q", flash)
		}
	})
}

// usageRowOf returns the license sidebar's row of a type.
func usageRowOf(doc *html.Node, typ string) *html.Node { return byID(doc, "usage-"+typ) }

// TestLicenseSidebar opens a customer's license sidebar by URL, as a link
// does without the script: per type used / allocated, available, percent,
// the bar, and the level in class and words at 80 % and 100 %.
func TestLicenseSidebar(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	cu := s.MustRegister("Initech", "INI", domain.LicenseCounts{
		domain.LicenseITAssets: n(10), domain.LicenseMobileDevices: n(2), domain.LicenseNonITAssets: n(4), domain.LicensePerformance: n(9)})
	for i := range 8 {
		perf := i < 7
		s.MustCreateAsset(domain.AssetInput{Name: "Server " + strconv.Itoa(i), Class: domain.AssetIT, CustomerID: cu.ID, PerformanceMonitoring: &perf})
	}
	for i := range 2 {
		s.MustCreateAsset(domain.AssetInput{Name: "Phone " + strconv.Itoa(i), Class: domain.AssetMobile, CustomerID: cu.ID})
	}
	s.MustCreateAsset(domain.AssetInput{Name: "Desk", Class: domain.AssetNonIT, CustomerID: cu.ID})
	c := s.signedIn()

	// The card offers it.
	res := s.get(c, "/customers")
	link := linkTo(byID(res.doc, "customer-"+cu.ID), "/customers/"+cu.ID+"/licenses")
	if link == nil || attr(link, "data-open") != "sidebar" || !strings.Contains(text(link), "Customer License of Initech") {
		t.Fatalf("card has no Customer License control: %q", text(link))
	}

	res = s.get(c, "/customers/"+cu.ID+"/licenses")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	sb := byID(res.doc, "license-sidebar")
	if sb == nil || sb.Data != "dialog" || !hasAttr(sb, "open") {
		t.Fatalf("no license sidebar")
	}
	if got := title(res.doc); !strings.HasPrefix(got, "Customer License · Initech") {
		t.Errorf("title %q", got)
	}
	if got := text(byID(sb, "license-customer")); got != "Initech INI" {
		t.Errorf("names %q", got)
	}
	// Grouped as the seed groups them.
	for group, types := range map[string][]string{"usage-group-user": domain.UserLicenseTypes, "usage-group-asset": domain.AssetLicenseTypes} {
		g := byID(sb, group)
		rows := findAll(g, func(n *html.Node) bool { return hasAttr(n, "data-license") })
		if len(rows) != len(types) {
			t.Errorf("%s: %d rows", group, len(rows))
			continue
		}
		for i, typ := range types {
			if attr(rows[i], "data-license") != typ {
				t.Errorf("%s row %d is %s, want %s", group, i, attr(rows[i], "data-license"), typ)
			}
		}
	}
	if got := text(find(byID(sb, "usage-group-user"), func(n *html.Node) bool { return n.Data == "h3" })); got != "User License Count" {
		t.Errorf("user group heading %q", got)
	}
	if got := text(find(byID(sb, "usage-group-asset"), func(n *html.Node) bool { return n.Data == "h3" })); got != "Asset License Count" {
		t.Errorf("asset group heading %q", got)
	}

	for _, tc := range []struct {
		typ, name, count, available, percent, bar, level, status string
	}{
		{"it_assets", "IT assets", "8 / 10 used", "2 available", "80 % used", "80", "is-warn", "Nearly full"},
		{"mobile_devices", "Mobile devices", "2 / 2 used", "0 available", "100 % used", "100", "is-full", "Full"},
		{"non_it_assets", "Non-IT assets", "1 / 4 used", "3 available", "25 % used", "25", "", ""},
		{"performance_monitoring", "Performance monitoring", "7 / 9 used", "2 available", "77 % used", "77", "", ""},
		{"users", "Users", "0 / 0 used", "0 available", "0 % used", "0", "", "None allocated"},
	} {
		row := usageRowOf(sb, tc.typ)
		if row == nil {
			t.Errorf("no row for %s", tc.typ)
			continue
		}
		class := attr(row, "class")
		for _, l := range []string{"is-warn", "is-full"} {
			if strings.Contains(class, l) != (l == tc.level) {
				t.Errorf("%s: class %q, want level %q", tc.typ, class, tc.level)
			}
		}
		get := func(a string) string { return text(find(row, func(n *html.Node) bool { return hasAttr(n, a) })) }
		if !strings.HasPrefix(text(row), tc.name) {
			t.Errorf("%s: row %q", tc.typ, text(row))
		}
		if got := get("data-count"); got != tc.count {
			t.Errorf("%s: count %q, want %q", tc.typ, got, tc.count)
		}
		if got := get("data-available"); got != tc.available {
			t.Errorf("%s: available %q", tc.typ, got)
		}
		if got := get("data-percent"); got != tc.percent {
			t.Errorf("%s: percent %q", tc.typ, got)
		}
		if got := get("data-status"); got != tc.status {
			t.Errorf("%s: status %q, want %q", tc.typ, got, tc.status)
		}
		fill := find(row, func(n *html.Node) bool { return n.Data == "rect" && strings.Contains(attr(n, "class"), "usage-fill") })
		if got := attr(fill, "width"); got != tc.bar {
			t.Errorf("%s: bar width %q, want %q", tc.typ, got, tc.bar)
		}
	}
	// An admin may change the allocation from here.
	if l := linkTo(sb, "/customers/"+cu.ID+"/edit?step=licenses"); l == nil {
		t.Errorf("no Change allocation link for the admin")
	}
	if l := find(sb, func(n *html.Node) bool { return hasAttr(n, "data-close") }); attr(l, "href") != "/customers" {
		t.Errorf("closing goes to %q", attr(l, "href"))
	}
	if res := s.get(c, "/customers/01900000-0000-7000-8000-000000000000/licenses"); res.status != http.StatusNotFound {
		t.Errorf("unknown customer: %d", res.status)
	}
}

// TestLicensesPage: the organization's pool per type with what is
// allocated, unallocated and used; the spread over customers; a pool
// change; a pool below what is allocated refused with nothing changed;
// an organization technician sees it read-only.
func TestLicensesPage(t *testing.T) {
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	s.MustSetPool(domain.LicenseCounts{domain.LicenseUsers: n(10), domain.LicenseITAssets: n(20)})
	acme := s.MustRegister("Acme", "ACME", domain.LicenseCounts{domain.LicenseUsers: n(4), domain.LicenseITAssets: n(5)})
	bolt := s.MustRegister("Bolt", "BLT", domain.LicenseCounts{domain.LicenseUsers: n(2)})
	for i := range 4 {
		s.MustCreateAsset(domain.AssetInput{Name: "Acme server " + strconv.Itoa(i), Class: domain.AssetIT, CustomerID: acme.ID})
	}
	orgUsers := s.pool()[domain.LicenseUsers].OrgUsed // the admin is an organization user
	c := s.signedIn()

	res := s.get(c, "/licenses")
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if got := title(res.doc); got != "Licenses · Northwind MSP · custreg" {
		t.Errorf("title %q", got)
	}
	nav := find(res.doc, func(n *html.Node) bool { return n.Data == "nav" && attr(n, "aria-label") == "Main menu" })
	if l := linkTo(nav, "/licenses"); l == nil || attr(l, "aria-current") != "page" || text(l) != "Licenses" {
		t.Errorf("no current Licenses menu entry")
	}
	cell := func(doc *html.Node, typ, col string) string {
		return text(find(byID(doc, "pool-"+typ), func(n *html.Node) bool { return attr(n, "data-col") == col }))
	}
	if got := attr(byID(res.doc, "f-pool-users"), "value"); got != "10" {
		t.Errorf("users pool input %q", got)
	}
	wantUsed := strconv.FormatInt(orgUsers, 10)
	if orgUsers > 0 {
		wantUsed += " (" + wantUsed + " by the organization)"
	}
	for _, tc := range []struct{ typ, col, want string }{
		{"users", "allocated", "6"}, {"users", "unallocated", "4"}, {"users", "used", wantUsed},
		{"it_assets", "allocated", "5"}, {"it_assets", "unallocated", "15"}, {"it_assets", "used", "4"},
		{"technicians", "allocated", "0"}, {"technicians", "unallocated", "Unlimited"},
	} {
		if got := cell(res.doc, tc.typ, tc.col); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.typ, tc.col, got, tc.want)
		}
	}
	if in := byID(res.doc, "f-pool-technicians"); attr(in, "value") != "" || attr(in, "placeholder") != "Unlimited" {
		t.Errorf("unlimited pool input value %q placeholder %q", attr(in, "value"), attr(in, "placeholder"))
	}
	for id, legend := range map[string]string{"pool-group-user": "User License Count", "pool-group-asset": "Asset License Count"} {
		if got := text(find(byID(res.doc, id), func(n *html.Node) bool { return attr(n, "scope") == "rowgroup" })); got != legend {
			t.Errorf("%s: %q", id, got)
		}
	}
	// The spread: each customer's used / allocated per type, by name.
	if got := rowIDs(res.doc, "data-spread", "spread-"); len(got) != 2 || got[0] != acme.ID || got[1] != bolt.ID {
		t.Errorf("spread rows %v", got)
	}
	spreadCell := func(doc *html.Node, customerID, typ string) *html.Node {
		return find(byID(doc, "spread-"+customerID), func(n *html.Node) bool { return n.Data == "td" && attr(n, "data-license") == typ })
	}
	if got := text(spreadCell(res.doc, acme.ID, "it_assets")); got != "4 / 5 Nearly full" || !strings.Contains(attr(spreadCell(res.doc, acme.ID, "it_assets"), "class"), "is-warn") {
		t.Errorf("Acme IT assets %q class %q", got, attr(spreadCell(res.doc, acme.ID, "it_assets"), "class"))
	}
	if got := text(spreadCell(res.doc, bolt.ID, "users")); got != "0 / 2" {
		t.Errorf("Bolt users %q", got)
	}
	if got := text(byID(res.doc, "spread-count")); got != "2 customers" {
		t.Errorf("count %q", got)
	}

	t.Run("OKSetPool", func(t *testing.T) {
		f := formOf(res.doc, "pool-form")
		f.Set("pool.users", "8")
		f.Set("pool.technicians", "3")
		res := s.post(c, "/licenses", f)
		if res.status != http.StatusSeeOther || res.location != "/licenses" {
			t.Fatalf("save: %d %s", res.status, text(byID(res.doc, "form-errors")))
		}
		p := s.pool()
		if p[domain.LicenseUsers].Pool == nil || *p[domain.LicenseUsers].Pool != 8 || p[domain.LicenseTechnicians].Pool == nil ||
			*p[domain.LicenseTechnicians].Pool != 3 || p[domain.LicenseITAssets].Pool == nil || *p[domain.LicenseITAssets].Pool != 20 {
			t.Errorf("pool after save: users %v technicians %v it %v", p[domain.LicenseUsers].Pool, p[domain.LicenseTechnicians].Pool, p[domain.LicenseITAssets].Pool)
		}
		res = s.get(c, "/licenses")
		if got := text(byID(res.doc, "flash")); !strings.Contains(got, "Users, Technicians") {
			t.Errorf("flash %q", got)
		}
		if got := cell(res.doc, "users", "unallocated"); got != "2" {
			t.Errorf("unallocated after save %q", got)
		}
		// Empty is unlimited again.
		f = formOf(res.doc, "pool-form")
		f.Set("pool.technicians", "")
		if res := s.post(c, "/licenses", f); res.status != http.StatusSeeOther {
			t.Fatalf("unlimited: %d", res.status)
		}
		if p := s.pool(); p[domain.LicenseTechnicians].Pool != nil {
			t.Errorf("technicians pool %d, want unlimited", *p[domain.LicenseTechnicians].Pool)
		}
	})

	t.Run("ErrBelowAllocated", func(t *testing.T) {
		f := formOf(s.get(c, "/licenses").doc, "pool-form")
		f.Set("pool.users", "5")
		f.Set("pool.mobile_devices", "9")
		res := s.post(c, "/licenses", f)
		if res.status != http.StatusConflict {
			t.Fatalf("status %d", res.status)
		}
		if msg := fieldError(t, res.doc, "f-pool-users"); !strings.Contains(msg, "pool is 5") {
			t.Errorf("message %q", msg)
		}
		if !contains(summaryLinks(res.doc), "#f-pool-users") {
			t.Errorf("summary %v", summaryLinks(res.doc))
		}
		if got := attr(byID(res.doc, "f-pool-users"), "value"); got != "5" {
			t.Errorf("typed pool not kept: %q", got)
		}
		p := s.pool()
		if *p[domain.LicenseUsers].Pool != 8 || p[domain.LicenseMobileDevices].Pool != nil {
			t.Errorf("a refused change was applied: users %d, mobile %v", *p[domain.LicenseUsers].Pool, p[domain.LicenseMobileDevices].Pool)
		}
	})

	t.Run("ErrNotANumber", func(t *testing.T) {
		f := formOf(s.get(c, "/licenses").doc, "pool-form")
		f.Set("pool.it_assets", "lots")
		res := s.post(c, "/licenses", f)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(fieldError(t, res.doc, "f-pool-it-assets"), "Give a count") {
			t.Fatalf("status %d", res.status)
		}
		if p := s.pool(); *p[domain.LicenseITAssets].Pool != 20 {
			t.Errorf("pool changed")
		}
	})

	t.Run("ReadOnlyTechnician", func(t *testing.T) {
		s.MustCreateUser(domain.UserInput{Email: "tech@northwind.test", Name: "Tess Tech", Role: domain.RoleTechnician, Kind: domain.KindTechnician})
		tc := s.signedInAs("tech@northwind.test", userPassword)
		res := s.get(tc, "/licenses")
		if res.status != http.StatusOK || byID(res.doc, "pool-form") != nil || byID(res.doc, "f-pool-users") != nil {
			t.Fatalf("technician: %d, form offered %v", res.status, byID(res.doc, "pool-form") != nil)
		}
		if got := text(find(byID(res.doc, "pool-users"), func(n *html.Node) bool { return attr(n, "data-col") == "pool" })); got != "8" {
			t.Errorf("pool shown %q", got)
		}
		if res := s.post(tc, "/licenses", url.Values{"pool.users": {"100"}}); res.status != http.StatusForbidden {
			t.Errorf("technician POST: %d", res.status)
		}
		if p := s.pool(); *p[domain.LicenseUsers].Pool != 8 {
			t.Errorf("a technician changed the pool")
		}
	})
}

// TestLicensesSpreadPages pages the spread table 50 customers at a time.
func TestLicensesSpreadPages(t *testing.T) {
	s := MustStack(t, service.FirstStart{}, false)
	for i := range 51 {
		s.MustRegister("Customer "+strconv.Itoa(100+i), "C"+strconv.Itoa(100+i), domain.LicenseCounts{domain.LicenseUsers: n(1)})
	}
	c := s.signedIn()
	res := s.get(c, "/licenses")
	rows := rowIDs(res.doc, "data-spread", "spread-")
	next := attr(byID(res.doc, "spread-next"), "href")
	if len(rows) != 50 || !strings.HasPrefix(next, "/licenses?cursor=") {
		t.Fatalf("first page: %d rows, next %q", len(rows), next)
	}
	if got := text(byID(res.doc, "spread-count")); got != "51 customers" {
		t.Errorf("count %q", got)
	}
	res = s.get(c, next)
	rows2 := rowIDs(res.doc, "data-spread", "spread-")
	if len(rows2) != 1 || contains(rows, rows2[0]) || byID(res.doc, "spread-next") != nil {
		t.Fatalf("second page: %v", rows2)
	}
	if !strings.Contains(text(byID(res.doc, "spread-"+rows2[0])), "Customer 150") {
		t.Errorf("second page row %q", text(byID(res.doc, "spread-"+rows2[0])))
	}
	if res := s.get(c, "/licenses?cursor=garbage"); res.status != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", res.status)
	}
}

// TestLicensesCustomerScoped: a customer's own people see its license
// sidebar over its own page, read-only; the organization's page and
// another customer's sidebar are not theirs, and name nothing of it.
func TestLicensesCustomerScoped(t *testing.T) {
	f := mustTenants(t)
	for _, who := range []string{"carla@airtel.com", "ravi@airtel.com"} {
		t.Run(who, func(t *testing.T) {
			c := f.signedInAs(who, userPassword)
			noGlobex := func(path string, res response) {
				t.Helper()
				for _, leak := range []string{"Globex", "GLX", f.globex.ID} {
					if strings.Contains(res.body, leak) {
						t.Errorf("%s: the page contains %q", path, leak)
					}
				}
			}
			own := "/customers/" + f.airtel.ID
			res := f.get(c, own)
			if l := byID(res.doc, "customer-licenses"); attr(l, "href") != own+"/licenses" {
				t.Errorf("own page offers no Customer License: %q", attr(l, "href"))
			}
			nav := find(res.doc, func(n *html.Node) bool { return n.Data == "nav" && attr(n, "aria-label") == "Main menu" })
			if linkTo(nav, "/licenses") != nil {
				t.Errorf("the menu offers the organization's Licenses")
			}

			res = f.get(c, own+"/licenses")
			if res.status != http.StatusOK {
				t.Fatalf("own sidebar: %d", res.status)
			}
			sb := byID(res.doc, "license-sidebar")
			if sb == nil || text(byID(res.doc, "customer-name")) != "Airtel" {
				t.Fatalf("the sidebar is not over the customer's own page")
			}
			// Airtel has Ravi and Carla (users) and one IT asset, of 1000 each.
			if got := text(find(usageRowOf(sb, "users"), func(n *html.Node) bool { return hasAttr(n, "data-count") })); got != "2 / 1,000 used" {
				t.Errorf("users %q", got)
			}
			if got := text(find(usageRowOf(sb, "it_assets"), func(n *html.Node) bool { return hasAttr(n, "data-count") })); got != "1 / 1,000 used" {
				t.Errorf("IT assets %q", got)
			}
			if byID(sb, "license-change") != nil || strings.Contains(res.body, "/edit?step=licenses") {
				t.Errorf("a customer's own people are offered to change the allocation")
			}
			if l := find(sb, func(n *html.Node) bool { return hasAttr(n, "data-close") }); attr(l, "href") != own {
				t.Errorf("closing goes to %q", attr(l, "href"))
			}
			noGlobex("own sidebar", res)

			res = f.get(c, "/customers/"+f.globex.ID+"/licenses")
			if res.status != http.StatusNotFound {
				t.Errorf("other customer's sidebar: %d", res.status)
			}
			noGlobex("other sidebar", res)
			for _, path := range []string{"/licenses", "/licenses?cursor=x"} {
				res = f.get(c, path)
				if res.status != http.StatusForbidden && res.status != http.StatusNotFound {
					t.Errorf("%s: %d", path, res.status)
				}
				noGlobex(path, res)
			}
			res = f.post(c, "/licenses", url.Values{"pool.users": {"1"}})
			if res.status != http.StatusForbidden && res.status != http.StatusNotFound {
				t.Errorf("POST /licenses: %d", res.status)
			}
			noGlobex("POST /licenses", res)
			if p := f.pool(); p[domain.LicenseUsers].Pool != nil {
				t.Errorf("a customer's user changed the pool")
			}
			// Nor can they change their own allocation.
			if res := f.post(c, own+"/edit", url.Values{"version": {"1"}, "name": {"Airtel"}, "code": {"AIR001"}, "licenses.users": {"5000"}, "op": {"submit"}}); res.status != http.StatusForbidden {
				t.Errorf("POST own edit: %d", res.status)
			}
			if a := f.allocation(f.airtel.ID)[domain.LicenseUsers]; a != 1000 {
				t.Errorf("allocation changed to %d", a)
			}
		})
	}
}

// TestLicenseFiguresAreGrouped checks that large counts are written with
// their digits grouped on the Licenses page and in a customer's license
// sidebar, while the pool's input keeps the number as typed.
func TestLicenseFiguresAreGrouped(t *testing.T) {
	s := MustStack(t, service.FirstStart{OrgName: "Northwind MSP"}, false)
	s.MustSetPool(domain.LicenseCounts{domain.LicenseITAssets: n(125000)})
	acme := s.MustRegister("Acme", "ACME", domain.LicenseCounts{domain.LicenseITAssets: n(12500)})
	c := s.signedIn()

	res := s.get(c, "/licenses")
	cell := func(col string) string {
		return text(find(byID(res.doc, "pool-it_assets"), func(n *html.Node) bool { return attr(n, "data-col") == col }))
	}
	if got := cell("allocated"); got != "12,500" {
		t.Errorf("allocated %q, want 12,500", got)
	}
	if got := cell("unallocated"); got != "112,500" {
		t.Errorf("unallocated %q, want 112,500", got)
	}
	if got := attr(byID(res.doc, "f-pool-it-assets"), "value"); got != "125000" {
		t.Errorf("the pool's input holds %q, want the number as typed", got)
	}
	if got := text(find(byID(res.doc, "spread-"+acme.ID), func(n *html.Node) bool { return attr(n, "data-license") == domain.LicenseITAssets })); !strings.Contains(got, "0 / 12,500") {
		t.Errorf("spread cell %q", got)
	}

	res = s.get(c, "/customers/"+acme.ID+"/licenses")
	if got := text(byID(res.doc, "usage-"+domain.LicenseITAssets)); !strings.Contains(got, "12,500 available") || !strings.Contains(got, "0 / 12,500") {
		t.Errorf("sidebar says %q", got)
	}
}
