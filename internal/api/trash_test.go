package api_test

import (
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/logo/logotest"
)

// TestTrashRestore: a deleted customer is in the trash and comes back
// exactly as it was — fields, entities, users, assets, allocation — on
// both stores; a restore is refused with a 409, and nothing changes, when
// its code was taken meanwhile (then it takes a new one) or the pool has
// no room for its allocation any more.
func TestTrashRestore(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		admin := app.AdminClient(t)
		wantStatus(t, admin.Do("PUT", "/api/v1/org/licenses", map[string]any{"pool": map[string]any{"users": 20, "it_assets": 10}}, nil), 200)
		c := createCustomer(t, admin, map[string]any{"name": "Phoenix", "code": "PHX", "website": "https://phoenix.example/",
			"entities": []any{map[string]any{"name": "Nest"}}, "licenses": map[string]any{"users": 5, "it_assets": 4}})
		id := c["id"].(string)
		wantStatus(t, admin.Do("POST", "/api/v1/users", map[string]any{"email": "p@phoenix.example", "name": "P", "role": "customer_user", "password": leakPassword, "customer_id": id}, nil), 201)
		wantStatus(t, admin.Do("POST", "/api/v1/assets", map[string]any{"name": "Server", "class": "it", "customer_id": id}, nil), 201)
		before := admin.Do("GET", "/api/v1/customers/"+id, nil, nil).JSON(t)
		licBefore := string(admin.Do("GET", "/api/v1/customers/"+id+"/licenses", nil, nil).Body)
		wantStatus(t, admin.Do("DELETE", "/api/v1/customers/"+id, nil, nil), 204)

		trash := admin.Do("GET", "/api/v1/trash/customers", nil, nil)
		wantStatus(t, trash, 200)
		items := trash.JSON(t)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["code"] != "PHX" || items[0].(map[string]any)["deleted_at"] == "" {
			t.Fatalf("trash = %v", items)
		}
		// Another customer takes the code; the pool shrinks below the allocation.
		other := createCustomer(t, admin, map[string]any{"name": "Phoenix Two", "code": "PHX"})
		wantProblem(t, admin.Do("POST", "/api/v1/trash/customers/"+id+"/restore", nil, nil), 409, "restore-name-taken")
		wantStatus(t, admin.Do("PUT", "/api/v1/org/licenses", map[string]any{"pool": map[string]any{"users": 2, "it_assets": 3}}, nil), 200)
		p := wantProblem(t, admin.Do("POST", "/api/v1/trash/customers/"+id+"/restore", map[string]any{"code": "PHX-1"}, nil), 409, "license-exceeded")
		if xs, _ := p["license_excesses"].([]any); len(xs) != 2 {
			t.Errorf("license excesses = %v", p["license_excesses"])
		}
		if n := len(admin.Do("GET", "/api/v1/trash/customers", nil, nil).JSON(t)["items"].([]any)); n != 1 {
			t.Fatalf("a refused restore changed the trash: %d", n)
		}
		// Room again, a new code: it comes back as it was.
		wantStatus(t, admin.Do("PUT", "/api/v1/org/licenses", map[string]any{"pool": map[string]any{"users": 20, "it_assets": 10}}, nil), 200)
		wantProblem(t, admin.Do("POST", "/api/v1/trash/customers/"+id+"/restore", map[string]any{"code": "a b"}, nil), 422, "validation")
		res := admin.Do("POST", "/api/v1/trash/customers/"+id+"/restore", map[string]any{"code": "PHX-1"}, nil)
		wantStatus(t, res, 200)
		after := admin.Do("GET", "/api/v1/customers/"+id, nil, nil).JSON(t)
		for _, k := range []string{"name", "website", "entities_count", "users_count", "assets_count", "admin_role", "created_at"} {
			if after[k] != before[k] {
				t.Errorf("%s: %v before the delete, %v after the restore", k, before[k], after[k])
			}
		}
		if after["code"] != "PHX-1" {
			t.Errorf("code after the restore = %v", after["code"])
		}
		if lic := string(admin.Do("GET", "/api/v1/customers/"+id+"/licenses", nil, nil).Body); lic != licBefore {
			t.Errorf("licenses before %s, after %s", licBefore, lic)
		}
		// Its user can sign in again.
		u := app.Client(t)
		wantStatus(t, u.Do("POST", "/api/v1/auth/login", map[string]string{"email": "p@phoenix.example", "password": leakPassword}, nil), 200)
		if n := len(admin.Do("GET", "/api/v1/trash/customers", nil, nil).JSON(t)["items"].([]any)); n != 0 {
			t.Errorf("the trash still holds %d", n)
		}
		wantProblem(t, admin.Do("POST", "/api/v1/trash/customers/"+id+"/restore", nil, nil), 404, "not-found")
		wantProblem(t, admin.Do("POST", "/api/v1/trash/customers/"+other["id"].(string)+"/restore", nil, nil), 404, "not-found")
	})
}

// TestPurgeCustomer: purging a customer in trash erases it and everything
// of it, on both stores: it is not in trash, cannot be restored, its
// people's emails are free again, and the audit history keeps one entry
// that it was purged, by whom — without its name or its people's data.
func TestPurgeCustomer(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		admin := app.AdminClient(t)
		c := createCustomer(t, admin, map[string]any{"name": "Oblivion Ltd", "code": "OBLIV", "entities": []any{map[string]any{"name": "Vault"}},
			"licenses": map[string]any{"users": 3, "it_assets": 3}})
		id := c["id"].(string)
		wantStatus(t, admin.Do("POST", "/api/v1/users", map[string]any{"email": "gone@oblivion.example", "name": "Gone Person", "role": "customer_user", "password": leakPassword, "customer_id": id}, nil), 201)
		wantStatus(t, admin.Do("POST", "/api/v1/assets", map[string]any{"name": "Vault Server", "class": "it", "customer_id": id, "serial": "OBL-1"}, nil), 201)
		u := app.Client(t)
		wantStatus(t, u.Do("POST", "/api/v1/auth/login", map[string]string{"email": "gone@oblivion.example", "password": leakPassword}, nil), 200)
		wantStatus(t, admin.Do("PUT", "/api/v1/customers/"+id+"/full_logo", logotest.PNG(320, 80), map[string]string{"Content-Type": "image/png"}), 200)

		// Only from trash.
		wantProblem(t, admin.Do("DELETE", "/api/v1/trash/customers/"+id, nil, nil), 404, "not-found")
		wantStatus(t, admin.Do("DELETE", "/api/v1/customers/"+id, nil, nil), 204)
		wantStatus(t, admin.Do("DELETE", "/api/v1/trash/customers/"+id, nil, nil), 204)

		if n := len(admin.Do("GET", "/api/v1/trash/customers", nil, nil).JSON(t)["items"].([]any)); n != 0 {
			t.Errorf("the trash holds %d after the purge", n)
		}
		wantProblem(t, admin.Do("POST", "/api/v1/trash/customers/"+id+"/restore", nil, nil), 404, "not-found")
		wantProblem(t, admin.Do("DELETE", "/api/v1/trash/customers/"+id, nil, nil), 404, "not-found")
		wantStatus(t, u.Do("GET", "/api/v1/me", nil, nil), 401)
		// The email, name and code are free; nothing else of it is found.
		wantStatus(t, admin.Do("POST", "/api/v1/users", map[string]any{"email": "gone@oblivion.example", "name": "New Person", "role": "technician", "password": leakPassword}, nil), 201)
		createCustomer(t, admin, map[string]any{"name": "Oblivion Ltd", "code": "OBLIV"})
		res := admin.Do("GET", "/api/v1/audit?limit=200", nil, nil)
		wantStatus(t, res, 200)
		purges := 0
		for _, it := range res.JSON(t)["items"].([]any) {
			e := it.(map[string]any)
			if e["target_id"] == id || e["customer_id"] == id {
				if e["action"] != "customer.purge" {
					t.Errorf("an entry of the purged customer remains: %v", e)
				}
				purges++
			}
		}
		if purges != 1 {
			t.Errorf("%d purge entries", purges)
		}
		if body := string(res.Body); strings.Contains(body, "Gone Person") || strings.Contains(body, "Vault Server") || strings.Contains(body, "OBL-1") {
			t.Errorf("the history still holds the purged customer's data")
		}
		// Its allocation was back in the pool since the delete.
		for _, it := range admin.Do("GET", "/api/v1/org/licenses", nil, nil).JSON(t)["items"].([]any) {
			if m := it.(map[string]any); m["allocated"] != 0.0 {
				t.Errorf("%s still allocated %v", m["type"], m["allocated"])
			}
		}
	})
}
