// Package apptest starts the whole custreg stack in-process for tests: a
// real store (SQLite in a temporary file, or a fresh PostgreSQL database),
// the service, and the HTTP handler on an httptest server.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/server"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/postgres"
	"github.com/custreg/custreg/internal/store/sqlite"
	"github.com/custreg/custreg/internal/store/storetest"
)

// Admin credentials of every test stack.
const (
	AdminEmail    = "admin@example.com"
	AdminPassword = "correct-horse-battery"
)

// App is one running stack.
type App struct {
	// Kind is "sqlite" or "postgres"; DSN the database's path or URL,
	// for tests that look at the tables themselves.
	Kind    string
	DSN     string
	Store   store.Store
	Service *service.Service
	Server  *httptest.Server
	// Admin is the bootstrap organization admin.
	Admin domain.Principal
}

// Options adjust a stack.
type Options struct {
	// MSPDisabled starts the organization single-tenant.
	MSPDisabled bool
	// Now is the service's clock; time.Now when nil.
	Now func() time.Time
}

// Stores names the stores tests run on: "sqlite" always, "postgres" when
// CUSTREG_TEST_POSTGRES_URL is set (and, in CI, always).
func Stores(t *testing.T) []string {
	return []string{"sqlite", "postgres"}
}

// OpenStore opens a new empty store of kind ("sqlite" or "postgres"),
// skipping (or, in CI, failing) when PostgreSQL is not configured.
func OpenStore(t testing.TB, kind string) store.Store {
	st, _ := openStore(t, kind)
	return st
}

// NewDatabase creates a new empty database of kind and returns its DSN,
// for tests that open it more than once (several nodes on one database).
func NewDatabase(t testing.TB, kind string) string {
	t.Helper()
	switch kind {
	case "sqlite":
		return filepath.Join(t.TempDir(), "custreg.db")
	case "postgres":
		return storetest.NewPostgresDatabase(t, storetest.PostgresURL(t))
	}
	t.Fatalf("unknown store %q", kind)
	return ""
}

// OpenDSN opens the store of kind at dsn, closed when the test ends.
func OpenDSN(t testing.TB, kind, dsn string) store.Store {
	t.Helper()
	ctx := context.Background()
	var st store.Store
	var err error
	if kind == "postgres" {
		st, err = postgres.Open(ctx, dsn)
	} else {
		st, err = sqlite.Open(ctx, dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openStore(t testing.TB, kind string) (store.Store, string) {
	t.Helper()
	dsn := NewDatabase(t, kind)
	return OpenDSN(t, kind, dsn), dsn
}

// Driver is the database/sql driver name of the app's store.
func (a *App) Driver() string {
	if a.Kind == "postgres" {
		return "pgx"
	}
	return "sqlite"
}

// New starts a stack on a store of kind with a bootstrapped admin.
func New(t testing.TB, kind string, opts Options) *App {
	t.Helper()
	st, dsn := openStore(t, kind)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, service.Options{Logger: log, Now: opts.Now})
	ctx := context.Background()
	if _, err := svc.Bootstrap(ctx, service.FirstStart{MSPDisabled: opts.MSPDisabled,
		Admin: domain.AdminInput{Email: AdminEmail, Name: "Ada Admin", Password: AdminPassword}}); err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.Login(ctx, AdminEmail, AdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.Handler(svc, server.Options{Logger: log}))
	t.Cleanup(srv.Close)
	return &App{Kind: kind, DSN: dsn, Store: st, Service: svc, Server: srv, Admin: p}
}

// AdminContext returns a context carrying the admin principal, for calling
// the service directly.
func (a *App) AdminContext() context.Context {
	return domain.WithPrincipal(context.Background(), a.Admin)
}

// Client is an HTTP client for the stack with its own cookie jar.
type Client struct {
	t      testing.TB
	app    *App
	http   *http.Client
	Bearer string
}

// Client returns a client with an empty cookie jar.
func (a *App) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, app: a, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// AdminClient returns a client signed in as the admin (session cookie).
func (a *App) AdminClient(t testing.TB) *Client {
	c := a.Client(t)
	res := c.Do("POST", "/api/v1/auth/login", map[string]string{"email": AdminEmail, "password": AdminPassword}, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("login: %d %s", res.Status, res.Body)
	}
	return c
}

// Response is a finished response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, r.Body)
	}
	return v
}

// Do sends a request. body may be nil, a []byte or string (sent as is), or
// any other value (sent as JSON). Content-Type is application/json unless
// header sets it.
func (c *Client) Do(method, path string, body any, header map[string]string) Response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.app.Server.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// Roomy is a license allocation with room for every test's records, for
// tests about something other than licenses.
func Roomy() domain.LicenseCounts {
	out := domain.LicenseCounts{}
	for _, t := range domain.LicenseTypes {
		n := int64(1000)
		out[t] = &n
	}
	return out
}

// Clock is a settable clock for a service under test (service.Options.Now).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
