package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/custreg/custreg/internal/metrics"
	"github.com/custreg/custreg/internal/server"
	"github.com/custreg/custreg/internal/service"
)

const usage = `Usage: custreg <command> [flags]

Commands:
  serve     run the HTTP API and web UI
  migrate   apply database migrations and exit
  backup    write a consistent copy of a running SQLite store: backup [--db DSN] FILE
  restore   bring a backup back as the SQLite store: restore FILE [--db DSN] [--force]
  report    run a report on the store as one of its users: report --as EMAIL [--customer CODE] [--format csv|json|pdf] [-o FILE] KEY
  archive   write everything held about one customer as a zip, as one of its users: archive --customer CODE_OR_ID [--db DSN] [--as EMAIL] FILE

Run "custreg <command> -h" for a command's flags.
`

// run is main without the process: it takes arguments, environment and
// output streams, so tests can start the whole program in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		cfg, err := parseConfig("serve", args[1:], getenv, stderr)
		if err != nil {
			return err
		}
		tuneRuntime(cfg, getenv)
		return serve(ctx, cfg, stdout, nil)
	case "migrate":
		cfg, err := parseConfig("migrate", args[1:], getenv, stderr)
		if err != nil {
			return err
		}
		st, err := openStore(ctx, cfg.DB, nil)
		if err != nil {
			return err
		}
		defer st.Close()
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	case "backup":
		return backupCmd(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, args[1:], getenv, stdout, stderr)
	case "report":
		return reportCmd(ctx, args[1:], getenv, stdout, stderr)
	case "archive":
		return archiveCmd(ctx, args[1:], getenv, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// Config is custreg's validated configuration: flags first, then CUSTREG_*
// environment variables, then defaults.
type Config struct {
	Addr          string
	DB            string
	BaseURL       string
	LogFormat     string
	LogLevel      slog.Level
	TrustProxy    bool
	OrgName       string
	MSPEnabled    bool
	AdminEmail    string
	AdminName     string
	AdminPassword string
	DebugAddr     string
	// TrashRetention is how long deleted records wait in trash; negative
	// keeps them until purged by hand.
	TrashRetention time.Duration
	// MemoryLimit is the Go runtime's soft memory limit in bytes
	// (debug.SetMemoryLimit), 0 for none. GOMEMLIMIT, when set, wins.
	MemoryLimit int64
}

func parseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c Config
	var level, msp, trust, retention, memLimit string
	fs.StringVar(&c.Addr, "addr", env("CUSTREG_ADDR", "127.0.0.1:8080"), "listen address `host:port` (env CUSTREG_ADDR)")
	fs.StringVar(&c.DB, "db", env("CUSTREG_DB", "custreg.db"), "`DSN`: postgres:// URL or SQLite file path (env CUSTREG_DB)")
	fs.StringVar(&c.BaseURL, "base-url", env("CUSTREG_BASE_URL", ""), "public `URL` of the service, for the printed setup link (env CUSTREG_BASE_URL; default http://ADDR)")
	fs.StringVar(&c.LogFormat, "log-format", env("CUSTREG_LOG_FORMAT", "text"), "log format: text or json (env CUSTREG_LOG_FORMAT)")
	fs.StringVar(&level, "log-level", env("CUSTREG_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env CUSTREG_LOG_LEVEL)")
	fs.StringVar(&trust, "trust-proxy", env("CUSTREG_TRUST_PROXY", "false"), "honour X-Forwarded-Proto, X-Forwarded-For and X-Request-Id from a reverse proxy (env CUSTREG_TRUST_PROXY)")
	fs.StringVar(&msp, "msp-enabled", env("CUSTREG_MSP_ENABLED", "true"), "MSP mode at the first start of an empty store (env CUSTREG_MSP_ENABLED)")
	fs.StringVar(&c.OrgName, "org-name", env("CUSTREG_ORG_NAME", ""), "organization name at the first start (env CUSTREG_ORG_NAME)")
	fs.StringVar(&c.DebugAddr, "debug-addr", env("CUSTREG_DEBUG_ADDR", ""), "if set, serve Go's pprof profiles on this `host:port` (env CUSTREG_DEBUG_ADDR); keep it private")
	fs.StringVar(&retention, "trash-retention", env("CUSTREG_TRASH_RETENTION", "30d"), "how long deleted customers, users and assets wait in trash before they are purged: `DURATION` such as 30d or 720h, or off (env CUSTREG_TRASH_RETENTION)")
	fs.StringVar(&memLimit, "memory-limit", env("CUSTREG_MEMORY_LIMIT", "96MiB"), "soft limit on the memory the Go runtime holds: `SIZE` such as 96MiB or 1GiB, or off; the garbage collector works harder near it, so that bursts of sign-ins and user creates (7 MiB of argon2id memory each) do not grow the process; under it the collector runs at GOGC=400 (env CUSTREG_MEMORY_LIMIT; GOMEMLIMIT and GOGC, if set, win)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var err error
	if c.MSPEnabled, err = strconv.ParseBool(msp); err != nil {
		return c, fmt.Errorf("msp-enabled: %q is not true or false", msp)
	}
	if c.TrashRetention, err = parseRetention(retention); err != nil {
		return c, err
	}
	if c.MemoryLimit, err = parseMemoryLimit(memLimit); err != nil {
		return c, err
	}
	if c.TrustProxy, err = strconv.ParseBool(trust); err != nil {
		return c, fmt.Errorf("trust-proxy: %q is not true or false", trust)
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return c, fmt.Errorf("log-level: %q is not debug, info, warn or error", level)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("log-format: %q is not text or json", c.LogFormat)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return c, fmt.Errorf("addr: %q is not host:port", c.Addr)
	}
	if c.DB == "" {
		return c, errors.New("db: empty DSN")
	}
	c.AdminEmail = getenv("CUSTREG_ADMIN_EMAIL")
	c.AdminName = env("CUSTREG_ADMIN_NAME", "Administrator")
	if c.AdminPassword, err = secret(getenv, "CUSTREG_ADMIN_PASSWORD"); err != nil {
		return c, err
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return c, errors.New("set both CUSTREG_ADMIN_EMAIL and CUSTREG_ADMIN_PASSWORD (or CUSTREG_ADMIN_PASSWORD_FILE), or neither")
	}
	return c, nil
}

// secret reads NAME, or the file named by NAME_FILE (for container secrets).
func secret(getenv func(string) string, name string) (string, error) {
	if f := getenv(name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return getenv(name), nil
}

func newLogger(c Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serve runs the server until ctx is done, then drains requests. If ready is
// not nil it receives the bound address once the server listens.
func serve(ctx context.Context, c Config, stdout io.Writer, ready chan<- string) error {
	log := newLogger(c, stdout)
	m := metrics.New()
	st, err := openStore(ctx, c.DB, m)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := service.New(st, service.Options{Logger: log, TrashRetention: c.TrashRetention})
	setup, err := svc.Bootstrap(ctx, service.FirstStart{
		OrgName: c.OrgName, MSPDisabled: !c.MSPEnabled,
		Admin: adminInput(c),
	})
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	base := c.BaseURL
	if base == "" {
		base = "http://" + addr
	}
	if setup != "" {
		// Printed, not logged at a level that might be filtered: the
		// operator needs it to create the first admin.
		fmt.Fprintf(stdout, "\nNo admin exists yet. Open this one-time link to create the first organization admin:\n\n    %s/setup?token=%s\n\n", strings.TrimRight(base, "/"), setup)
	}
	srv := newHTTPServer(server.Handler(svc, server.Options{Logger: log, TrustProxy: c.TrustProxy, Metrics: m}), log)
	if c.DebugAddr != "" {
		go serveDebug(ctx, c.DebugAddr, log)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go sweepSessions(ctx, svc, log)
	// The daily license-usage history: at start, then hourly. Every node
	// runs it; each day's rows are written once (docs/architecture.md).
	go svc.RunUsageSnapshots(ctx, time.Hour, nil)
	// Trash older than the retention is purged hourly; every node runs it
	// and each record is purged once (docs/operations.md).
	go svc.RunTrashRetention(ctx, time.Hour)
	log.Info("custreg listening", "addr", addr, "store", storeKind(c.DB))
	if ready != nil {
		ready <- addr
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// parseRetention reads a trash retention: whole days ("30d"), a Go
// duration of at least an hour ("720h"), or "off" (kept until purged).
func parseRetention(v string) (time.Duration, error) {
	if v == "off" {
		return -1, nil
	}
	var d time.Duration
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, fmt.Errorf("trash-retention: %q is not a number of days such as 30d", v)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			return 0, fmt.Errorf("trash-retention: %q is not a duration such as 30d or 720h, or off", v)
		}
	}
	if d < time.Hour {
		return 0, fmt.Errorf("trash-retention: %q is shorter than an hour; an undo needs time (use off to keep trash until purged by hand)", v)
	}
	return d, nil
}

// gcPercent is the garbage collector's target (GOGC) under the memory
// limit: a request allocates much and keeps little, so with the default
// 100 the collector ran for a quarter of the server's CPU on small heaps;
// at 400 it runs a quarter as often, and the limit still bounds the heap
// (creates at concurrency 8: 2,286/s at 100, 2,703/s at 400, BENCHMARKS.md).
const gcPercent = 400

// tuneRuntime sets the Go runtime's soft memory limit and, under it, the
// collector's target, unless GOMEMLIMIT or GOGC say otherwise. It returns
// what it set (0 for nothing), for tests.
func tuneRuntime(c Config, getenv func(string) string) (limit int64, percent int) {
	if c.MemoryLimit <= 0 || getenv("GOMEMLIMIT") != "" {
		return 0, 0
	}
	debug.SetMemoryLimit(c.MemoryLimit)
	if getenv("GOGC") != "" {
		return c.MemoryLimit, 0
	}
	debug.SetGCPercent(gcPercent)
	return c.MemoryLimit, gcPercent
}

// parseMemoryLimit reads a size such as 96MiB, 512MB or 1GiB, or "off".
func parseMemoryLimit(v string) (int64, error) {
	if v == "off" {
		return 0, nil
	}
	n, err := humanize.ParseBytes(v)
	if err != nil || n == 0 || n > math.MaxInt64 {
		return 0, fmt.Errorf("memory-limit: %q is not a size such as 96MiB or 1GiB, or off", v)
	}
	if n < 32<<20 {
		return 0, fmt.Errorf("memory-limit: %q is below 32MiB; the server needs more (use off for no limit)", v)
	}
	return int64(n), nil
}

func storeKind(dsn string) string {
	if isPostgres(dsn) {
		return "postgres"
	}
	return "sqlite:" + dsn
}

// sweepSessions deletes expired sessions and idempotency keys every hour
// until ctx is done.
func sweepSessions(ctx context.Context, svc *service.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := svc.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("deleting expired sessions", "err", err)
		} else if n > 0 {
			log.Info("deleted expired sessions", "count", n)
		}
		if n, err := svc.DeleteExpiredIdempotencyKeys(ctx); err != nil && ctx.Err() == nil {
			log.Warn("deleting expired idempotency keys", "err", err)
		} else if n > 0 {
			log.Info("deleted expired idempotency keys", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// serveDebug serves net/http/pprof on its own listener, apart from the
// public handler, until ctx is done.
func serveDebug(ctx context.Context, addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	log.Info("debug server listening", "addr", addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("debug server", "err", err)
	}
}

// newHTTPServer is the server every request meets first. Each phase of a
// request is bounded, so that a slow or stalled client holds a connection
// for a bounded time: its header (ReadHeaderTimeout), its body
// (ReadTimeout), the answer (WriteTimeout) and an idle keep-alive
// connection (IdleTimeout). Headers over server.MaxHeaderBytes are refused
// by the handler with a problem; the server's own bound only stops
// headers far larger than that.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    server.ServerMaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
