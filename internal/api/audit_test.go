package api_test

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
)

// TestAuditLog covers GET /audit on both stores: what each caller sees,
// the filters, paging without gaps or repeats, CSV of everything the
// filters select, and bad queries.
func TestAuditLog(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newLogoWorld(t, app) // customers A and B, A's user and admin, a technician
		admin := w.admin
		patch := admin.Do("PATCH", "/api/v1/customers/"+w.a.ID, map[string]any{"website": "https://acme.example/"}, nil)
		wantStatus(t, patch, 200)
		wantStatus(t, admin.Do("POST", "/api/v1/customers/"+w.b.ID+"/entities", map[string]any{"name": "Bravo HQ"}, nil), 201)

		list := func(c *apptest.Client, q url.Values) []map[string]any {
			t.Helper()
			var out []map[string]any
			for {
				res := c.Do("GET", "/api/v1/audit?"+q.Encode(), nil, nil)
				wantStatus(t, res, 200)
				m := res.JSON(t)
				for _, it := range m["items"].([]any) {
					out = append(out, it.(map[string]any))
				}
				next, _ := m["next_cursor"].(string)
				if next == "" {
					return out
				}
				q.Set("cursor", next)
			}
		}
		all := list(admin, url.Values{"limit": {"3"}})
		seen := map[string]bool{}
		for i, e := range all {
			if seen[e["id"].(string)] {
				t.Fatalf("entry %v twice across pages", e["id"])
			}
			seen[e["id"].(string)] = true
			if i > 0 && e["id"].(string) >= all[i-1]["id"].(string) {
				t.Errorf("entries not newest first at %d", i)
			}
		}
		if whole := list(admin, url.Values{"limit": {"200"}}); len(whole) != len(all) {
			t.Errorf("paging by 3 gives %d entries, one page %d", len(all), len(whole))
		}
		// The patch is there with what changed.
		upd := list(admin, url.Values{"action": {"customer.update"}, "customer_id": {w.a.ID}})
		if len(upd) != 1 || upd[0]["before"].(map[string]any)["website"] != nil || upd[0]["after"].(map[string]any)["website"] != "https://acme.example/" ||
			upd[0]["actor"].(map[string]any)["email"] != apptest.AdminEmail {
			t.Errorf("the customer update entry = %v", upd)
		}
		// It names the request that wrote it, as the client saw it, and
		// where that request came from.
		if rid := patch.Header.Get("X-Request-Id"); len(upd) == 1 && (rid == "" || upd[0]["request_id"] != rid || upd[0]["client_addr"] != "127.0.0.1") {
			t.Errorf("the update entry's request = %v from %v; the response's X-Request-Id %q", upd[0]["request_id"], upd[0]["client_addr"], rid)
		}
		for _, e := range list(admin, url.Values{"customer_id": {w.b.ID}}) {
			if e["customer_id"] != w.b.ID {
				t.Errorf("customer_id=B gave %v", e)
			}
		}
		for _, e := range list(admin, url.Values{"target_type": {"entity"}}) {
			if e["target_type"] != "entity" {
				t.Errorf("target_type=entity gave %v", e)
			}
		}
		if got := list(admin, url.Values{"from": {"2000-01-01T00:00:00Z"}, "to": {"2000-01-02T00:00:00Z"}}); len(got) != 0 {
			t.Errorf("a range in 2000 holds %d entries", len(got))
		}
		// Every sign-in is there, with where it came from; A's admin's
		// own sign-in belongs to A's history.
		signins := list(admin, url.Values{"action": {"auth.signin"}})
		byEmail := map[string]map[string]any{}
		for _, e := range signins { // newest first: keep the newest of each
			if email := e["after"].(map[string]any)["email"].(string); byEmail[email] == nil {
				byEmail[email] = e
			}
		}
		if e := byEmail[apptest.AdminEmail]; e == nil || e["client_addr"] != "127.0.0.1" || e["request_id"] == nil {
			t.Errorf("the admin's sign-in over HTTP is not in the history with its address: %v", e)
		}
		if e := byEmail["admin@acme.example"]; e == nil || e["customer_id"] != w.a.ID {
			t.Errorf("A's admin's sign-in: %v", e)
		}
		for _, e := range signins {
			if strings.Contains(fmt.Sprint(e), "password") {
				t.Errorf("a sign-in entry holds a password: %v", e)
			}
		}
		// A's admin reads A's history only; B's is a 404; A's users none.
		for _, e := range list(w.aAdmin, url.Values{}) {
			if e["customer_id"] != w.a.ID {
				t.Errorf("A's admin sees %v", e)
			}
		}
		if n := len(list(w.aAdmin, url.Values{})); n == 0 {
			t.Errorf("A's admin sees no entry of A")
		}
		wantProblem(t, w.aAdmin.Do("GET", "/api/v1/audit?customer_id="+w.b.ID, nil, nil), 404, "not-found")
		wantProblem(t, w.aUser.Do("GET", "/api/v1/audit", nil, nil), 403, "forbidden")
		wantProblem(t, w.technician.Do("GET", "/api/v1/audit", nil, nil), 403, "forbidden")
		// CSV: every entry the filter selects, cells guarded.
		res := admin.Do("GET", "/api/v1/audit?format=csv&limit=1", nil, nil)
		wantStatus(t, res, 200)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("CSV Content-Type %q", res.Header.Get("Content-Type"))
		}
		recs, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// The CSV is read after the listing, and holds what was written
		// since (the reads themselves write nothing).
		if len(recs) != 1+len(all) {
			t.Errorf("CSV has %d records for %d entries", len(recs)-1, len(all))
		}
		if recs[0][4] != "action" || recs[0][11] != "client_addr" {
			t.Errorf("CSV header %v", recs[0])
		}
		// Bad queries.
		wantProblem(t, admin.Do("GET", "/api/v1/audit?cursor=nope", nil, nil), 400, "bad-cursor")
		wantProblem(t, admin.Do("GET", "/api/v1/audit?from=yesterday", nil, nil), 400, "bad-request")
		wantProblem(t, admin.Do("GET", "/api/v1/audit?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", nil, nil), 400, "bad-request")
		wantProblem(t, admin.Do("GET", "/api/v1/audit?format=xml", nil, nil), 400, "bad-format")
		wantProblem(t, admin.Do("GET", "/api/v1/audit?limit=500", nil, nil), 400, "bad-request")
	})
}
