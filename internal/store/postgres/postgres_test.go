package postgres_test

import (
	"context"
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
