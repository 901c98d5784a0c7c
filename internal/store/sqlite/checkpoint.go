package sqlite

import (
	"context"
	"database/sql"
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
type checkpointer struct {
	db   *sql.DB
	stop context.CancelFunc
	done chan struct{}
}

// checkpointInterval is how often the log is checkpointed: often enough
// that it stays small (a tenth of a second of writes), rarely enough that
// a page written many times is copied once.
const checkpointInterval = 100 * time.Millisecond

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
		var busy, logFrames, copied int
		_ = c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &copied)
	}
}

// close stops the checkpointer; the writer's Close checkpoints what is left.
func (c *checkpointer) close() error {
	c.stop()
	<-c.done
	return c.db.Close()
}
