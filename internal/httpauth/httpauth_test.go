package httpauth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
)

func TestClientAddr(t *testing.T) {
	for _, tc := range []struct {
		remote, xff string
		trust       bool
		want        string
	}{
		{"192.0.2.7:5123", "", false, "192.0.2.7"},
		{"192.0.2.7:5123", "198.51.100.9", false, "192.0.2.7"}, // not trusted: ignored
		{"192.0.2.7:5123", "203.0.113.1, 198.51.100.9", true, "198.51.100.9"},
		{"[2001:db8:1:2:3:4:5:6]:443", "", false, "2001:db8:1:2:3:4:5:6"},
		{"[fe80::1%eth0]:443", "", false, "fe80::1"},
		{"[::ffff:192.0.2.7]:80", "", false, "192.0.2.7"},
		{"192.0.2.7:5123", "   ", true, "192.0.2.7"},
	} {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := ClientAddr(r, tc.trust); got != tc.want {
			t.Errorf("ClientAddr(%q, xff %q, trust %v) = %q, want %q", tc.remote, tc.xff, tc.trust, got, tc.want)
		}
	}
}

// fakeAuth answers every credential with err (or p when err is nil).
type fakeAuth struct {
	p   domain.Principal
	err error
}

func (f fakeAuth) AuthenticateSession(context.Context, string) (domain.Principal, error) {
	return f.p, f.err
}
func (f fakeAuth) AuthenticateToken(context.Context, string) (domain.Principal, error) {
	return f.p, f.err
}

// TestMiddlewareStoreFailure: credentials that cannot be checked are a
// logged 500 problem, never an anonymous request; credentials that are
// merely invalid go on without a principal.
func TestMiddlewareStoreFailure(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header map[string]string
	}{
		{"cookie", map[string]string{"Cookie": SessionCookie + "=abc"}},
		{"bearer", map[string]string{"Authorization": "Bearer crg_x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			served := false
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served = true })
			h := Middleware(fakeAuth{err: errors.New("connection refused")}, log, next)
			r := httptest.NewRequest("GET", "/api/v1/me", nil)
			r = r.WithContext(domain.WithRequest(r.Context(), domain.Request{ID: "req-42"}))
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if served {
				t.Error("a request whose credentials could not be checked was served")
			}
			var p struct {
				Type   string `json:"type"`
				Status int    `json:"status"`
				Detail string `json:"detail"`
			}
			if w.Code != 500 || w.Header().Get("Content-Type") != "application/problem+json" || json.Unmarshal(w.Body.Bytes(), &p) != nil ||
				p.Type != "urn:custreg:problem:internal" || p.Status != 500 || !strings.Contains(p.Detail, "req-42") {
				t.Errorf("answer = %d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			if l := logs.String(); !strings.Contains(l, "level=ERROR") || !strings.Contains(l, "connection refused") || !strings.Contains(l, "req-42") {
				t.Errorf("log = %q; want the error with the request id", l)
			}

			// Invalid credentials: served, without a principal.
			served = false
			var got bool
			next = func(w http.ResponseWriter, r *http.Request) {
				served = true
				_, got = domain.PrincipalFrom(r.Context())
			}
			h = Middleware(fakeAuth{err: domain.Errorf(domain.EUnauthorized, "ended")}, log, next)
			h.ServeHTTP(httptest.NewRecorder(), r)
			if !served || got {
				t.Errorf("invalid credentials: served %v, principal %v", served, got)
			}
		})
	}
}
