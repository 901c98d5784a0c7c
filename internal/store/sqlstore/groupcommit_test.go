package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/sqlite"
)

// TestGroupCommitIsolatesFailures runs many concurrent writes, some of which
// write and then fail or panic: exactly the others' writes must be kept, and
// each caller must get its own outcome.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	const n = 200
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.Write(ctx, func(tx store.Tx) error {
				c := domain.Customer{ID: uuid.NewString(), Name: fmt.Sprintf("C%d", i), Code: fmt.Sprintf("C%d", i),
					IsActive: true, CreatedAt: now, UpdatedAt: now, Version: 1}
				if err := tx.CreateCustomer(ctx, store.NewCustomer{Customer: c}); err != nil {
					return err
				}
				switch i % 4 {
				case 1:
					return fmt.Errorf("fail %d", i)
				case 2:
					if i%8 == 2 {
						panic("boom")
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	var want int64
	for i, err := range errs {
		switch {
		case i%4 == 1:
			if err == nil || err.Error() != fmt.Sprintf("fail %d", i) {
				t.Errorf("write %d = %v, want its own error", i, err)
			}
		case i%8 == 2:
			if err == nil {
				t.Errorf("write %d panicked but reported success", i)
			}
		default:
			if err != nil {
				t.Errorf("write %d = %v", i, err)
			}
			want++
		}
	}
	var got int64
	if err := st.Read(ctx, func(tx store.Tx) (err error) { got, err = tx.CountCustomers(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%d customers kept, want %d", got, want)
	}
}

func TestGroupCommitAfterClose(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	err = st.Write(ctx, func(store.Tx) error { return nil })
	if err == nil {
		t.Fatal("a write after Close succeeded")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := st.Write(cctx, func(store.Tx) error { return nil }); !errors.Is(err, context.Canceled) && err == nil {
		t.Fatalf("canceled write = %v", err)
	}
}

// TestGroupCommitTellsCancelledCallersTheTruth runs batches of writes whose
// callers' contexts are cancelled at random moments — before queueing,
// while queued, in the middle of their own statements, after them — and
// then checks each caller was told the truth: every write reported done is
// stored, every write reported failed left nothing, and no cancellation
// undid or failed another caller's write.
func TestGroupCommitTellsCancelledCallersTheTruth(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	const rounds, n = 10, 40
	ids := make([]string, rounds*n)
	errs := make([]error, rounds*n)
	for round := range rounds {
		var wg sync.WaitGroup
		for j := range n {
			i := round*n + j
			ids[i] = uuid.NewString()
			cctx, cancel := context.WithCancel(ctx)
			if i%3 != 0 { // a third of the callers are never cancelled
				time.AfterFunc(time.Duration(i%17)*50*time.Microsecond, cancel)
			}
			wg.Go(func() {
				defer cancel()
				errs[i] = st.Write(cctx, func(tx store.Tx) error {
					// Several statements, so that a cancellation can land
					// between or during them.
					for k := range 3 {
						c := domain.Customer{ID: fmt.Sprintf("%s-%d", ids[i], k), Name: fmt.Sprintf("C%d-%d", i, k), Code: fmt.Sprintf("C%d-%d", i, k),
							IsActive: true, CreatedAt: now, UpdatedAt: now, Version: 1}
						if err := tx.CreateCustomer(cctx, store.NewCustomer{Customer: c}); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
		wg.Wait()
	}
	var stored, failed int
	for i, id := range ids {
		var found int
		if err := st.Read(ctx, func(tx store.Tx) error {
			for k := range 3 {
				if _, err := tx.Customer(ctx, domain.OrgScope, fmt.Sprintf("%s-%d", id, k)); err == nil {
					found++
				} else if domain.ErrorCode(err) != domain.ENotFound {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		switch {
		case errs[i] == nil && found != 3:
			t.Errorf("write %d was reported done, but %d of its 3 rows are stored", i, found)
		case errs[i] != nil && found != 0:
			t.Errorf("write %d was reported failed (%v), but %d of its 3 rows are stored", i, errs[i], found)
		case errs[i] != nil && i%3 == 0:
			t.Errorf("write %d, never cancelled, failed: %v", i, errs[i])
		}
		if errs[i] == nil {
			stored++
		} else {
			failed++
		}
	}
	t.Logf("%d writes stored, %d refused as cancelled", stored, failed)
}
