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
	Name:      "postgres",
	Numbered:  true,
	ForUpdate: " FOR UPDATE",
	Time:      func(t time.Time) any { return t.UTC() },
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
	CountContains:     countContains,
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

// countContains counts live customers whose columns contain the text, up
// to limit, through the trigram indexes (three characters or more).
func countContains(columns []string, folded string, limit int) (string, []any, bool) {
	if utf8.RuneCountInString(folded) < 3 {
		return "", nil, false
	}
	parts := make([]string, len(columns))
	var args []any
	for i, col := range columns {
		q, a := contains(col, folded)
		parts[i], args = q, append(args, a...)
	}
	return `SELECT count(*) FROM (SELECT 1 FROM customers c WHERE c.deleted_at IS NULL AND (` +
		strings.Join(parts, " OR ") + `) LIMIT ?) m`, append(args, limit), true
}

// contains is LIKE '%x%' on the key column under the default collation: the
// expression of its pg_trgm index (migration 00003), which serves it for
// three characters or more.
func contains(column, folded string) (string, []any) {
	return `(c.` + column + ` COLLATE "default") LIKE ? ESCAPE '\'`, []any{"%" + sqlstore.EscapeLike(folded) + "%"}
}
