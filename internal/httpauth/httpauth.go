// Package httpauth is authentication at the HTTP edge: the session cookie,
// the bearer token, the middleware that turns either into the request's
// principal, and the client's address. The secrets themselves are
// internal/auth's.
package httpauth

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/problem"
	"github.com/custreg/custreg/internal/store"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "custreg_session"

// SetSessionCookie sets the session cookie: HttpOnly, SameSite=Lax, Secure
// when the request came over TLS (directly or, with trustProxy, as told by a
// proxy's X-Forwarded-Proto).
func SetSessionCookie(w http.ResponseWriter, r *http.Request, secret string, trustProxy bool) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: isTLS(r, trustProxy), MaxAge: int(domain.SessionLifetime.Seconds()),
	})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, r *http.Request, trustProxy bool) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: isTLS(r, trustProxy), MaxAge: -1,
	})
}

func isTLS(r *http.Request, trustProxy bool) bool {
	return r.TLS != nil || (trustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"))
}

// Authenticator turns credentials into a principal; *service.Service is one.
type Authenticator interface {
	AuthenticateSession(ctx context.Context, secret string) (domain.Principal, error)
	AuthenticateToken(ctx context.Context, secret string) (domain.Principal, error)
}

// Middleware puts the principal of a request's bearer token or session
// cookie into its context. A request without valid credentials goes on
// without a principal; the service refuses what needs one. A request that
// presents an invalid bearer token is refused by the service the same way,
// never silently served by a cookie instead.
//
// When the credentials cannot be checked (the store failed), the request is
// not served as anonymous: that would turn an outage into a wave of 401s
// that send people to sign in again, and hide it from the logs. It is
// answered 500 with an `internal` problem quoting the request id, and the
// error is logged.
func Middleware(a Authenticator, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var p domain.Principal
		var err error
		presented := false
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, secret, _ := strings.Cut(h, " ")
			if strings.EqualFold(scheme, "Bearer") {
				presented = true
				p, err = a.AuthenticateToken(ctx, strings.TrimSpace(secret))
			}
		} else if c, cerr := r.Cookie(SessionCookie); cerr == nil && c.Value != "" {
			presented = true
			p, err = a.AuthenticateSession(ctx, c.Value)
		}
		switch {
		case !presented:
		case err == nil:
			r = r.WithContext(withCaller(ctx, p))
		case domain.ErrorCode(err) == domain.EUnauthorized:
			// Missing, expired or revoked: served without a principal.
		default:
			credentialsUnavailable(w, r, log, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// credentialsUnavailable answers a request whose credentials could not be
// checked: logged with the request id, and a 500 problem quoting it, the
// same answer the API gives any internal error.
func credentialsUnavailable(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	id := domain.RequestFrom(r.Context()).ID
	level := slog.LevelError
	if r.Context().Err() != nil {
		level = slog.LevelWarn // the client went away while it was checked
	}
	log.Log(r.Context(), level, "checking credentials failed", "method", r.Method, "path", r.URL.Path,
		"request_id", id, "err", err)
	problem.Write(w, r, problem.New(http.StatusInternalServerError, "internal",
		"Your credentials could not be checked; the error has been logged with request id "+id+"."))
}

// ClientAddr returns the address a request came from: the peer's IP or,
// with trustProxy, the last entry of X-Forwarded-For (the one the trusted
// proxy added), IPv4-mapped IPv6 addresses unmapped and zones dropped.
func ClientAddr(r *http.Request, trustProxy bool) string {
	raw := r.RemoteAddr
	if host, _, err := net.SplitHostPort(raw); err == nil {
		raw = host
	}
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
				raw = last
			}
		}
	}
	ip, err := netip.ParseAddr(raw)
	if err != nil {
		return raw
	}
	return ip.Unmap().WithZone("").String()
}

// withCaller puts p in ctx and confines the store's transactions to p's
// customer, if p is customer-scoped.
func withCaller(ctx context.Context, p domain.Principal) context.Context {
	return store.WithTenant(domain.WithPrincipal(ctx, p), p.CustomerID)
}
