// Package storetest is the store conformance suite: one set of tests that
// every store.Store implementation must pass. internal/store/sqlite and
// internal/store/postgres run it against their store.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create test databases
)

// PostgresURL returns CUSTREG_TEST_POSTGRES_URL. Without it the test is
// skipped, except in CI (CI=true), where PostgreSQL tests must run and a
// missing database is a failure.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("CUSTREG_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("CUSTREG_TEST_POSTGRES_URL is not set, and CI=true: PostgreSQL tests must run in CI")
		}
		tb.Skip("CUSTREG_TEST_POSTGRES_URL not set: skipping PostgreSQL tests")
	}
	return u
}

// NewPostgresDatabase creates an empty database on the server of base (a
// postgres:// URL) and returns the URL of the new database. The database is
// dropped when the test ends.
func NewPostgresDatabase(tb testing.TB, base string) string {
	tb.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	name := "custreg_t_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// describe is used in failure messages.
func describe(v any) string { return fmt.Sprintf("%+v", v) }
