package api_test

import (
	"testing"

	"github.com/custreg/custreg/internal/apptest"
)

// TestDeletePreview: the delete dialog's figures are the customer's own
// records and allocation, on both stores, and asking changes nothing.
func TestDeletePreview(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		admin := app.AdminClient(t)
		c := createCustomer(t, admin, map[string]any{"name": "Going", "code": "GOING",
			"entities": []any{map[string]any{"name": "HQ"}, map[string]any{"name": "Branch"}},
			"licenses": map[string]any{"users": 5, "it_assets": 3}})
		id := c["id"].(string)
		for _, body := range []map[string]any{
			{"email": "a@going.example", "name": "A", "role": "customer_user", "password": leakPassword, "customer_id": id},
			{"email": "b@going.example", "name": "B", "role": "customer_admin", "password": leakPassword, "customer_id": id},
		} {
			wantStatus(t, admin.Do("POST", "/api/v1/users", body, nil), 201)
		}
		wantStatus(t, admin.Do("POST", "/api/v1/assets", map[string]any{"name": "Laptop", "class": "it", "customer_id": id}, nil), 201)
		res := admin.Do("GET", "/api/v1/customers/"+id+"/delete-preview", nil, nil)
		wantStatus(t, res, 200)
		p := res.JSON(t)
		if p["entities"] != 2.0 || p["users"] != 2.0 || p["assets"] != 1.0 || p["name"] != "Going" {
			t.Errorf("preview = %v", p)
		}
		ret := map[string]float64{}
		for _, it := range p["licenses_returned"].([]any) {
			m := it.(map[string]any)
			ret[m["type"].(string)] = m["allocated"].(float64)
		}
		if len(ret) != 2 || ret["users"] != 5 || ret["it_assets"] != 3 {
			t.Errorf("licenses returned = %v", p["licenses_returned"])
		}
		if got := admin.Do("GET", "/api/v1/customers/"+id, nil, nil).JSON(t); got["version"] != c["version"] {
			t.Errorf("asking for the preview changed the customer: %v", got)
		}
	})
}
