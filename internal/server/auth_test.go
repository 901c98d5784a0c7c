package server_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/server"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

func login(c *apptest.Client, email, password string) apptest.Response {
	return c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, nil)
}

// TestSigninThrottledOverHTTP: 300 wrong passwords for one account meet
// 429s with Retry-After; the right password is refused too while the
// account is throttled, over the API and the web form alike; after the
// backoff it signs in.
func TestSigninThrottledOverHTTP(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			clk := apptest.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
			app := apptest.New(t, kind, apptest.Options{Now: clk.Now})
			c := app.Client(t)
			counts := map[int]int{}
			for i := range 300 {
				res := login(c, apptest.AdminEmail, "wrong-password-"+strconv.Itoa(i))
				counts[res.Status]++
				if res.Status == http.StatusTooManyRequests {
					p := res.JSON(t)
					if res.Header.Get("Content-Type") != "application/problem+json" || p["type"] != "urn:custreg:problem:too-many-requests" ||
						res.Header.Get("Retry-After") == "" {
						t.Fatalf("429 = %v %v", res.Header, p)
					}
				}
			}
			if counts[http.StatusUnauthorized] != service.SigninAccountLimit || counts[http.StatusTooManyRequests] != 300-service.SigninAccountLimit {
				t.Errorf("answers to 300 wrong passwords = %v; want %d 401s, then 429s", counts, service.SigninAccountLimit)
			}
			res := login(c, apptest.AdminEmail, apptest.AdminPassword)
			if res.Status != http.StatusTooManyRequests {
				t.Fatalf("right password while throttled = %d %s, want 429", res.Status, res.Body)
			}
			wait, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if err != nil || wait <= 0 || wait > int(service.SigninBackoff/time.Second) {
				t.Errorf("Retry-After = %q", res.Header.Get("Retry-After"))
			}
			msg := res.JSON(t)["detail"].(string)
			// The web form refuses the same way, with the same message.
			form := url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}}.Encode()
			web := c.Do("POST", "/login", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
			if web.Status != http.StatusTooManyRequests || web.Header.Get("Retry-After") == "" || !bytes.Contains(web.Body, []byte(msg)) {
				t.Errorf("web sign-in while throttled = %d, Retry-After %q; want 429 saying %q", web.Status, web.Header.Get("Retry-After"), msg)
			}

			clk.Add(time.Duration(wait) * time.Second)
			if res := login(c, apptest.AdminEmail, apptest.AdminPassword); res.Status != http.StatusOK {
				t.Fatalf("after Retry-After = %d %s", res.Status, res.Body)
			}
			if res := c.Do("GET", "/api/v1/me", nil, nil); res.Status != http.StatusOK {
				t.Errorf("me after signing in = %d", res.Status)
			}
		})
	}
}

// TestPasswordChangeOverHTTP: a PATCH that sets a user's password ends the
// user's sessions and API tokens; the admin that made it stays signed in.
// Deactivating and reactivating the user ends its sessions for good.
func TestPasswordChangeOverHTTP(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			app := apptest.New(t, kind, apptest.Options{})
			admin := app.AdminClient(t)
			const pw = "a-long-enough-password"
			res := admin.Do("POST", "/api/v1/users", map[string]any{"email": "ops@example.com", "name": "Ops", "role": "org_admin", "password": pw}, nil)
			if res.Status != http.StatusCreated {
				t.Fatalf("create user = %d %s", res.Status, res.Body)
			}
			id := res.JSON(t)["id"].(string)
			ops := app.Client(t)
			if res := login(ops, "ops@example.com", pw); res.Status != http.StatusOK {
				t.Fatalf("login = %d", res.Status)
			}
			res = ops.Do("POST", "/api/v1/tokens", map[string]any{"name": "ci"}, nil)
			if res.Status != http.StatusCreated {
				t.Fatalf("token = %d %s", res.Status, res.Body)
			}
			bearer := app.Client(t)
			bearer.Bearer = res.JSON(t)["token"].(string)
			for _, cl := range []*apptest.Client{ops, bearer} {
				if res := cl.Do("GET", "/api/v1/me", nil, nil); res.Status != http.StatusOK {
					t.Fatalf("me before = %d", res.Status)
				}
			}
			res = admin.Do("PATCH", "/api/v1/users/"+id, map[string]any{"password": "another-long-password"}, nil)
			if res.Status != http.StatusOK {
				t.Fatalf("patch password = %d %s", res.Status, res.Body)
			}
			for name, cl := range map[string]*apptest.Client{"session": ops, "token": bearer} {
				if res := cl.Do("GET", "/api/v1/me", nil, nil); res.Status != http.StatusUnauthorized {
					t.Errorf("%s after the password change: me = %d, want 401", name, res.Status)
				}
			}
			if res := admin.Do("GET", "/api/v1/me", nil, nil); res.Status != http.StatusOK {
				t.Errorf("the admin that changed it: me = %d", res.Status)
			}

			// Deactivating and reactivating does not revive a session.
			again := app.Client(t)
			if res := login(again, "ops@example.com", "another-long-password"); res.Status != http.StatusOK {
				t.Fatalf("login with the new password = %d", res.Status)
			}
			for _, active := range []bool{false, true} {
				if res := admin.Do("PATCH", "/api/v1/users/"+id, map[string]any{"is_active": active}, nil); res.Status != http.StatusOK {
					t.Fatalf("patch is_active=%v = %d %s", active, res.Status, res.Body)
				}
			}
			if res := again.Do("GET", "/api/v1/me", nil, nil); res.Status != http.StatusUnauthorized {
				t.Errorf("a session after deactivation and reactivation: me = %d, want 401", res.Status)
			}
		})
	}
}

// failingStore fails every Read once failing is set: the database went
// away after sign-in.
type failingStore struct {
	store.Store
	mu      sync.Mutex
	failing bool
}

func (f *failingStore) Read(ctx context.Context, fn func(store.Tx) error) error {
	f.mu.Lock()
	failing := f.failing
	f.mu.Unlock()
	if failing {
		return errors.New("read: connection refused")
	}
	return f.Store.Read(ctx, fn)
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestStoreFailureWhileAuthenticating: when the store fails while a
// session or token is looked up, the answer is a logged 500 problem, not a
// 401 that would send the person to sign in again.
func TestStoreFailureWhileAuthenticating(t *testing.T) {
	for _, kind := range apptest.Stores(t) {
		t.Run(kind, func(t *testing.T) {
			fs := &failingStore{Store: apptest.OpenStore(t, kind)}
			var logs syncBuffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			svc := service.New(fs, service.Options{Logger: log})
			ctx := context.Background()
			if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: domain.AdminInput{Email: "admin@example.com", Name: "A", Password: "correct-horse-battery"}}); err != nil {
				t.Fatal(err)
			}
			secret, p, err := svc.Login(ctx, "admin@example.com", "correct-horse-battery")
			if err != nil {
				t.Fatal(err)
			}
			_ = p
			srv := httptest.NewServer(server.Handler(svc, server.Options{Logger: log}))
			t.Cleanup(srv.Close)
			get := func(header, value string) (*http.Response, []byte) {
				req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
				req.Header.Set(header, value)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res, b
			}
			if res, _ := get("Cookie", "custreg_session="+secret); res.StatusCode != http.StatusOK {
				t.Fatalf("before the failure: %d", res.StatusCode)
			}
			// A sign-in is a write that empties the credential cache, so the
			// session is looked up in the store again below.
			if _, _, err := svc.Login(ctx, "admin@example.com", "correct-horse-battery"); err != nil {
				t.Fatal(err)
			}
			fs.mu.Lock()
			fs.failing = true
			fs.mu.Unlock()
			for _, h := range [][2]string{{"Cookie", "custreg_session=" + secret}, {"Authorization", "Bearer crg_" + strings.Repeat("a", 43)}} {
				res, body := get(h[0], h[1])
				id := res.Header.Get("X-Request-Id")
				if res.StatusCode != http.StatusInternalServerError || res.Header.Get("Content-Type") != "application/problem+json" ||
					!bytes.Contains(body, []byte("urn:custreg:problem:internal")) || !bytes.Contains(body, []byte(id)) {
					t.Errorf("%s with the store failing = %d %s %s; want a 500 problem", h[0], res.StatusCode, res.Header.Get("Content-Type"), body)
				}
				if l := logs.String(); !strings.Contains(l, "level=ERROR") || !strings.Contains(l, "connection refused") || !strings.Contains(l, id) {
					t.Errorf("log lacks the failure of request %s: %s", id, l)
				}
			}
		})
	}
}
