package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/postgres"
	"github.com/custreg/custreg/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	base := storetest.PostgresURL(t)
	storetest.Run(t, func(tb testing.TB) store.Store {
		st, err := postgres.Open(context.Background(), storetest.NewPostgresDatabase(tb, base))
		if err != nil {
			tb.Fatal(err)
		}
		return st
	})
}

// BenchmarkCustomerList: CUSTREG_BENCH_CUSTOMERS=100000 go test -run X -bench . ./internal/store/postgres
func BenchmarkCustomerList(b *testing.B) {
	base := storetest.PostgresURL(b)
	storetest.Bench(b, func(tb testing.TB) store.Store {
		st, err := postgres.Open(context.Background(), storetest.NewPostgresDatabase(tb, base))
		if err != nil {
			tb.Fatal(err)
		}
		return st
	})
}

func TestLicenseUpgrade(t *testing.T) { upgrade(t, storetest.LicenseUpgrade) }

func TestCountsRepair(t *testing.T) { upgrade(t, storetest.CountsRepair) }

func TestRekey(t *testing.T) { upgrade(t, storetest.Rekey) }

// upgrade runs an upgrade test of the conformance suite on a fresh
// PostgreSQL database that the test migrates step by step.
func upgrade(t *testing.T, test func(t *testing.T, exec func(q string) error, migrateTo func(version int64) error, open func() store.Store)) {
	dsn := storetest.NewPostgresDatabase(t, storetest.PostgresURL(t))
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	test(t,
		func(q string) error { _, err := db.ExecContext(ctx, q); return err },
		func(v int64) error { return postgres.MigrateTo(ctx, db, v) },
		func() store.Store {
			st, err := postgres.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		})
}
