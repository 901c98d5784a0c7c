package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"
)

// checkpointer moves the write-ahead log into the database file from a
// connection of its own, so that the writer never does it inside a commit:
// SQLite's automatic checkpoint runs in the commit that crosses its
// threshold, and took a fifth of the writer's time under a stream of
// creates (BENCHMARKS.md). The writer's connection has wal_autocheckpoint
// off; this one runs a PASSIVE checkpoint (it waits for no reader or
// writer, and copies nothing when nothing is new) every
// checkpointInterval.
//
// Copying the log is not enough: the log starts over from its beginning
// only when a write begins with every frame of it copied and no reader in
// it, and under a steady stream of writes the writer has always appended
// more since the checkpointer's last pass — the log then grows for ever (24
// GiB after 100,000 customers and 500,000 assets, its index mapped into
// memory beside it). So once the log holds more than walRestartBytes, the
// checkpointer asks the writer to empty it, between two batches
// (afterBatch): the few frames written since the last pass are copied and
// the file is cut to nothing. Queued writes wait for that (and for readers
// to leave the old log) at most restartWait; a longer reader leaves it for
// a later batch.
type checkpointer struct {
	db      *sql.DB
	stop    context.CancelFunc
	done    chan struct{}
	restart atomic.Bool // the log is past walRestartBytes
}

// checkpointInterval is how often the log is checkpointed: often enough
// that it stays small (a tenth of a second of writes), rarely enough that
// a page written many times is copied once.
var checkpointInterval = 100 * time.Millisecond

// walRestartBytes is the size of log past which the writer is asked to
// let it start over (a variable for tests).
var walRestartBytes int64 = 64 << 20

func startCheckpointer(path string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, connPlain))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, stop := context.WithCancel(context.Background())
	c := &checkpointer{db: db, stop: stop, done: make(chan struct{})}
	go c.run(ctx)
	return c, nil
}

func (c *checkpointer) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// An error (the store is closing, the file is busy) is tried
		// again at the next tick.
		var busy, logFrames, copied int64
		if c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &copied) == nil &&
			logFrames*pageSize > walRestartBytes {
			c.restart.Store(true)
		}
	}
}

// pageSize is SQLite's default page size, which this store's files use; a
// log frame is one page.
const pageSize = 4096

// afterBatch runs on the writer's connection between two batches (the
// dialect's AfterBatch): when the log has grown past walRestartBytes it
// checkpoints there in TRUNCATE mode, which copies the frames written
// since the checkpointer's last pass, waits for the readers still in the
// log to finish, and empties it. The wait is bounded by restartWait: a
// longer reader (a large report) leaves the log as it is, to be tried
// after a later batch, rather than hold up the writes queued meanwhile.
func (c *checkpointer) afterBatch(ctx context.Context, write *sql.DB) {
	if !c.restart.Load() {
		return
	}
	conn, err := write.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, restartWait.Milliseconds())); err != nil {
		return
	}
	var busy, logFrames, copied int64
	err = conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &copied)
	if err == nil && busy == 0 {
		c.restart.Store(false)
	}
	_, _ = conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, busyTimeout.Milliseconds()))
}

// restartWait bounds how long the writer waits for readers to leave the
// log when it empties it.
const restartWait = 50 * time.Millisecond

// close stops the checkpointer; the writer's Close checkpoints what is left.
func (c *checkpointer) close() error {
	c.stop()
	<-c.done
	return c.db.Close()
}
