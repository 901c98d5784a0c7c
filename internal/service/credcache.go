package service

import (
	"context"
	"slices"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// The credential cache. Every authenticated request turns its session or
// token into a principal: the credential, its user, the user's customer
// and role, four reads in a transaction of their own, a seventh of a
// create's CPU before the cache (BENCHMARKS.md). A principal is kept for
// credentialTTL under the hash of its secret, and
//
//   - every write of this process that may change what a principal is
//     made of (a user, a role, a customer's state, a token or a session)
//     empties the cache when it returns: only use cases that declare
//     KeepsPrincipals leave it, and a write outside any use case empties
//     it too;
//   - a write made elsewhere (another node sharing PostgreSQL, the CLI on
//     the same SQLite file) is seen within credentialTTL, the documented
//     bound (docs/architecture.md);
//   - a session's entry never outlives the session.
//
// A principal read while a write is under way is not kept (generation),
// so an entry never holds what a finished write replaced.

// credentialTTL bounds how long another process's revocation,
// deactivation or role change can take to reach this one.
const credentialTTL = time.Second

// credentialCacheSize bounds the entries (signed-in sessions and tokens in
// use within credentialTTL).
const credentialCacheSize = 4096

type credCache struct {
	lru *lru.Cache[string, cachedPrincipal]
	// gen advances as a write that empties the cache begins and as it
	// ends; a look-up that saw another value when it began keeps nothing.
	gen atomic.Uint64
	// writes counts the writes under way that may empty it.
	writes atomic.Int64
}

type cachedPrincipal struct {
	p       domain.Principal
	fresh   time.Time // time.Now() past which the entry is read again
	expires time.Time // the session's end on the service's clock; zero for a token
}

func newCredCache() *credCache {
	c, err := lru.New[string, cachedPrincipal](credentialCacheSize)
	if err != nil {
		panic(err) // only for a size below one
	}
	return &credCache{lru: c}
}

// get returns the principal kept for hash, if fresh and, for a session,
// not past its end at now.
func (c *credCache) get(hash string, now time.Time) (domain.Principal, bool) {
	e, ok := c.lru.Get(hash)
	if !ok || time.Now().After(e.fresh) || (!e.expires.IsZero() && !now.Before(e.expires)) {
		return domain.Principal{}, false
	}
	p := e.p
	// The caller owns what it is given.
	p.EntityIDs, p.Permissions = slices.Clone(p.EntityIDs), slices.Clone(p.Permissions)
	return p, true
}

// generation returns the value to hand to put: taken before the
// principal is read.
func (c *credCache) generation() uint64 { return c.gen.Load() }

// put keeps p unless a write that empties the cache is under way, or
// began or ended since generation returned gen (a write under way then
// ends with a new generation, or is still under way now). It adds before
// it checks: a write that begins in between empties the cache after the
// add.
func (c *credCache) put(hash string, p domain.Principal, expires time.Time, gen uint64) {
	p.EntityIDs, p.Permissions = slices.Clone(p.EntityIDs), slices.Clone(p.Permissions)
	c.lru.Add(hash, cachedPrincipal{p: p, fresh: time.Now().Add(credentialTTL), expires: expires})
	if c.gen.Load() != gen || c.writes.Load() != 0 {
		c.lru.Remove(hash) // a write began meanwhile: what was read may be what it replaces
	}
}

// invalidatingStore empties the credential cache around every write that
// does not declare KeepsPrincipals.
type invalidatingStore struct {
	store.Store
	creds *credCache
}

func (s invalidatingStore) Write(ctx context.Context, fn func(store.Tx) error) error {
	if keepsPrincipals(ctx) {
		return s.Store.Write(ctx, fn)
	}
	s.creds.writes.Add(1)
	s.creds.gen.Add(1)
	s.creds.lru.Purge()
	defer func() {
		// Emptied again after the commit: a look-up that read the old
		// rows while the write ran may have kept them.
		s.creds.gen.Add(1)
		s.creds.lru.Purge()
		s.creds.writes.Add(-1)
	}()
	return s.Store.Write(ctx, fn)
}

type useCaseKey struct{}

// keepsPrincipals reports whether the use case ctx runs declares that its
// writes change no principal.
func keepsPrincipals(ctx context.Context) bool {
	name, _ := ctx.Value(useCaseKey{}).(string)
	return name != "" && (useCases[name].KeepsPrincipals || internalKeepers[name])
}

// internalKeepers are the writes the service makes on no caller's behalf
// that change no principal.
var internalKeepers = map[string]bool{
	// A token's last use, written at most once a minute per token.
	"TouchToken": true,
}
