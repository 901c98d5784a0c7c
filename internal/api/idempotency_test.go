package api_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/logo/logotest"
)

// TestIdempotencyKey covers safe retries on both stores: a retry with the
// same key and request gets the first answer without a second write; the
// same key with another request is a 422; keys are each caller's own and
// expire after a day; a refused request's answer is kept too; concurrent
// sends of one key write once; a multipart retry with a new boundary is
// the same request; bad keys and POST /tokens are 400s.
func TestIdempotencyKey(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) { idempotencyKeys(t, kind) })
	}
}

func idempotencyKeys(t *testing.T, kind string) {
	{
		clock := apptest.NewClock(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		app := apptest.New(t, kind, apptest.Options{Now: clock.Now})
		admin := app.AdminClient(t)
		key := func(k string) map[string]string { return map[string]string{"Idempotency-Key": k} }
		body := map[string]any{"name": "Retry Corp", "code": "RETRY", "entities": []any{map[string]any{"name": "HQ"}}}

		first := admin.Do("POST", "/api/v1/customers", body, key("create-retry-1"))
		wantStatus(t, first, 201)
		again := admin.Do("POST", "/api/v1/customers", body, key("create-retry-1"))
		wantStatus(t, again, 201)
		if string(again.Body) != string(first.Body) || again.Header.Get("Location") != first.Header.Get("Location") ||
			again.Header.Get("ETag") != first.Header.Get("ETag") || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the retry's answer differs: %s / %s", first.Body, again.Body)
		}
		if first.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("the first answer says it is replayed")
		}
		if n := customerCount(t, admin); n != 1 {
			t.Fatalf("%d customers after a retried create", n)
		}

		// The same key with another body: 422, nothing written.
		p := wantProblem(t, admin.Do("POST", "/api/v1/customers", map[string]any{"name": "Other", "code": "OTHER"}, key("create-retry-1")), 422, "idempotency-key-reused")
		if fieldCodes(t, p)["Idempotency-Key"] != "reused" {
			t.Errorf("problem = %v", p)
		}
		// ... or another path.
		wantProblem(t, admin.Do("POST", "/api/v1/roles", map[string]any{"key": "x_role", "name": "X", "scope": "customer", "permissions": []string{}}, key("create-retry-1")), 422, "idempotency-key-reused")
		if n := customerCount(t, admin); n != 1 {
			t.Fatalf("%d customers after a reused key", n)
		}

		// A refused request's answer is kept: the retry gets the same 422.
		bad := map[string]any{"name": "", "code": "a b"}
		r1 := admin.Do("POST", "/api/v1/customers", bad, key("bad-1"))
		wantStatus(t, r1, 422)
		r2 := admin.Do("POST", "/api/v1/customers", bad, key("bad-1"))
		if r2.Status != 422 || string(r2.Body) != string(r1.Body) || r2.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry of a refused create: %d %s", r2.Status, r2.Body)
		}

		// Keys are the caller's own: another user's same key runs anew.
		if _, err := app.Service.CreateUser(app.AdminContext(), domain.UserInput{Email: "second@msp.example", Name: "Second", Role: domain.RoleOrgAdmin, Password: leakPassword}); err != nil {
			t.Fatal(err)
		}
		second := app.Client(t)
		wantStatus(t, second.Do("POST", "/api/v1/auth/login", map[string]string{"email": "second@msp.example", "password": leakPassword}, nil), 200)
		res := second.Do("POST", "/api/v1/customers", map[string]any{"name": "Second Corp", "code": "SECOND"}, key("create-retry-1"))
		if res.Status != 201 || res.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("another caller's key was replayed: %d %s", res.Status, res.Body)
		}

		// After a day the key is new again: the request runs (and meets
		// the name it created itself).
		clock.Add(domain.IdempotencyLife + time.Minute)
		admin = app.AdminClient(t) // the session ended meanwhile
		res = admin.Do("POST", "/api/v1/customers", body, key("create-retry-1"))
		if res.Status != 422 || res.Header.Get("Idempotent-Replayed") != "" || !strings.Contains(string(res.Body), "already exists") {
			t.Errorf("a day-old key: %d %s", res.Status, res.Body)
		}
		if n, err := app.Service.DeleteExpiredIdempotencyKeys(app.AdminContext()); err != nil || n == 0 {
			t.Errorf("expired keys deleted: %d %v", n, err)
		}

		// Concurrent sends of one key: one write, every answer the 201 or
		// "still running".
		var wg sync.WaitGroup
		statuses := make([]int, 6)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = admin.Do("POST", "/api/v1/customers", map[string]any{"name": "Racer", "code": "RACER"}, key("race-1")).Status
			}()
		}
		wg.Wait()
		created := 0
		for _, st := range statuses {
			switch st {
			case 201:
				created++
			case 409:
			default:
				t.Errorf("a concurrent send answered %d", st)
			}
		}
		if created == 0 {
			t.Errorf("no concurrent send was answered 201: %v", statuses)
		}
		racers := 0
		page, err := app.Service.ListCustomers(app.AdminContext(), domain.CustomerFilter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			if c.Code == "RACER" {
				racers++
			}
		}
		if racers != 1 {
			t.Errorf("%d customers RACER after concurrent sends of one key", racers)
		}

		// A multipart create retried with a new boundary is the same request.
		form1, ct1 := createForm(t, map[string]any{"name": "Logo Retry", "code": "LOGORETRY"}, "logomark", logotest.PNG(80, 80))
		form2, ct2 := createForm(t, map[string]any{"name": "Logo Retry", "code": "LOGORETRY"}, "logomark", logotest.PNG(80, 80))
		if ct1 == ct2 {
			t.Fatal("the two forms share a boundary")
		}
		a := admin.Do("POST", "/api/v1/customers", form1, map[string]string{"Content-Type": ct1, "Idempotency-Key": "logo-1"})
		b := admin.Do("POST", "/api/v1/customers", form2, map[string]string{"Content-Type": ct2, "Idempotency-Key": "logo-1"})
		if a.Status != 201 || b.Status != 201 || b.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("multipart retry: %d %d %q", a.Status, b.Status, b.Header.Get("Idempotent-Replayed"))
		}

		// Bad keys, and the one POST that takes none.
		wantProblem(t, admin.Do("POST", "/api/v1/customers", body, key(strings.Repeat("k", domain.MaxIdempotencyKey+1))), 400, "bad-request")
		wantProblem(t, admin.Do("POST", "/api/v1/customers", body, key("tab\there")), 400, "bad-request")
		wantProblem(t, admin.Do("POST", "/api/v1/tokens", map[string]any{"name": "ci"}, key("token-1")), 400, "bad-request")
		// Without a key nothing changes: the same create twice is a 201
		// and a 422.
		plain := map[string]any{"name": "Plain", "code": "PLAIN"}
		wantStatus(t, admin.Do("POST", "/api/v1/customers", plain, nil), 201)
		wantStatus(t, admin.Do("POST", "/api/v1/customers", plain, nil), 422)
	}
}
