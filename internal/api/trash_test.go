package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store/storetest"
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
		recordsBefore := map[string]string{}
		for _, path := range []string{"/api/v1/customers/" + id + "/entities", "/api/v1/users?customer_id=" + id, "/api/v1/assets?customer_id=" + id} {
			recordsBefore[path] = string(admin.Do("GET", path, nil, nil).Body)
		}
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
		// Field by field, all but what the restore changes.
		for k, v := range before {
			if k != "updated_at" && k != "version" && k != "code" && fmt.Sprint(after[k]) != fmt.Sprint(v) {
				t.Errorf("%s: %v before the delete, %v after the restore", k, v, after[k])
			}
		}
		for path, was := range recordsBefore {
			if now := string(admin.Do("GET", path, nil, nil).Body); now != was {
				t.Errorf("%s before the delete: %s\nafter the restore: %s", path, was, now)
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
		gone := admin.Do("POST", "/api/v1/users", map[string]any{"email": "gone@oblivion.example", "name": "Gone Person", "role": "customer_user", "password": leakPassword, "customer_id": id}, nil)
		wantStatus(t, gone, 201)
		server := admin.Do("POST", "/api/v1/assets", map[string]any{"name": "Vault Server", "class": "it", "customer_id": id, "serial": "OBL-1"}, nil)
		wantStatus(t, server, 201)
		entities := admin.Do("GET", "/api/v1/customers/"+id+"/entities", nil, nil).JSON(t)["items"].([]any)
		u := app.Client(t)
		wantStatus(t, u.Do("POST", "/api/v1/auth/login", map[string]string{"email": "gone@oblivion.example", "password": leakPassword}, nil), 200)
		wantStatus(t, admin.Do("PUT", "/api/v1/customers/"+id+"/full_logo", logotest.PNG(320, 80), map[string]string{"Content-Type": "image/png"}), 200)

		needles := []string{id, entities[0].(map[string]any)["id"].(string), gone.JSON(t)["id"].(string), server.JSON(t)["id"].(string),
			"gone@oblivion.example", "Gone Person", "Vault Server", "OBL-1", "Oblivion", "OBLIV", "Vault"}
		// The search finds it where it lives (so that it can find what is left).
		if held := storetest.TablesHolding(t, app.Driver(), app.DSN, needles...); len(held) < 8 {
			t.Fatalf("before the purge the customer is in only %d tables: %v", len(held), held)
		}
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
		// Table by table, every row of the database: nothing of it is
		// left but the one entry that says it was purged.
		for table, rows := range storetest.TablesHolding(t, app.Driver(), app.DSN, needles...) {
			for _, row := range rows {
				if table == "audit_log" && strings.Contains(row, "customer.purge") {
					continue
				}
				t.Errorf("after the purge, %s holds %s", table, row)
			}
		}
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

// TestRecordTrash: users and assets deleted on their own are in their
// trash, seen by whoever may delete them in their scope, and come back
// exactly as they were — refused with a 409, and nothing changed, while
// their licenses have no room or their entity is gone; purged, nothing of
// them is left but the entry that says so. On both stores.
func TestRecordTrash(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		admin := app.AdminClient(t)
		c := createCustomer(t, admin, map[string]any{"name": "Recycle Co", "code": "RECY",
			"entities": []any{map[string]any{"name": "North"}, map[string]any{"name": "South"}},
			"licenses": map[string]any{"users": 2, "it_assets": 2, "availability_monitoring": 1}})
		id := c["id"].(string)
		ents := map[string]string{}
		for _, e := range admin.Do("GET", "/api/v1/customers/"+id+"/entities", nil, nil).JSON(t)["items"].([]any) {
			ents[e.(map[string]any)["name"].(string)] = e.(map[string]any)["id"].(string)
		}
		other := createCustomer(t, admin, map[string]any{"name": "Elsewhere", "code": "ELSE", "licenses": map[string]any{"users": 2}})
		signIn := func(email, customerID string) *apptest.Client {
			t.Helper()
			wantStatus(t, admin.Do("POST", "/api/v1/users", map[string]any{"email": email, "name": "Admin", "role": "customer_admin", "password": leakPassword, "customer_id": customerID}, nil), 201)
			cl := app.Client(t)
			wantStatus(t, cl.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": leakPassword}, nil), 200)
			return cl
		}
		cAdmin := signIn("admin@recycle.example", id)
		elseAdmin := signIn("admin@elsewhere.example", other["id"].(string))

		res := admin.Do("POST", "/api/v1/users", map[string]any{"email": "gone@recycle.example", "name": "Gone Gail", "role": "customer_user",
			"password": leakPassword, "customer_id": id, "entity_ids": []string{ents["North"]}}, nil)
		wantStatus(t, res, 201)
		uid := res.JSON(t)["id"].(string)
		res = admin.Do("POST", "/api/v1/assets", map[string]any{"name": "Old Printer", "class": "it", "customer_id": id, "entity_id": ents["North"],
			"serial": "RECY-P0", "ip_address": "192.0.2.43", "availability_monitoring": true}, nil)
		wantStatus(t, res, 201)
		oldID := res.JSON(t)["id"].(string)
		res = admin.Do("POST", "/api/v1/assets", map[string]any{"name": "Gone Printer", "class": "it", "customer_id": id, "entity_id": ents["South"],
			"serial": "RECY-P1", "ip_address": "192.0.2.44"}, nil)
		wantStatus(t, res, 201)
		aid := res.JSON(t)["id"].(string)
		userBefore := admin.Do("GET", "/api/v1/users/"+uid, nil, nil).JSON(t)
		assetBefore := admin.Do("GET", "/api/v1/assets/"+oldID, nil, nil).JSON(t)
		wantStatus(t, cAdmin.Do("DELETE", "/api/v1/users/"+uid, nil, nil), 204)
		wantStatus(t, cAdmin.Do("DELETE", "/api/v1/assets/"+oldID, nil, nil), 204)
		wantStatus(t, cAdmin.Do("DELETE", "/api/v1/assets/"+aid, nil, nil), 204)

		// In trash, with when it goes for good; seen by this customer's
		// admin, not by another's.
		for _, tc := range []struct{ path, id string }{{"/api/v1/trash/users", uid}, {"/api/v1/trash/assets", aid}} {
			for _, cl := range []*apptest.Client{admin, cAdmin} {
				items := cl.Do("GET", tc.path, nil, nil).JSON(t)["items"].([]any)
				if len(items) == 0 || items[0].(map[string]any)["id"] != tc.id { // the latest deleted first
					t.Fatalf("%s = %v", tc.path, items)
				}
				it := items[0].(map[string]any)
				del, err1 := time.Parse(time.RFC3339Nano, it["deleted_at"].(string))
				purge, err2 := time.Parse(time.RFC3339Nano, it["purge_at"].(string))
				if err1 != nil || err2 != nil || purge.Sub(del) != 30*24*time.Hour {
					t.Errorf("%s: deleted_at %v, purge_at %v", tc.path, it["deleted_at"], it["purge_at"])
				}
			}
			if items := elseAdmin.Do("GET", tc.path, nil, nil).JSON(t)["items"].([]any); len(items) != 0 {
				t.Errorf("another customer's admin sees %s: %v", tc.path, items)
			}
			wantProblem(t, elseAdmin.Do("POST", tc.path+"/"+tc.id+"/restore", nil, nil), 404, "not-found")
			wantProblem(t, elseAdmin.Do("DELETE", tc.path+"/"+tc.id, nil, nil), 404, "not-found")
			wantProblem(t, admin.Do("GET", tc.path+"?cursor=nope", nil, nil), 400, "bad-cursor")
		}
		// Its email is held while it is in trash, and the refusal says so.
		p := wantProblem(t, admin.Do("POST", "/api/v1/users", map[string]any{"email": "gone@recycle.example", "name": "New", "role": "customer_user",
			"password": leakPassword, "customer_id": id}, nil), 422, "validation")
		if !strings.Contains(fmt.Sprint(p["errors"]), "trash") {
			t.Errorf("taking a trashed user's email: %v", p["errors"])
		}

		// Its licenses were taken meanwhile: refused, nothing changes.
		wantStatus(t, admin.Do("POST", "/api/v1/users", map[string]any{"email": "second@recycle.example", "name": "Second", "role": "customer_user",
			"password": leakPassword, "customer_id": id}, nil), 201)
		var printers []string
		for i := range 2 {
			res = admin.Do("POST", "/api/v1/assets", map[string]any{"name": fmt.Sprint("New Printer ", i), "class": "it", "customer_id": id}, nil)
			wantStatus(t, res, 201)
			printers = append(printers, res.JSON(t)["id"].(string))
		}
		wantProblem(t, cAdmin.Do("POST", "/api/v1/trash/users/"+uid+"/restore", nil, nil), 409, "license-exceeded")
		wantProblem(t, cAdmin.Do("POST", "/api/v1/trash/assets/"+oldID+"/restore", nil, nil), 409, "license-exceeded")
		// Its entity is gone: refused.
		for _, p := range printers {
			wantStatus(t, admin.Do("DELETE", "/api/v1/assets/"+p, nil, nil), 204)
		}
		wantStatus(t, admin.Do("DELETE", "/api/v1/customers/"+id+"/entities/"+ents["South"], nil, nil), 204)
		wantProblem(t, cAdmin.Do("POST", "/api/v1/trash/assets/"+aid+"/restore", nil, nil), 409, "restore-entity-gone")
		// The other asset comes back exactly as it was.
		wantStatus(t, cAdmin.Do("POST", "/api/v1/trash/assets/"+oldID+"/restore", nil, nil), 200)
		assetAfter := admin.Do("GET", "/api/v1/assets/"+oldID, nil, nil).JSON(t)
		for k, v := range assetBefore {
			if k != "updated_at" && k != "version" && fmt.Sprint(assetAfter[k]) != fmt.Sprint(v) {
				t.Errorf("asset %s: %v before the delete, %v after the restore", k, v, assetAfter[k])
			}
		}
		for _, path := range []string{"/api/v1/trash/users", "/api/v1/trash/assets"} {
			if n := len(admin.Do("GET", path, nil, nil).JSON(t)["items"].([]any)); n < 1 {
				t.Errorf("a refused restore emptied %s", path)
			}
		}

		// Room again: the user comes back exactly as it was.
		sec := admin.Do("GET", "/api/v1/users?customer_id="+id, nil, nil).JSON(t)["items"].([]any)
		for _, it := range sec {
			if it.(map[string]any)["email"] == "second@recycle.example" {
				wantStatus(t, admin.Do("DELETE", "/api/v1/users/"+it.(map[string]any)["id"].(string), nil, nil), 204)
			}
		}
		res = cAdmin.Do("POST", "/api/v1/trash/users/"+uid+"/restore", nil, nil)
		wantStatus(t, res, 200)
		if res.Header.Get("Location") != "/api/v1/users/"+uid {
			t.Errorf("Location %q", res.Header.Get("Location"))
		}
		after := admin.Do("GET", "/api/v1/users/"+uid, nil, nil).JSON(t)
		for k, v := range userBefore {
			if k != "updated_at" && k != "version" && fmt.Sprint(after[k]) != fmt.Sprint(v) {
				t.Errorf("user %s: %v before the delete, %v after the restore", k, v, after[k])
			}
		}
		if after["version"].(float64) <= userBefore["version"].(float64) {
			t.Errorf("version %v after the restore, %v before", after["version"], userBefore["version"])
		}
		u := app.Client(t)
		wantStatus(t, u.Do("POST", "/api/v1/auth/login", map[string]string{"email": "gone@recycle.example", "password": leakPassword}, nil), 200)
		wantProblem(t, cAdmin.Do("POST", "/api/v1/trash/users/"+uid+"/restore", nil, nil), 404, "not-found")

		// The asset's entity cannot come back: purge it. Nothing of it is
		// left but the entry that says so.
		wantProblem(t, cAdmin.Do("DELETE", "/api/v1/trash/assets/"+uid, nil, nil), 404, "not-found")
		wantStatus(t, cAdmin.Do("DELETE", "/api/v1/trash/assets/"+aid, nil, nil), 204)
		for table, rows := range storetest.TablesHolding(t, app.Driver(), app.DSN, aid, "RECY-P1", "Gone Printer", "192.0.2.44") {
			for _, row := range rows {
				if table != "audit_log" || !strings.Contains(row, "asset.purge") {
					t.Errorf("after the asset's purge, %s holds %s", table, row)
				}
			}
		}
		// The user again, purged: its email is free, nothing of it is left.
		wantStatus(t, cAdmin.Do("DELETE", "/api/v1/users/"+uid, nil, nil), 204)
		wantStatus(t, cAdmin.Do("DELETE", "/api/v1/trash/users/"+uid, nil, nil), 204)
		for table, rows := range storetest.TablesHolding(t, app.Driver(), app.DSN, uid, "gone@recycle.example", "Gone Gail") {
			for _, row := range rows {
				if table != "audit_log" || !strings.Contains(row, "user.purge") {
					t.Errorf("after the user's purge, %s holds %s", table, row)
				}
			}
		}
		wantStatus(t, u.Do("GET", "/api/v1/me", nil, nil), 401)
		wantStatus(t, admin.Do("POST", "/api/v1/users", map[string]any{"email": "gone@recycle.example", "name": "Gail Again", "role": "customer_user",
			"password": leakPassword, "customer_id": id}, nil), 201)
	})
}

// TestTrashRetention: two nodes on one database run the retention job at
// once; every record in trash past the retention is purged once, with
// one audit entry, and a record deleted more recently stays. On both
// stores.
func TestTrashRetention(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			clock := apptest.NewClock(time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC))
			app := apptest.New(t, kind, apptest.Options{Now: clock.Now})
			svc, org := app.Service, app.AdminContext()
			var old []string
			for i := range 3 {
				c, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: fmt.Sprintf("Expired %d", i), Code: fmt.Sprintf("EXP%d", i)},
					Licenses: apptest.Roomy()})
				if err != nil {
					t.Fatal(err)
				}
				u, err := svc.CreateUser(org, domain.UserInput{Email: fmt.Sprintf("u%d@expired.example", i), Name: "U", Role: domain.RoleCustomerUser, CustomerID: c.ID, Password: leakPassword})
				if err != nil {
					t.Fatal(err)
				}
				a, err := svc.CreateAsset(org, domain.AssetInput{Name: "A", Class: domain.AssetIT, CustomerID: c.ID})
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 { // a user and an asset of a live customer
					if err := svc.DeleteUser(org, u.ID, 0); err != nil {
						t.Fatal(err)
					}
					if err := svc.DeleteAsset(org, a.ID, 0); err != nil {
						t.Fatal(err)
					}
					old = append(old, u.ID, a.ID)
					continue
				}
				if err := svc.DeleteCustomer(org, c.ID, 0); err != nil {
					t.Fatal(err)
				}
				old = append(old, c.ID)
			}
			clock.Add(29 * 24 * time.Hour)
			recent, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Recent", Code: "RECENT"}})
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.DeleteCustomer(org, recent.ID, 0); err != nil {
				t.Fatal(err)
			}
			clock.Add(2 * 24 * time.Hour) // 31 days after the first deletes, 2 after the last

			// Two nodes: the app's, and another on the same database.
			node2 := service.New(apptest.OpenDSN(t, kind, app.DSN), service.Options{Now: clock.Now, Logger: slog.New(slog.DiscardHandler)})
			off := service.New(app.Store, service.Options{Now: clock.Now, TrashRetention: -1})
			if n, err := off.PurgeExpiredTrash(context.Background()); n != 0 || err != nil {
				t.Fatalf("with retention off, %d purged, %v", n, err)
			}
			var wg sync.WaitGroup
			counts := make([]int, 2)
			for i, node := range []*service.Service{svc, node2} {
				wg.Go(func() {
					n, err := node.PurgeExpiredTrash(context.Background())
					if err != nil {
						t.Errorf("node %d: %v", i+1, err)
					}
					counts[i] = n
				})
			}
			wg.Wait()
			if counts[0]+counts[1] != len(old) {
				t.Errorf("the nodes purged %v, want %d in all", counts, len(old))
			}
			entries, err := svc.AuditLog(org, domain.AuditFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			purges := map[string]int{}
			for _, e := range entries.Items {
				if strings.HasSuffix(e.Action, ".purge") {
					purges[e.TargetID]++
					if e.ActorEmail != "trash retention" || !strings.Contains(string(e.After), "retention") {
						t.Errorf("a purge entry %+v", e)
					}
				}
			}
			for _, id := range old {
				if purges[id] != 1 {
					t.Errorf("%s purged %d times", id, purges[id])
				}
			}
			if purges[recent.ID] != 0 {
				t.Errorf("the customer deleted 2 days ago was purged")
			}
			trash, err := svc.TrashedCustomers(org, 50, "")
			if err != nil || len(trash.Items) != 1 || trash.Items[0].ID != recent.ID {
				t.Errorf("the trash after the job: %+v, %v", trash.Items, err)
			}
			// Run again: nothing left to purge.
			if n, err := node2.PurgeExpiredTrash(context.Background()); n != 0 || err != nil {
				t.Errorf("a second run purged %d, %v", n, err)
			}
		})
	}
}
