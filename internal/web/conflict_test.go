package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
)

// The conflict view (conflict.go): every edit form is opened, the record is
// changed behind its back through the service, and the form is submitted
// with typed values. The answer must be 409 with the conflict alert, the
// stored values beside the typed ones, every typed value still in its input
// and the stored version (or counts) in the hidden field, and nothing
// written; submitting that form again must save what was typed.

// wantConflict checks a conflict answer: 409, the alert alertID drawn as a
// conflict with its reload link, and the rows (label → stored, typed).
func wantConflict(t *testing.T, res response, alertID, reload string, rows map[string][2]string) {
	t.Helper()
	if res.status != http.StatusConflict {
		t.Fatalf("status %d, want 409; alert %q", res.status, text(byID(res.doc, alertID)))
	}
	alert := byID(res.doc, alertID)
	if alert == nil || !hasAttr(alert, "data-conflict") {
		t.Fatalf("no conflict alert #%s in:\n%s", alertID, text(res.doc))
	}
	if !strings.Contains(text(alert), "Someone else changed this") || !strings.Contains(text(alert), "Save again") {
		t.Errorf("alert %q", text(alert))
	}
	if a := byID(alert, alertID+"-reload"); a == nil || attr(a, "href") != reload {
		t.Errorf("reload link %q, want %q", attr(byID(alert, alertID+"-reload"), "href"), reload)
	}
	got := map[string][2]string{}
	for _, tr := range findAll(byID(alert, alertID+"-table"), func(n *html.Node) bool { return n.Data == "tr" }) {
		th := find(tr, func(n *html.Node) bool { return n.Data == "th" && attr(n, "scope") == "row" })
		if th == nil {
			continue
		}
		got[text(th)] = [2]string{
			text(find(tr, func(n *html.Node) bool { return hasAttr(n, "data-stored") })),
			text(find(tr, func(n *html.Node) bool { return hasAttr(n, "data-typed") })),
		}
	}
	for label, want := range rows {
		if got[label] != want {
			t.Errorf("row %q = %q, want %q (rows %q)", label, got[label], want, got)
		}
	}
	if len(got) != len(rows) {
		t.Errorf("rows %q, want %d of them", got, len(rows))
	}
}

// hidden returns the value of the input named name inside the element id.
func hidden(doc *html.Node, id, name string) string {
	return attr(find(byID(doc, id), func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == name }), "value")
}

func count(n int64) *int64 { return &n }

// forEachStore runs fn on every store the tests run on (apptest.Stores).
func forEachStore(t *testing.T, fn func(t *testing.T, kind string)) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) { fn(t, kind) })
	}
}

func TestConflictUserEdit(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		f := mustTenantsOn(t, kind)
		c := f.signedIn()
		id := f.airtelUser.ID
		edit := "/users/" + id + "/edit"
		res := f.get(c, edit)
		form := formOf(res.doc, "record-form")
		if form.Get("version") != "1" {
			t.Fatalf("version %q", form.Get("version"))
		}
		// Someone else renames the user and narrows it to Pune.
		if _, err := f.svc.UpdateUser(f.admin, id, 1, func(in domain.UserInput) (domain.UserInput, error) {
			in.Name, in.EntityIDs = "Ravi Kumar Sr.", []string{f.pune.ID}
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		form.Set("name", "Ravi K.")
		form.Set("kind", domain.KindTechnician)
		res = f.post(c, edit, form)
		wantConflict(t, res, "form-alert", edit, map[string][2]string{
			"Name":     {"Ravi Kumar Sr.", "Ravi K."},
			"Kind":     {"User", "Technician"},
			"Entities": {"Airtel Pune", "Airtel Mumbai"},
		})
		if got := attr(byID(res.doc, "f-name"), "value"); got != "Ravi K." {
			t.Errorf("typed name lost: %q", got)
		}
		if got := selected(res.doc, "f-kind"); got != domain.KindTechnician {
			t.Errorf("typed kind lost: %q", got)
		}
		if got := checkedValues(res.doc, "entity_ids"); len(got) != 1 || got[0] != f.mumbai.ID {
			t.Errorf("typed entities lost: %q", got)
		}
		if got := hidden(res.doc, "record-form", "version"); got != "2" {
			t.Errorf("hidden version %q, want the stored 2", got)
		}
		u, _ := f.svc.User(f.admin, id)
		if u.Name != "Ravi Kumar Sr." || u.Kind != domain.KindUser || u.Version != 2 || len(u.EntityIDs) != 1 || u.EntityIDs[0] != f.pune.ID {
			t.Errorf("the refused save wrote: %+v", u)
		}

		// Save again: what was typed replaces what the other person saved.
		res = f.post(c, edit, formOf(res.doc, "record-form"))
		if res.status != http.StatusSeeOther {
			t.Fatalf("second save: %d %q", res.status, text(byID(res.doc, "form-errors")))
		}
		u, _ = f.svc.User(f.admin, id)
		if u.Name != "Ravi K." || u.Kind != domain.KindTechnician || u.Version != 3 || len(u.EntityIDs) != 1 || u.EntityIDs[0] != f.mumbai.ID {
			t.Errorf("second save: %+v", u)
		}
	})
}

func TestConflictAssetEdit(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		f := mustTenantsOn(t, kind)
		c := f.signedIn()
		id := f.airtelAsset.ID
		edit := "/assets/" + id + "/edit"
		form := formOf(f.get(c, edit).doc, "record-form")
		if _, err := f.svc.UpdateAsset(f.admin, id, 1, func(in domain.AssetInput) (domain.AssetInput, error) {
			in.Serial, in.AvailabilityMonitoring = "FOC-THEIRS", count2bool(true)
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		form.Set("name", "Mumbai core switch 2")
		form.Set("serial", "FOC-MINE")
		res := f.post(c, edit, form)
		wantConflict(t, res, "form-alert", edit, map[string][2]string{
			"Asset Name":              {"Mumbai core switch", "Mumbai core switch 2"},
			"Serial Number":           {"FOC-THEIRS", "FOC-MINE"},
			"Availability Monitoring": {"On", "Off"},
		})
		if attr(byID(res.doc, "f-name"), "value") != "Mumbai core switch 2" || attr(byID(res.doc, "f-serial"), "value") != "FOC-MINE" {
			t.Errorf("typed values lost")
		}
		if hasAttr(byID(res.doc, "f-availability-monitoring"), "checked") {
			t.Errorf("typed toggle lost")
		}
		if got := hidden(res.doc, "record-form", "version"); got != "2" {
			t.Errorf("hidden version %q", got)
		}
		if a, _ := f.svc.Asset(f.admin, id); a.Name != "Mumbai core switch" || a.Serial != "FOC-THEIRS" || a.Version != 2 {
			t.Errorf("the refused save wrote: %+v", a)
		}
		res = f.post(c, edit, formOf(res.doc, "record-form"))
		if res.status != http.StatusSeeOther {
			t.Fatalf("second save: %d %q", res.status, text(byID(res.doc, "form-errors")))
		}
		if a, _ := f.svc.Asset(f.admin, id); a.Name != "Mumbai core switch 2" || a.Serial != "FOC-MINE" || a.AvailabilityMonitoring || a.Version != 3 {
			t.Errorf("second save: %+v", a)
		}
	})
}

func count2bool(b bool) *bool { return &b }

// allocated returns the customer's allocation of type typ.
func (s *stack) allocated(customerID, typ string) int64 {
	s.t.Helper()
	ls, err := s.svc.CustomerLicenses(s.admin, customerID)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, l := range ls {
		if l.Type == typ {
			return l.Allocated
		}
	}
	return 0
}

// TestConflictCustomerEdit covers the Edit Customer sidebar's Submit, whose
// form holds the Customer Details, Settings and License Allocation steps:
// a change of the details behind its back (the version), and one of the
// allocation alone (which has no version: the counts the form showed).
func TestConflictCustomerEdit(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		s := mustStackOn(t, kind, service.FirstStart{OrgName: "Northwind MSP"}, false)
		c := s.signedIn()
		cust := s.MustCreateCustomer(domain.CustomerInput{Name: "Bharti", Code: "BHA01", Location: domain.Location{Country: "IN", City: "Delhi"}})
		edit := "/customers/" + cust.ID + "/edit"

		t.Run("Details", func(t *testing.T) {
			form := formOf(s.get(c, edit).doc, "customer-form")
			if form.Get("version") != "1" {
				t.Fatalf("version %q", form.Get("version"))
			}
			if _, err := s.svc.UpdateCustomer(s.admin, cust.ID, 1, func(in domain.CustomerInput) (domain.CustomerInput, error) {
				in.Name, in.Location.City = "Bharti Airtel", "New Delhi"
				return in, nil
			}); err != nil {
				t.Fatal(err)
			}
			form.Set("code", "BHA02")
			form["reports"] = []string{domain.ReportUsers}
			form.Set("licenses."+domain.LicenseUsers, "7")
			form.Set("op", "submit")
			res := s.post(c, edit, form)
			wantConflict(t, res, "form-alert", edit, map[string][2]string{
				"Customer Name":     {"Bharti Airtel", "Bharti"},
				"Code":              {"BHA01", "BHA02"},
				"City":              {"New Delhi", "Delhi"},
				"Supported Reports": {"Asset Inventory, Entity Directory, License Usage, Users", "Users"},
				"User Count":        {"1000", "7"},
			})
			for id, want := range map[string]string{"f-name": "Bharti", "f-code": "BHA02", "f-location-city": "Delhi", "f-licenses-users": "7"} {
				if got := attr(byID(res.doc, id), "value"); got != want {
					t.Errorf("typed %s lost: %q, want %q", id, got, want)
				}
			}
			if got := checkedValues(res.doc, "reports"); len(got) != 1 || got[0] != domain.ReportUsers {
				t.Errorf("typed reports lost: %q", got)
			}
			if got := hidden(res.doc, "customer-form", "version"); got != "2" {
				t.Errorf("hidden version %q", got)
			}
			now, _ := s.svc.Customer(s.admin, cust.ID)
			if now.Name != "Bharti Airtel" || now.Code != "BHA01" || now.Version != 2 || s.allocated(cust.ID, domain.LicenseUsers) != 1000 {
				t.Errorf("the refused save wrote: %+v", now)
			}
			again := formOf(res.doc, "customer-form")
			again.Set("op", "submit")
			res = s.post(c, edit, again)
			if res.status != http.StatusSeeOther {
				t.Fatalf("second save: %d %q", res.status, text(byID(res.doc, "form-errors")))
			}
			now, _ = s.svc.Customer(s.admin, cust.ID)
			if now.Name != "Bharti" || now.Code != "BHA02" || now.Location.City != "Delhi" || len(now.Reports) != 1 || now.Version != 3 ||
				s.allocated(cust.ID, domain.LicenseUsers) != 7 {
				t.Errorf("second save: %+v, users %d", now, s.allocated(cust.ID, domain.LicenseUsers))
			}
		})

		t.Run("Allocation", func(t *testing.T) {
			res := s.get(c, edit+"?step=licenses")
			form := formOf(res.doc, "customer-form")
			if got := form.Get("licenses_seen." + domain.LicenseITAssets); got != "1000" {
				t.Fatalf("seen allocation %q", got)
			}
			version := form.Get("version")
			// The API's PUT /customers/{id}/licenses changes the allocation
			// without the customer's version.
			if _, err := s.svc.SetCustomerLicenses(s.admin, cust.ID, domain.LicenseCounts{domain.LicenseITAssets: count(50)}); err != nil {
				t.Fatal(err)
			}
			form.Set("licenses."+domain.LicenseITAssets, "900")
			form.Set("op", "submit")
			res = s.post(c, edit, form)
			wantConflict(t, res, "form-alert", edit, map[string][2]string{"IT Asset Count": {"50", "900"}})
			if isHidden(res.doc, "step-licenses") {
				t.Errorf("the conflict left the step the person was on")
			}
			if got := attr(byID(res.doc, "f-licenses-it-assets"), "value"); got != "900" {
				t.Errorf("typed count lost: %q", got)
			}
			if got := hidden(res.doc, "customer-form", "licenses_seen."+domain.LicenseITAssets); got != "50" {
				t.Errorf("seen count %q, want the stored 50", got)
			}
			if got := hidden(res.doc, "customer-form", "version"); got != version {
				t.Errorf("version %q, want the unchanged %q", got, version)
			}
			if n := s.allocated(cust.ID, domain.LicenseITAssets); n != 50 {
				t.Errorf("the refused save allocated %d", n)
			}
			again := formOf(res.doc, "customer-form")
			again.Set("op", "submit")
			if res = s.post(c, edit, again); res.status != http.StatusSeeOther {
				t.Fatalf("second save: %d %q", res.status, text(byID(res.doc, "form-errors")))
			}
			if n := s.allocated(cust.ID, domain.LicenseITAssets); n != 900 {
				t.Errorf("second save allocated %d", n)
			}
		})
	})
}

// TestConflictEntityEdit covers the entity editor inside the Edit Customer
// sidebar: its own version, its own alert in the Entity Details panel.
func TestConflictEntityEdit(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		s := mustStackOn(t, kind, service.FirstStart{OrgName: "Northwind MSP"}, false)
		c := s.signedIn()
		cust := s.MustCreateCustomer(domain.CustomerInput{Name: "Bharti", Code: "BHA01"})
		e := s.MustCreateEntity(cust.ID, "Bharti Delhi")
		edit := "/customers/" + cust.ID + "/edit"
		form := formOf(s.get(c, edit+"?step=entities").doc, "customer-form")
		form.Set("op", "entity_edit:"+e.ID)
		res := s.post(c, edit, form)
		form = formOf(res.doc, "customer-form")
		if form.Get("entity.version") != "1" {
			t.Fatalf("editor version %q", form.Get("entity.version"))
		}
		if _, err := s.svc.UpdateEntity(s.admin, cust.ID, e.ID, 1, func(in domain.EntityInput) (domain.EntityInput, error) {
			in.Code = "DL"
			return in, nil
		}); err != nil {
			t.Fatal(err)
		}
		form.Set("entity.name", "Bharti New Delhi")
		form.Set("entity.type", domain.EntityRegion)
		form.Set("op", "entity_save")
		res = s.post(c, edit, form)
		wantConflict(t, res, "entity-alert", edit+"?step=entities", map[string][2]string{
			"Entity Name": {"Bharti Delhi", "Bharti New Delhi"},
			"Entity Code": {"DL", "empty"},
			"Type":        {"Branch", "Region"},
		})
		if got := attr(byID(res.doc, "f-entity-name"), "value"); got != "Bharti New Delhi" {
			t.Errorf("typed name lost: %q", got)
		}
		if got := selected(res.doc, "f-entity-type"); got != domain.EntityRegion {
			t.Errorf("typed type lost: %q", got)
		}
		if got := hidden(res.doc, "entity-editor", "entity.version"); got != "2" {
			t.Errorf("editor version %q", got)
		}
		if now, _ := s.svc.Entity(s.admin, cust.ID, e.ID); now.Name != "Bharti Delhi" || now.Code != "DL" || now.Version != 2 {
			t.Errorf("the refused save wrote: %+v", now)
		}
		again := formOf(res.doc, "customer-form")
		again.Set("op", "entity_save")
		res = s.post(c, edit, again)
		if res.status != http.StatusOK || !strings.Contains(text(byID(res.doc, "entity-status")), "was saved") {
			t.Fatalf("second save: %d %q", res.status, text(byID(res.doc, "entity-alert")))
		}
		if now, _ := s.svc.Entity(s.admin, cust.ID, e.ID); now.Name != "Bharti New Delhi" || now.Code != "" || now.Type != domain.EntityRegion || now.Version != 3 {
			t.Errorf("second save: %+v", now)
		}
	})
}

func TestConflictOrgPool(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		s := mustStackOn(t, kind, service.FirstStart{OrgName: "Northwind MSP"}, false)
		c := s.signedIn()
		form := formOf(s.get(c, "/licenses").doc, "pool-form")
		if _, ok := form["pool_seen."+domain.LicenseUsers]; !ok {
			t.Fatalf("the form carries no seen pool: %v", form)
		}
		if _, err := s.svc.SetOrgPool(s.admin, domain.LicenseCounts{domain.LicenseUsers: count(5000)}); err != nil {
			t.Fatal(err)
		}
		form.Set("pool."+domain.LicenseITAssets, "4000")
		res := s.post(c, "/licenses", form)
		wantConflict(t, res, "form-alert", "/licenses", map[string][2]string{
			"Pool of " + domain.LicenseName(domain.LicenseUsers):    {"5000", "Unlimited"},
			"Pool of " + domain.LicenseName(domain.LicenseITAssets): {"Unlimited", "4000"},
		})
		if got := attr(byID(res.doc, "f-pool-it-assets"), "value"); got != "4000" {
			t.Errorf("typed pool lost: %q", got)
		}
		if got := attr(byID(res.doc, "f-pool-users"), "value"); got != "" {
			t.Errorf("typed (empty) pool lost: %q", got)
		}
		if got := hidden(res.doc, "pool-form", "pool_seen."+domain.LicenseUsers); got != "5000" {
			t.Errorf("seen pool %q, want the stored 5000", got)
		}
		pool := func(typ string) string {
			ls, err := s.svc.OrgLicenses(s.admin)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range ls {
				if l.Type == typ && l.Pool != nil {
					return strconv.FormatInt(*l.Pool, 10)
				}
			}
			return ""
		}
		if pool(domain.LicenseUsers) != "5000" || pool(domain.LicenseITAssets) != "" {
			t.Errorf("the refused save wrote: users %q, it %q", pool(domain.LicenseUsers), pool(domain.LicenseITAssets))
		}
		if res = s.post(c, "/licenses", formOf(res.doc, "pool-form")); res.status != http.StatusSeeOther {
			t.Fatalf("second save: %d %q", res.status, text(byID(res.doc, "form-errors")))
		}
		if pool(domain.LicenseUsers) != "" || pool(domain.LicenseITAssets) != "4000" {
			t.Errorf("second save: users %q, it %q", pool(domain.LicenseUsers), pool(domain.LicenseITAssets))
		}
	})
}

func TestConflictOrgSettings(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		s := mustStackOn(t, kind, service.FirstStart{OrgName: "Northwind MSP"}, false)
		c := s.signedIn()
		form := formOf(s.get(c, "/settings").doc, "org-settings-form")
		before, _ := s.svc.OrgSettings(s.admin)
		name := "Northwind Two"
		if _, err := s.svc.UpdateOrgSettings(s.admin, service.OrgPatch{Name: &name}, before.Version); err != nil {
			t.Fatal(err)
		}
		form.Set("name", "Northwind Managed Services")
		res := s.postMultipart(c, "/settings", form, nil)
		wantConflict(t, res, "form-alert", "/settings", map[string][2]string{
			"Organization name": {"Northwind Two", "Northwind Managed Services"},
		})
		if got := attr(byID(res.doc, "f-org-name"), "value"); got != "Northwind Managed Services" {
			t.Errorf("typed name lost: %q", got)
		}
		want := strconv.FormatInt(before.Version+1, 10)
		if got := hidden(res.doc, "org-settings-form", "version"); got != want {
			t.Errorf("hidden version %q, want %s", got, want)
		}
		if o, _ := s.svc.OrgSettings(s.admin); o.Name != "Northwind Two" {
			t.Errorf("the refused save wrote: %+v", o)
		}
		if res = s.postMultipart(c, "/settings", formOf(res.doc, "org-settings-form"), nil); res.status != http.StatusSeeOther {
			t.Fatalf("second save: %d %q", res.status, text(byID(res.doc, "form-errors")))
		}
		if o, _ := s.svc.OrgSettings(s.admin); o.Name != "Northwind Managed Services" || !o.MSPEnabled {
			t.Errorf("second save: %+v", o)
		}
	})
}

// TestConflictRefusalKeepsVersion holds a refusal that is not a conflict
// (a bad logo, refused before the settings are saved) to the version the
// form was opened with, so that it cannot hide a change made meanwhile: the
// next Save is the conflict.
func TestConflictRefusalKeepsVersion(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		s := mustStackOn(t, kind, service.FirstStart{OrgName: "Northwind MSP"}, false)
		c := s.signedIn()
		form := formOf(s.get(c, "/settings").doc, "org-settings-form")
		opened := form.Get("version")
		name := "Northwind Two"
		if _, err := s.svc.UpdateOrgSettings(s.admin, service.OrgPatch{Name: &name}, 0); err != nil {
			t.Fatal(err)
		}
		form.Set("name", "Northwind Managed Services")
		res := s.postMultipart(c, "/settings", form, map[string][]byte{domain.LogoFull: logotest.Text()})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		if got := hidden(res.doc, "org-settings-form", "version"); got != opened {
			t.Errorf("a refused save moved the version from %s to %q", opened, got)
		}
		res = s.postMultipart(c, "/settings", formOf(res.doc, "org-settings-form"), nil)
		wantConflict(t, res, "form-alert", "/settings", map[string][2]string{
			"Organization name": {"Northwind Two", "Northwind Managed Services"},
		})
	})
}
