// Package sqlstore implements store.Store over database/sql for both
// dialects custreg supports. The SQL is written once, with "?" placeholders,
// and the few differences between SQLite and PostgreSQL (placeholders, how a
// write transaction begins, time encoding, error codes) come from a Dialect
// supplied by the sqlite and postgres packages. Writing the queries once keeps
// the two stores from drifting apart; the conformance suite in
// internal/store/storetest proves they behave the same.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// Dialect is what differs between the SQL databases.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Numbered rewrites "?" placeholders as $1, $2, ... when true.
	Numbered bool
	// Time turns a time into the argument the database stores.
	Time func(time.Time) any
	// MapError turns driver errors into domain errors (unique violations) or
	// marks them retryable; it returns err unchanged otherwise.
	MapError func(error) error
	// Retryable reports whether a failed write transaction may be run again
	// (serialization failures, deadlocks).
	Retryable func(error) bool
	// BeginWrite begins a read-write transaction.
	BeginWrite func(ctx context.Context, db *sql.DB) (*sql.Tx, error)
	// Contains returns the condition "column (of customers, aliased c)
	// contains the folded text", using the dialect's substring index.
	Contains func(column, folded string) (string, []any)
	// ContainsScan, if set, is Contains in the form a query tests row by
	// row, for a negated substring condition (which most rows match). Nil:
	// Contains serves it too.
	ContainsScan func(column, folded string) (string, []any)
	// ContainsAny, if set, returns "any of the columns contains the folded
	// text" as one condition (the search box); without it the search is an
	// OR of Contains.
	ContainsAny func(columns []string, folded string) (string, []any)
	// CountContains, if set, returns a query counting live customers
	// whose columns contain the folded text, up to limit, from the
	// substring index alone; ok is false where it cannot (short text).
	CountContains func(columns []string, folded string, limit int) (q string, args []any, ok bool)
	// SearchPage, if set, returns the condition "c.id is among the page of
	// customers whose columns contain the folded text, in the order of
	// sortColumn (descending if desc), after the cursor, at most limit",
	// found in the dialect's search index; ok is false where it cannot
	// (short text), and the list then filters as usual.
	SearchPage func(columns []string, folded, sortColumn string, desc bool, after *domain.Cursor, limit int) (cond string, args []any, ok bool)
	// SortIndex, if set, names the clause that makes a query walk the
	// index of a sort key column (SQLite: INDEXED BY); used with
	// CountContains for substring filters with many matches.
	SortIndex func(column string) string
	// SortAfterContains makes a page with a substring condition that
	// matches few customers sort its matches instead of walking the sort
	// key's index: PostgreSQL's planner otherwise walks the index, testing
	// every row, to find a rare match.
	SortAfterContains bool
	// AfterBatch, with GroupCommit, runs on the committer after each
	// batch's callers have their answers, while the writer's connection is
	// idle (SQLite: letting the write-ahead log start over); may be nil.
	AfterBatch func(ctx context.Context, write *sql.DB)
	// WritableCTE: data-modifying statements may be WITH queries, so that
	// several go to the database as one (execAll).
	WritableCTE bool
	// ForUpdate ends a SELECT that locks the rows it reads until the
	// transaction ends (" FOR UPDATE"); "" where writes are serialized
	// anyway (SQLite).
	ForUpdate string
	// BeforeCommit runs after a write transaction's last write and before
	// its COMMIT, with the transaction's statements (SQLite: the search
	// index is brought up to date once per commit, migration 00023); may
	// be nil.
	BeforeCommit func(ctx context.Context, st Statements) error
	// AfterBegin runs statements at the start of every transaction (for
	// example SET LOCAL ROLE); may be nil.
	AfterBegin func(ctx context.Context, tx *sql.Tx) error
	// SnapshotRead is the isolation level a read transaction begins at
	// when its context asks for one snapshot (store.WithSnapshot); the
	// default level where every read transaction is one snapshot already
	// (SQLite under WAL).
	SnapshotRead sql.IsolationLevel
	// GroupCommit runs concurrent writes in shared transactions, each in
	// its own savepoint (groupcommit.go). For a database with one writer.
	GroupCommit bool
	// PrepareCache keeps prepared statements (stmtcache.go), for a driver
	// that does not cache them itself.
	PrepareCache bool
}

// Observer receives the latency of transactions and statements, for
// metrics. Its methods must be cheap and safe for concurrent use.
type Observer interface {
	ObserveTx(kind string, d time.Duration)
	ObserveQuery(statement string, d time.Duration)
}

// DB is a store.Store over a writer pool and a reader pool, which may be the
// same *sql.DB.
type DB struct {
	write, read *sql.DB
	d           Dialect
	obs         Observer
	rebound     sync.Map     // query string -> rebound query string
	reboundN    atomic.Int64 // entries in rebound, at most maxRebound
	// writeStmts and readStmts keep the pools' prepared statements, with
	// Dialect.PrepareCache; nil otherwise.
	writeStmts, readStmts *stmtCache

	// Group commit (groupcommit.go).
	writes  chan *writeReq
	stopped chan struct{}
	closeMu sync.RWMutex // held for reading while queueing, for writing to close
	closed  bool
	// closers run at Close, after the writes queued and before the pools
	// close (a dialect's helpers, such as SQLite's checkpointer).
	closers []func() error
}

// AddCloser has Close run f after the queued writes finish and before the
// pools close. Call it before the store is used.
func (db *DB) AddCloser(f func() error) { db.closers = append(db.closers, f) }

// SetObserver sets the observer of transactions and statements. Call it
// before the store is used.
func (db *DB) SetObserver(o Observer) { db.obs = o }

// New returns a Store. The caller owns the pools; Close closes both.
func New(write, read *sql.DB, d Dialect) *DB {
	db := &DB{write: write, read: read, d: d}
	if d.PrepareCache {
		db.writeStmts, db.readStmts = newStmtCache(write), newStmtCache(read)
	}
	if d.GroupCommit {
		db.startCommitter()
	}
	return db
}

var _ store.Store = (*DB)(nil)

// maxWriteAttempts bounds retries of a write transaction that failed with a
// retryable error.
const maxWriteAttempts = 5

// Write implements store.Store.
func (db *DB) Write(ctx context.Context, fn func(store.Tx) error) error {
	if db.d.GroupCommit {
		return db.groupWrite(ctx, fn)
	}
	var err error
	for attempt := 1; attempt <= maxWriteAttempts; attempt++ {
		err = db.run(ctx, true, fn)
		if err == nil || !db.retryable(err) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(time.Duration(attempt*attempt) * time.Millisecond)
	}
	return err
}

// retryable reports whether a failed write transaction may run again: the
// dialect's serialization failures and deadlocks, and a use case that found
// a row moved under it (store.ErrRetry).
func (db *DB) retryable(err error) bool {
	return errors.Is(err, store.ErrRetry) || (db.d.Retryable != nil && db.d.Retryable(err))
}

// Read implements store.Store.
func (db *DB) Read(ctx context.Context, fn func(store.Tx) error) error {
	return db.run(ctx, false, fn)
}

func (db *DB) run(ctx context.Context, write bool, fn func(store.Tx) error) (err error) {
	if db.obs != nil {
		start := time.Now()
		kind := "read"
		if write {
			kind = "write"
		}
		defer func() { db.obs.ObserveTx(kind, time.Since(start)) }()
	}
	var sqltx *sql.Tx
	if write {
		sqltx, err = db.d.BeginWrite(ctx, db.write)
	} else {
		opts := &sql.TxOptions{ReadOnly: true}
		if store.Snapshot(ctx) {
			opts.Isolation = db.d.SnapshotRead
		}
		sqltx, err = db.read.BeginTx(ctx, opts)
	}
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = sqltx.Rollback()
		}
	}()
	if db.d.AfterBegin != nil {
		if err = db.d.AfterBegin(ctx, sqltx); err != nil {
			return err
		}
	}
	t := &tx{db: db, tx: sqltx, write: write}
	if err = fn(t); err != nil {
		return err
	}
	if write {
		if err = t.beforeCommit(ctx); err != nil {
			return err
		}
	}
	if err = sqltx.Commit(); err != nil {
		return db.d.MapError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// Statements runs statements in a transaction, prepared once per
// connection where the dialect keeps them ("?" placeholders).
type Statements interface {
	Exec(ctx context.Context, q string, args ...any) (sql.Result, error)
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

type txStatements struct{ t *tx }

func (s txStatements) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.t.exec(ctx, q, args...)
}

func (s txStatements) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.t.query(ctx, q, args...)
}

// statement is one SQL statement with its arguments ("?" placeholders).
type statement struct {
	q    string
	args []any
}

// execAll runs statements that do not read what the others write. Where
// the dialect has writable common table expressions (PostgreSQL) they go
// as one statement, one round trip: each a WITH query of a SELECT that
// reads none of them, all seeing the same snapshot, foreign keys checked
// at its end. Elsewhere they run one after another.
func (t *tx) execAll(ctx context.Context, stmts ...statement) error {
	if len(stmts) == 1 || !t.db.d.WritableCTE {
		for _, st := range stmts {
			if _, err := t.exec(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		return nil
	}
	var b strings.Builder
	var args []any
	for i, st := range stmts {
		if i == 0 {
			b.WriteString("WITH ")
		} else {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "w%d AS (%s)", i, st.q)
		args = append(args, st.args...)
	}
	b.WriteString("\nSELECT 1")
	_, err := t.exec(ctx, b.String(), args...)
	return err
}

// beforeCommit runs the dialect's BeforeCommit.
func (t *tx) beforeCommit(ctx context.Context) error {
	if t.db.d.BeforeCommit == nil {
		return nil
	}
	if err := t.db.d.BeforeCommit(ctx, txStatements{t}); err != nil {
		return fmt.Errorf("before commit: %w", err)
	}
	return nil
}

// Ping implements store.Store.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// Close implements store.Store. Writes already queued are finished first.
func (db *DB) Close() error {
	if db.d.GroupCommit {
		db.closeMu.Lock()
		if !db.closed {
			db.closed = true
			close(db.writes)
		}
		db.closeMu.Unlock()
		<-db.stopped
	}
	if db.writeStmts != nil {
		db.writeStmts.close()
		db.readStmts.close()
	}
	var err error
	for _, f := range db.closers {
		err = errors.Join(err, f())
	}
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// rebind rewrites placeholders for the dialect, caching the result.
func (db *DB) rebind(q string) string {
	if !db.d.Numbered {
		return q
	}
	if v, ok := db.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	// Queries are built from a fixed set of shapes, but filter trees and
	// IN lists make their number open-ended: past maxRebound the text is
	// rewritten each time instead of kept.
	if db.reboundN.Load() < maxRebound {
		if _, loaded := db.rebound.LoadOrStore(q, out); !loaded {
			db.reboundN.Add(1)
		}
	}
	return out
}

// maxRebound bounds the cache of rewritten statement texts.
const maxRebound = 2048

// tx implements store.Tx.
type tx struct {
	db    *DB
	tx    *sql.Tx
	write bool // a read-write transaction: reads of one record lock it
	// shared marks a transaction that group commit runs for several
	// callers: its statements ignore the cancellation of the caller's
	// context (keeping its values), since the driver answers one by
	// interrupting the connection, which would end the whole batch's
	// transaction and every other caller's writes with it.
	shared bool
	// created holds the customers this transaction created, with the
	// allocation they were created with: until their use changes (AddUsage
	// forgets them), their license rows are known, and no one else sees
	// them yet.
	created map[string]map[string]int64
}

// stmtCtx is the context a statement runs under.
func (t *tx) stmtCtx(ctx context.Context) context.Context {
	if t.shared {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// lockRow ends a SELECT of one record (aliased alias) in a write
// transaction so that it holds the row until the transaction ends: the
// write that follows is computed from what it replaces, and a concurrent
// writer of the same row waits, then reads what this one wrote. "" in read
// transactions and where writes are serialized anyway (SQLite).
func (t *tx) lockRow(alias string) string {
	if !t.write || t.db.d.ForUpdate == "" {
		return ""
	}
	return t.db.d.ForUpdate + " OF " + alias
}

// changeRow runs one UPDATE of one live record. Its WHERE names the row,
// its liveness, the caller's scope and, where the write replaces a version,
// that version, so the statement guards itself whatever was read before.
// One row changed is success. None means the row is gone or out of scope
// (find then returns ENotFound) or was changed meanwhile (EPrecondition).
func (t *tx) changeRow(ctx context.Context, what string, find func() error, q string, args ...any) error {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	if n > 1 {
		return fmt.Errorf("sqlstore: a write of one %s changed %d rows", what, n)
	}
	if err := find(); err != nil {
		return err
	}
	return domain.Errorf(domain.EPrecondition, "The %s was changed by someone else; reload it and try again.", what)
}

// observe records a statement's latency under its first keyword.
func (t *tx) observe(q string, start time.Time) {
	if t.db.obs == nil {
		return
	}
	q = strings.TrimSpace(q)
	if i := strings.IndexAny(q, " \n\t"); i > 0 {
		q = q[:i]
	}
	t.db.obs.ObserveQuery(strings.ToLower(q), time.Since(start))
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	defer t.observe(q, time.Now())
	ctx = t.stmtCtx(ctx)
	var res sql.Result
	var err error
	if st := t.prepared(ctx, q); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = t.tx.ExecContext(ctx, t.db.rebind(q), args...)
	}
	if err != nil {
		return nil, t.db.d.MapError(err)
	}
	return res, nil
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	defer t.observe(q, time.Now())
	ctx = t.stmtCtx(ctx)
	var rows *sql.Rows
	var err error
	if st := t.prepared(ctx, q); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = t.tx.QueryContext(ctx, t.db.rebind(q), args...)
	}
	if err != nil {
		return nil, t.db.d.MapError(err)
	}
	return rows, nil
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	defer t.observe(q, time.Now())
	ctx = t.stmtCtx(ctx)
	if st := t.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.db.rebind(q), args...)
}

// prepared returns q's cached statement bound to this transaction, or nil
// when the dialect keeps none or it is not prepared yet.
func (t *tx) prepared(ctx context.Context, q string) *sql.Stmt {
	c := t.db.readStmts
	if t.write {
		c = t.db.writeStmts
	}
	if c == nil {
		return nil
	}
	st := c.get(q)
	if st == nil {
		return nil
	}
	return t.tx.StmtContext(ctx, st)
}

// time converts t for the dialect.
func (t *tx) time(v time.Time) any { return t.db.d.Time(v.UTC()) }

// timePtr converts an optional time.
func (t *tx) timePtr(v *time.Time) any {
	if v == nil {
		return nil
	}
	return t.time(*v)
}

// notFound is the error for a missing row of kind what.
func notFound(what string) error {
	return domain.Errorf(domain.ENotFound, "%s not found.", what)
}

// rowErr maps sql.ErrNoRows to a not-found error.
func rowErr(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	return err
}

// nullString maps "" to NULL so that absent optional text is stored as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// dbTime scans a time stored either natively (PostgreSQL) or as text
// (SQLite).
type dbTime struct {
	T     time.Time
	Valid bool
}

// TimeLayout is the fixed-width text form of times in SQLite: it sorts as
// text in time order.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Scan implements sql.Scanner.
func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.Valid = false
		return nil
	case time.Time:
		d.T, d.Valid = x.UTC(), true
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("sqlstore: cannot scan %T into a time", v)
}

func (d *dbTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("sqlstore: bad stored time %q: %w", s, err)
	}
	d.T, d.Valid = t.UTC(), true
	return nil
}

func (d dbTime) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.T
	return &t
}

// trimPage cuts a result fetched with limit+1 rows down to limit rows and
// returns the cursor of the next page: the position of the last row kept,
// or nil when there is no more.
func trimPage[T any](items []T, limit int, cursor func(T) domain.Cursor) ([]T, *domain.Cursor) {
	if len(items) <= limit {
		return items, nil
	}
	items = items[:limit]
	next := cursor(items[limit-1])
	return items, &next
}

type scanner interface{ Scan(...any) error }

// prefixed qualifies each column of a column list with alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
