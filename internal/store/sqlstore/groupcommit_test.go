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
				if err := tx.CreateCustomer(ctx, c); err != nil {
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
