package service_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
	"github.com/custreg/custreg/internal/store"
)

// signedIn is one way a user is signed in: a session secret and a token
// secret, each checkable through the service.
type signedIn struct {
	session, token string
	p              domain.Principal
}

func signIn(t *testing.T, svc *service.Service, email, password string) signedIn {
	t.Helper()
	ctx := context.Background()
	secret, p, err := svc.Login(ctx, email, password)
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	if p, err = svc.AuthenticateSession(ctx, secret); err != nil {
		t.Fatal(err)
	}
	_, tok, err := svc.CreateToken(domain.WithPrincipal(ctx, p), "script")
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	return signedIn{session: secret, token: tok, p: p}
}

// works reports whether the session and the token still authenticate.
func (s signedIn) works(t *testing.T, svc *service.Service) (session, token bool) {
	t.Helper()
	ctx := context.Background()
	_, serr := svc.AuthenticateSession(ctx, s.session)
	_, terr := svc.AuthenticateToken(ctx, s.token)
	for _, err := range []error{serr, terr} {
		if err != nil && domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("authenticate: %v", err)
		}
	}
	return serr == nil, terr == nil
}

func setPassword(pw string) func(domain.UserInput) (domain.UserInput, error) {
	return func(in domain.UserInput) (domain.UserInput, error) { in.Password = pw; return in, nil }
}

func setActive(active bool) func(domain.UserInput) (domain.UserInput, error) {
	return func(in domain.UserInput) (domain.UserInput, error) { in.IsActive = &active; return in, nil }
}

// TestPasswordChangeEndsCredentials: an admin's change of a user's password
// ends every session and token of the user; a user changing its own
// password stays signed in in the session it used, and nothing else of it
// survives. The old password no longer signs in.
func TestPasswordChangeEndsCredentials(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		const pw, pw2, pw3 = "first-long-password", "second-long-password", "third-long-password"
		u, err := svc.CreateUser(org, domain.UserInput{Email: "ops@example.com", Name: "Ops", Role: domain.RoleOrgAdmin, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		a, b := signIn(t, svc, u.Email, pw), signIn(t, svc, u.Email, pw)
		if s, k := a.works(t, svc); !s || !k {
			t.Fatalf("before the change: session %v, token %v", s, k)
		}
		// Changing the name ends nothing.
		if _, err := svc.UpdateUser(org, u.ID, 0, func(in domain.UserInput) (domain.UserInput, error) { in.Name = "Ops team"; return in, nil }); err != nil {
			t.Fatal(err)
		}
		if s, k := b.works(t, svc); !s || !k {
			t.Fatalf("after a rename: session %v, token %v", s, k)
		}

		// The organization admin sets a new password: everything of u ends.
		if _, err := svc.UpdateUser(org, u.ID, 0, setPassword(pw2)); err != nil {
			t.Fatal(err)
		}
		for i, si := range []signedIn{a, b} {
			if s, k := si.works(t, svc); s || k {
				t.Errorf("sign-in %d after an admin's password change: session %v, token %v; want both ended", i, s, k)
			}
		}
		if _, _, err := svc.Login(context.Background(), u.Email, pw); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Errorf("old password: %v", err)
		}

		// u changes its own password from session c: c stays signed in,
		// d and every token end.
		c, d := signIn(t, svc, u.Email, pw2), signIn(t, svc, u.Email, pw2)
		self := domain.WithPrincipal(context.Background(), c.p)
		if _, err := svc.UpdateUser(self, u.ID, 0, setPassword(pw3)); err != nil {
			t.Fatal(err)
		}
		if s, k := c.works(t, svc); !s || k {
			t.Errorf("the changing session: session %v, token %v; want the session kept, the token ended", s, k)
		}
		if s, k := d.works(t, svc); s || k {
			t.Errorf("the other session: session %v, token %v; want both ended", s, k)
		}
		// The kept session goes on working, and can issue new tokens.
		p, err := svc.AuthenticateSession(context.Background(), c.session)
		if err != nil {
			t.Fatal(err)
		}
		_, tok, err := svc.CreateToken(domain.WithPrincipal(context.Background(), p), "after")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AuthenticateToken(context.Background(), tok); err != nil {
			t.Errorf("a token issued after the change: %v", err)
		}
		// A principal authenticated before the change cannot mint a token
		// that outlives it.
		_, _, err = svc.CreateToken(domain.WithPrincipal(context.Background(), d.p), "stale")
		wantCode(t, err, domain.EUnauthorized)
		if _, _, err := svc.Login(context.Background(), u.Email, pw3); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
}

// TestDeactivationEndsCredentialsForGood: deactivating a user ends its
// sessions and tokens; reactivating it brings none of them back (before
// the fix they were only suspended). The same holds for its customer.
func TestDeactivationEndsCredentialsForGood(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		c, err := createCustomer(svc, org, domain.CustomerInput{Name: "Alpha", Code: "A1"})
		if err != nil {
			t.Fatal(err)
		}
		const pw = "a-long-enough-password"
		u, err := svc.CreateUser(org, domain.UserInput{Email: "ann@alpha.example", Name: "Ann", Role: domain.RoleCustomerUser, CustomerID: c.ID, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		a := signIn(t, svc, u.Email, pw)
		for _, active := range []bool{false, true} {
			if _, err := svc.UpdateUser(org, u.ID, 0, setActive(active)); err != nil {
				t.Fatal(err)
			}
			if s, k := a.works(t, svc); s || k {
				t.Errorf("after setting active=%v: session %v, token %v; want both ended", active, s, k)
			}
		}
		// Signing in again works, and the customer's deactivation and
		// reactivation end that sign-in for good too.
		b := signIn(t, svc, u.Email, pw)
		for _, active := range []bool{false, true} {
			if _, err := svc.UpdateCustomer(org, c.ID, 0, func(in domain.CustomerInput) (domain.CustomerInput, error) {
				in.IsActive = &active
				return in, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		if s, k := b.works(t, svc); s || k {
			t.Errorf("after the customer's deactivation and reactivation: session %v, token %v", s, k)
		}
		// Deleting a user ends its tokens as well as its sessions.
		d := signIn(t, svc, u.Email, pw)
		if err := svc.DeleteUser(org, u.ID, 0); err != nil {
			t.Fatal(err)
		}
		if s, k := d.works(t, svc); s || k {
			t.Errorf("after deletion: session %v, token %v", s, k)
		}
	})
}

// TestCompleteSetupOnce: eight parallel uses of the setup link create
// exactly one organization admin; the others are told the link was used.
func TestCompleteSetupOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		st := apptest.OpenStore(t, kind)
		svc := service.New(st, service.Options{})
		ctx := context.Background()
		token, err := svc.Bootstrap(ctx, service.FirstStart{})
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[i] = svc.CompleteSetup(ctx, token, domain.AdminInput{
					Email: fmt.Sprintf("admin%d@example.com", i), Name: "Admin", Password: "correct-horse-battery"})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) == domain.ENotFound && domain.ErrorMessage(err) != "":
			default:
				t.Errorf("a losing setup got %v, want not found (link used)", err)
			}
		}
		var users int64
		if err := st.Read(ctx, func(tx store.Tx) (err error) { users, err = tx.CountUsers(ctx); return err }); err != nil {
			t.Fatal(err)
		}
		if ok != 1 || users != 1 {
			t.Errorf("%d setups succeeded and %d users exist; want exactly one admin", ok, users)
		}
	})
}

// TestSetupLinkExpires: the link works for SetupLinkLifetime after it was
// printed, and not after.
func TestSetupLinkExpires(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, clk := newService(t, kind)
		ctx := context.Background()
		token, err := svc.Bootstrap(ctx, service.FirstStart{})
		if err != nil {
			t.Fatal(err)
		}
		clk.Add(service.SetupLinkLifetime - time.Minute)
		if ok, err := svc.SetupTokenValid(ctx, token); !ok || err != nil {
			t.Fatalf("link before expiry: %v, %v", ok, err)
		}
		clk.Add(2 * time.Minute)
		if ok, err := svc.SetupTokenValid(ctx, token); ok || err != nil {
			t.Errorf("expired link valid: %v, %v", ok, err)
		}
		_, _, err = svc.CompleteSetup(ctx, token, admin)
		wantCode(t, err, domain.ENotFound)
		// A restart prints a new link, which works.
		token2, err := svc.Bootstrap(ctx, service.FirstStart{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.CompleteSetup(ctx, token2, admin); err != nil {
			t.Errorf("a fresh link: %v", err)
		}
	})
}

// TestSigninThrottle: after SigninAccountLimit failures an account is
// refused, even with the right password, until the backoff has passed; a
// success resets the count; each failure and refusal is audited.
func TestSigninThrottle(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		st := apptest.OpenStore(t, kind)
		clk := apptest.NewClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
		svc := service.New(st, service.Options{Now: clk.Now})
		ctx := context.Background()
		if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
			t.Fatal(err)
		}
		// Failures below the limit, then a success: the count starts over.
		for range service.SigninAccountLimit - 1 {
			_, _, err := svc.Login(ctx, admin.Email, "wrong-password")
			wantCode(t, err, domain.EUnauthorized)
		}
		if _, _, err := svc.Login(ctx, admin.Email, admin.Password); err != nil {
			t.Fatalf("sign-in under the limit: %v", err)
		}
		for range service.SigninAccountLimit {
			_, _, err := svc.Login(ctx, admin.Email, "wrong-password")
			wantCode(t, err, domain.EUnauthorized)
		}
		_, _, err := svc.Login(ctx, admin.Email, admin.Password)
		wantCode(t, err, domain.ETooManyRequests)
		var de *domain.Error
		if !errors.As(err, &de) || de.RetryAfter != service.SigninBackoff {
			t.Errorf("refusal = %#v, want RetryAfter %v", err, service.SigninBackoff)
		}
		// Other accounts are not affected.
		_, _, err = svc.Login(ctx, "someone@example.com", "wrong-password")
		wantCode(t, err, domain.EUnauthorized)
		clk.Add(service.SigninBackoff - time.Second)
		_, _, err = svc.Login(ctx, admin.Email, admin.Password)
		wantCode(t, err, domain.ETooManyRequests)
		clk.Add(2 * time.Second)
		if _, _, err := svc.Login(ctx, admin.Email, admin.Password); err != nil {
			t.Fatalf("after the backoff: %v", err)
		}

		var entries []domain.AuditEntry
		if err := st.Read(ctx, func(tx store.Tx) (err error) { entries, err = tx.Audit(ctx, "", 1000); return err }); err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
		}
		if count["auth.signin_failed"] != 2*service.SigninAccountLimit || count["auth.signin_throttled"] != 2 {
			t.Errorf("audited %d failures and %d refusals, want %d and 2", count["auth.signin_failed"], count["auth.signin_throttled"], 2*service.SigninAccountLimit)
		}
	})
}

// TestSigninThrottleByAddress: one client address trying many accounts is
// refused after SigninAddressLimit attempts, whichever account it names.
func TestSigninThrottleByAddress(t *testing.T) {
	svc, clk := newService(t, "sqlite")
	ctx := context.Background()
	if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
		t.Fatal(err)
	}
	from := domain.WithRequest(ctx, domain.Request{ClientAddr: "192.0.2.7"})
	for i := range service.SigninAddressLimit {
		_, _, err := svc.Login(from, fmt.Sprintf("user%d@example.com", i), "wrong-password")
		wantCode(t, err, domain.EUnauthorized)
	}
	_, _, err := svc.Login(from, admin.Email, admin.Password)
	wantCode(t, err, domain.ETooManyRequests)
	// Another address is not affected.
	if _, _, err := svc.Login(domain.WithRequest(ctx, domain.Request{ClientAddr: "198.51.100.1"}), admin.Email, admin.Password); err != nil {
		t.Errorf("another address: %v", err)
	}
	clk.Add(service.SigninBackoff)
	if _, _, err := svc.Login(from, admin.Email, admin.Password); err != nil {
		t.Errorf("after the backoff: %v", err)
	}
}

// failingStore fails every Read and Write once failing is set.
type failingStore struct {
	store.Store
	mu      sync.Mutex
	failing bool
}

var errStoreDown = errors.New("store is down")

func (f *failingStore) fail() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.failing }

func (f *failingStore) Read(ctx context.Context, fn func(store.Tx) error) error {
	if f.fail() {
		return errStoreDown
	}
	return f.Store.Read(ctx, fn)
}

func (f *failingStore) Write(ctx context.Context, fn func(store.Tx) error) error {
	if f.fail() {
		return errStoreDown
	}
	return f.Store.Write(ctx, fn)
}

// TestAuthenticateStoreFailure: a store failure while checking credentials
// is returned as the store's error, not as "signed out".
func TestAuthenticateStoreFailure(t *testing.T) {
	fs := &failingStore{Store: apptest.OpenStore(t, "sqlite")}
	svc := service.New(fs, service.Options{})
	ctx := context.Background()
	if _, err := svc.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
		t.Fatal(err)
	}
	a := signIn(t, svc, admin.Email, admin.Password)
	// A sign-in is a write that empties the credential cache, so the checks
	// below go to the store.
	if _, _, err := svc.Login(ctx, admin.Email, admin.Password); err != nil {
		t.Fatal(err)
	}
	fs.mu.Lock()
	fs.failing = true
	fs.mu.Unlock()
	if _, err := svc.AuthenticateSession(ctx, a.session); !errors.Is(err, errStoreDown) {
		t.Errorf("AuthenticateSession with the store down = %v, want the store's error", err)
	}
	if _, err := svc.AuthenticateToken(ctx, a.token); !errors.Is(err, errStoreDown) {
		t.Errorf("AuthenticateToken with the store down = %v, want the store's error", err)
	}
	if _, _, err := svc.Login(ctx, admin.Email, admin.Password); !errors.Is(err, errStoreDown) {
		t.Errorf("Login with the store down = %v, want the store's error", err)
	}
}

// countingStore counts Read transactions.
type countingStore struct {
	store.Store
	reads atomic.Int64
}

func (c *countingStore) Read(ctx context.Context, fn func(store.Tx) error) error {
	c.reads.Add(1)
	return c.Store.Read(ctx, fn)
}

// TestCredentialCache: a session or token is checked against the store
// once and then answered from memory; a change this node makes to what a
// principal is made of (the user deactivated, the token revoked) takes
// effect on its next request, and one another node makes (another Service
// over the same store) within the cache's bound of a second.
func TestCredentialCache(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		st := &countingStore{Store: apptest.OpenStore(t, kind)}
		node1 := service.New(st, service.Options{})
		node2 := service.New(st, service.Options{})
		ctx := context.Background()
		if _, err := node1.Bootstrap(ctx, service.FirstStart{Admin: admin}); err != nil {
			t.Fatal(err)
		}
		org := signIn(t, node1, admin.Email, admin.Password)
		orgCtx := domain.WithPrincipal(ctx, org.p)
		const pw = "a-long-enough-password"
		u, err := node1.CreateUser(orgCtx, domain.UserInput{Email: "ops@example.com", Name: "Ops", Role: domain.RoleOrgAdmin, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		ops := signIn(t, node1, u.Email, pw)

		// Answered from memory: a hundred checks of each, a handful of reads.
		before := st.reads.Load()
		for range 100 {
			if s, k := ops.works(t, node1); !s || !k {
				t.Fatalf("session %v, token %v before any change", s, k)
			}
		}
		if n := st.reads.Load() - before; n > 4 {
			t.Errorf("200 checks of a session and a token took %d store reads, want at most 4 (one each, again after a second)", n)
		}

		// This node's own changes: refused on the next request. A token
		// revoked (the session goes on)...
		opsCtx := domain.WithPrincipal(ctx, ops.p)
		toks, err := node1.Tokens(opsCtx)
		if err != nil || len(toks) != 1 {
			t.Fatalf("tokens = %v, %v", toks, err)
		}
		if err := node1.RevokeToken(opsCtx, toks[0].ID); err != nil {
			t.Fatal(err)
		}
		if s, k := ops.works(t, node1); !s || k {
			t.Fatalf("after revoking the token on this node: session %v, token %v; want the session only", s, k)
		}
		// ...and the user deactivated.
		if _, err := node1.UpdateUser(orgCtx, u.ID, 0, setActive(false)); err != nil {
			t.Fatal(err)
		}
		if s, k := ops.works(t, node1); s || k {
			t.Fatalf("after deactivating the user on this node: session %v, token %v still work", s, k)
		}
		// (Deactivation ends them for good; a new sign-in for what follows.)
		if _, err := node1.UpdateUser(orgCtx, u.ID, 0, setActive(true)); err != nil {
			t.Fatal(err)
		}
		ops = signIn(t, node1, u.Email, pw)
		if s, k := ops.works(t, node1); !s || !k {
			t.Fatalf("signed in again: session %v, token %v", s, k)
		}

		// Another node's change: refused here within the bound.
		if _, err := node2.UpdateUser(orgCtx, u.ID, 0, setActive(false)); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(time.Second + 500*time.Millisecond)
		for {
			s, k := ops.works(t, node1)
			if !s && !k {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("1.5 s after another node deactivated the user: session %v, token %v still work here", s, k)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// TestCredentialCacheRace: while callers check a token over and over, the
// token's owner is deactivated; no check that begins after the
// deactivation has returned succeeds, however the checks and the write
// interleave.
func TestCredentialCacheRace(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		const pw = "a-long-enough-password"
		for round := range 5 {
			u, err := svc.CreateUser(org, domain.UserInput{Email: fmt.Sprintf("ops%d@example.com", round), Name: "Ops", Role: domain.RoleOrgAdmin, Password: pw})
			if err != nil {
				t.Fatal(err)
			}
			ops := signIn(t, svc, u.Email, pw)
			var done atomic.Bool
			var late atomic.Int64
			var wg sync.WaitGroup
			stop := make(chan struct{})
			for range 4 {
				wg.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						after := done.Load()
						_, err := svc.AuthenticateToken(context.Background(), ops.token)
						if after && err == nil {
							late.Add(1)
						}
					}
				})
			}
			time.Sleep(time.Duration(round) * 5 * time.Millisecond)
			if _, err := svc.UpdateUser(org, u.ID, 0, setActive(false)); err != nil {
				t.Fatal(err)
			}
			done.Store(true)
			time.Sleep(30 * time.Millisecond)
			close(stop)
			wg.Wait()
			if n := late.Load(); n > 0 {
				t.Fatalf("round %d: %d checks begun after the deactivation returned still succeeded", round, n)
			}
		}
	})
}
