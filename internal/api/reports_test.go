package api_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/api"
	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/service"
)

// reportWorld is two customers with entities, users and assets, the
// organization's own asset and user, and the callers that run reports.
type reportWorld struct {
	app                *apptest.App
	admin              *apptest.Client
	a, b               domain.Customer
	alpha, beta, gamma domain.Entity
	// A's user of the whole customer, one narrowed to Alpha, and B's.
	aUser, aNarrow, bUser *apptest.Client
}

func newReportWorld(t *testing.T, app *apptest.App) *reportWorld {
	t.Helper()
	svc, org := app.Service, app.AdminContext()
	w := &reportWorld{app: app, admin: app.AdminClient(t)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	w.a, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Acme Reports", Code: "ACMEREP"}, Licenses: apptest.Roomy()})
	must(err)
	w.b, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Bravo Reports", Code: "BRAVOREP"}, Licenses: apptest.Roomy()})
	must(err)
	w.alpha, err = svc.CreateEntity(org, w.a.ID, domain.EntityInput{Name: "Alpha Straße", Code: "ALPHA", Type: domain.EntityBranch,
		BusinessEmail: "alpha@acme.example", Phone: "+91 80 4000 1000",
		Location: domain.Location{Name: "HQ", Country: "India", State: "Karnataka", City: "Bengaluru", PinCode: "560001", AddressLine1: "1 MG Road"}})
	must(err)
	w.beta, err = svc.CreateEntity(org, w.a.ID, domain.EntityInput{Name: "Beta", Type: domain.EntityDepartment})
	must(err)
	w.gamma, err = svc.CreateEntity(org, w.b.ID, domain.EntityInput{Name: "Gamma", Type: domain.EntityRegion})
	must(err)
	on, off := true, false
	for _, in := range []domain.AssetInput{
		{Name: "Zeta server", Class: domain.AssetIT, CustomerID: w.a.ID, EntityID: w.alpha.ID, AvailabilityMonitoring: &on, Serial: "SN-1", IPAddress: "10.0.0.1"},
		{Name: "=HYPERLINK(\"http://evil\")", Class: domain.AssetIT, CustomerID: w.a.ID, EntityID: w.alpha.ID, PerformanceMonitoring: &on},
		{Name: "Phone", Class: domain.AssetMobile, CustomerID: w.a.ID, EntityID: w.alpha.ID},
		{Name: "Chair", Class: domain.AssetNonIT, CustomerID: w.a.ID, EntityID: w.alpha.ID},
		{Name: "Desk", Class: domain.AssetNonIT, CustomerID: w.a.ID, EntityID: w.beta.ID, AvailabilityMonitoring: &off},
		{Name: "Printer", Class: domain.AssetNonIT, CustomerID: w.a.ID},
		{Name: "Router", Class: domain.AssetIT, CustomerID: w.b.ID, EntityID: w.gamma.ID, Serial: "B-SECRET"},
		{Name: "Rack PDU", Class: domain.AssetNonIT},
	} {
		_, err := svc.CreateAsset(org, in)
		must(err)
	}
	signIn := func(in domain.UserInput) *apptest.Client {
		t.Helper()
		in.Password = leakPassword
		_, err := svc.CreateUser(org, in)
		must(err)
		c := app.Client(t)
		wantStatus(t, c.Do("POST", "/api/v1/auth/login", map[string]string{"email": in.Email, "password": leakPassword}, nil), 200)
		return c
	}
	w.aUser = signIn(domain.UserInput{Email: "whole@acme.example", Name: "Whole Acme", Role: domain.RoleCustomerUser, CustomerID: w.a.ID})
	w.aNarrow = signIn(domain.UserInput{Email: "alpha@acme.example", Name: "Alpha Only", Role: domain.RoleCustomerUser, CustomerID: w.a.ID, EntityIDs: []string{w.alpha.ID}})
	signIn(domain.UserInput{Email: "both@acme.example", Name: "Both Ents", Kind: domain.KindTechnician, Role: domain.RoleCustomerAdmin, CustomerID: w.a.ID,
		EntityIDs: []string{w.beta.ID, w.alpha.ID}})
	w.bUser = signIn(domain.UserInput{Email: "user@bravo.example", Name: "Bravo User", Role: domain.RoleCustomerUser, CustomerID: w.b.ID, EntityIDs: []string{w.gamma.ID}})
	inactive := false
	_, err = svc.CreateUser(org, domain.UserInput{Email: "-tech@msp.example", Name: "@Org Tech", Role: domain.RoleTechnician, IsActive: &inactive, Password: leakPassword})
	must(err)
	return w
}

// reportRows is a report's rows as text (null as "", booleans as
// true/false), in the order the answer gave them.
type reportRows [][]string

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	panic(fmt.Sprintf("cell %T", v))
}

// runJSON runs a report as JSON and returns the document and its rows.
func runJSON(t *testing.T, c *apptest.Client, key, query string) (map[string]any, reportRows, reportRows) {
	t.Helper()
	res := c.Do("GET", "/api/v1/reports/"+key+query, nil, nil)
	wantStatus(t, res, 200)
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s%s: Content-Type %q", key, query, ct)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s%s: Cache-Control %q", key, query, cc)
	}
	doc := res.JSON(t)
	cols := func(name string) []string {
		var out []string
		for _, c := range doc[name].([]any) {
			out = append(out, c.(map[string]any)["key"].(string))
		}
		return out
	}
	rows := func(name string, keys []string) reportRows {
		var out reportRows
		list, _ := doc[name].([]any)
		for _, r := range list {
			m := r.(map[string]any)
			if len(m) != len(keys) {
				t.Errorf("%s row %v has %d members, want %d", name, m, len(m), len(keys))
			}
			var row []string
			for _, k := range keys {
				row = append(row, cell(m[k]))
			}
			out = append(out, row)
		}
		return out
	}
	main := rows("rows", cols("columns"))
	if n := doc["row_count"].(float64); int(n) != len(main) {
		t.Errorf("%s: row_count %v, %d rows", key, n, len(main))
	}
	var summary reportRows
	if doc["summary_columns"] != nil {
		summary = rows("summary", cols("summary_columns"))
	}
	return doc, main, summary
}

// runCSV runs a report as CSV and returns its header and records.
func runCSV(t *testing.T, c *apptest.Client, key, query string) ([]string, reportRows) {
	t.Helper()
	res := c.Do("GET", "/api/v1/reports/"+key+query+"&format=csv", nil, nil)
	wantStatus(t, res, 200)
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", key, ct)
	}
	if !regexp.MustCompile(`^attachment; filename="` + key + `-[A-Za-z0-9]+-\d{4}-\d{2}-\d{2}\.csv"$`).MatchString(res.Header.Get("Content-Disposition")) {
		t.Errorf("%s: Content-Disposition %q", key, res.Header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: CSV: %v", key, err)
	}
	return recs[0], recs[1:]
}

// expected recounts every report from the records the service lists to
// the organization admin, as the caller (scope) would see them.
type scopeOf struct {
	customerID string // "" all
	entityID   string // a narrowed caller's one entity
}

func expectedReport(t *testing.T, w *reportWorld, key string, sc scopeOf) (reportRows, reportRows) {
	t.Helper()
	svc, org := w.app.Service, w.app.AdminContext()
	custs := map[string]domain.Customer{}
	ents := map[string]domain.Entity{}
	for _, c := range []domain.Customer{w.a, w.b} {
		c, err := svc.Customer(org, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		custs[c.ID] = c
		page, err := svc.ListEntities(org, c.ID, domain.EntityFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Items {
			ents[e.ID] = e
		}
	}
	inScope := func(customerID string) bool {
		return sc.customerID == "" || customerID == sc.customerID
	}
	custName := func(id string) string {
		if id == "" {
			return service.OrganizationGroup
		}
		return custs[id].Name
	}
	custKey := func(id string) string {
		if id == "" {
			return ""
		}
		return custs[id].NameKey()
	}
	type keyed struct {
		keys []string
		row  []string
	}
	var out []keyed
	var summary []keyed
	b := strconv.FormatBool
	switch key {
	case domain.ReportLicenseUsage:
		for _, c := range custs {
			if !inScope(c.ID) {
				continue
			}
			ls, err := svc.CustomerLicenses(org, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range ls {
				out = append(out, keyed{[]string{c.NameKey(), c.ID, fmt.Sprintf("%02d", i)}, []string{c.ID, c.Name, c.Code, l.Type, domain.LicenseName(l.Type),
					fmt.Sprint(l.Allocated), fmt.Sprint(l.Used), fmt.Sprint(l.Available()), fmt.Sprint(l.PercentUsed())}})
			}
		}
	case domain.ReportAssetInventory:
		page, err := svc.ListAssets(org, domain.AssetFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		tally := map[[3]string]int{}
		for _, a := range page.Items {
			if (sc.customerID != "" && a.CustomerID != sc.customerID) || (sc.entityID != "" && a.EntityID != sc.entityID) {
				continue
			}
			e := ents[a.EntityID]
			cls := strconv.Itoa(slices.Index(domain.AssetClasses, a.Class))
			k := []string{custKey(a.CustomerID), a.CustomerID, e.NameKey(), e.ID, cls}
			out = append(out, keyed{append(k, a.NameKey(), a.ID), []string{a.CustomerID, custName(a.CustomerID), a.EntityID, e.Name, a.Class, a.ID, a.Name,
				b(a.AvailabilityMonitoring), b(a.PerformanceMonitoring), a.Serial, a.IPAddress}})
			if tally[[3]string{a.CustomerID, a.EntityID, a.Class}]++; tally[[3]string{a.CustomerID, a.EntityID, a.Class}] == 1 {
				summary = append(summary, keyed{k, []string{a.CustomerID, custName(a.CustomerID), a.EntityID, e.Name, a.Class}})
			}
		}
		for i := range summary {
			r := summary[i].row
			summary[i].row = append(r, strconv.Itoa(tally[[3]string{r[0], r[2], r[4]}]))
		}
	case domain.ReportUsers:
		page, err := svc.ListUsers(org, domain.UserFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Items {
			if sc.customerID != "" && u.CustomerID != sc.customerID || sc.entityID != "" && !slices.Contains(u.EntityIDs, sc.entityID) {
				continue
			}
			var mine []domain.Entity
			for _, id := range u.EntityIDs {
				if sc.entityID == "" || id == sc.entityID {
					mine = append(mine, ents[id])
				}
			}
			slices.SortFunc(mine, func(x, y domain.Entity) int {
				return cmp.Or(cmp.Compare(x.NameKey(), y.NameKey()), cmp.Compare(x.ID, y.ID))
			})
			var names, keys []string
			for _, e := range mine {
				names, keys = append(names, e.Name), append(keys, e.NameKey())
			}
			entities := strings.Join(names, "; ")
			if entities == "" && u.CustomerID != "" {
				entities = service.WholeCustomer
			}
			out = append(out, keyed{[]string{custKey(u.CustomerID), u.CustomerID, strings.Join(keys, "\x1f"), u.Kind, u.Role, u.Email, u.ID},
				[]string{u.CustomerID, custName(u.CustomerID), entities, u.ID, u.Email, u.Name, u.Kind, u.Role, b(u.IsActive)}})
		}
	case domain.ReportEntityDirectory:
		for _, e := range ents {
			if !inScope(e.CustomerID) || sc.entityID != "" && e.ID != sc.entityID {
				continue
			}
			l := e.Location
			out = append(out, keyed{[]string{custKey(e.CustomerID), e.CustomerID, e.NameKey(), e.ID}, []string{e.CustomerID, custName(e.CustomerID), e.ID, e.Name, e.Code, e.Type,
				b(e.IsActive), e.BusinessEmail, e.Phone, l.Name, l.AddressLine1, l.AddressLine2, l.Landmark, l.City, l.District, l.State, l.Region, l.PinCode, l.Country}})
		}
	}
	sorted := func(ks []keyed) reportRows {
		slices.SortFunc(ks, func(x, y keyed) int { return slices.Compare(x.keys, y.keys) })
		var rows reportRows
		for _, k := range ks {
			rows = append(rows, k.row)
		}
		return rows
	}
	return sorted(out), sorted(summary)
}

func diffRows(t *testing.T, what string, got, want reportRows) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d\ngot  %q\nwant %q", what, len(got), len(want), got, want)
		return
	}
	for i := range got {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("%s: row %d\ngot  %q\nwant %q", what, i, got[i], want[i])
		}
	}
}

// TestReportFigures runs every report as every kind of caller, as JSON and
// as CSV, and holds each to a recount of the records: all customers for
// the organization, one customer when named, a customer's own only for
// its people (a user narrowed to an entity, that entity's only).
func TestReportFigures(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newReportWorld(t, app)
		cases := []struct {
			name  string
			c     *apptest.Client
			query string
			sc    scopeOf
		}{
			{"org all", w.admin, "?", scopeOf{}},
			{"org A", w.admin, "?customer_id=" + w.a.ID, scopeOf{customerID: w.a.ID}},
			{"org B", w.admin, "?customer_id=" + w.b.ID, scopeOf{customerID: w.b.ID}},
			{"A user", w.aUser, "?", scopeOf{customerID: w.a.ID}},
			{"A user naming A", w.aUser, "?customer_id=" + w.a.ID, scopeOf{customerID: w.a.ID}},
			{"A narrowed", w.aNarrow, "?", scopeOf{customerID: w.a.ID, entityID: w.alpha.ID}},
			{"B user", w.bUser, "?", scopeOf{customerID: w.b.ID, entityID: w.gamma.ID}},
		}
		for _, key := range domain.CatalogKeys(domain.Reports) {
			for _, tc := range cases {
				if key == domain.ReportLicenseUsage && tc.sc.entityID != "" {
					// A narrowed caller sees its customer's whole figures.
					tc.sc.entityID = ""
				}
				what := key + " as " + tc.name
				want, wantSummary := expectedReport(t, w, key, tc.sc)
				if len(want) == 0 {
					t.Fatalf("%s: the world has nothing to report", what)
				}
				doc, rows, summary := runJSON(t, tc.c, key, tc.query)
				diffRows(t, what+" (JSON)", rows, want)
				if key == domain.ReportAssetInventory {
					diffRows(t, what+" (summary)", summary, wantSummary)
				}
				scope := doc["scope"].(map[string]any)
				if all := tc.sc.customerID == ""; scope["all"] != all || (!all && (scope["customer_id"] != tc.sc.customerID || scope["customer_name"] == nil)) {
					t.Errorf("%s: scope %v", what, scope)
				}
				if doc["report"] != key || doc["title"] == "" || doc["generated_at"] == nil {
					t.Errorf("%s: head %v", what, doc)
				}
				// CSV: the same rows, text cells guarded against formulas.
				var types []string
				var keys []string
				for _, c := range doc["columns"].([]any) {
					types = append(types, c.(map[string]any)["type"].(string))
					keys = append(keys, c.(map[string]any)["key"].(string))
				}
				header, recs := runCSV(t, tc.c, key, tc.query)
				if !slices.Equal(header, keys) {
					t.Errorf("%s: CSV header %v, want %v", what, header, keys)
				}
				guarded := make(reportRows, len(want))
				for i, r := range want {
					guarded[i] = slices.Clone(r)
					for j := range r {
						if types[j] == report.String {
							guarded[i][j] = report.CSVCell(r[j])
						}
					}
				}
				diffRows(t, what+" (CSV)", recs, guarded)
			}
		}

		// The organization's own records are in the all-customers report
		// as the Organization group, and nowhere else.
		_, rows, _ := runJSON(t, w.admin, domain.ReportAssetInventory, "")
		if rows[0][1] != service.OrganizationGroup || rows[0][6] != "Rack PDU" || rows[0][0] != "" {
			t.Errorf("first asset of all = %q, want the organization's Rack PDU", rows[0])
		}
		// License Usage is GET /customers/{id}/licenses, type by type.
		_, rows, _ = runJSON(t, w.aUser, domain.ReportLicenseUsage, "")
		lic := w.admin.Do("GET", "/api/v1/customers/"+w.a.ID+"/licenses", nil, nil).JSON(t)["items"].([]any)
		if len(lic) != len(rows) || len(rows) != len(domain.LicenseTypes) {
			t.Fatalf("%d license rows, %d licenses", len(rows), len(lic))
		}
		for i, it := range lic {
			m := it.(map[string]any)
			got := rows[i][3:]
			want := []string{m["type"].(string), domain.LicenseName(m["type"].(string)), cell(m["allocated"]), cell(m["used"]), cell(m["available"]), cell(m["percent_used"])}
			if !slices.Equal(got, want) {
				t.Errorf("license row %q, GET licenses %q", got, want)
			}
		}
		// Figures that a recount could get wrong the same way: A uses 3 IT
		// ... as created above.
		usedOf := map[string]string{}
		for _, r := range rows {
			usedOf[r[3]] = r[6]
		}
		if usedOf[domain.LicenseITAssets] != "2" || usedOf[domain.LicenseMobileDevices] != "1" || usedOf[domain.LicenseNonITAssets] != "3" ||
			usedOf[domain.LicenseUsers] != "2" || usedOf[domain.LicenseTechnicians] != "1" || usedOf[domain.LicenseAvailability] != "1" || usedOf[domain.LicensePerformance] != "1" {
			t.Errorf("A's use = %v", usedOf)
		}
		// A user of two entities lists both, by name; the narrowed caller
		// sees only the one it may.
		for _, tc := range []struct {
			c    *apptest.Client
			want string
		}{{w.aUser, "Alpha Straße; Beta"}, {w.aNarrow, "Alpha Straße"}} {
			_, rows, _ := runJSON(t, tc.c, domain.ReportUsers, "")
			found := false
			for _, r := range rows {
				if r[4] == "both@acme.example" {
					found = r[2] == tc.want
				}
			}
			if !found {
				t.Errorf("both@acme.example entities, want %q: %q", tc.want, rows)
			}
		}
		// The CSV guard: a formula-like name and email are quoted, the
		// JSON keeps them as they are.
		_, recs := runCSV(t, w.admin, domain.ReportAssetInventory, "?customer_id="+w.a.ID)
		if !slices.ContainsFunc(recs, func(r []string) bool { return r[6] == `'=HYPERLINK("http://evil")` }) {
			t.Errorf("the formula asset is not guarded: %q", recs)
		}
		_, recs = runCSV(t, w.admin, domain.ReportUsers, "?")
		if !slices.ContainsFunc(recs, func(r []string) bool { return r[4] == "'-tech@msp.example" && r[5] == "'@Org Tech" && r[8] == "false" }) {
			t.Errorf("the formula user is not guarded: %q", recs)
		}
	})
}

// TestReportScopeAndErrors: what a caller may not run is one 404, bad
// formats and parameters a 400, and nothing leaks into either.
func TestReportScopeAndErrors(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newReportWorld(t, app)
		path := "/api/v1/reports/"
		for _, c := range []*apptest.Client{w.aUser, w.aNarrow} {
			for _, key := range domain.CatalogKeys(domain.Reports) {
				b := wantProblem(t, c.Do("GET", path+key+"?customer_id="+w.b.ID, nil, nil), 404, "not-found")
				phantom := wantProblem(t, c.Do("GET", path+key+"?customer_id=01900000-0000-7000-8000-000000000000", nil, nil), 404, "not-found")
				if b["detail"] != phantom["detail"] {
					t.Errorf("another customer's id and a made-up one differ: %v / %v", b["detail"], phantom["detail"])
				}
				for _, f := range []string{"csv", "pdf"} {
					res := c.Do("GET", path+key+"?format="+f+"&customer_id="+w.b.ID, nil, nil)
					wantProblem(t, res, 404, "not-found")
					if res.Header.Get("Content-Disposition") != "" {
						t.Errorf("a refused %s report has Content-Disposition %q", f, res.Header.Get("Content-Disposition"))
					}
				}
			}
		}
		for _, c := range []*apptest.Client{w.admin, w.aUser} {
			wantProblem(t, c.Do("GET", path+"policy_audit", nil, nil), 404, "not-found")
			p := wantProblem(t, c.Do("GET", path+"users?format=xlsx", nil, nil), 400, "bad-format")
			if !strings.Contains(p["detail"].(string), "csv") {
				t.Errorf("bad format detail %q", p["detail"])
			}
			wantProblem(t, c.Do("GET", path+"users?limit=5", nil, nil), 400, "unknown-parameter")
		}
		// A report A does not support: 404 for A's people, still there for
		// the organization.
		wantStatus(t, w.admin.Do("PATCH", "/api/v1/customers/"+w.a.ID, map[string]any{"reports": []string{domain.ReportLicenseUsage}}, nil), 200)
		wantProblem(t, w.aUser.Do("GET", path+domain.ReportUsers, nil, nil), 404, "not-found")
		wantProblem(t, w.aUser.Do("GET", path+domain.ReportUsers+"?format=csv", nil, nil), 404, "not-found")
		wantStatus(t, w.aUser.Do("GET", path+domain.ReportLicenseUsage, nil, nil), 200)
		wantStatus(t, w.admin.Do("GET", path+domain.ReportUsers+"?customer_id="+w.a.ID, nil, nil), 200)
		// Nothing of B in any of A's answers.
		for _, key := range []string{domain.ReportLicenseUsage} {
			for _, f := range []string{"json", "csv"} {
				body := string(w.aUser.Do("GET", path+key+"?format="+f, nil, nil).Body)
				for _, s := range []string{w.b.ID, w.b.Name, w.b.Code, "B-SECRET"} {
					if strings.Contains(body, s) {
						t.Errorf("%s %s for A holds %q", key, f, s)
					}
				}
			}
		}
		// A trashed customer is not reported.
		wantStatus(t, w.admin.Do("DELETE", "/api/v1/customers/"+w.b.ID, nil, nil), 204)
		for _, key := range domain.CatalogKeys(domain.Reports) {
			body := string(w.admin.Do("GET", path+key, nil, nil).Body)
			if strings.Contains(body, w.b.ID) || strings.Contains(body, "B-SECRET") {
				t.Errorf("%s over all still holds the trashed customer", key)
			}
		}
		wantProblem(t, w.admin.Do("GET", path+domain.ReportUsers+"?customer_id="+w.b.ID, nil, nil), 404, "not-found")
	})
}

// pdfPages counts the page objects of a PDF.
func pdfPages(b []byte) int {
	return len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(b, -1))
}

// TestReportPDF: a PDF with the customer's logo, a title the document
// carries, many pages for a long report, and headers for a download.
func TestReportPDF(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newReportWorld(t, app)
		svc, org := app.Service, app.AdminContext()
		for i := range 150 {
			if _, err := svc.CreateAsset(org, domain.AssetInput{Name: fmt.Sprintf("Laptop %03d ünïcödé", i), Class: domain.AssetIT, CustomerID: w.a.ID, EntityID: w.beta.ID}); err != nil {
				t.Fatal(err)
			}
		}
		get := func(c *apptest.Client, q string) []byte {
			t.Helper()
			res := c.Do("GET", "/api/v1/reports/asset_inventory?format=pdf"+q, nil, nil)
			wantStatus(t, res, 200)
			if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
				t.Errorf("Content-Type %q", ct)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
			if !bytes.HasPrefix(res.Body, []byte("%PDF-")) || !bytes.Contains(res.Body[len(res.Body)-32:], []byte("%%EOF")) {
				t.Fatalf("not a PDF: %.40q", res.Body)
			}
			return res.Body
		}
		// A's logo, then A's report: the image is in it.
		logo := logotest.PNG(640, 160)
		wantStatus(t, put(w.admin, logoPath(w.a.ID, domain.LogoFull), "image/png", logo), 200)
		res := w.aUser.Do("GET", "/api/v1/reports/asset_inventory?format=pdf", nil, nil)
		day := time.Now().UTC().Format("2006-01-02")
		if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="asset_inventory-ACMEREP-`+day+`.pdf"`; got != want {
			t.Errorf("Content-Disposition %q, want %q", got, want)
		}
		a := get(w.aUser, "")
		if !bytes.Contains(a, []byte("/Title (Asset Inventory - Customer: Acme Reports \\(ACMEREP\\))")) {
			t.Errorf("A's PDF does not carry its title")
		}
		if !bytes.Contains(a, []byte("/Subtype /Image")) {
			t.Error("A's PDF has no logo")
		}
		if n := pdfPages(a); n < 3 {
			t.Errorf("156 assets on %d pages", n)
		}
		all := get(w.admin, "")
		if !bytes.Contains(all, []byte("/Title (Asset Inventory - All customers)")) {
			t.Error("the all-customers PDF does not carry its title")
		}
		if bytes.Contains(all, []byte("/Subtype /Image")) {
			t.Error("the all-customers PDF has a customer's logo")
		}
		// Every report as PDF, with the Go font embedded for UTF-8.
		for _, key := range domain.CatalogKeys(domain.Reports) {
			res := w.admin.Do("GET", "/api/v1/reports/"+key+"?format=pdf&customer_id="+w.a.ID, nil, nil)
			wantStatus(t, res, 200)
			if pdfPages(res.Body) < 1 || !bytes.Contains(res.Body, []byte("/FontFile2")) {
				t.Errorf("%s: PDF without pages or embedded font", key)
			}
		}
	})
}

// TestReportHeadersJSON: the JSON document's head and its Content-Type,
// and no Content-Disposition for JSON.
func TestReportJSONDocument(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newReportWorld(t, app)
		res := w.admin.Do("GET", "/api/v1/reports/asset_inventory?customer_id="+w.a.ID, nil, nil)
		wantStatus(t, res, 200)
		if res.Header.Get("Content-Disposition") != "" {
			t.Errorf("JSON has Content-Disposition %q", res.Header.Get("Content-Disposition"))
		}
		var doc struct {
			Report, Title string
			Scope         struct {
				All                                    bool
				CustomerID, CustomerCode, CustomerName *string `json:"-"`
			}
			GeneratedAt time.Time `json:"generated_at"`
			RowCount    int       `json:"row_count"`
		}
		dec := json.NewDecoder(bytes.NewReader(res.Body))
		if err := dec.Decode(&doc); err != nil || dec.More() {
			t.Fatalf("not one JSON document: %v", err)
		}
		if doc.Report != "asset_inventory" || doc.Title != "Asset Inventory" || doc.Scope.All || doc.RowCount != 6 || doc.GeneratedAt.IsZero() {
			t.Errorf("doc = %+v", doc)
		}
		m := res.JSON(t)
		if s := m["scope"].(map[string]any); s["customer_code"] != "ACMEREP" || s["customer_name"] != "Acme Reports" {
			t.Errorf("scope = %v", s)
		}
		if m["summary_title"] == "" || len(m["summary"].([]any)) != 5 {
			t.Errorf("summary = %v", m["summary"])
		}
		// An empty report is a complete document too.
		c := app.Service
		empty, err := c.RegisterCustomer(app.AdminContext(), service.NewCustomer{Customer: domain.CustomerInput{Name: "Empty", Code: "EMPTY"}})
		if err != nil {
			t.Fatal(err)
		}
		m = w.admin.Do("GET", "/api/v1/reports/asset_inventory?customer_id="+empty.ID, nil, nil).JSON(t)
		if len(m["rows"].([]any)) != 0 || len(m["summary"].([]any)) != 0 || m["row_count"] != 0.0 {
			t.Errorf("empty report = %v", m)
		}
		_, recs := runCSV(t, w.admin, domain.ReportEntityDirectory, "?customer_id="+empty.ID)
		if len(recs) != 0 {
			t.Errorf("empty CSV = %q", recs)
		}
	})
}

// brokenWriter is a client that goes away: every write fails.
type brokenWriter struct {
	header http.Header
	status int
	wrote  int
}

func (b *brokenWriter) Header() http.Header { return b.header }
func (b *brokenWriter) WriteHeader(s int)   { b.status = s }
func (b *brokenWriter) Write(p []byte) (int, error) {
	b.wrote++
	return 0, errors.New("connection reset by peer")
}

// TestReportAbortsAfterFirstByte: a report that fails once its bytes have
// started going out is cut (http.ErrAbortHandler), never ended like a
// whole answer; one that fails before is a problem.
func TestReportAbortsAfterFirstByte(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) { reportAborts(t, app) })
}

func reportAborts(t *testing.T, app *apptest.App) {
	w := newReportWorld(t, app)
	mux := http.NewServeMux()
	api.New(app.Service, api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
	serve := func(path string) (rec *brokenWriter, aborted bool) {
		rec = &brokenWriter{header: http.Header{}}
		req := httptest.NewRequest("GET", path, nil).WithContext(domain.WithPrincipal(context.Background(), app.Admin))
		defer func() {
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					t.Fatalf("%s panicked with %v", path, v)
				}
				aborted = true
			}
		}()
		mux.ServeHTTP(rec, req)
		return rec, false
	}
	for _, f := range []string{"json", "csv", "pdf"} {
		rec, aborted := serve("/api/v1/reports/users?format=" + f + "&customer_id=" + w.a.ID)
		if !aborted || rec.wrote == 0 {
			t.Errorf("%s: a failed write was not aborted (writes %d, status %d)", f, rec.wrote, rec.status)
		}
	}
	// Before the first byte: the problem, as always.
	rec, aborted := serve("/api/v1/reports/users?format=csv&customer_id=01900000-0000-7000-8000-000000000000")
	if aborted || rec.status != http.StatusNotFound || rec.header.Get("Content-Type") != "application/problem+json" || rec.header.Get("Content-Disposition") != "" {
		t.Errorf("a refused report: aborted %v, %d %q %q", aborted, rec.status, rec.header.Get("Content-Type"), rec.header.Get("Content-Disposition"))
	}
}
