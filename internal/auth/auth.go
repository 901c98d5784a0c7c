// Package auth holds custreg's credentials: password hashing, the random
// secrets behind sessions, API tokens and setup links, and the Principal
// carried in a request's context.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/alexedwards/argon2id"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// PasswordParams are the argon2id parameters for new hashes: the 7 MiB,
// 5-pass, 1-lane configuration of OWASP's Password Storage Cheat Sheet,
// which it lists as giving the same defence as 19 MiB with 2 passes (the
// one used before) at about the same CPU and 37 % of the memory: a burst
// of sign-ins and user creates holds 7 MiB per hash in flight, not 19
// (BENCHMARKS.md, "Server memory"). Stored hashes carry their own
// parameters, so hashes made with the old ones stay valid.
var PasswordParams = &argon2id.Params{Memory: 7 * 1024, Iterations: 5, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// hashSlots bounds how many argon2id computations run at once. Each takes
// PasswordParams.Memory (7 MiB) for its duration and a whole core, so more
// than one per core only adds memory and latency: a burst of sign-ins (or
// of guesses) waits for a slot instead. Sized once, at start, to GOMAXPROCS.
var hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// hashWaitHook and hashHook, when set by a test, run before waiting for a
// slot and inside it, before every argon2id computation.
var hashWaitHook, hashHook func()

// hashObserver, when set, runs before every password hash or check.
var hashObserver atomic.Pointer[func()]

// SetHashObserver makes fn run before every password hash or check (nil:
// none) and returns a function that restores the previous observer. It is
// a seam for tests that prove where hashing happens (never inside a write
// transaction); production code does not set it.
func SetHashObserver(fn func()) (restore func()) {
	var prev *func()
	if fn == nil {
		prev = hashObserver.Swap(nil)
	} else {
		prev = hashObserver.Swap(&fn)
	}
	return func() { hashObserver.Store(prev) }
}

// withHashSlot runs fn holding one of hashSlots, waiting for one as long as
// ctx allows.
func withHashSlot(ctx context.Context, fn func()) error {
	if obs := hashObserver.Load(); obs != nil {
		(*obs)()
	}
	if hashWaitHook != nil {
		hashWaitHook()
	}
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-hashSlots }()
	if hashHook != nil {
		hashHook()
	}
	fn()
	return nil
}

// HashPassword returns the argon2id hash of password in PHC string form. It
// waits for a hash slot (see hashSlots) as long as ctx allows. Call it
// before a write transaction begins, never inside one: a hash takes tens of
// milliseconds, and a transaction held open that long stalls every write
// batched or queued behind it.
func HashPassword(ctx context.Context, password string) (string, error) {
	var hash string
	var err error
	if serr := withHashSlot(ctx, func() { hash, err = argon2id.CreateHash(password, PasswordParams) }); serr != nil {
		return "", serr
	}
	return hash, err
}

// dummyHash is compared against when a sign-in names no user, so that the
// response time does not tell whether an email is registered.
var dummyHash, _ = argon2id.CreateHash("custreg-dummy-password", PasswordParams)

// CheckPassword reports whether password matches hash, in constant time. An
// empty hash checks against a dummy so that timing is the same. It waits
// for a hash slot like HashPassword; the error is ctx's, when it ended
// first.
func CheckPassword(ctx context.Context, password, hash string) (bool, error) {
	var ok bool
	err := withHashSlot(ctx, func() {
		if hash == "" {
			_, _ = argon2id.ComparePasswordAndHash(password, dummyHash)
			return
		}
		match, err := argon2id.ComparePasswordAndHash(password, hash)
		ok = err == nil && match
	})
	return ok, err
}

// TokenPrefix starts every API token, so that a leaked token is easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "crg_"

// NewSecret returns a random 256-bit secret, base64url without padding.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewToken returns a new API token secret.
func NewToken() string { return TokenPrefix + NewSecret() }

// HashSecret returns the hex SHA-256 of a secret. Secrets are 256-bit random
// values, so a fast hash is enough: only the hash is stored, and a database
// leak gives nothing that can be replayed.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// LooksLikeToken reports whether s has the shape of an API token.
func LooksLikeToken(s string) bool {
	return strings.HasPrefix(s, TokenPrefix) && len(s) == len(TokenPrefix)+43
}

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
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "urn:custreg:problem:internal", "title": http.StatusText(http.StatusInternalServerError),
		"status": http.StatusInternalServerError, "instance": r.URL.Path,
		"detail": "Your credentials could not be checked; the error has been logged with request id " + id + ".",
	})
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

// AddrBucket is the unit sign-in throttling counts a client address in:
// the address itself, or for IPv6 its /64, since one host commonly holds a
// whole /64.
func AddrBucket(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is6() {
		return addr
	}
	if pfx, err := ip.Prefix(64); err == nil {
		return pfx.String()
	}
	return addr
}

// withCaller puts p in ctx and confines the store's transactions to p's
// customer, if p is customer-scoped.
func withCaller(ctx context.Context, p domain.Principal) context.Context {
	return store.WithTenant(domain.WithPrincipal(ctx, p), p.CustomerID)
}
