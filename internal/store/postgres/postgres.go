// Package postgres opens custreg's PostgreSQL store, for production and for
// several stateless custreg nodes sharing one database. It uses pgx through
// database/sql so that the SQL shared with SQLite runs unchanged.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
	"github.com/custreg/custreg/internal/store/sqlstore"
	"github.com/custreg/custreg/migrations"
)

// Open connects to the PostgreSQL database at url (postgres:// or
// postgresql://), applies pending migrations under an advisory lock (so nodes
// starting together migrate once) and returns the store.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return sqlstore.New(db, db, Dialect), nil
}

// Migrate applies the embedded PostgreSQL migrations.
func Migrate(ctx context.Context, db *sql.DB) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, p)
}

// MigrateTo applies the embedded migrations up to version, leaving the
// database as an older release would: for upgrade tests.
func MigrateTo(ctx context.Context, db *sql.DB, version int64) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	return sqlstore.MigrateTo(ctx, p, version)
}

func provider(db *sql.DB) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations.Postgres, "postgres")
	if err != nil {
		return nil, err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithSessionLocker(locker), goose.WithGoMigrations(sqlstore.RekeyMigration(true)))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// uniqueFields maps unique constraints to the input field they guard.
var uniqueFields = map[string]struct{ field, message string }{
	"customers_name_key_live": {"name", "A customer with this name already exists."},
	"customers_code_key_live": {"code", "A customer with this code already exists."},
	"users_email":             {"email", "A user with this email already exists."},
	"entities_name_key_live":  {"name", "An entity with this name already exists for this customer."},
	"entities_code_key_live":  {"code", "An entity with this code already exists for this customer."},
}

// SQLSTATE codes custreg reacts to.
const (
	uniqueViolation      = "23505"
	checkViolation       = "23514"
	foreignKeyViolation  = "23503"
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
)

// Dialect is PostgreSQL's flavour of the shared SQL.
var Dialect = sqlstore.Dialect{
	Name:     "postgres",
	Numbered: true,
	// Several writes of a registration go as one statement.
	WritableCTE: true,
	ForUpdate:   " FOR UPDATE",
	Time:        func(t time.Time) any { return t.UTC() },
	MapError: func(err error) error {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == uniqueViolation {
			if f, ok := uniqueFields[pe.ConstraintName]; ok {
				var fe domain.FieldErrors
				fe.Add(f.field, domain.FieldTaken, f.message)
				return fe.Err()
			}
			return domain.Errorf(domain.EConflict, "The record conflicts with an existing one.")
		}
		if errors.As(err, &pe) && (pe.Code == checkViolation || pe.Code == foreignKeyViolation) {
			// A kept count or a reference the use case's own checks
			// should have kept: refused whole, never a raw 500.
			return domain.Errorf(domain.EConflict, "The change conflicts with another one made at the same time; reload and try again.")
		}
		return err
	},
	Retryable: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && (pe.Code == serializationFailure || pe.Code == deadlockDetected)
	},
	BeginWrite: func(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
		return db.BeginTx(ctx, nil)
	},
	Contains:          contains,
	ContainsScan:      containsScan,
	ContainsAny:       containsAny,
	CountContains:     countContains,
	SearchPage:        searchPage,
	SortAfterContains: true,
	AfterBegin:        confine,
	// A read-only REPEATABLE READ transaction reads one snapshot, taken at
	// its first statement, and never fails to serialize.
	SnapshotRead: sql.LevelRepeatableRead,
}

// confine runs every transaction as custreg_app, which row-level security
// binds (migration 00007), confined to the context's tenant if it has one.
// One round trip: both settings are transaction-local.
func confine(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT set_config('role', 'custreg_app', true), set_config('custreg.customer_id', $1, true)`,
		store.Tenant(ctx))
	return err
}

// Substring search. Row-level security keeps the planner from testing
// LIKE (not leakproof) inside an index ahead of the customers policy, so
// the trigram indexes are on customer_search, a copy of the live
// customers' keys without a policy, read only through
// custreg_search_customers (migration 00022), which applies the policy's
// rule itself and returns ids. Trigrams need three characters; shorter
// text is tested row by row, as it matches many customers anyway.

// searchField names the key columns for custreg_search_customers.
func searchField(columns []string) string {
	if len(columns) == 1 {
		return strings.TrimSuffix(columns[0], "_key") // name_key -> name
	}
	return "any"
}

func likePattern(folded string) string { return "%" + sqlstore.EscapeLike(folded) + "%" }

func indexable(folded string) bool { return utf8.RuneCountInString(folded) >= 3 }

// countContains counts live customers whose columns contain the text, up
// to limit, from the trigram indexes alone.
func countContains(columns []string, folded string, limit int) (string, []any, bool) {
	if !indexable(folded) {
		return "", nil, false
	}
	return `SELECT count(*) FROM custreg_search_customers(?, ?, ?)`, []any{likePattern(folded), searchField(columns), limit}, true
}

// contains is "the column contains the text": the ids the search function
// finds, or, for short text, LIKE on the row.
func contains(column, folded string) (string, []any) {
	return containsAny([]string{column}, folded)
}

// containsAny is "any of the columns contains the text" in one lookup.
func containsAny(columns []string, folded string) (string, []any) {
	if !indexable(folded) {
		return scanAny(columns, folded)
	}
	return `c.id IN (SELECT custreg_search_customers(?, ?, NULL))`, []any{likePattern(folded), searchField(columns)}
}

// searchPage is one page of matches, ordered and after the cursor, from
// the search index: however many customers match, the list joins at most a
// page of ids (walking the name index under the policy's filter instead
// took 30-40 ms at 100,000 customers when the matches clustered).
func searchPage(columns []string, folded, sortColumn string, desc bool, after *domain.Cursor, limit int) (string, []any, bool) {
	if !indexable(folded) {
		return "", nil, false
	}
	var key, id any
	if after != nil {
		key, id = after.Key, after.ID
	}
	return `c.id IN (SELECT custreg_search_page(?, ?, ?, ?, ?, ?, ?))`,
		[]any{likePattern(folded), searchField(columns), sortColumn, desc, key, id, limit}, true
}

// containsScan is LIKE on the row, for a negation, which most rows match.
func containsScan(column, folded string) (string, []any) {
	return sqlstore.LikeContains(column, folded)
}

func scanAny(columns []string, folded string) (string, []any) {
	parts := make([]string, len(columns))
	var args []any
	for i, col := range columns {
		q, a := sqlstore.LikeContains(col, folded)
		parts[i], args = q, append(args, a...)
	}
	if len(parts) == 1 {
		return parts[0], args
	}
	return `(` + strings.Join(parts, " OR ") + `)`, args
}
