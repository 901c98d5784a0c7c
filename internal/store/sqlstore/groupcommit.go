package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/custreg/custreg/internal/store"
)

// Group commit. SQLite has one writer at a time, and most of a small write
// transaction's cost is its begin and commit. With GroupCommit, concurrent
// Write calls queue to one committer goroutine, which runs a batch of them
// in a single database transaction, each inside its own SAVEPOINT: a call
// whose function fails is rolled back to its savepoint alone, and the others
// commit together. Each function still sees the effects of those before it,
// exactly as if the calls had run one after another, and no caller hears of
// success before the batch's COMMIT has returned.

// maxBatch bounds how many queued writes share one commit.
const maxBatch = 64

// writeReq is one queued Write call.
type writeReq struct {
	ctx  context.Context
	fn   func(store.Tx) error
	done chan error
}

// startCommitter starts the committer goroutine.
func (db *DB) startCommitter() {
	db.writes = make(chan *writeReq, maxBatch)
	db.stopped = make(chan struct{})
	go db.committer()
}

// groupWrite queues fn and waits for its outcome.
func (db *DB) groupWrite(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	start := time.Now()
	db.closeMu.RLock()
	if db.closed {
		db.closeMu.RUnlock()
		return fmt.Errorf("sqlstore: store closed")
	}
	select {
	case db.writes <- req:
		db.closeMu.RUnlock()
	case <-ctx.Done():
		db.closeMu.RUnlock()
		return ctx.Err()
	}
	// Once queued, wait for the outcome even if ctx ends: the function may
	// be running, and the caller must not think it did not happen.
	err := <-req.done
	if db.obs != nil {
		db.obs.ObserveTx("write", time.Since(start))
	}
	return err
}

func (db *DB) committer() {
	defer close(db.stopped)
	for {
		first, ok := <-db.writes
		if !ok {
			return
		}
		batch := []*writeReq{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-db.writes:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		db.runBatch(batch)
		if db.d.AfterBatch != nil {
			db.d.AfterBatch(context.Background(), db.write)
		}
	}
}

// runBatch runs a batch of writes in one transaction, each in a savepoint.
func (db *DB) runBatch(batch []*writeReq) {
	ctx := context.Background()
	sqltx, err := db.d.BeginWrite(ctx, db.write)
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("begin: %w", err)
		}
		return
	}
	var ok []*writeReq
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		if err := db.runSavepoint(r, sqltx); err != nil {
			r.done <- err
			continue
		}
		ok = append(ok, r)
	}
	if len(ok) == 0 {
		_ = sqltx.Rollback()
		return
	}
	if err = (&tx{db: db, tx: sqltx, write: true, shared: true}).beforeCommit(ctx); err != nil {
		_ = sqltx.Rollback()
	} else if err = sqltx.Commit(); err != nil {
		err = db.d.MapError(fmt.Errorf("commit: %w", err))
	}
	for _, r := range ok {
		r.done <- err
	}
}

// runSavepoint runs one queued write inside a savepoint of sqltx. If its
// function fails (or panics), the savepoint is rolled back and the
// function's error returned; the transaction goes on for the others.
func (db *DB) runSavepoint(r *writeReq, sqltx *sql.Tx) (err error) {
	// Every statement of the batch runs under a context no caller can
	// cancel (tx.shared): a cancellation interrupts the connection, and
	// with it the transaction every member shares. A caller cancelled
	// before its turn is not run (runBatch); once running, its write
	// completes and the caller, who waits for the outcome, hears the truth.
	if _, err := sqltx.ExecContext(context.Background(), "SAVEPOINT w"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("sqlstore: write panicked: %v", v)
		}
		if err != nil {
			// Undo this function's writes only. These use a fresh context:
			// the caller's may be what failed.
			bg := context.Background()
			if _, rerr := sqltx.ExecContext(bg, "ROLLBACK TO w"); rerr != nil {
				err = fmt.Errorf("%w (and rollback to savepoint: %v)", err, rerr)
			}
		}
		if _, rerr := sqltx.ExecContext(context.Background(), "RELEASE w"); rerr != nil && err == nil {
			err = fmt.Errorf("release savepoint: %w", rerr)
		}
	}()
	return r.fn(&tx{db: db, tx: sqltx, write: true, shared: true})
}
