package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// TestLogStartsOver: under a steady stream of concurrent writes, with
// readers reading all along, the write-ahead log starts over instead of
// growing with every write (it grew to 24 GiB in a long load before the
// writer was asked to checkpoint between batches).
func TestLogStartsOver(t *testing.T) {
	// The log grows by what the writes add between two of the
	// checkpointer's passes, so the passes come often enough here that a
	// faster machine (more writes per pass) does not decide the outcome.
	oldBytes, oldInterval := walRestartBytes, checkpointInterval
	walRestartBytes, checkpointInterval = 256<<10, 5*time.Millisecond
	defer func() { walRestartBytes, checkpointInterval = oldBytes, oldInterval }()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "custreg.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const writers, each = 8, 200
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := st.Read(ctx, func(tx store.Tx) error {
					_, err := tx.Customers(ctx, domain.OrgScope, domain.CustomerFilter{Sort: domain.SortNameAsc, Limit: 50})
					return err
				}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var largest int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				now := time.Now()
				c := domain.Customer{ID: uuid.Must(uuid.NewV7()).String(), Name: fmt.Sprintf("Customer %d-%d", w, i),
					Code: fmt.Sprintf("C%d-%d", w, i), IsActive: true, CreatedAt: now, UpdatedAt: now, Version: 1}
				if err := st.Write(ctx, func(tx store.Tx) error { return tx.CreateCustomer(ctx, store.NewCustomer{Customer: c}) }); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
watch:
	for {
		select {
		case <-done:
			break watch
		case <-tick.C:
			if fi, err := os.Stat(path + "-wal"); err == nil {
				largest = max(largest, fi.Size())
			}
		}
	}
	close(stop)
	readers.Wait()
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	largest = max(largest, fi.Size())
	// 1,600 creates write about 60 MiB of log (measured without the
	// restart); started over, it stays within the restart size and what a
	// few checkpoint passes write (2–3.5 MiB measured, 0.8 MiB with -race).
	if limit := int64(64 * walRestartBytes); largest > limit {
		t.Errorf("the log reached %d bytes (restart at %d, limit %d): it does not start over", largest, walRestartBytes, limit)
	}
	t.Logf("largest log %d KiB", largest>>10)
}
