package sqlite_test

import (
	"context"
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
