package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
)

func TestCustomerWithEntitiesIsAtomic(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		body := validCustomer()
		body["entities"] = []any{
			map[string]any{"name": "Mumbai Branch", "code": "MUM", "type": "branch",
				"location": map[string]any{"country": "India", "pin_code": "400001"}, "phone": "+91 22 2288 1234"},
			map[string]any{"name": "Finance", "type": "department", "business_email": "finance@airtel.com"},
		}
		created := createCustomer(t, c, body)
		if created["entities_count"] != float64(2) {
			t.Fatalf("entities_count = %v", created["entities_count"])
		}
		id := created["id"].(string)
		list := c.Do("GET", "/api/v1/customers/"+id+"/entities", nil, nil).JSON(t)
		items := list["items"].([]any)
		if list["total"] != float64(2) || len(items) != 2 || items[0].(map[string]any)["name"] != "Finance" {
			t.Fatalf("entities = %v", list)
		}
		mum := items[1].(map[string]any)
		if mum["phone"] != "+912222881234" || mum["location"].(map[string]any)["country"] != "IN" || mum["customer_id"] != id {
			t.Errorf("entity = %v", mum)
		}

		t.Run("ErrOneBadEntityRefusesAll", func(t *testing.T) {
			bad := map[string]any{"name": "Jio", "code": "JIO", "entities": []any{
				map[string]any{"name": "Good"},
				map[string]any{"name": "", "code": "a b", "business_email": "nope", "location": map[string]any{"country": "IN", "pin_code": "12"}},
				map[string]any{"name": "good", "type": "galaxy"},
			}}
			p := wantProblem(t, c.Do("POST", "/api/v1/customers", bad, nil), 422, "validation")
			want := map[string]string{"entities[1].name": "required", "entities[1].code": "format",
				"entities[1].business_email": "format", "entities[1].location.pin_code": "format",
				"entities[2].name": "taken", "entities[2].type": "unknown"}
			if got := fieldCodes(t, p); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("fields = %v\nwant %v", got, want)
			}
			if n := customerCount(t, c); n != 1 {
				t.Errorf("%d customers after a refused create", n)
			}
		})
		t.Run("ErrUnknownEntityField", func(t *testing.T) {
			bad := map[string]any{"name": "Jio", "code": "JIO", "entities": []any{map[string]any{"name": "A", "colour": "red"}}}
			p := wantProblem(t, c.Do("POST", "/api/v1/customers", bad, nil), 400, "unknown-field")
			if !strings.Contains(p["detail"].(string), "entities[0].colour") {
				t.Errorf("detail = %v", p["detail"])
			}
		})
	})
}

func TestEntityRoutes(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		a := createCustomer(t, c, validCustomer())["id"].(string)
		b := createCustomer(t, c, map[string]any{"name": "Jio", "code": "JIO"})["id"].(string)
		base := "/api/v1/customers/" + a + "/entities"

		res := c.Do("POST", base, map[string]any{"name": "North Region", "code": "N1", "type": "region"}, nil)
		wantStatus(t, res, http.StatusCreated)
		e := res.JSON(t)
		eid := e["id"].(string)
		if res.Header.Get("Location") != base+"/"+eid || res.Header.Get("ETag") != `"1"` || e["type"] != "region" {
			t.Errorf("created: %v %s", res.Header, res.Body)
		}
		// The same name under another customer is fine; twice under one is not.
		wantStatus(t, c.Do("POST", "/api/v1/customers/"+b+"/entities", map[string]any{"name": "north region", "code": "n1"}, nil), 201)
		p := wantProblem(t, c.Do("POST", base, map[string]any{"name": "NORTH REGION", "code": "n1"}, nil), 422, "validation")
		if got := fieldCodes(t, p); got["name"] != "taken" || got["code"] != "taken" {
			t.Errorf("fields = %v", got)
		}
		if n := c.Do("GET", "/api/v1/customers/"+a, nil, nil).JSON(t)["entities_count"]; n != float64(1) {
			t.Errorf("entities_count = %v", n)
		}

		path := base + "/" + eid
		res = c.Do("PATCH", path, map[string]any{"name": "North", "code": nil, "location": map[string]any{"city": "Delhi"}},
			map[string]string{"Content-Type": "application/merge-patch+json", "If-Match": `"1"`})
		wantStatus(t, res, 200)
		if got := res.JSON(t); got["name"] != "North" || got["code"] != nil || got["version"] != float64(2) {
			t.Errorf("patched = %v", got)
		}
		wantProblem(t, c.Do("PATCH", path, map[string]any{"name": "X"}, map[string]string{"If-Match": `"1"`}), 412, "precondition-failed")
		wantProblem(t, c.Do("PATCH", path, map[string]any{"phone": "+1 2"}, nil), 422, "validation")
		// An entity is reachable only under its own customer.
		wantProblem(t, c.Do("GET", "/api/v1/customers/"+b+"/entities/"+eid, nil, nil), 404, "not-found")
		wantProblem(t, c.Do("DELETE", "/api/v1/customers/"+b+"/entities/"+eid, nil, nil), 404, "not-found")

		wantStatus(t, c.Do("DELETE", path, nil, map[string]string{"If-Match": `"2"`}), 204)
		wantProblem(t, c.Do("GET", path, nil, nil), 404, "not-found")
		if n := c.Do("GET", "/api/v1/customers/"+a, nil, nil).JSON(t)["entities_count"]; n != float64(0) {
			t.Errorf("entities_count after delete = %v", n)
		}

		// Entities of a customer in trash are gone with it.
		eb := c.Do("GET", "/api/v1/customers/"+b+"/entities", nil, nil).JSON(t)["items"].([]any)[0].(map[string]any)["id"].(string)
		wantStatus(t, c.Do("DELETE", "/api/v1/customers/"+b, nil, nil), 204)
		wantProblem(t, c.Do("GET", "/api/v1/customers/"+b+"/entities/"+eb, nil, nil), 404, "not-found")
		wantProblem(t, c.Do("GET", "/api/v1/customers/"+b+"/entities", nil, nil), 404, "not-found")

		// Paging.
		for i := range 5 {
			wantStatus(t, c.Do("POST", base, map[string]any{"name": fmt.Sprintf("Branch %d", i)}, nil), 201)
		}
		var names []string
		next := ""
		for range 10 {
			page := c.Do("GET", base+"?limit=2"+next, nil, nil).JSON(t)
			for _, it := range page["items"].([]any) {
				names = append(names, it.(map[string]any)["name"].(string))
			}
			cur, _ := page["next_cursor"].(string)
			if cur == "" {
				break
			}
			next = "&cursor=" + url.QueryEscape(cur)
		}
		if fmt.Sprint(names) != "[Branch 0 Branch 1 Branch 2 Branch 3 Branch 4]" {
			t.Errorf("paged = %v", names)
		}
		wantProblem(t, c.Do("GET", base+"?cursor=zz", nil, nil), 400, "bad-cursor")
	})
}

func TestCustomerListSearchAndFilters(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		c := app.AdminClient(t)
		for _, cu := range [][2]string{{"Airtel", "AIR001"}, {"Air India", "AI-7"}, {"Jio Platforms", "JIO"},
			{"Vodafone Idea", "VI_01"}, {"100% Pure", "PCT"}, {"Under_score", "US_1"}} {
			createCustomer(t, c, map[string]any{"name": cu[0], "code": cu[1]})
		}
		names := func(query string) string {
			t.Helper()
			res := c.Do("GET", "/api/v1/customers?"+query, nil, nil)
			wantStatus(t, res, 200)
			page := res.JSON(t)
			var out []string
			for _, it := range page["items"].([]any) {
				out = append(out, it.(map[string]any)["name"].(string))
			}
			if page["total_exact"] != true {
				t.Errorf("%s: total_exact = %v", query, page["total_exact"])
			}
			if int(page["total"].(float64)) != len(out) {
				t.Errorf("%s: total %v for %d items", query, page["total"], len(out))
			}
			return strings.Join(out, ",")
		}
		for _, tc := range []struct{ query, want string }{
			{"q=air", "Air India,Airtel"},
			{"q=AIR0", "Airtel"},
			{"q=i", "Air India,Airtel,Jio Platforms,Vodafone Idea"},
			{"q=%25", "100% Pure"},
			{"q=_", "Under_score,Vodafone Idea"}, // VI_01
			{"name.eq=AIRTEL", "Airtel"},
			{"name.neq=airtel&q=air", "Air India"},
			{"code.in=jio&code.in=pct", "100% Pure,Jio Platforms"},
			{"code.not_in=jio&code.not_in=pct&code.not_in=us_1", "Air India,Airtel,Vodafone Idea"},
			{"name.contains=ia", "Air India"},
			{"name.not_contains=a", "100% Pure,Under_score"},
			{"name.contains=air&code.contains=-", "Air India"},
			{"filter=" + url.QueryEscape(`{"op":"or","conditions":[{"field":"code","op":"eq","value":"jio"},{"field":"name","op":"contains","value":"vodafone"}]}`), "Jio Platforms,Vodafone Idea"},
			{"q=o&sort=-name", "Vodafone Idea,Under_score,Jio Platforms"},
		} {
			t.Run(tc.query, func(t *testing.T) {
				if got := names(tc.query); got != tc.want {
					t.Errorf("got %q, want %q", got, tc.want)
				}
			})
		}
		for _, tc := range []struct{ query, typ string }{
			{"name.like=x", "bad-filter"},
			{"size.eq=1", "unknown-parameter"},
			{"filter=nope", "bad-filter"},
		} {
			wantProblem(t, c.Do("GET", "/api/v1/customers?"+tc.query, nil, nil), 400, tc.typ)
		}
	})
}
