package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// testConsumeSetupToken: the setup token is consumed by one guarded DELETE;
// of concurrent consumers exactly one succeeds, and an expired token is not
// consumed.
func testConsumeSetupToken(t *testing.T, st store.Store) {
	c := ctx(t)
	mustWrite(t, st, func(tx store.Tx) error {
		return tx.CreateSetupToken(c, domain.SetupToken{Hash: "tok", CreatedAt: t0})
	})
	err := st.Write(c, func(tx store.Tx) error { return tx.ConsumeSetupToken(c, "tok", t0) })
	wantCode(t, err, domain.ENotFound) // created at the cut-off: expired
	err = st.Write(c, func(tx store.Tx) error { return tx.ConsumeSetupToken(c, "other", t0.Add(-time.Hour)) })
	wantCode(t, err, domain.ENotFound)

	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.Write(c, func(tx store.Tx) error {
				if err := tx.LockOrg(c); err != nil {
					return err
				}
				return tx.ConsumeSetupToken(c, "tok", t0.Add(-time.Hour))
			})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch domain.ErrorCode(err) {
		case "":
			ok++
		case domain.ENotFound:
		default:
			t.Errorf("consume: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent consumers succeeded, want exactly 1", ok, n)
	}
}

// testCredentialsEpoch: sessions and tokens are issued only at the user's
// current epoch and work only while it stays so; ending credentials keeps
// only the session named.
func testCredentialsEpoch(t *testing.T, st store.Store) {
	c := ctx(t)
	u := user("epoch@example.com")
	mustWrite(t, st, func(tx store.Tx) error { return tx.CreateUser(c, u) })
	var cred domain.Credentials
	mustRead(t, st, func(tx store.Tx) (err error) {
		cred, err = tx.SigninCredentials(c, u.Email)
		return err
	})
	if cred.UserID != u.ID || cred.PasswordHash != u.PasswordHash || cred.Epoch != 0 {
		t.Fatalf("SigninCredentials = %+v", cred)
	}
	sess := func(h string, epoch int64) domain.Session {
		return domain.Session{IDHash: h, UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), CredentialsEpoch: epoch}
	}
	mustWrite(t, st, func(tx store.Tx) error {
		for _, h := range []string{"keep", "other"} {
			if err := tx.CreateSession(c, sess(h, 0)); err != nil {
				return err
			}
		}
		return tx.CreateToken(c, domain.Token{ID: id(), UserID: u.ID, Name: "ci", Hash: "tk", Prefix: "crg_x", CreatedAt: t0})
	})
	mustWrite(t, st, func(tx store.Tx) error { return tx.EndUserCredentials(c, u.ID, "keep") })
	mustRead(t, st, func(tx store.Tx) error {
		if s, err := tx.Session(c, "keep", t0); err != nil || s.CredentialsEpoch != 1 {
			t.Errorf("kept session = %+v, %v; want it at epoch 1", s, err)
		}
		_, err := tx.Session(c, "other", t0)
		wantCode(t, err, domain.ENotFound)
		_, err = tx.TokenByHash(c, "tk")
		wantCode(t, err, domain.ENotFound)
		return nil
	})
	// A session or token issued under the old epoch (a sign-in that read
	// the credentials before the change) is refused.
	err := st.Write(c, func(tx store.Tx) error { return tx.CreateSession(c, sess("late", 0)) })
	wantCode(t, err, domain.ENotFound)
	err = st.Write(c, func(tx store.Tx) error {
		return tx.CreateToken(c, domain.Token{ID: id(), UserID: u.ID, Name: "late", Hash: "tk2", Prefix: "crg_y", CreatedAt: t0})
	})
	wantCode(t, err, domain.ENotFound)
	mustWrite(t, st, func(tx store.Tx) error { return tx.CreateSession(c, sess("now", 1)) })
	// Ending without a kept session ends them all.
	mustWrite(t, st, func(tx store.Tx) error { return tx.EndUserCredentials(c, u.ID, "") })
	mustRead(t, st, func(tx store.Tx) error {
		for _, h := range []string{"keep", "now"} {
			_, err := tx.Session(c, h, t0)
			wantCode(t, err, domain.ENotFound)
		}
		return nil
	})
}

// testSigninCounters: a counter is created empty, written back, and kept
// until its window is stale and it blocks nothing.
func testSigninCounters(t *testing.T, st store.Store) {
	c := ctx(t)
	var got domain.SigninCounter
	mustWrite(t, st, func(tx store.Tx) (err error) {
		got, err = tx.SigninCounter(c, "k1")
		return err
	})
	if got.Key != "k1" || got.Failures != 0 || !got.WindowStart.IsZero() || !got.BlockedUntil.IsZero() {
		t.Fatalf("new counter = %+v", got)
	}
	mustWrite(t, st, func(tx store.Tx) error {
		if err := tx.PutSigninCounter(c, domain.SigninCounter{Key: "k1", WindowStart: t0, Failures: 3}); err != nil {
			return err
		}
		if _, err := tx.SigninCounter(c, "k2"); err != nil {
			return err
		}
		return tx.PutSigninCounter(c, domain.SigninCounter{Key: "k2", WindowStart: t0, Failures: 10, BlockedUntil: t0.Add(time.Hour)})
	})
	mustWrite(t, st, func(tx store.Tx) (err error) {
		got, err = tx.SigninCounter(c, "k2")
		return err
	})
	if got.Failures != 10 || !got.WindowStart.Equal(t0) || !got.BlockedUntil.Equal(t0.Add(time.Hour)) {
		t.Errorf("stored counter = %+v", got)
	}
	var n int64
	mustWrite(t, st, func(tx store.Tx) (err error) {
		n, err = tx.DeleteStaleSigninCounters(c, t0.Add(time.Minute))
		return err
	})
	if n != 1 {
		t.Errorf("DeleteStaleSigninCounters removed %d, want 1 (k1; k2 still blocks)", n)
	}
	mustWrite(t, st, func(tx store.Tx) error { return tx.DeleteSigninCounter(c, "k2") })
	mustWrite(t, st, func(tx store.Tx) (err error) {
		got, err = tx.SigninCounter(c, "k2")
		return err
	})
	if got.Failures != 0 {
		t.Errorf("deleted counter came back as %+v", got)
	}
}
