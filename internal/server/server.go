// Package server assembles custreg's HTTP handler: the JSON API, the web UI,
// health checks and the middleware every request passes through.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/custreg/custreg/internal/api"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/httpauth"
	"github.com/custreg/custreg/internal/metrics"
	"github.com/custreg/custreg/internal/problem"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/web"
)

// Options configure the handler.
type Options struct {
	Logger *slog.Logger
	// TrustProxy honours X-Forwarded-Proto (Secure cookies behind a TLS
	// proxy), X-Forwarded-For (the client address sign-in throttling
	// counts) and X-Request-Id from the proxy.
	TrustProxy bool
	// Metrics records request metrics and serves /metrics; a new registry
	// when nil.
	Metrics *metrics.Metrics
}

// Handler returns custreg's whole HTTP handler.
func Handler(svc *service.Service, opts Options) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	m := opts.Metrics
	if m == nil {
		m = metrics.New()
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := svc.Ready(ctx); err != nil {
			log.ErrorContext(r.Context(), "readiness check failed", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("store unreachable\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	api.New(svc, api.Options{Logger: log, TrustProxy: opts.TrustProxy}).Register(mux)
	web.New(svc, web.Options{Logger: log, TrustProxy: opts.TrustProxy}).Register(mux)

	var h http.Handler = mux
	// Cookie-authenticated browsers are protected against cross-site request
	// forgery by Fetch metadata / Origin checks on every unsafe method.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		problem.Write(w, r, problem.New(http.StatusForbidden, "cross-origin",
			"Cross-origin request refused: a page of another site may not act with this browser's session."))
	}))
	h = cop.Handler(h)
	h = logRequests(log, m, h)
	// Authentication runs before logging so that the log line names the user.
	h = httpauth.Middleware(svc, log, h)
	h = requestID(opts.TrustProxy, h)
	h = edge(h)
	return h
}

// MaxHeaderBytes bounds a request's header (its lines and the request
// line): a larger one is answered 431 with a problem. The http.Server's own
// MaxHeaderBytes must be larger (ServerMaxHeaderBytes), so that the request
// reaches this check instead of Go's plain-text 431.
const (
	MaxHeaderBytes       = 64 << 10
	ServerMaxHeaderBytes = 1 << 20
)

// edge is the outermost layer: it refuses requests whose header is too
// large with a problem, and marks every answer nosniff, so that a browser
// never second-guesses a JSON or text response's type.
func edge(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		size := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
		for k, vs := range r.Header {
			for _, v := range vs {
				size += len(k) + len(v) + 4
			}
		}
		if size > MaxHeaderBytes {
			problem.Write(w, r, problem.New(http.StatusRequestHeaderFieldsTooLarge, "header-too-large",
				fmt.Sprintf("The request's header is %d bytes; at most %d are accepted.", size, MaxHeaderBytes)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RequestID returns the id of the request ctx belongs to.
func RequestID(ctx context.Context) string { return domain.RequestFrom(ctx).ID }

// requestID gives every request an id, echoed in X-Request-Id and logged,
// and puts it with the client's address in the context as a
// domain.Request, for the logs and the audit entries.
func requestID(trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := ""
		if trustProxy {
			if v := r.Header.Get("X-Request-Id"); v != "" && len(v) <= 64 {
				id = v
			}
		}
		if id == "" {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		ctx := domain.WithRequest(r.Context(), domain.Request{ID: id, ClientAddr: httpauth.ClientAddr(r, trustProxy)})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests writes one structured line per request and turns a panic into
// a logged 500 instead of a dropped connection.
func logRequests(log *slog.Logger, m *metrics.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic serving request", "request_id", RequestID(r.Context()),
					"panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					problem.Write(sw, r, problem.Internal(r, "An internal error occurred;"))
				}
			}
			d := time.Since(start)
			// r.Pattern is set by the ServeMux on this same request.
			m.ObserveRequest(r.Pattern, r.Method, sw.status, d)
			p, _ := domain.PrincipalFrom(r.Context())
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", sw.status),
				slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", d),
				slog.String("user_id", p.UserID),
			)
		}()
		next.ServeHTTP(sw, r)
	})
}
