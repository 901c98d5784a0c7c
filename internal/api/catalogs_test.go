package api_test

import (
	"slices"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
)

// keysOf returns the keys of a catalog list response.
func keysOf(t *testing.T, res apptest.Response) []string {
	t.Helper()
	wantStatus(t, res, 200)
	var keys []string
	for _, it := range res.JSON(t)["items"].([]any) {
		e := it.(map[string]any)
		if e["name"] == "" || e["description"] == "" {
			t.Errorf("catalog entry without a name or description: %v", e)
		}
		keys = append(keys, e["key"].(string))
	}
	return keys
}

func strList(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestSupportedReportsAndDashboards covers a customer's supported reports and
// dashboards: the default, a choice, bad keys (422, nothing changed), the
// merge patch, and the catalogs each caller lists.
func TestSupportedReportsAndDashboards(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newLogoWorld(t, app) // A and B created without a choice
		allReports, allDashboards := domain.CatalogKeys(domain.Reports), domain.CatalogKeys(domain.Dashboards)

		a := w.admin.Do("GET", "/api/v1/customers/"+w.a.ID, nil, nil).JSON(t)
		if got := strList(a["reports"]); !slices.Equal(got, allReports) {
			t.Errorf("default reports = %v, want the whole catalog %v", got, allReports)
		}
		if got := strList(a["dashboards"]); !slices.Equal(got, allDashboards) {
			t.Errorf("default dashboards = %v, want %v", got, allDashboards)
		}

		// A choice, out of order and with a repeat, is kept in catalog order.
		body := map[string]any{"name": "Chosen", "code": "CHOSEN", "reports": []string{"users", "license_usage", "users"}, "dashboards": []string{}}
		c := createCustomer(t, w.admin, body)
		if got := strList(c["reports"]); !slices.Equal(got, []string{"license_usage", "users"}) {
			t.Errorf("chosen reports = %v", got)
		}
		if got := c["dashboards"].([]any); len(got) != 0 {
			t.Errorf("no dashboards chosen, got %v", got)
		}

		// Keys outside the catalog: 422 naming each, nothing written.
		before := customerCount(t, w.admin)
		p := wantProblem(t, w.admin.Do("POST", "/api/v1/customers", map[string]any{"name": "Bad", "code": "BADCAT",
			"reports": []string{"license_usage", "policy_audit"}, "dashboards": []string{"nccm"}}, nil), 422, "validation")
		if got := fieldCodes(t, p); got["reports[1]"] != domain.FieldUnknown || got["dashboards[0]"] != domain.FieldUnknown || len(got) != 2 {
			t.Errorf("field errors = %v", got)
		}
		if after := customerCount(t, w.admin); after != before {
			t.Errorf("customers %d → %d after a refused create", before, after)
		}
		wantProblem(t, w.admin.Do("POST", "/api/v1/customers", map[string]any{"name": "Bad", "code": "BADCAT", "reports": "users"}, nil), 422, "validation")
		p = wantProblem(t, w.admin.Do("PATCH", "/api/v1/customers/"+w.a.ID, map[string]any{"dashboards": []string{"customer_overview", "sales"}}, nil), 422, "validation")
		if got := fieldCodes(t, p); got["dashboards[1]"] != domain.FieldUnknown {
			t.Errorf("patch field errors = %v", got)
		}
		if got := strList(w.admin.Do("GET", "/api/v1/customers/"+w.a.ID, nil, nil).JSON(t)["dashboards"]); !slices.Equal(got, allDashboards) {
			t.Errorf("a refused patch changed dashboards to %v", got)
		}

		// A narrows to one report and no dashboard: its people list only that.
		wantStatus(t, w.admin.Do("PATCH", "/api/v1/customers/"+w.a.ID, map[string]any{"reports": []string{"license_usage"}, "dashboards": []string{}}, nil), 200)
		for _, who := range []*apptest.Client{w.aUser, w.aAdmin} {
			if got := keysOf(t, who.Do("GET", "/api/v1/reports", nil, nil)); !slices.Equal(got, []string{"license_usage"}) {
				t.Errorf("A's reports = %v", got)
			}
			if got := keysOf(t, who.Do("GET", "/api/v1/dashboards", nil, nil)); len(got) != 0 {
				t.Errorf("A's dashboards = %v, want none", got)
			}
		}
		// Organization users list the whole catalogs, whatever customers support.
		for _, who := range []*apptest.Client{w.admin, w.technician} {
			if got := keysOf(t, who.Do("GET", "/api/v1/reports", nil, nil)); !slices.Equal(got, allReports) {
				t.Errorf("organization reports = %v", got)
			}
			if got := keysOf(t, who.Do("GET", "/api/v1/dashboards", nil, nil)); !slices.Equal(got, allDashboards) {
				t.Errorf("organization dashboards = %v", got)
			}
		}
		// null resets to the whole catalog.
		res := w.admin.Do("PATCH", "/api/v1/customers/"+w.a.ID, map[string]any{"reports": nil, "dashboards": nil}, map[string]string{"Content-Type": "application/merge-patch+json"})
		wantStatus(t, res, 200)
		if got := strList(res.JSON(t)["reports"]); !slices.Equal(got, allReports) {
			t.Errorf("reports after null = %v", got)
		}
		if got := keysOf(t, w.aUser.Do("GET", "/api/v1/dashboards", nil, nil)); !slices.Equal(got, allDashboards) {
			t.Errorf("A's dashboards after reset = %v", got)
		}
	})
}
