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
	"net/http"
	"strings"

	"github.com/alexedwards/argon2id"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// PasswordParams are the argon2id parameters for new hashes: OWASP's
// recommended minimum (19 MiB, 2 passes, 1 lane), which keeps a burst of
// sign-ins from exhausting memory on a small machine. Stored hashes carry
// their own parameters, so raising these later keeps old hashes valid.
var PasswordParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// HashPassword returns the argon2id hash of password in PHC string form.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, PasswordParams)
}

// dummyHash is compared against when a sign-in names no user, so that the
// response time does not tell whether an email is registered.
var dummyHash, _ = argon2id.CreateHash("custreg-dummy-password", PasswordParams)

// CheckPassword reports whether password matches hash, in constant time. An
// empty hash checks against a dummy so that timing is the same.
func CheckPassword(password, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
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

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p domain.Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal of ctx, if any.
func FromContext(ctx context.Context) (domain.Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(domain.Principal)
	return p, ok
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
func Middleware(a Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, secret, _ := strings.Cut(h, " ")
			if strings.EqualFold(scheme, "Bearer") {
				if p, err := a.AuthenticateToken(ctx, strings.TrimSpace(secret)); err == nil {
					r = r.WithContext(withCaller(ctx, p))
				}
			}
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			if p, err := a.AuthenticateSession(ctx, c.Value); err == nil {
				r = r.WithContext(withCaller(ctx, p))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withCaller puts p in ctx and confines the store's transactions to p's
// customer, if p is customer-scoped.
func withCaller(ctx context.Context, p domain.Principal) context.Context {
	return store.WithTenant(WithPrincipal(ctx, p), p.CustomerID)
}
