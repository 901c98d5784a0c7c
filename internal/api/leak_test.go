package api_test

// The leak suite: tenant isolation checked over every route of the API.
//
// Two customers, A and B, get entities, users, assets and an API token. Then
// every customer-scoped role of A (and a user of A narrowed to one entity)
// signs in and calls every authenticated route of the router (api.Routes()),
// each aimed at B's objects: B's ids in the path, B's ids, names and codes
// in the query and the body. For each request the suite checks that
//   - nothing of B (or of the organization's own assets) is in the answer,
//     except what the request itself carried;
//   - the answer is the same, status and problem, as the answer to the same
//     request naming objects that do not exist (phantoms): so the caller
//     cannot even learn that B's objects exist;
// and at the end that nothing of B changed. A route the suite does not know
// how to aim at B (a new path parameter, or a write with no body recipe)
// fails the suite: new routes cannot slip past it.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/custreg/custreg/internal/api"
	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
)

const leakPassword = "a-long-enough-password"

// leakWorld is what the suite set up: the placeholder values of B's objects
// and of A's own, and the strings that must never reach A.
type leakWorld struct {
	real, phantom map[string]string // placeholder name → value
	secrets       []string          // B's and the organization's
	// Secrets only the narrowed user must not see: A's other entity's.
	southSecrets []string
	southAsset   string
	callers      map[string]string // caller name → email
	// adopted are secrets a successful write of A's gave to A as well.
	adopted map[string]bool
}

func TestLeakSuite(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := buildLeakWorld(t, app)
		before := leakSnapshot(t, app, w)
		var seq atomic.Int64
		callers := slices.Sorted(maps.Keys(w.callers))
		for _, name := range callers {
			t.Run(name, func(t *testing.T) {
				c := app.Client(t)
				res := c.Do("POST", "/api/v1/auth/login", map[string]string{"email": w.callers[name], "password": leakPassword}, nil)
				if res.Status != http.StatusOK {
					t.Fatalf("sign-in as %s: %d %s", name, res.Status, res.Body)
				}
				n := 0
				for _, rt := range api.Routes() {
					if rt.Public {
						continue
					}
					for _, rq := range leakRequests(t, rt) {
						n++
						checkLeak(t, c, w, rq, &seq)
					}
				}
				if n < len(api.Routes()) {
					t.Fatalf("only %d requests", n)
				}
				t.Logf("%d requests, each aimed at B and at nothing", n)
				if name == "narrowed" {
					checkNarrowed(t, c, w)
				}
				checkOwnArchive(t, c, w, name)
			})
		}
		if after := leakSnapshot(t, app, w); after != before {
			t.Errorf("B or the organization changed:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func buildLeakWorld(t *testing.T, app *apptest.App) *leakWorld {
	t.Helper()
	svc, org := app.Service, app.AdminContext()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A custom customer role, held by one of A's users.
	_, err := svc.CreateRole(org, domain.RoleInput{Key: "alpha_helper", Name: "Helper", Scope: domain.ScopeCustomer,
		Permissions: []string{"customers.view", "entities.view", "users.view", "assets.view", "assets.add", "assets.edit"}})
	must(err)
	_, err = svc.CreateRole(org, domain.RoleInput{Key: "spare_role", Name: "Spare", Scope: domain.ScopeOrganization,
		Permissions: []string{"assets.view"}})
	must(err)

	a, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Alpha Leakcheck", Code: "ALPHA1"},
		Entities: []domain.EntityInput{{Name: "Alpha North", Code: "AN1"}, {Name: "Alpha South", Code: "AS1"}}, Licenses: apptest.Roomy()})
	must(err)
	b, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Bravo Secretco", Code: "BRAVO9", Domain: "bravo-secret.example"},
		Entities: []domain.EntityInput{{Name: "Bravo Eastwing", Code: "BRAVOE7"}, {Name: "Bravo Westwing", Code: "BRAVOW7"}}, Licenses: apptest.Roomy()})
	must(err)
	aEnts, err := svc.ListEntities(org, a.ID, domain.EntityFilter{})
	must(err)
	bEnts, err := svc.ListEntities(org, b.ID, domain.EntityFilter{})
	must(err)
	north, south := aEnts.Items[0], aEnts.Items[1]
	east := bEnts.Items[0]

	user := func(email, role, customerID string, entities ...string) domain.User {
		t.Helper()
		u, err := svc.CreateUser(org, domain.UserInput{Email: email, Name: "Person " + strings.Split(email, "@")[0], Role: role,
			CustomerID: customerID, EntityIDs: entities, Password: leakPassword})
		must(err)
		return u
	}
	asset := func(name, class, customerID, entityID, serial string) domain.Asset {
		t.Helper()
		x, err := svc.CreateAsset(org, domain.AssetInput{Name: name, Class: class, CustomerID: customerID, EntityID: entityID, Serial: serial})
		must(err)
		return x
	}

	w := &leakWorld{callers: map[string]string{}, adopted: map[string]bool{}}
	for _, role := range []string{domain.RoleCustomerAdmin, domain.RoleCustomerTechnician, domain.RoleCustomerUser, "alpha_helper"} {
		email := strings.ReplaceAll(role, "_", "-") + "@alpha.example"
		user(email, role, a.ID)
		w.callers[role] = email
	}
	user("narrowed@alpha.example", domain.RoleCustomerTechnician, a.ID, north.ID)
	w.callers["narrowed"] = "narrowed@alpha.example"
	aOther := user("colleague@alpha.example", domain.RoleCustomerUser, a.ID, north.ID)
	aAsset := asset("Alpha Desktop", domain.AssetIT, a.ID, north.ID, "SN-ALPHA-1")
	southAsset := asset("Alpha Southprinter", domain.AssetNonIT, a.ID, south.ID, "SN-ALPHA-SOUTH")
	southUser := user("southpaw@alpha.example", domain.RoleCustomerUser, a.ID, south.ID)

	bAdmin := user("bravo.admin@bravo-secret.example", domain.RoleCustomerAdmin, b.ID)
	bUser := user("bravo.user@bravo-secret.example", domain.RoleCustomerUser, b.ID, east.ID)
	bAsset := asset("Bravo Laptop Zeta", domain.AssetIT, b.ID, east.ID, "SN-BRAVO-777")
	bPhone := asset("Bravo Phone Omega", domain.AssetMobile, b.ID, "", "SN-BRAVO-778")
	hq := asset("Headquarters Router", domain.AssetIT, "", "", "SN-ORG-1")
	// B's trash holds a user and an asset deleted on their own.
	bGoneUser := user("bravo.gone@bravo-secret.example", domain.RoleCustomerUser, b.ID, east.ID)
	must(svc.DeleteUser(org, bGoneUser.ID, 0))
	bGoneAsset := asset("Bravo Retired Kappa", domain.AssetIT, b.ID, east.ID, "SN-BRAVO-GONE")
	must(svc.DeleteAsset(org, bGoneAsset.ID, 0))
	_, bp, err := svc.Login(context.Background(), bAdmin.Email, leakPassword)
	must(err)
	bToken, _, err := svc.CreateToken(domain.WithPrincipal(context.Background(), bp), "bravo-automation")
	must(err)
	// Both customers are branded: B's logos must not show, nor be
	// changed, nor be told apart from no logo at all.
	var bLogos []string
	for _, kind := range domain.LogoKinds {
		for _, c := range []string{a.ID, b.ID} {
			_, err := svc.SetCustomerLogo(org, c, kind, logotest.PNG(640, 160), "image/png")
			must(err)
		}
		for _, original := range []bool{false, true} {
			img, err := svc.CustomerLogo(org, b.ID, kind, original, nil)
			must(err)
			bLogos = append(bLogos, img.SHA256)
		}
	}

	w.real = map[string]string{
		"B.customer": b.ID, "B.name": b.Name, "B.code": b.Code,
		"B.entity": east.ID, "B.entity.name": east.Name, "B.entity.code": east.Code,
		"B.user": bUser.ID, "B.asset": bAsset.ID, "B.trashed.user": bGoneUser.ID, "B.trashed.asset": bGoneAsset.ID, "B.token": bToken.ID, "role.custom": "spare_role",
		"A.customer": a.ID, "A.entity": north.ID, "A.user": aOther.ID, "A.asset": aAsset.ID,
	}
	w.phantom = map[string]string{}
	for k, v := range w.real {
		switch {
		case strings.HasPrefix(k, "A."):
			w.phantom[k] = v // A's own objects are the same in both
		case k == "B.name" || k == "B.entity.name":
			w.phantom[k] = "Phantom " + uuid.NewString()[:8]
		case k == "B.code" || k == "B.entity.code":
			w.phantom[k] = "PH" + strings.ToUpper(uuid.NewString()[:6])
		case k == "role.custom":
			w.phantom[k] = "phantom_role"
		default:
			w.phantom[k] = uuid.Must(uuid.NewV7()).String()
		}
	}
	w.secrets = []string{b.ID, b.Name, b.Code, b.Domain, east.ID, east.Name, east.Code, bEnts.Items[1].ID, bEnts.Items[1].Name,
		bAdmin.ID, bAdmin.Email, bAdmin.Name, bUser.ID, bUser.Email, bUser.Name, bAsset.ID, bAsset.Name, bAsset.Serial,
		bPhone.ID, bPhone.Name, bPhone.Serial, bToken.ID, bToken.Name, hq.ID, hq.Name, hq.Serial,
		bGoneUser.ID, bGoneUser.Email, bGoneAsset.ID, bGoneAsset.Name, bGoneAsset.Serial}
	w.secrets = append(w.secrets, bLogos...)
	w.southSecrets = []string{southAsset.ID, southAsset.Name, southAsset.Serial, southUser.ID, southUser.Email}
	w.southAsset = southAsset.ID
	// A day of license-usage history, so that the dashboards' trend has
	// B's rows to keep from A.
	if _, err := svc.SnapshotUsage(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w
}

// leakRequest is one request with ⟦placeholders⟧ for B's values.
type leakRequest struct {
	method, path string
	query        url.Values
	body         string // JSON, or ""
}

// pathParams aims each path parameter at B (or the organization's spare
// role); a parameter the suite does not know fails it.
func pathParams(t *testing.T, rt api.Route) string {
	t.Helper()
	p := strings.TrimPrefix(rt.Path, api.BasePath)
	re := regexp.MustCompile(`\{[a-z_]+\}`)
	return re.ReplaceAllStringFunc(p, func(param string) string {
		switch {
		case param == "{entity_id}":
			return "⟦B.entity⟧"
		case param == "{id}" && (strings.HasPrefix(p, "/customers/") || strings.HasPrefix(p, "/trash/customers/")):
			return "⟦B.customer⟧"
		case param == "{id}" && strings.HasPrefix(p, "/trash/users/"):
			return "⟦B.trashed.user⟧"
		case param == "{id}" && strings.HasPrefix(p, "/trash/assets/"):
			return "⟦B.trashed.asset⟧"
		case param == "{id}" && strings.HasPrefix(p, "/users/"):
			return "⟦B.user⟧"
		case param == "{id}" && strings.HasPrefix(p, "/assets/"):
			return "⟦B.asset⟧"
		case param == "{id}" && strings.HasPrefix(p, "/tokens/"):
			return "⟦B.token⟧"
		case param == "{key}" && strings.HasPrefix(p, "/roles/"):
			return "⟦role.custom⟧"
		case param == "{key}" && strings.HasPrefix(p, "/reports/"):
			return "⟦report⟧" // leakRequests runs every report of the catalog
		case param == "{key}" && strings.HasPrefix(p, "/dashboards/"):
			return "⟦dashboard⟧" // expanded to every key by leakRequests
		}
		t.Fatalf("the leak suite does not know how to aim %s of %s %s at customer B: teach it", param, rt.Method, rt.Path)
		return ""
	})
}

// queryVariants aims each query parameter of a list at B.
func queryVariants(t *testing.T, rt api.Route) []url.Values {
	t.Helper()
	out := []url.Values{{}}
	for _, p := range rt.Params {
		switch p {
		case "limit", "cursor", "sort":
		case "customer_id":
			out = append(out, url.Values{"customer_id": {"⟦B.customer⟧"}})
		case "entity_id":
			out = append(out, url.Values{"entity_id": {"⟦B.entity⟧"}}, url.Values{"customer_id": {"⟦A.customer⟧"}, "entity_id": {"⟦B.entity⟧"}})
		case "q":
			out = append(out, url.Values{"q": {"⟦B.name⟧"}}, url.Values{"q": {"⟦B.code⟧"}})
		case "name.*":
			out = append(out, url.Values{"name.eq": {"⟦B.name⟧"}}, url.Values{"name.in": {"⟦B.name⟧", "Alpha Leakcheck"}})
		case "code.*":
			out = append(out, url.Values{"code.eq": {"⟦B.code⟧"}})
		case "original":
			out = append(out, url.Values{"original": {"true"}})
		case "v":
			out = append(out, url.Values{"v": {"⟦B.code⟧"}})
		case "actor_id":
			out = append(out, url.Values{"actor_id": {"⟦B.user⟧"}})
		case "target_type", "action", "from", "to":
			// Narrow a list, never widen it past the caller's scope.
		case "format":
			if strings.HasPrefix(rt.Path, api.BasePath+"/reports/") {
				// CSV is plain text the suite can search; the PDF's text
				// is compressed, so it is checked for its status and
				// headers.
				out = append(out, url.Values{"format": {"csv"}}, url.Values{"format": {"pdf"}},
					url.Values{"format": {"csv"}, "customer_id": {"⟦B.customer⟧"}})
				break
			}
			out = append(out, url.Values{"format": {"json"}}, url.Values{"format": {"json"}, "customer_id": {"⟦B.customer⟧"}})
		case "filter":
			out = append(out, url.Values{"filter": {`{"or":[{"field":"name","op":"eq","value":"⟦B.name⟧"},{"field":"code","op":"contains","value":"⟦B.code⟧"}]}`}})
		default:
			t.Fatalf("the leak suite does not know how to aim query parameter %q of %s %s at customer B: teach it", p, rt.Method, rt.Path)
		}
	}
	return out
}

// writeBodies are the bodies each write is sent with, aimed at B; a write
// route missing here fails the suite. A body may also override the path.
var writeBodies = map[string][]struct{ path, body string }{
	"POST /tokens":        {{"", `{"name":"⟦B.name⟧"}`}},
	"PATCH /org/settings": {{"", `{"name":"⟦B.name⟧"}`}},
	"PUT /org/licenses":   {{"", `{"pool":{"it_assets":0,"users":1}}`}},
	"PUT /customers/{id}/licenses": {
		{"", `{"it_assets":0,"users":1000}`},
		{"/customers/⟦A.customer⟧/licenses", `{"it_assets":1000}`},
	},
	"POST /customers":       {{"", `{"name":"⟦B.name⟧","code":"⟦B.code⟧"}`}},
	"PATCH /customers/{id}": {{"", `{"name":"Renamed by A"}`}, {"", `{"is_active":false}`}},
	"POST /customers/{id}/entities": {
		{"", `{"name":"⟦B.entity.name⟧"}`},
		{"/customers/⟦A.customer⟧/entities", `{"name":"Probe ⟦seq⟧","code":"⟦B.entity.code⟧"}`},
	},
	"PATCH /customers/{id}/entities/{entity_id}": {
		{"", `{"name":"Renamed by A"}`},
		{"/customers/⟦A.customer⟧/entities/⟦B.entity⟧", `{"name":"Renamed by A"}`},
	},
	"POST /users": {
		{"", `{"email":"probe⟦seq⟧@alpha.example","name":"Probe","role":"customer_user","password":"a-long-enough-password","customer_id":"⟦B.customer⟧"}`},
		{"", `{"email":"probe⟦seq⟧@alpha.example","name":"Probe","role":"customer_user","password":"a-long-enough-password","entity_ids":["⟦B.entity⟧"]}`},
	},
	"POST /users/move": {
		{"", `{"ids":["⟦B.user⟧"],"customer_id":"⟦A.customer⟧"}`},
		{"", `{"ids":["⟦A.user⟧"],"customer_id":"⟦B.customer⟧"}`},
		{"", `{"ids":["⟦A.user⟧"],"customer_id":"⟦A.customer⟧","entity_ids":["⟦B.entity⟧"]}`},
	},
	"PATCH /users/{id}": {
		{"", `{"name":"Renamed by A"}`},
		{"/users/⟦A.user⟧", `{"customer_id":"⟦B.customer⟧"}`},
		{"/users/⟦A.user⟧", `{"entity_ids":["⟦B.entity⟧"]}`},
	},
	"POST /assets": {
		{"", `{"name":"Probe ⟦seq⟧","class":"it","customer_id":"⟦B.customer⟧"}`},
		{"", `{"name":"Probe ⟦seq⟧","class":"it","entity_id":"⟦B.entity⟧"}`},
		{"", `{"name":"Probe ⟦seq⟧","class":"it","customer_id":"⟦A.customer⟧","entity_id":"⟦B.entity⟧"}`},
	},
	"POST /assets/move": {
		{"", `{"ids":["⟦B.asset⟧"],"customer_id":"⟦A.customer⟧"}`},
		{"", `{"ids":["⟦A.asset⟧"],"customer_id":"⟦B.customer⟧"}`},
		{"", `{"ids":["⟦A.asset⟧"],"customer_id":"⟦A.customer⟧","entity_id":"⟦B.entity⟧"}`},
	},
	"PATCH /assets/{id}": {
		{"", `{"name":"Renamed by A"}`},
		{"/assets/⟦A.asset⟧", `{"customer_id":"⟦B.customer⟧"}`},
		{"/assets/⟦A.asset⟧", `{"entity_id":"⟦B.entity⟧"}`},
	},
	"POST /roles": {{"", `{"key":"probe_⟦seq⟧","name":"⟦B.name⟧","scope":"customer","permissions":["assets.view"]}`}},
	// An upload is the image itself; send gives it its media type.
	"PUT /customers/{id}/full_logo":      {{"", leakLogo}, {"/customers/⟦A.customer⟧/full_logo", leakLogo}},
	"PUT /customers/{id}/logomark":       {{"", leakLogo}, {"/customers/⟦A.customer⟧/logomark", leakLogo}},
	"PUT /org/full_logo":                 {{"", leakLogo}},
	"POST /trash/customers/{id}/restore": {{"", `{"name":"Restored by A"}`}},
	"POST /trash/users/{id}/restore":     {{"", ""}},
	"POST /trash/assets/{id}/restore":    {{"", ""}},
	"PUT /org/logomark":                  {{"", leakLogo}},
}

// leakLogo is the image the suite uploads.
var leakLogo = string(logotest.PNG(160, 40))

func leakRequests(t *testing.T, rt api.Route) []leakRequest {
	t.Helper()
	path := pathParams(t, rt)
	if rt.Method == http.MethodGet || rt.Method == http.MethodDelete {
		// A report's or dashboard's key names no one's object: each key
		// of the catalog is aimed at B through the query.
		paths := []string{path}
		for placeholder, catalog := range map[string][]domain.CatalogEntry{"⟦report⟧": domain.Reports, "⟦dashboard⟧": domain.Dashboards} {
			if !strings.Contains(path, placeholder) {
				continue
			}
			paths = nil
			for _, key := range domain.CatalogKeys(catalog) {
				paths = append(paths, strings.ReplaceAll(path, placeholder, key))
			}
		}
		var out []leakRequest
		for _, p := range paths {
			for _, q := range queryVariants(t, rt) {
				out = append(out, leakRequest{method: rt.Method, path: p, query: q})
			}
		}
		return out
	}
	key := rt.Method + " " + strings.TrimPrefix(rt.Path, api.BasePath)
	bodies, ok := writeBodies[key]
	if !ok {
		t.Fatalf("the leak suite has no body aimed at customer B for %s: teach it (writeBodies)", key)
	}
	var out []leakRequest
	for _, b := range bodies {
		p := path
		if b.path != "" {
			p = b.path
		}
		out = append(out, leakRequest{method: rt.Method, path: p, body: b.body})
	}
	return out
}

// render fills the placeholders with values (B's or the phantoms').
func (rq leakRequest) render(values map[string]string, seq int64) (path string, body string) {
	pairs := []string{"⟦seq⟧", fmt.Sprint(seq)}
	for k, v := range values {
		pairs = append(pairs, "⟦"+k+"⟧", v)
	}
	r := strings.NewReplacer(pairs...)
	q := url.Values{}
	for k, vs := range rq.query {
		for _, v := range vs {
			q.Add(k, r.Replace(v))
		}
	}
	path = api.BasePath + r.Replace(rq.path)
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return path, r.Replace(rq.body)
}

// shape is what two answers must share: the status and, for a problem, its
// type, detail and field errors, with the request's own values blanked.
func shape(res apptest.Response, values map[string]string) string {
	s := fmt.Sprint(res.Status)
	if res.Status < 300 {
		var list struct {
			Total *int64 `json:"total"`
		}
		if json.Unmarshal(res.Body, &list) == nil && list.Total != nil {
			s += fmt.Sprintf(" total %d", *list.Total)
		}
		return s
	}
	var p struct {
		Type   string `json:"type"`
		Detail string `json:"detail"`
		Errors []struct {
			Field, Code, Message string
		} `json:"errors"`
	}
	_ = json.Unmarshal(res.Body, &p)
	out, _ := json.Marshal(p)
	str := s + " " + string(out)
	for k, v := range values {
		str = strings.ReplaceAll(str, v, "⟦"+k+"⟧")
	}
	return str
}

func checkLeak(t *testing.T, c *apptest.Client, w *leakWorld, rq leakRequest, seq *atomic.Int64) {
	t.Helper()
	path, body := rq.render(w.real, seq.Add(1))
	real := send(t, c, rq.method, path, body)
	ppath, pbody := rq.render(w.phantom, seq.Add(1))
	phantom := send(t, c, rq.method, ppath, pbody)

	name := rq.method + " " + rq.path
	if len(rq.query) > 0 {
		name += "?" + rq.query.Encode()
	}
	if rq.body != "" {
		name += " " + rq.body
	}
	sent := path + " " + body
	answer := string(readable(t, real)) + " " + real.Header.Get("Location") + " " + real.Header.Get("ETag")
	for _, s := range w.secrets {
		if s != "" && !w.adopted[s] && !strings.Contains(sent, s) && strings.Contains(answer, s) {
			t.Errorf("%s: the answer holds %q, which is not the caller's: %d %s", name, s, real.Status, real.Body)
		}
	}
	if rq.method != http.MethodGet && real.Status < 300 {
		// A write that succeeded with one of B's values made it A's own
		// too (an entity code is unique per customer only, so A may take
		// B's): later answers that show A's record (a report of A's
		// entities) hold it rightly.
		for _, s := range w.secrets {
			if s != "" && strings.Contains(body, s) {
				w.adopted[s] = true
			}
		}
	}
	if got, want := shape(real, w.real), shape(phantom, w.phantom); got != want {
		t.Errorf("%s: aimed at B the answer differs from aimed at nothing, so B shows through:\nB:       %s\nnothing: %s", name, got, want)
	}
	if real.Status < 300 && (strings.Contains(sent, w.real["B.customer"]) || strings.Contains(sent, w.real["B.entity"]) ||
		strings.Contains(sent, w.real["B.user"]) || strings.Contains(sent, w.real["B.asset"]) || strings.Contains(sent, w.real["B.token"])) &&
		rq.method != http.MethodGet {
		t.Errorf("%s: a write aimed at B succeeded: %d %s", name, real.Status, real.Body)
	}
}

// readable is an answer's body as text to search: a zip's files (a
// customer's archive), decompressed, one after another.
func readable(t *testing.T, res apptest.Response) []byte {
	t.Helper()
	if res.Header.Get("Content-Type") != "application/zip" {
		return res.Body
	}
	zr, err := zip.NewReader(bytes.NewReader(res.Body), int64(len(res.Body)))
	if err != nil {
		t.Fatalf("a zip answer that does not open: %v", err)
	}
	var out []byte
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, b...), ' ')
	}
	return out
}

func send(t *testing.T, c *apptest.Client, method, path, body string) apptest.Response {
	t.Helper()
	if body == "" {
		return c.Do(method, path, nil, nil)
	}
	h := map[string]string{}
	if method == http.MethodPatch {
		h["Content-Type"] = "application/merge-patch+json"
	}
	if ct := http.DetectContentType([]byte(body)); strings.HasPrefix(ct, "image/") {
		h["Content-Type"] = ct // an upload
	}
	return c.Do(method, path, body, h)
}

// checkNarrowed: a user narrowed to North sees nothing of A's South.
func checkNarrowed(t *testing.T, c *apptest.Client, w *leakWorld) {
	t.Helper()
	for _, path := range []string{"/api/v1/assets", "/api/v1/users", "/api/v1/assets/" + w.southAsset,
		"/api/v1/reports/asset_inventory", "/api/v1/reports/users", "/api/v1/reports/entity_directory",
		"/api/v1/reports/asset_inventory?format=csv", "/api/v1/reports/users?format=csv", "/api/v1/reports/entity_directory?format=csv"} {
		res := c.Do("GET", path, nil, nil)
		for _, s := range w.southSecrets {
			if !strings.Contains(path, s) && strings.Contains(string(res.Body), s) {
				t.Errorf("GET %s: a user narrowed to North sees %q of South: %s", path, s, res.Body)
			}
		}
	}
	if res := c.Do("GET", "/api/v1/assets/"+w.southAsset, nil, nil); res.Status != http.StatusNotFound {
		t.Errorf("GET South's asset as a user narrowed to North: %d", res.Status)
	}
	// The Customer Overview counts only North's.
	res := c.Do("GET", "/api/v1/dashboards/customer_overview?format=json", nil, nil)
	var d struct {
		Overview struct {
			Entities    int64 `json:"entities"`
			TopEntities []struct {
				Name string `json:"name"`
			} `json:"top_entities"`
		} `json:"overview"`
	}
	if err := json.Unmarshal(res.Body, &d); err != nil || res.Status != http.StatusOK {
		t.Fatalf("overview as a user narrowed to North: %d %s", res.Status, res.Body)
	}
	if d.Overview.Entities != 1 || len(d.Overview.TopEntities) != 1 || d.Overview.TopEntities[0].Name != "Alpha North" {
		t.Errorf("overview as a user narrowed to North = %s", res.Body)
	}
}

// checkOwnArchive: the archive of A, for a caller of A whose role may
// download it (the customer admin), holds nothing of B nor of the
// organization's own records; the others are refused (403), the narrowed
// user too, whatever its role: an archive claims all of the customer.
func checkOwnArchive(t *testing.T, c *apptest.Client, w *leakWorld, name string) {
	t.Helper()
	res := c.Do("GET", "/api/v1/customers/"+w.real["A.customer"]+"/archive", nil, nil)
	if name != domain.RoleCustomerAdmin {
		if res.Status != http.StatusForbidden {
			t.Errorf("A's archive as %s: %d, want 403", name, res.Status)
		}
		return
	}
	if res.Status != http.StatusOK {
		t.Fatalf("A's archive as its admin: %d %s", res.Status, res.Body)
	}
	text := string(readable(t, res))
	for _, s := range w.secrets {
		if len(s) == 64 {
			// B's logos are the very images A uploaded: the hashes of
			// its files in the manifest are A's own as well.
			continue
		}
		if s != "" && !w.adopted[s] && strings.Contains(text, s) {
			t.Errorf("A's archive holds %q, which is not A's", s)
		}
	}
	for _, s := range w.southSecrets {
		if !strings.Contains(text, s) {
			t.Errorf("A's archive lacks %q of A's South entity", s)
		}
	}
}

// leakSnapshot is everything of B and of the organization that A must not
// change, as the organization admin sees it.
func leakSnapshot(t *testing.T, app *apptest.App, w *leakWorld) string {
	t.Helper()
	svc, org := app.Service, app.AdminContext()
	var snap []any
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		snap = append(snap, v)
	}
	b := w.real["B.customer"]
	add(svc.Customer(org, b))
	add(svc.ListEntities(org, b, domain.EntityFilter{Limit: domain.MaxPageSize}))
	add(svc.ListUsers(org, domain.UserFilter{CustomerID: b, Limit: domain.MaxPageSize}))
	add(svc.ListAssets(org, domain.AssetFilter{CustomerID: b, Limit: domain.MaxPageSize}))
	add(svc.ListAssets(org, domain.AssetFilter{Limit: domain.MaxPageSize}))
	add(svc.Roles(org))
	add(svc.OrgSettings(org))
	for _, kind := range domain.LogoKinds {
		for _, original := range []bool{false, true} {
			img, err := svc.CustomerLogo(org, b, kind, original, nil)
			add(img.Format+" "+img.SHA256, err)
		}
	}
	_, bp, err := svc.Login(context.Background(), "bravo.admin@bravo-secret.example", leakPassword)
	if err != nil {
		t.Fatal(err)
	}
	add(svc.Tokens(domain.WithPrincipal(context.Background(), bp)))
	out, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	// Signing in for the token list made a session; sessions are not data.
	return string(out)
}
