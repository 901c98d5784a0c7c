package api_test

// The permission table: every route of the API, called by every built-in
// role and by custom roles, is allowed or denied exactly as the route's use
// case declares (service.UseCases) for the role the catalog gives the
// caller. Denied is 403 "forbidden"; allowed is anything but 403 (the
// requests name objects that do not exist, so an allowed call is mostly a
// 404 or a 422). A route without a declared use case fails the test.

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/custreg/custreg/internal/api"
	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

func TestPermissionTable(t *testing.T) {
	needs := service.UseCases()
	for _, rt := range api.Routes() {
		if rt.Public {
			continue
		}
		if _, ok := needs[rt.UseCase]; !ok {
			t.Fatalf("%s %s runs use case %q, which declares no need (service.UseCases)", rt.Method, rt.Path, rt.UseCase)
		}
	}
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := buildLeakWorld(t, app)
		svc, org := app.Service, app.AdminContext()
		// Organization users: the built-in technician, and a custom role
		// holding only assets.view (which must not open customers).
		for _, role := range []string{domain.RoleTechnician, "spare_role"} {
			email := strings.ReplaceAll(role, "_", "-") + "@msp.example"
			if _, err := svc.CreateUser(org, domain.UserInput{Email: email, Name: "Org " + role, Role: role, Password: leakPassword}); err != nil {
				t.Fatal(err)
			}
			w.callers["org "+role] = email
		}
		callers := maps.Clone(w.callers)
		callers["org_admin"] = ""
		var seq atomic.Int64
		var allowed, denied int
		for _, name := range slices.Sorted(maps.Keys(callers)) {
			t.Run(name, func(t *testing.T) {
				var c *apptest.Client
				var p domain.Principal
				if name == "org_admin" {
					c = app.AdminClient(t)
					p = whoAmI(t, c)
				} else {
					c = app.Client(t)
					res := c.Do("POST", "/api/v1/auth/login", map[string]string{"email": callers[name], "password": leakPassword}, nil)
					if res.Status != http.StatusOK {
						t.Fatalf("sign-in as %s: %d %s", name, res.Status, res.Body)
					}
					p = whoAmI(t, c)
				}
				for _, rt := range api.Routes() {
					if rt.Public {
						continue
					}
					want := needs[rt.UseCase].Allows(p)
					for _, rq := range leakRequests(t, rt) {
						path, body := rq.render(w.phantom, seq.Add(1))
						res := send(t, c, rq.method, path, body)
						switch {
						case want && res.Status == http.StatusForbidden:
							t.Errorf("%s %s (%s, needs %+v) is denied to %s, whose role allows it: %s", rq.method, rq.path, rt.UseCase, needs[rt.UseCase], name, res.Body)
						case !want && res.Status != http.StatusForbidden:
							t.Errorf("%s %s (%s, needs %+v) answered %d to %s, whose role does not allow it: %.200s", rq.method, rq.path, rt.UseCase, needs[rt.UseCase], res.Status, name, res.Body)
						case !want:
							wantProblemType(t, res, "forbidden")
							denied++
						default:
							allowed++
						}
					}
				}
			})
		}
		t.Logf("%d requests allowed and %d denied as the catalog says, over %d callers", allowed, denied, len(callers))

		// Anchors that hold the table itself to the catalog, for the cases
		// that were once wrong: an organization role holding only
		// assets.view does not open customers; a customer admin, whose
		// role grants entities.add, adds an entity to its own customer.
		anchors := []struct {
			caller, method, path string
			body                 any
			status               int
		}{
			{"org spare_role", "GET", "/api/v1/customers", nil, 403},
			{"org spare_role", "GET", "/api/v1/customers/" + w.real["A.customer"], nil, 403},
			{"org spare_role", "GET", "/api/v1/assets", nil, 200},
			{"org technician", "GET", "/api/v1/customers", nil, 200},
			{"org technician", "DELETE", "/api/v1/customers/" + w.real["A.customer"], nil, 403},
			{domain.RoleCustomerAdmin, "POST", "/api/v1/customers/" + w.real["A.customer"] + "/entities", map[string]any{"name": "Alpha Annex"}, 201},
			{domain.RoleCustomerUser, "POST", "/api/v1/customers/" + w.real["A.customer"] + "/entities", map[string]any{"name": "Alpha Shed"}, 403},
			{domain.RoleCustomerUser, "POST", "/api/v1/assets", map[string]any{"name": "Mine", "class": "it"}, 403},
			// The archive: a customer admin its own customer's, no one
			// without audit.view, no organization technician.
			{domain.RoleCustomerAdmin, "GET", "/api/v1/customers/" + w.real["A.customer"] + "/archive", nil, 200},
			{domain.RoleCustomerTechnician, "GET", "/api/v1/customers/" + w.real["A.customer"] + "/archive", nil, 403},
			{"org technician", "GET", "/api/v1/customers/" + w.real["A.customer"] + "/archive", nil, 403},
		}
		for _, a := range anchors {
			c := app.Client(t)
			if res := c.Do("POST", "/api/v1/auth/login", map[string]string{"email": callers[a.caller], "password": leakPassword}, nil); res.Status != http.StatusOK {
				t.Fatalf("sign-in as %s: %d", a.caller, res.Status)
			}
			if res := c.Do(a.method, a.path, a.body, nil); res.Status != a.status {
				t.Errorf("%s %s as %s = %d, want %d: %.200s", a.method, a.path, a.caller, res.Status, a.status, res.Body)
			}
		}
	})
}

// whoAmI is the caller as the service resolves it: its role's
// permissions and scope, read from GET /me and the role catalog.
func whoAmI(t *testing.T, c *apptest.Client) domain.Principal {
	t.Helper()
	res := c.Do("GET", "/api/v1/me", nil, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET /me: %d %s", res.Status, res.Body)
	}
	var me struct {
		ID         string `json:"id"`
		Role       string `json:"role"`
		CustomerID string `json:"customer_id"`
	}
	if err := json.Unmarshal(res.Body, &me); err != nil {
		t.Fatal(err)
	}
	p := domain.Principal{UserID: me.ID, Role: me.Role, CustomerID: me.CustomerID}
	res = c.Do("GET", "/api/v1/roles/"+me.Role, nil, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET /roles/%s: %d %s", me.Role, res.Status, res.Body)
	}
	var role domain.Role
	if err := json.Unmarshal(res.Body, &role); err != nil {
		t.Fatal(err)
	}
	p.Permissions, p.RoleScope = role.Permissions, role.Scope
	return p
}

func wantProblemType(t *testing.T, res apptest.Response, typ string) {
	t.Helper()
	var pr struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(res.Body, &pr) != nil || !strings.HasSuffix(pr.Type, ":"+typ) {
		t.Errorf("problem type = %q, want …:%s: %s", pr.Type, typ, res.Body)
	}
}
