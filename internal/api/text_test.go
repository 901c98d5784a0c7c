package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
)

// badTexts are the strings that no text field, path, query, cursor or
// sign-in may carry into a store; each is refused with a 4xx that says why.
var badTexts = []struct {
	name, s string
	// visible reports whether the string is refused only as a name (a
	// zero-width-only string is fine in an address line or a search for
	// nothing but passes no name).
	nameOnly bool
}{
	{name: "NUL", s: "Acme\x00Corp"},
	{name: "invalid UTF-8", s: "Acme\xffCorp"},
	{name: "RTL override", s: "Acme\u202eproC"},
	{name: "isolate", s: "Acme\u2066Corp"},
	{name: "C0 control", s: "Acme\x01Corp"},
	{name: "DEL", s: "Acme\x7fCorp"},
	{name: "inner line break", s: "Acme\nCorp"},
	{name: "zero-width only", s: "\u200b\u200d\ufeff", nameOnly: true},
}

// explains reports whether a response body says what was wrong with the
// text.
func explains(body []byte) bool {
	for _, w := range []string{"UTF-8", "NUL", "control character", "bidirectional", "visible character", "plain text", "cursor is not valid"} {
		if strings.Contains(string(body), w) {
			return true
		}
	}
	return false
}

// jsonString writes s as a JSON string, keeping invalid UTF-8 bytes as they
// are (encoding/json would replace them), so the server sees them.
func jsonString(s string) string {
	if utf8.ValidString(s) {
		b, _ := json.Marshal(s)
		return string(b)
	}
	var b strings.Builder
	b.WriteByte('"')
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 {
			b.WriteByte(s[0])
		} else {
			j, _ := json.Marshal(s[:n])
			b.WriteString(strings.Trim(string(j), `"`))
		}
		s = s[n:]
	}
	b.WriteByte('"')
	return b.String()
}

// TestBadTextIsRefused sends every bad string through every way text enters
// custreg — JSON creates and PATCHes, nested fields, the search, filter
// values and trees, cursors, path ids, the API's and the web's sign-in, the
// web's forms and search — on both stores. Each answer is a 4xx that says
// what was wrong (never a 5xx: PostgreSQL refuses NUL and invalid UTF-8
// with an error), and nothing is stored.
func TestBadTextIsRefused(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		seed := createCustomer(t, c, validCustomer())
		seedID := seed["id"].(string)
		base := customerCount(t, c)

		refused := func(t *testing.T, what string, res apptest.Response, also ...int) {
			t.Helper()
			ok := res.Status == http.StatusBadRequest || res.Status == http.StatusUnprocessableEntity
			for _, s := range also {
				ok = ok || res.Status == s
			}
			if !ok {
				t.Errorf("%s: status %d, want 400 or 422; body: %.300s", what, res.Status, res.Body)
				return
			}
			if (res.Status == http.StatusBadRequest || res.Status == http.StatusUnprocessableEntity) && !explains(res.Body) {
				t.Errorf("%s: %d does not say what is wrong: %.300s", what, res.Status, res.Body)
			}
		}
		for _, bt := range badTexts {
			t.Run(bt.name, func(t *testing.T) {
				js := jsonString(bt.s)
				q := url.QueryEscape(bt.s)
				refused(t, "create name", c.Do("POST", "/api/v1/customers",
					`{"name":`+js+`,"code":"BAD01"}`, nil))
				refused(t, "create entity name", c.Do("POST", "/api/v1/customers",
					`{"name":"Good Name","code":"BAD02","entities":[{"name":`+js+`}]}`, nil))
				if !bt.nameOnly {
					refused(t, "create location.city", c.Do("POST", "/api/v1/customers",
						`{"name":"Good Name","code":"BAD03","location":{"city":`+js+`}}`, nil))
					refused(t, "create subscription_id", c.Do("POST", "/api/v1/customers",
						`{"name":"Good Name","code":"BAD04","subscription_id":`+js+`}`, nil))
				}
				refused(t, "patch name", c.Do("PATCH", "/api/v1/customers/"+seedID, `{"name":`+js+`}`,
					map[string]string{"Content-Type": "application/merge-patch+json"}))
				refused(t, "create user", c.Do("POST", "/api/v1/users",
					`{"email":"u1@example.com","name":`+js+`,"role":"technician","password":"correct-horse-battery"}`, nil))
				refused(t, "create asset", c.Do("POST", "/api/v1/assets", `{"name":`+js+`,"class":"it"}`, nil))
				refused(t, "create role", c.Do("POST", "/api/v1/roles",
					`{"key":"bad_role","name":`+js+`,"scope":"organization","permissions":["assets.view"]}`, nil))

				refused(t, "q", c.Do("GET", "/api/v1/customers?q="+q, nil, nil))
				refused(t, "name.eq", c.Do("GET", "/api/v1/customers?name.eq="+q, nil, nil))
				refused(t, "code.in", c.Do("GET", "/api/v1/customers?code.in=AIR001&code.in="+q, nil, nil))
				tree := `{"op":"and","conditions":[{"field":"name","op":"contains","value":` + js + `}]}`
				refused(t, "filter tree", c.Do("GET", "/api/v1/customers?filter="+url.QueryEscape(tree), nil, nil))
				if !bt.nameOnly { // zero-width characters are only an id or key that matches nothing
					refused(t, "users customer_id", c.Do("GET", "/api/v1/users?customer_id="+q, nil, nil))
					refused(t, "assets entity_id", c.Do("GET", "/api/v1/assets?entity_id="+q, nil, nil))
					refused(t, "raw cursor", c.Do("GET", "/api/v1/customers?cursor="+q, nil, nil))
					cur := base64.RawURLEncoding.EncodeToString([]byte(`{"s":"name","k":` + js + `,"i":` + js + `}`))
					refused(t, "forged cursor", c.Do("GET", "/api/v1/customers?cursor="+cur, nil, nil))
					ucur := base64.RawURLEncoding.EncodeToString([]byte(`{"s":"user:email","k":` + js + `,"i":` + js + `}`))
					refused(t, "forged user cursor", c.Do("GET", "/api/v1/users?cursor="+ucur, nil, nil))
					ecur := base64.RawURLEncoding.EncodeToString([]byte(`{"s":"entity:name","k":"a","i":` + js + `}`))
					refused(t, "forged entity cursor", c.Do("GET", "/api/v1/customers/"+seedID+"/entities?cursor="+ecur, nil, nil))
				}
				for _, p := range []string{"/api/v1/customers/", "/api/v1/users/", "/api/v1/assets/", "/api/v1/roles/",
					"/api/v1/customers/" + seedID + "/entities/"} {
					refused(t, "path "+p, c.Do("GET", p+url.PathEscape(bt.s), nil, nil), http.StatusNotFound)
				}
				refused(t, "delete path", c.Do("DELETE", "/api/v1/customers/"+url.PathEscape(bt.s), nil, nil), http.StatusNotFound)

				anon := app.Client(t)
				refused(t, "sign-in email", anon.Do("POST", "/api/v1/auth/login",
					`{"email":`+jsonString(apptest.AdminEmail+bt.s)+`,"password":"correct-horse-battery"}`, nil), http.StatusUnauthorized)
				refused(t, "sign-in password", anon.Do("POST", "/api/v1/auth/login",
					`{"email":"admin@example.com","password":`+jsonString(apptest.AdminPassword+bt.s)+`}`, nil), http.StatusUnauthorized)

				// The web: forms, search, sign-in.
				form := func(cl *apptest.Client, path string, v url.Values) apptest.Response {
					return cl.Do("POST", path, v.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
				}
				refused(t, "web new customer", form(c, "/customers/new", url.Values{"name": {bt.s}, "code": {"WEB01"}, "is_active": {"on"}}))
				if !bt.nameOnly {
					refused(t, "web new customer city", form(c, "/customers/new",
						url.Values{"name": {"Web Good"}, "code": {"WEB02"}, "location.city": {bt.s}}))
				}
				refused(t, "web edit customer", form(c, "/customers/"+seedID+"/edit",
					url.Values{"name": {bt.s}, "code": {"AIR001"}, "version": {"1"}}))
				refused(t, "web new asset", form(c, "/assets/new", url.Values{"name": {bt.s}, "class": {"it"}}))
				refused(t, "web new user", form(c, "/users/new", url.Values{"email": {"w1@example.com"}, "name": {bt.s},
					"role": {"technician"}, "password": {"correct-horse-battery"}}))
				refused(t, "web search", c.Do("GET", "/customers?q="+q, nil, nil))
				refused(t, "web page path", c.Do("GET", "/customers/"+url.PathEscape(bt.s), nil, nil), http.StatusNotFound)
				refused(t, "web sign-in", form(app.Client(t), "/login",
					url.Values{"email": {apptest.AdminEmail + bt.s}, "password": {apptest.AdminPassword}}), http.StatusUnauthorized)
			})
		}

		// Nothing was stored: no customer, user, asset or role beyond the
		// seed, and the seed is unchanged.
		if n := customerCount(t, c); n != base {
			t.Errorf("customers: %d, want %d", n, base)
		}
		ctx := app.AdminContext()
		got, err := app.Service.Customer(ctx, seedID)
		if err != nil || got.Name != "Airtel" || got.Version != 1 {
			t.Errorf("seed customer = %+v, %v", got, err)
		}
		noneStored(t, ctx, app)
	})
}

// noneStored checks that no record of the stack holds any of the bad
// characters.
func noneStored(t *testing.T, ctx context.Context, app *apptest.App) {
	t.Helper()
	bad := func(s string) bool {
		return !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\x01\x7f\n\u202e\u2066\u200b\u200d\ufeff")
	}
	page, err := app.Service.ListCustomers(ctx, domain.CustomerFilter{Sort: domain.SortNameAsc, Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, cu := range page.Items {
		if bad(cu.Name) || bad(cu.Location.City) || bad(cu.SubscriptionID) {
			t.Errorf("stored customer %+v", cu)
		}
	}
	users, err := app.Service.ListUsers(ctx, domain.UserFilter{Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(users.Items) != 1 {
		t.Errorf("users: %d, want only the admin", len(users.Items))
	}
	assets, err := app.Service.ListAssets(ctx, domain.AssetFilter{Limit: domain.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(assets.Items) != 0 {
		t.Errorf("assets: %+v, want none", assets.Items)
	}
}

// TestLookAlikeNamesAreTaken checks the uniqueness keys through the API on
// both stores: a name that differs from a live customer's only by case,
// width, zero-width characters or runs of white space is taken; a word that
// mixes a Cyrillic look-alike into Latin letters is refused; what remains
// stored is NFC without zero-width characters.
func TestLookAlikeNamesAreTaken(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		body := validCustomer()
		body["name"], body["code"] = "Acme Corp", "ACME"
		createCustomer(t, c, body)
		for i, tc := range []struct{ name, code, field, want string }{
			{"Acme Corp\u200b", "ACME2", "name", "taken"},
			{"\ufeffAcme\u200d Corp", "ACME3", "name", "taken"},
			{"ＡＣＭＥ ＣＯＲＰ", "ACME4", "name", "taken"},
			{"acme   corp", "ACME5", "name", "taken"},
			{"Acme\u00a0Corp", "ACME6", "name", "taken"},
			{"\u0410cme Corp", "ACME7", "name", "format"}, // Cyrillic А
			{"Acme Сorp", "ACME8", "name", "format"},      // Cyrillic С
			{"Other Name", "acme", "code", "taken"},
		} {
			res := c.Do("POST", "/api/v1/customers", map[string]any{"name": tc.name, "code": tc.code}, nil)
			p := wantProblem(t, res, http.StatusUnprocessableEntity, "validation")
			if got := fieldCodes(t, p); got[tc.field] != tc.want {
				t.Errorf("%d %q/%q: errors %v, want %s %s", i, tc.name, tc.code, got, tc.field, tc.want)
			}
		}
		// A genuinely different Cyrillic name, one script per word, is fine,
		// and zero-width characters are not stored.
		res := c.Do("POST", "/api/v1/customers", map[string]any{"name": "Москва\u200b Трейд", "code": "MSK"}, nil)
		wantStatus(t, res, http.StatusCreated)
		if got := res.JSON(t)["name"]; got != "Москва Трейд" {
			t.Errorf("stored name %q", got)
		}
		if n := customerCount(t, c); n != 2 {
			t.Errorf("customers: %d, want 2", n)
		}
	})
}
