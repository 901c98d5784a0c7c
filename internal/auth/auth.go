// Package auth holds custreg's secrets: password hashing, the random
// secrets behind sessions, API tokens and setup links, and their hashes.
// It knows nothing of HTTP; cookies and the middleware that reads them are
// the edge's (internal/httpauth).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/netip"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/alexedwards/argon2id"
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
