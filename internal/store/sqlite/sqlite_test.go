package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/sqlite"
	"github.com/custreg/custreg/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) store.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "custreg.db"))
		if err != nil {
			tb.Fatal(err)
		}
		return st
	})
}

// TestOpenOddPath opens a file whose directory name holds characters that
// are special in URIs: they must not cut the path short, or two such paths
// would share one database.
func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a#b?c%20d e")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "custreg.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := os.Stat(filepath.Join(dir, "custreg.db")); err != nil {
		t.Fatalf("database not created at the given path: %v", err)
	}
}

// BenchmarkCustomerList: CUSTREG_BENCH_CUSTOMERS=100000 go test -run X -bench . ./internal/store/sqlite
func BenchmarkCustomerList(b *testing.B) {
	storetest.Bench(b, func(tb testing.TB) store.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "bench.db"))
		if err != nil {
			tb.Fatal(err)
		}
		return st
	})
}

func TestLicenseUpgrade(t *testing.T) { upgrade(t, storetest.LicenseUpgrade) }

func TestCountsRepair(t *testing.T) { upgrade(t, storetest.CountsRepair) }

func TestRekey(t *testing.T) { upgrade(t, storetest.Rekey) }

// upgrade runs an upgrade test of the conformance suite on a fresh SQLite
// file that the test migrates step by step.
func upgrade(t *testing.T, test func(t *testing.T, exec func(q string) error, migrateTo func(version int64) error, open func() store.Store)) {
	path := filepath.Join(t.TempDir(), "custreg.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	test(t,
		func(q string) error { _, err := db.ExecContext(ctx, q); return err },
		func(v int64) error { return sqlite.MigrateTo(ctx, db, v) },
		func() store.Store {
			st, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		})
}
