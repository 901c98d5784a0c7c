package api_test

import (
	"testing"

	"github.com/custreg/custreg/internal/apptest"
)

// TestAllocationOverPoolNamesEveryType: an allocation over the pool in
// several types is refused naming all of them at once, and nothing is
// written — on create and on a later allocation.
func TestAllocationOverPoolNamesEveryType(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		admin := app.AdminClient(t)
		wantStatus(t, admin.Do("PUT", "/api/v1/org/licenses", map[string]any{"pool": map[string]any{"users": 10, "it_assets": 5, "technicians": 2}}, nil), 200)
		check := func(res apptest.Response) {
			t.Helper()
			p := wantProblem(t, res, 409, "license-exceeded")
			xs, _ := p["license_excesses"].([]any)
			got := map[string]float64{}
			for _, x := range xs {
				m := x.(map[string]any)
				got[m["license_type"].(string)] = m["would_be"].(float64)
			}
			// users: 11 allocated + the organization admin, who is a user of the pool.
			if len(got) != 2 || got["users"] != 12 || got["it_assets"] != 6 {
				t.Errorf("license_excesses = %v", xs)
			}
			if p["license_type"] != "users" {
				t.Errorf("the first excess named is %v, want users (the catalog's order)", p["license_type"])
			}
		}
		check(admin.Do("POST", "/api/v1/customers", map[string]any{"name": "Greedy", "code": "GREEDY",
			"licenses": map[string]any{"users": 11, "it_assets": 6, "technicians": 2}}, nil))
		if n := customerCount(t, admin); n != 0 {
			t.Fatalf("%d customers after a refused create", n)
		}
		c := createCustomer(t, admin, map[string]any{"name": "Modest", "code": "MODEST", "licenses": map[string]any{"users": 1}})
		id := c["id"].(string)
		check(admin.Do("PUT", "/api/v1/customers/"+id+"/licenses", map[string]any{"users": 11, "it_assets": 6, "technicians": 1}, nil))
		res := admin.Do("GET", "/api/v1/customers/"+id+"/licenses", nil, nil)
		for _, it := range res.JSON(t)["items"].([]any) {
			m := it.(map[string]any)
			if want := map[string]float64{"users": 1}[m["type"].(string)]; m["allocated"] != want {
				t.Errorf("after the refusal %s is allocated %v, want %v", m["type"], m["allocated"], want)
			}
		}
	})
}
