package main

// The store a DSN names: PostgreSQL for postgres:// and postgresql:// URLs,
// an SQLite file for anything else (API.md "Running").

import (
	"context"
	"strings"

	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/postgres"
	"github.com/custreg/custreg/internal/store/sqlite"
	"github.com/custreg/custreg/internal/store/sqlstore"
)

// isPostgres reports whether dsn selects PostgreSQL.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openStore opens the store dsn names and applies pending migrations. obs, if
// not nil, receives the store's transaction and statement latencies.
func openStore(ctx context.Context, dsn string, obs sqlstore.Observer) (store.Store, error) {
	var db *sqlstore.DB
	var err error
	if isPostgres(dsn) {
		db, err = postgres.Open(ctx, dsn)
	} else {
		db, err = sqlite.Open(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if obs != nil {
		db.SetObserver(obs)
	}
	return db, nil
}
