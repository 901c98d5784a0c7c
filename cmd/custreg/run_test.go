package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/server"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startServe runs serve on port 0 and returns its address, its output and a
// stop function that cancels it (as SIGTERM does) and returns serve's error.
func startServe(t *testing.T, env map[string]string) (string, *syncBuffer, func() error) {
	t.Helper()
	cfg, err := parseConfig("serve", []string{"--addr", "127.0.0.1:0"}, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, out, ready) }()
	select {
	case addr := <-ready:
		return addr, out, func() error { cancel(); return <-done }
	case err := <-done:
		cancel()
		t.Fatalf("serve exited early: %v\n%s", err, out)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	return "", nil, nil
}

func TestServeWithEnvAdminAndGracefulStop(t *testing.T) {
	db := filepath.Join(t.TempDir(), "custreg.db")
	addr, out, stop := startServe(t, map[string]string{"CUSTREG_DB": db,
		"CUSTREG_ADMIN_EMAIL": "ops@example.com", "CUSTREG_ADMIN_PASSWORD": "a-long-enough-password"})
	res, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"email":"ops@example.com","password":"a-long-enough-password"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login with the env admin = %d", res.StatusCode)
	}
	// The same request shows in the metrics, by route pattern, with the
	// store's transactions.
	res, err = http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`custreg_http_requests_total{method="POST",route="POST /api/v1/auth/login",status="200"} 1`,
		`custreg_http_request_duration_seconds_bucket{method="POST",route="POST /api/v1/auth/login",le="+Inf"} 1`,
		`custreg_store_transaction_duration_seconds_count{kind="write"}`,
		`custreg_store_query_duration_seconds_count{statement="select"}`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v after the stop signal", err)
	}
	log := out.String()
	for _, want := range []string{"custreg listening", "path=/api/v1/auth/login status=200", "request_id=", "stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "/setup?token=") {
		t.Error("a setup link was printed although an admin was configured")
	}
}

func TestServePrintsOneTimeSetupLink(t *testing.T) {
	db := filepath.Join(t.TempDir(), "custreg.db")
	_, out, stop := startServe(t, map[string]string{"CUSTREG_DB": db, "CUSTREG_BASE_URL": "https://custreg.example.net"})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`https://custreg\.example\.net/setup\?token=[A-Za-z0-9_-]{43}`).MatchString(out.String()) {
		t.Errorf("no setup link in output:\n%s", out)
	}
}

func TestParseConfig(t *testing.T) {
	cfg, err := parseConfig("serve", nil, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.DB != "custreg.db" || !cfg.MSPEnabled || cfg.TrashRetention != 30*24*time.Hour {
		t.Errorf("defaults = %+v", cfg)
	}
	for v, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "off": -1} {
		if cfg, err := parseConfig("serve", []string{"--trash-retention", v}, envOf(nil), io.Discard); err != nil || cfg.TrashRetention != want {
			t.Errorf("--trash-retention %s = %v, %v; want %v", v, cfg.TrashRetention, err, want)
		}
	}
	if cfg.MemoryLimit != 96<<20 {
		t.Errorf("default memory limit = %d, want 96 MiB", cfg.MemoryLimit)
	}
	for v, want := range map[string]int64{"1GiB": 1 << 30, "512MB": 512e6, "off": 0} {
		if cfg, err := parseConfig("serve", []string{"--memory-limit", v}, envOf(nil), io.Discard); err != nil || cfg.MemoryLimit != want {
			t.Errorf("--memory-limit %s = %d, %v; want %d", v, cfg.MemoryLimit, err, want)
		}
	}
	cfg, err = parseConfig("serve", []string{"--db", "postgres://x/y"}, envOf(map[string]string{"CUSTREG_DB": "env.db", "CUSTREG_ADDR": ":9000"}), io.Discard)
	if err != nil || cfg.DB != "postgres://x/y" || cfg.Addr != ":9000" {
		t.Errorf("flag over env: %+v, %v", cfg, err)
	}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"BadAddr", []string{"--addr", "nope"}, nil},
		{"BadMSP", nil, map[string]string{"CUSTREG_MSP_ENABLED": "maybe"}},
		{"BadLogLevel", []string{"--log-level", "loud"}, nil},
		{"BadLogFormat", []string{"--log-format", "xml"}, nil},
		{"BadRetention", []string{"--trash-retention", "a month"}, nil},
		{"BadRetentionDays", nil, map[string]string{"CUSTREG_TRASH_RETENTION": "xd"}},
		{"RetentionTooShort", []string{"--trash-retention", "10m"}, nil},
		{"AdminEmailWithoutPassword", nil, map[string]string{"CUSTREG_ADMIN_EMAIL": "a@example.com"}},
		{"MissingPasswordFile", nil, map[string]string{"CUSTREG_ADMIN_EMAIL": "a@example.com", "CUSTREG_ADMIN_PASSWORD_FILE": "/nonexistent"}},
		{"BadMemoryLimit", []string{"--memory-limit", "lots"}, nil},
		{"MemoryLimitTooSmall", nil, map[string]string{"CUSTREG_MEMORY_LIMIT": "8MiB"}},
		{"StrayArgument", []string{"extra"}, nil},
		{"UnknownFlag", []string{"--colour"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseConfig("serve", tc.args, envOf(tc.env), io.Discard); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestTuneRuntime: the memory limit and, under it, the collector's target
// are set unless the environment sets them; off sets nothing.
func TestTuneRuntime(t *testing.T) {
	prevLimit, prevPercent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(prevPercent)
	t.Cleanup(func() { debug.SetMemoryLimit(prevLimit); debug.SetGCPercent(prevPercent) })
	cfg := Config{MemoryLimit: 96 << 20}
	for _, tc := range []struct {
		name    string
		cfg     Config
		env     map[string]string
		limit   int64
		percent int
	}{
		{"Default", cfg, nil, 96 << 20, gcPercent},
		{"GOGCSet", cfg, map[string]string{"GOGC": "150"}, 96 << 20, 0},
		{"GOMEMLIMITSet", cfg, map[string]string{"GOMEMLIMIT": "1GiB"}, 0, 0},
		{"Off", Config{}, nil, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(prevLimit)
			debug.SetGCPercent(prevPercent)
			limit, percent := tuneRuntime(tc.cfg, envOf(tc.env))
			if limit != tc.limit || percent != tc.percent {
				t.Fatalf("tuneRuntime = %d, %d; want %d, %d", limit, percent, tc.limit, tc.percent)
			}
			if got := debug.SetMemoryLimit(-1); tc.limit > 0 && got != tc.limit {
				t.Errorf("the runtime's limit is %d, want %d", got, tc.limit)
			}
			if got := debug.SetGCPercent(prevPercent); tc.percent > 0 && got != tc.percent {
				t.Errorf("the runtime's GOGC is %d, want %d", got, tc.percent)
			}
		})
	}
}

func TestRunCommands(t *testing.T) {
	var out bytes.Buffer
	db := filepath.Join(t.TempDir(), "m.db")
	if err := run(context.Background(), []string{"migrate", "--db", db}, envOf(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "migrations applied") {
		t.Errorf("migrate output = %q", out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, envOf(nil), io.Discard, io.Discard); err == nil {
		t.Error("unknown command accepted")
	}
	if err := run(context.Background(), nil, envOf(nil), io.Discard, io.Discard); err == nil {
		t.Error("no command accepted")
	}
}

// TestServerBoundsEveryPhase: the server bounds how long a client may take
// to send its header and body and to read the answer, how long an idle
// connection stays, and how large a header may be, so that slow or stalled
// clients cannot hold connections without end.
func TestServerBoundsEveryPhase(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler(), slog.Default())
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout} {
		if d <= 0 || d > 5*time.Minute {
			t.Errorf("%s = %v, want a bound of at most 5 minutes", name, d)
		}
	}
	if srv.ReadHeaderTimeout > srv.ReadTimeout {
		t.Errorf("ReadHeaderTimeout %v exceeds ReadTimeout %v", srv.ReadHeaderTimeout, srv.ReadTimeout)
	}
	if srv.MaxHeaderBytes <= server.MaxHeaderBytes {
		t.Errorf("the server's MaxHeaderBytes %d must exceed the handler's %d, so that the handler answers with a problem",
			srv.MaxHeaderBytes, server.MaxHeaderBytes)
	}
}
