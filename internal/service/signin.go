package service

import (
	"context"
	"fmt"
	"time"

	"github.com/custreg/custreg/internal/auth"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// Sign-in throttling. Every attempt is counted, before its password is
// checked, against two counters kept in the store (so every node shares
// them): one for the account (the email as typed, normalized, whether or
// not it exists) and one for the client address. Within a window of
// signinWindow from a counter's first attempt, a counter admits its limit;
// the next attempt blocks it for signinBackoff, and every attempt while it
// is blocked is refused with ETooManyRequests and a RetryAfter, without
// checking the password (even a right one). A successful sign-in deletes
// its account's counter and gives its attempt back to the address's.
const (
	// SigninAccountLimit is how many attempts an account admits per window.
	SigninAccountLimit = 10
	// SigninAddressLimit is how many attempts a client address admits per
	// window: higher, since an office behind one address has many people.
	SigninAddressLimit = 100
	signinWindow       = 15 * time.Minute
	signinBackoff      = 15 * time.Minute
)

// SigninWindow and SigninBackoff are exported for documentation and tests.
const (
	SigninWindow  = signinWindow
	SigninBackoff = signinBackoff
)

// signinActor is the actor of the audit entries of sign-in attempts: nobody
// is signed in yet; the email tried is in the entry's after.
var signinActor = domain.Principal{Email: "anonymous"}

// signinAttempt is who is trying to sign in.
type signinAttempt struct {
	email string
	addr  string // "" when the caller has no network address (CLI, tests)
}

// signinLimit is one counter an attempt is counted against.
type signinLimit struct {
	kind  string // "account" or "address"
	key   string // the store key: SHA-256 of kind and value
	limit int
}

// limits returns the counters of the attempt, the account's first: every
// sign-in locks them in that order, so none waits on another in a cycle.
func (a signinAttempt) limits() []signinLimit {
	out := []signinLimit{{kind: "account", key: auth.HashSecret("account:" + a.email), limit: SigninAccountLimit}}
	if a.addr != "" {
		out = append(out, signinLimit{kind: "address", key: auth.HashSecret("address:" + auth.AddrBucket(a.addr)), limit: SigninAddressLimit})
	}
	return out
}

// admitAttempt decides one attempt against counter c at now: the counter
// to store and, when refused, how long until it admits again.
func admitAttempt(c domain.SigninCounter, limit int, now time.Time) (next domain.SigninCounter, retryAfter time.Duration, ok bool) {
	if c.BlockedUntil.After(now) {
		return c, c.BlockedUntil.Sub(now), false
	}
	if c.WindowStart.IsZero() || !now.Before(c.WindowStart.Add(signinWindow)) {
		c.WindowStart, c.Failures, c.BlockedUntil = now, 0, time.Time{}
	}
	if c.Failures >= limit {
		c.BlockedUntil = now.Add(signinBackoff)
		return c, signinBackoff, false
	}
	c.Failures++
	return c, 0, true
}

// admitSignin counts the attempt against its counters, or refuses it with
// ETooManyRequests when any of them is blocked. A refusal is audited
// ("auth.signin_throttled"), committed with the counters.
func (s *Service) admitSignin(ctx context.Context, at signinAttempt) error {
	var refused *domain.Error
	err := s.store.Write(ctx, func(tx store.Tx) error {
		refused = nil
		now := s.clock()
		limits := at.limits()
		nexts := make([]domain.SigninCounter, len(limits))
		var wait time.Duration
		var by []string
		var refusing []int
		for i, l := range limits {
			c, err := tx.SigninCounter(ctx, l.key)
			if err != nil {
				return err
			}
			next, retry, ok := admitAttempt(c, l.limit, now)
			nexts[i] = next
			if !ok {
				wait = max(wait, retry)
				by = append(by, l.kind)
				refusing = append(refusing, i)
			}
		}
		if len(refusing) == 0 {
			for _, c := range nexts {
				if err := tx.PutSigninCounter(ctx, c); err != nil {
					return err
				}
			}
			return nil
		}
		// Refused: store only the refusing counters (a block may have just
		// begun); the others saw no attempt.
		for _, i := range refusing {
			if err := tx.PutSigninCounter(ctx, nexts[i]); err != nil {
				return err
			}
		}
		refused = errThrottled(wait)
		return s.audit(ctx, tx, signinActor, "auth.signin_throttled", "user", "", "", nil,
			map[string]any{"email": at.email, "by": by, "retry_after_seconds": retrySeconds(wait)})
	})
	if err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	return nil
}

// errThrottled is the refusal of a throttled sign-in.
func errThrottled(wait time.Duration) *domain.Error {
	n := retrySeconds(wait)
	when := fmt.Sprintf("%d seconds", n)
	if n > 90 {
		when = fmt.Sprintf("%d minutes", (n+59)/60)
	}
	e := domain.Errorf(domain.ETooManyRequests, "Too many failed sign-ins. Try again in %s.", when)
	e.Type = "too-many-requests"
	e.RetryAfter = wait
	return e
}

// retrySeconds rounds a wait up to whole seconds, at least one.
func retrySeconds(d time.Duration) int64 {
	return max(1, int64((d+time.Second-1)/time.Second))
}

// signinFailed audits a failed sign-in ("auth.signin_failed") and returns
// the one answer every failure gets. The attempt was counted already. A
// failure against an existing account is in its customer's history, where
// that customer's admins see it.
func (s *Service) signinFailed(ctx context.Context, at signinAttempt, cred domain.Credentials, reason string) error {
	err := s.store.Write(ctx, func(tx store.Tx) error {
		return s.audit(ctx, tx, signinActor, "auth.signin_failed", "user", cred.UserID, cred.CustomerID, nil,
			map[string]any{"email": at.email, "reason": reason})
	})
	if err != nil {
		return err
	}
	return errBadLogin
}

// signinSucceeded resets the account's counter and gives the attempt back
// to the address's, inside the sign-in's transaction.
func (s *Service) signinSucceeded(ctx context.Context, tx store.CredentialTx, at signinAttempt) error {
	for _, l := range at.limits() {
		if l.kind == "account" {
			if err := tx.DeleteSigninCounter(ctx, l.key); err != nil {
				return err
			}
			continue
		}
		c, err := tx.SigninCounter(ctx, l.key)
		if err != nil {
			return err
		}
		if c.Failures > 0 && c.BlockedUntil.IsZero() {
			c.Failures--
			if err := tx.PutSigninCounter(ctx, c); err != nil {
				return err
			}
		}
	}
	return nil
}
