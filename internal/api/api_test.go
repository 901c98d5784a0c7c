package api_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
)

// forEachStore runs fn as a subtest on every store.
func forEachStore(t *testing.T, opts apptest.Options, fn func(t *testing.T, app *apptest.App)) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			fn(t, apptest.New(t, kind, opts))
		})
	}
}

func wantStatus(t *testing.T, res apptest.Response, status int) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status = %d, want %d; body: %s", res.Status, status, res.Body)
	}
}

// wantProblem checks an RFC 9457 problem with the given status and type
// suffix.
func wantProblem(t *testing.T, res apptest.Response, status int, typ string) map[string]any {
	t.Helper()
	wantStatus(t, res, status)
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	p := res.JSON(t)
	if p["type"] != "urn:custreg:problem:"+typ {
		t.Errorf("type = %v, want urn:custreg:problem:%s", p["type"], typ)
	}
	if int(p["status"].(float64)) != status || p["title"] == "" || p["detail"] == "" {
		t.Errorf("problem = %v", p)
	}
	return p
}

// fieldCodes returns field -> code of a 422 problem.
func fieldCodes(t *testing.T, p map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		m := e.(map[string]any)
		if m["message"] == "" {
			t.Errorf("field error without message: %v", m)
		}
		out[m["field"].(string)] = m["code"].(string)
	}
	return out
}

func customerCount(t *testing.T, c *apptest.Client) int {
	t.Helper()
	res := c.Do("GET", "/api/v1/customers", nil, nil)
	wantStatus(t, res, http.StatusOK)
	return int(res.JSON(t)["total"].(float64))
}

func validCustomer() map[string]any {
	return map[string]any{
		"name": "Airtel", "code": "AIR001", "domain": "airtel.com", "business_email": "enterprise@airtel.com",
		"phone": "+1 202 555 0143", "website": "https://www.airtel.com/", "subscription_id": "SUBAIR2026001",
		"is_active": true,
		"location": map[string]any{
			"location_name": "Airtel Corporate HQ", "country": "United States", "region": "North America",
			"state": "New York", "district": "New York County", "city": "New York", "pin_code": "10036",
			"landmark": "Near Bryant Park", "address_line1": "1095 Avenue of the Americas", "address_line2": "Midtown Manhattan",
		},
	}
}

func createCustomer(t *testing.T, c *apptest.Client, body map[string]any) map[string]any {
	t.Helper()
	res := c.Do("POST", "/api/v1/customers", body, nil)
	wantStatus(t, res, http.StatusCreated)
	return res.JSON(t)
}

func TestCustomerCreate(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		res := c.Do("POST", "/api/v1/customers", validCustomer(), nil)
		wantStatus(t, res, http.StatusCreated)
		got := res.JSON(t)
		id := got["id"].(string)
		if loc := res.Header.Get("Location"); loc != "/api/v1/customers/"+id {
			t.Errorf("Location = %q", loc)
		}
		if et := res.Header.Get("ETag"); et != `"1"` {
			t.Errorf("ETag = %q, want \"1\"", et)
		}
		loc := got["location"].(map[string]any)
		for k, want := range map[string]any{"name": "Airtel", "code": "AIR001", "phone": "+12025550143", "is_active": true,
			"version": float64(1), "domain": "airtel.com", "subscription_id": "SUBAIR2026001"} {
			if got[k] != want {
				t.Errorf("%s = %v, want %v", k, got[k], want)
			}
		}
		if loc["country"] != "US" || loc["country_name"] != "United States" || loc["pin_code"] != "10036" {
			t.Errorf("location = %v", loc)
		}
		// The stored record reads back the same.
		res = c.Do("GET", "/api/v1/customers/"+id, nil, nil)
		wantStatus(t, res, http.StatusOK)
		if again := res.JSON(t); !reflect.DeepEqual(again, got) {
			t.Errorf("GET differs from POST:\n%v\n%v", again, got)
		}

		// Minimal customer: absent optional text is null, is_active defaults on.
		min := createCustomer(t, c, map[string]any{"name": "  Bare  ", "code": "b-1"})
		if min["name"] != "Bare" || min["domain"] != nil || min["is_active"] != true || min["location"].(map[string]any)["country"] != nil {
			t.Errorf("minimal customer = %v", min)
		}
	})
}

// TestCustomerCreateBadInput sends every kind of bad input a new user might
// and checks each gets a clear error and changes nothing.
func TestCustomerCreateBadInput(t *testing.T) {
	with := func(mut func(m map[string]any)) map[string]any {
		m := validCustomer()
		m["name"], m["code"] = "Fresh", "FRESH"
		mut(m)
		return m
	}
	loc := func(m map[string]any) map[string]any { return m["location"].(map[string]any) }
	cases := []struct {
		name   string
		body   any
		fields map[string]string // field -> code, for 422
	}{
		{"MissingName", with(func(m map[string]any) { delete(m, "name") }), map[string]string{"name": "required"}},
		{"BlankName", with(func(m map[string]any) { m["name"] = "   " }), map[string]string{"name": "required"}},
		{"MissingCode", with(func(m map[string]any) { delete(m, "code") }), map[string]string{"code": "required"}},
		{"CodeWithSpaces", with(func(m map[string]any) { m["code"] = "AIR 001" }), map[string]string{"code": "format"}},
		{"Code33Chars", with(func(m map[string]any) { m["code"] = strings.Repeat("A", 33) }), map[string]string{"code": "too_long"}},
		{"Code1Char", with(func(m map[string]any) { m["code"] = "A" }), map[string]string{"code": "too_short"}},
		{"CodeSymbols", with(func(m map[string]any) { m["code"] = "AIR#1" }), map[string]string{"code": "format"}},
		{"Name101Chars", with(func(m map[string]any) { m["name"] = strings.Repeat("é", 101) }), map[string]string{"name": "too_long"}},
		{"NameTakenOtherCase", with(func(m map[string]any) { m["name"] = "AIRTEL" }), map[string]string{"name": "taken"}},
		{"CodeTakenOtherCase", with(func(m map[string]any) { m["code"] = "air001" }), map[string]string{"code": "taken"}},
		{"EmailWithoutDomain", with(func(m map[string]any) { m["business_email"] = "enterprise@" }), map[string]string{"business_email": "format"}},
		{"EmailWithoutAt", with(func(m map[string]any) { m["business_email"] = "enterprise" }), map[string]string{"business_email": "format"}},
		{"PhoneTooShort", with(func(m map[string]any) { m["phone"] = "+1 202" }), map[string]string{"phone": "format"}},
		{"PhoneLetters", with(func(m map[string]any) { m["phone"] = "call me" }), map[string]string{"phone": "format"}},
		{"FTPWebsite", with(func(m map[string]any) { m["website"] = "ftp://airtel.com" }), map[string]string{"website": "format"}},
		{"SchemelessWebsite", with(func(m map[string]any) { m["website"] = "www.airtel.com" }), map[string]string{"website": "format"}},
		{"BadDomain", with(func(m map[string]any) { m["domain"] = "http://airtel.com/x" }), map[string]string{"domain": "format"}},
		{"PinWrongForCountry", with(func(m map[string]any) { loc(m)["pin_code"] = "1003" }), map[string]string{"location.pin_code": "format"}},
		{"PinWrongForIndia", with(func(m map[string]any) { loc(m)["country"] = "IN"; loc(m)["pin_code"] = "10036A" }), map[string]string{"location.pin_code": "format"}},
		{"UnknownCountry", with(func(m map[string]any) { loc(m)["country"] = "Narnia" }), map[string]string{"location.country": "unknown"}},
		{"CityTooLong", with(func(m map[string]any) { loc(m)["city"] = strings.Repeat("x", 101) }), map[string]string{"location.city": "too_long"}},
		{"SubscriptionTooLong", with(func(m map[string]any) { m["subscription_id"] = strings.Repeat("x", 65) }), map[string]string{"subscription_id": "too_long"}},
		{"WrongTypes", with(func(m map[string]any) { m["name"] = 42; m["is_active"] = "yes"; loc(m)["city"] = true }),
			map[string]string{"name": "type", "is_active": "type", "location.city": "type"}},
		{"EveryFieldAtOnce", map[string]any{"name": "airtel", "code": "a b", "business_email": "x@", "phone": "+1 2",
			"website": "ftp://x", "domain": "-", "location": map[string]any{"country": "US", "pin_code": "1"}},
			map[string]string{"name": "taken", "code": "format", "business_email": "format", "phone": "format",
				"website": "format", "domain": "format", "location.pin_code": "format"}},
	}
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		createCustomer(t, c, validCustomer())
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := c.Do("POST", "/api/v1/customers", tc.body, nil)
				p := wantProblem(t, res, http.StatusUnprocessableEntity, "validation")
				got := fieldCodes(t, p)
				if fmt.Sprint(got) != fmt.Sprint(tc.fields) {
					t.Errorf("field errors = %v, want %v", got, tc.fields)
				}
				if n := customerCount(t, c); n != 1 {
					t.Errorf("%d customers after a refused create, want 1", n)
				}
			})
		}
	})
}

func TestCustomerCreateMalformedBodies(t *testing.T) {
	cases := []struct {
		name, body, contentType string
		status                  int
		typ                     string
	}{
		{"JSONArray", `[{"name":"A","code":"AA"}]`, "application/json", 400, "bad-request"},
		{"JSONString", `"Airtel"`, "application/json", 400, "bad-request"},
		{"Malformed", `{"name": "A", "code": `, "application/json", 400, "bad-request"},
		{"TrailingGarbage", `{"name":"A","code":"AA"} {}`, "application/json", 400, "bad-request"},
		{"Empty", ``, "application/json", 400, "bad-request"},
		{"UnknownField", `{"name":"A","code":"AA","colour":"red"}`, "application/json", 400, "unknown-field"},
		{"UnknownNestedField", `{"name":"A","code":"AA","location":{"planet":"Mars"}}`, "application/json", 400, "unknown-field"},
		{"ReadOnlyField", `{"name":"A","code":"AA","id":"x"}`, "application/json", 400, "unknown-field"},
		{"NumberBeyondFloat64", `{"name":"A","code":"AA","licenses":{"users":1E700}}`, "application/json", 400, "bad-request"},
		{"TextPlain", `{"name":"A","code":"AA"}`, "text/plain", 415, "unsupported-media-type"},
		{"FiveMegabytes", `{"name":"A","code":"AA","landmark":"` + strings.Repeat("x", 5<<20) + `"}`, "application/json", 413, "too-large"},
	}
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := c.Do("POST", "/api/v1/customers", tc.body, map[string]string{"Content-Type": tc.contentType})
				wantProblem(t, res, tc.status, tc.typ)
				if n := customerCount(t, c); n != 0 {
					t.Errorf("%d customers after a refused create", n)
				}
			})
		}
	})
}

func TestCustomerPatch(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		created := createCustomer(t, c, validCustomer())
		id := created["id"].(string)
		path := "/api/v1/customers/" + id
		mergeJSON := map[string]string{"Content-Type": "application/merge-patch+json"}

		t.Run("OK", func(t *testing.T) {
			res := c.Do("PATCH", path, map[string]any{"name": "Airtel India", "domain": nil, "location": map[string]any{"city": "Manhattan"}},
				map[string]string{"Content-Type": "application/merge-patch+json", "If-Match": `"1"`})
			wantStatus(t, res, http.StatusOK)
			got := res.JSON(t)
			loc := got["location"].(map[string]any)
			if got["name"] != "Airtel India" || got["domain"] != nil || got["code"] != "AIR001" || got["version"] != float64(2) ||
				loc["city"] != "Manhattan" || loc["pin_code"] != "10036" || loc["state"] != "New York" {
				t.Errorf("patched = %s", res.Body)
			}
			if res.Header.Get("ETag") != `"2"` {
				t.Errorf("ETag = %q", res.Header.Get("ETag"))
			}
		})
		t.Run("ErrStaleIfMatch", func(t *testing.T) {
			res := c.Do("PATCH", path, map[string]any{"name": "Lost Update"}, map[string]string{"If-Match": `"1"`})
			wantProblem(t, res, http.StatusPreconditionFailed, "precondition-failed")
			if got := c.Do("GET", path, nil, nil).JSON(t); got["name"] != "Airtel India" {
				t.Errorf("stale patch applied: %v", got["name"])
			}
		})
		t.Run("ErrBadIfMatch", func(t *testing.T) {
			wantProblem(t, c.Do("PATCH", path, map[string]any{"name": "X"}, map[string]string{"If-Match": "two"}), 400, "bad-request")
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			res := c.Do("PATCH", path, map[string]any{"code": "has space", "location": map[string]any{"pin_code": "ABC"}}, mergeJSON)
			p := wantProblem(t, res, http.StatusUnprocessableEntity, "validation")
			if got := fieldCodes(t, p); got["code"] != "format" || got["location.pin_code"] != "format" {
				t.Errorf("fields = %v", got)
			}
			if got := c.Do("GET", path, nil, nil).JSON(t); got["version"] != float64(2) {
				t.Errorf("refused patch changed the version to %v", got["version"])
			}
		})
		t.Run("ErrRemoveRequired", func(t *testing.T) {
			p := wantProblem(t, c.Do("PATCH", path, map[string]any{"name": nil}, mergeJSON), 422, "validation")
			if got := fieldCodes(t, p); got["name"] != "required" {
				t.Errorf("fields = %v", got)
			}
		})
		t.Run("ErrUnknownField", func(t *testing.T) {
			wantProblem(t, c.Do("PATCH", path, map[string]any{"version": 9}, mergeJSON), 400, "unknown-field")
		})
		t.Run("ErrNameTakenByOther", func(t *testing.T) {
			createCustomer(t, c, map[string]any{"name": "Other", "code": "OTH"})
			p := wantProblem(t, c.Do("PATCH", path, map[string]any{"name": "other"}, mergeJSON), 422, "validation")
			if got := fieldCodes(t, p); got["name"] != "taken" {
				t.Errorf("fields = %v", got)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantProblem(t, c.Do("PATCH", "/api/v1/customers/01900000-0000-7000-8000-000000000000", map[string]any{"name": "X"}, mergeJSON), 404, "not-found")
		})
	})
}

func TestCustomerDelete(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		id := createCustomer(t, c, validCustomer())["id"].(string)
		path := "/api/v1/customers/" + id
		wantProblem(t, c.Do("DELETE", path, nil, map[string]string{"If-Match": `"7"`}), 412, "precondition-failed")
		wantStatus(t, c.Do("DELETE", path, nil, map[string]string{"If-Match": `"1"`}), http.StatusNoContent)
		wantProblem(t, c.Do("GET", path, nil, nil), 404, "not-found")
		wantProblem(t, c.Do("DELETE", path, nil, nil), 404, "not-found")
		if n := customerCount(t, c); n != 0 {
			t.Errorf("trashed customer still listed (%d)", n)
		}
		// Its name and code are free again.
		createCustomer(t, c, validCustomer())
	})
}

func TestCustomerList(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		for i, n := range []string{"delta", "Alpha", "charlie", "Bravo", "echo"} {
			createCustomer(t, c, map[string]any{"name": n, "code": fmt.Sprintf("C%d", 5-i)})
		}
		var names []string
		cursor := ""
		for range 10 {
			res := c.Do("GET", "/api/v1/customers?limit=2"+cursor, nil, nil)
			wantStatus(t, res, 200)
			page := res.JSON(t)
			if page["total"] != float64(5) {
				t.Fatalf("total = %v", page["total"])
			}
			for _, it := range page["items"].([]any) {
				names = append(names, it.(map[string]any)["name"].(string))
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = "&cursor=" + next
		}
		if fmt.Sprint(names) != "[Alpha Bravo charlie delta echo]" {
			t.Errorf("paged names = %v", names)
		}
		res := c.Do("GET", "/api/v1/customers?sort=-code&limit=1", nil, nil)
		first := res.JSON(t)["items"].([]any)[0].(map[string]any)
		if first["code"] != "C5" {
			t.Errorf("-code first = %v", first["code"])
		}
		next := res.JSON(t)["next_cursor"].(string)
		for _, tc := range []struct{ name, query, typ string }{
			{"BadSort", "sort=colour", "bad-request"},
			{"LimitZero", "limit=0", "bad-request"},
			{"LimitTooBig", "limit=201", "bad-request"},
			{"LimitNotANumber", "limit=ten", "bad-request"},
			{"BadCursor", "cursor=!!!", "bad-cursor"},
			{"CursorOfAnotherSort", "sort=name&cursor=" + next, "bad-cursor"},
			{"UnknownParameter", "colour=red", "unknown-parameter"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantProblem(t, c.Do("GET", "/api/v1/customers?"+tc.query, nil, nil), 400, tc.typ)
			})
		}
	})
}

func TestAuth(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		anon := app.Client(t)
		wantProblem(t, anon.Do("GET", "/api/v1/customers", nil, nil), 401, "unauthorized")
		wantProblem(t, anon.Do("GET", "/api/v1/me", nil, nil), 401, "unauthorized")
		for _, creds := range []map[string]string{
			{"email": apptest.AdminEmail, "password": "wrong-password-123"},
			{"email": "nobody@example.com", "password": apptest.AdminPassword},
			{"email": "", "password": ""},
		} {
			p := wantProblem(t, anon.Do("POST", "/api/v1/auth/login", creds, nil), 401, "unauthorized")
			if !strings.Contains(p["detail"].(string), "email or password") {
				t.Errorf("detail = %v", p["detail"])
			}
		}

		c := app.AdminClient(t)
		me := c.Do("GET", "/api/v1/me", nil, nil).JSON(t)
		if me["email"] != apptest.AdminEmail || me["role"] != "org_admin" || me["scope"] != "organization" {
			t.Errorf("me = %v", me)
		}

		// API tokens: created once with the secret, listed without it, revoked.
		res := c.Do("POST", "/api/v1/tokens", map[string]any{"name": "backup job"}, nil)
		wantStatus(t, res, 201)
		tok := res.JSON(t)
		secret := tok["token"].(string)
		if !strings.HasPrefix(secret, "crg_") {
			t.Errorf("token = %q", secret)
		}
		wantProblem(t, c.Do("POST", "/api/v1/tokens", map[string]any{"name": " "}, nil), 422, "validation")
		bearer := app.Client(t)
		bearer.Bearer = secret
		wantStatus(t, bearer.Do("GET", "/api/v1/customers", nil, nil), 200)
		list := c.Do("GET", "/api/v1/tokens", nil, nil)
		if strings.Contains(string(list.Body), secret) || !strings.Contains(string(list.Body), "backup job") {
			t.Errorf("token list = %s", list.Body)
		}
		wantStatus(t, c.Do("DELETE", "/api/v1/tokens/"+tok["id"].(string), nil, nil), 204)
		wantProblem(t, bearer.Do("GET", "/api/v1/customers", nil, nil), 401, "unauthorized")
		wantProblem(t, c.Do("DELETE", "/api/v1/tokens/"+tok["id"].(string), nil, nil), 404, "not-found")

		// A bad bearer token is refused even with a good session cookie.
		c.Bearer = "crg_nope"
		wantProblem(t, c.Do("GET", "/api/v1/me", nil, nil), 401, "unauthorized")
		c.Bearer = ""

		// Cross-site cookie requests are refused before they reach a handler.
		res = c.Do("POST", "/api/v1/customers", validCustomer(), map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
		wantProblem(t, res, http.StatusForbidden, "cross-origin")
		if n := customerCount(t, c); n != 0 {
			t.Errorf("cross-site POST created %d customers", n)
		}

		wantStatus(t, c.Do("POST", "/api/v1/auth/logout", nil, nil), 204)
		wantProblem(t, c.Do("GET", "/api/v1/me", nil, nil), 401, "unauthorized")
		// Signing out again, or without a session, is not an error.
		wantStatus(t, c.Do("POST", "/api/v1/auth/logout", nil, nil), 204)

		// Credentials are checked before anything of the request is read.
		wantProblem(t, anon.Do("POST", "/api/v1/customers", "[not json", nil), 401, "unauthorized")
		wantProblem(t, anon.Do("GET", "/api/v1/customers?colour=red", nil, nil), 401, "unauthorized")
	})
}

func TestOrgSettingsAndMSPMode(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		s := c.Do("GET", "/api/v1/org/settings", nil, nil).JSON(t)
		if s["msp_enabled"] != true {
			t.Fatalf("settings = %v", s)
		}
		wantProblem(t, c.Do("PATCH", "/api/v1/org/settings", map[string]any{"name": ""}, nil), 422, "validation")
		res := c.Do("PATCH", "/api/v1/org/settings", map[string]any{"name": "Renamed"}, map[string]string{"If-Match": `"1"`})
		wantProblem(t, res, 412, "precondition-failed")
		etag := c.Do("GET", "/api/v1/org/settings", nil, nil).Header.Get("ETag")
		res = c.Do("PATCH", "/api/v1/org/settings", map[string]any{"name": "Renamed"}, map[string]string{"If-Match": etag})
		wantStatus(t, res, 200)
		if res.Header.Get("ETag") == etag || res.JSON(t)["name"] != "Renamed" {
			t.Errorf("after patch: ETag %q, body %s", res.Header.Get("ETag"), res.Body)
		}
		wantProblem(t, c.Do("PATCH", "/api/v1/org/settings", map[string]any{"msp_enabled": "no"}, nil), 422, "validation")

		id := createCustomer(t, c, validCustomer())["id"].(string)
		wantStatus(t, c.Do("DELETE", "/api/v1/customers/"+id, nil, nil), 204)
		// A customer in trash still blocks turning MSP mode off.
		p := wantProblem(t, c.Do("PATCH", "/api/v1/org/settings", map[string]any{"msp_enabled": false}, nil), 409, "msp-has-customers")
		if !strings.Contains(p["detail"].(string), "1") {
			t.Errorf("detail = %v", p["detail"])
		}
		if s := c.Do("GET", "/api/v1/org/settings", nil, nil).JSON(t); s["msp_enabled"] != true {
			t.Errorf("refused change applied: %v", s)
		}
	})
	forEachStore(t, apptest.Options{MSPDisabled: true}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		if s := c.Do("GET", "/api/v1/org/settings", nil, nil).JSON(t); s["msp_enabled"] != false {
			t.Fatalf("settings = %v, want MSP off at first start", s)
		}
		for _, r := range []struct{ method, path string }{
			{"GET", "/api/v1/customers"}, {"POST", "/api/v1/customers"},
			{"GET", "/api/v1/customers/01900000-0000-7000-8000-000000000000"},
			{"PATCH", "/api/v1/customers/01900000-0000-7000-8000-000000000000"},
			{"DELETE", "/api/v1/customers/01900000-0000-7000-8000-000000000000"},
		} {
			var body any
			if r.method == "POST" || r.method == "PATCH" {
				body = map[string]any{"name": "Airtel", "code": "AIR001"}
			}
			p := wantProblem(t, c.Do(r.method, r.path, body, nil), 404, "msp-disabled")
			if !strings.Contains(p["detail"].(string), "MSP mode is off") {
				t.Errorf("%s %s detail = %v", r.method, r.path, p["detail"])
			}
		}
		res := c.Do("PATCH", "/api/v1/org/settings", map[string]any{"msp_enabled": true, "name": "Acme MSP"}, nil)
		wantStatus(t, res, 200)
		if s := res.JSON(t); s["msp_enabled"] != true || s["name"] != "Acme MSP" {
			t.Errorf("settings = %v", s)
		}
		createCustomer(t, c, validCustomer())
	})
}

func TestUnknownRouteAndHealth(t *testing.T) {
	app := apptest.New(t, "sqlite", apptest.Options{})
	c := app.AdminClient(t)
	wantProblem(t, c.Do("GET", "/api/v1/nope", nil, nil), 404, "route-not-found")
	res := c.Do("PUT", "/api/v1/customers/x", map[string]any{}, nil)
	wantProblem(t, res, 405, "method-not-allowed")
	if allow := res.Header.Get("Allow"); allow != "GET, HEAD, PATCH, DELETE" {
		t.Errorf("Allow = %q", allow)
	}
	wantProblem(t, c.Do("GET", "/api/v1/tokens?page=2", nil, nil), 400, "unknown-parameter")
	for _, p := range []string{"/healthz", "/readyz"} {
		res := c.Do("GET", p, nil, nil)
		if res.Status != 200 || strings.TrimSpace(string(res.Body)) != "ok" {
			t.Errorf("%s = %d %s", p, res.Status, res.Body)
		}
	}
	if id := c.Do("GET", "/healthz", nil, nil).Header.Get("X-Request-Id"); len(id) != 16 {
		t.Errorf("X-Request-Id = %q", id)
	}
}
