// Package sqlite opens custreg's embedded SQLite store: a single file, no
// server, nothing to install. It uses modernc.org/sqlite, a pure-Go build of
// SQLite, so `go run` works without a C compiler.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store/sqlstore"
	"github.com/custreg/custreg/migrations"
)

// Open opens (creating if needed) the SQLite file at path, applies pending
// migrations and returns the store. Writes go through a single connection
// whose transactions begin IMMEDIATE, so writers queue instead of failing
// with SQLITE_BUSY; reads use a pool of their own and, with WAL, never wait
// for writers.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	write, err := sql.Open("sqlite", dsn(path, connWrite))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := Migrate(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite", dsn(path, connRead))
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	cp, err := startCheckpointer(path)
	if err != nil {
		write.Close()
		read.Close()
		return nil, err
	}
	d := Dialect
	d.AfterBatch = cp.afterBatch
	db := sqlstore.New(write, read, d)
	db.AddCloser(cp.close)
	return db, nil
}

// The connections of a store: the one writer, the readers, and plain
// writable ones with SQLite's defaults (the checkpointer's, a restore's).
type connKind int

const (
	connWrite connKind = iota
	connRead
	connPlain
)

// busyTimeout is how long a connection waits for a lock before SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// dsn builds a modernc.org/sqlite DSN. The pragmas are applied on every new
// connection, in this order: journal mode first, then the rest.
func dsn(path string, kind connKind) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// Statement journals (one per savepoint of group commit) and sorts
	// stay in memory instead of temporary files written and dropped per
	// write (BENCHMARKS.md).
	q.Add("_pragma", "temp_store(MEMORY)")
	switch kind {
	case connWrite:
		q.Set("_txlock", "immediate")
		// The checkpointer's connection checkpoints, not the commits.
		q.Add("_pragma", "wal_autocheckpoint(0)")
		// When the log starts over, its file is cut back to this size.
		q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walRestartBytes))
	case connRead:
		q.Add("_pragma", "query_only(1)")
	}
	// The path is percent-encoded: SQLite reads "file:" names as URIs, where
	// a '#' or '?' in a directory name would otherwise cut the path short.
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Migrate applies the embedded SQLite migrations and refuses a database whose
// schema is newer than this binary knows.
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
	fsys, err := fs.Sub(migrations.SQLite, "sqlite")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys, goose.WithGoMigrations(sqlstore.RekeyMigration(false)))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Dialect is SQLite's flavour of the shared SQL.
var Dialect = sqlstore.Dialect{
	Name: "sqlite",
	Time: func(t time.Time) any { return t.UTC().Format(sqlstore.TimeLayout) },
	MapError: func(err error) error {
		var se *sqlite.Error
		if errors.As(err, &se) {
			switch se.Code() {
			case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
				// The service checks uniqueness inside the same IMMEDIATE
				// transaction, so this is a backstop that should never fire.
				return domain.Errorf(domain.EConflict, "The record conflicts with an existing one.")
			case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_TRIGGER, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
				// A kept count or a reference the use case's own checks
				// should have kept: refused whole, never a raw 500.
				return domain.Errorf(domain.EConflict, "The change conflicts with another one made at the same time; reload and try again.")
			}
		}
		return err
	},
	Retryable: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY)
	},
	BeginWrite: func(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
		return db.BeginTx(ctx, nil)
	},
	Contains:      contains,
	ContainsAny:   containsAny,
	CountContains: countContains,
	SortIndex: func(column string) string {
		return `INDEXED BY ` + map[string]string{"name_key": "customers_name_key_live",
			"code_key": "customers_code_key_live", "created_at": "customers_created_live"}[column]
	},
	// One writer: concurrent writes share commits (sqlstore/groupcommit.go).
	GroupCommit: true,
	// The customers a transaction changed are re-indexed from their rows
	// once, at its end (migration 00023): one FTS5 flush per commit.
	BeforeCommit: reindexStale,
	// modernc.org/sqlite parses every statement it is given.
	PrepareCache: true,
}

// reindexStale brings the search index up to date with the customers the
// transaction changed (migration 00023): those that were in it are taken
// out by rowid (one at a time: FTS5 has no index for a rowid list, and
// scans itself for one), then the live among them are put in from their
// rows. A new customer, the common case, was not in it; a transaction that
// changed no customer costs one read of the empty marks.
func reindexStale(ctx context.Context, st sqlstore.Statements) error {
	rows, err := st.Query(ctx, `SELECT seq, indexed FROM customers_search_stale`)
	if err != nil {
		return err
	}
	var stale, indexed []int64
	for rows.Next() {
		var seq int64
		var in bool
		if err := rows.Scan(&seq, &in); err != nil {
			rows.Close()
			return err
		}
		stale = append(stale, seq)
		if in {
			indexed = append(indexed, seq)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	if len(stale) == 0 {
		return nil
	}
	for _, seq := range indexed {
		if _, err := st.Exec(ctx, `DELETE FROM customers_search WHERE rowid = ?`, seq); err != nil {
			return err
		}
	}
	if _, err := st.Exec(ctx, `INSERT INTO customers_search (rowid, name_key, code_key)
SELECT c.seq, c.name_key, c.code_key FROM customers_search_stale s CROSS JOIN customers c ON c.seq = s.seq WHERE c.deleted_at IS NULL`); err != nil {
		return err
	}
	_, err = st.Exec(ctx, `DELETE FROM customers_search_stale`)
	return err
}

// contains uses the trigram index (migration 00003) for three characters or
// more; shorter text has no trigram, and is matched with LIKE.
func contains(column, folded string) (string, []any) {
	return containsAny([]string{column}, folded)
}

// containsAny matches the text in any of the columns with one trigram index
// lookup (an FTS5 column filter), or with LIKE for text under three
// characters.
func containsAny(columns []string, folded string) (string, []any) {
	if utf8.RuneCountInString(folded) < 3 {
		parts := make([]string, len(columns))
		var args []any
		for i, col := range columns {
			q, a := sqlstore.LikeContains(col, folded)
			parts[i], args = q, append(args, a...)
		}
		return "(" + strings.Join(parts, " OR ") + ")", args
	}
	phrase := `"` + strings.ReplaceAll(folded, `"`, `""`) + `"`
	return `c.seq IN (SELECT rowid FROM customers_search WHERE customers_search MATCH ?)`,
		[]any{`{` + strings.Join(columns, " ") + `} : ` + phrase}
}

// countContains counts matches in the trigram index, which holds only live
// customers, up to limit.
func countContains(columns []string, folded string, limit int) (string, []any, bool) {
	if utf8.RuneCountInString(folded) < 3 {
		return "", nil, false
	}
	phrase := `"` + strings.ReplaceAll(folded, `"`, `""`) + `"`
	return `SELECT count(*) FROM (SELECT 1 FROM customers_search WHERE customers_search MATCH ? LIMIT ?)`,
		[]any{`{` + strings.Join(columns, " ") + `} : ` + phrase, limit}, true
}
