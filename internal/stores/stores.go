// Package stores opens the store a DSN names: PostgreSQL for postgres:// and
// postgresql:// URLs, an SQLite file for anything else (API.md "Running").
package stores

import (
	"context"
	"strings"

	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/postgres"
	"github.com/custreg/custreg/internal/store/sqlite"
)

// IsPostgres reports whether dsn selects PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store dsn names and applies pending migrations.
func Open(ctx context.Context, dsn string) (store.Store, error) {
	if IsPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}
