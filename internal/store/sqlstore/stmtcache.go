package sqlstore

import (
	"context"
	"database/sql"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
)

// stmtCache keeps prepared statements of one pool, by query text, so that
// a statement custreg runs again is not parsed again: modernc.org/sqlite
// prepares every statement it is handed afresh, and parsing was a quarter
// of a create's CPU (BENCHMARKS.md). database/sql prepares a cached
// statement once on each connection of the pool that runs it and reuses
// it there, inside transactions too (Tx.StmtContext).
//
// A statement is prepared on the pool in the background, not by the
// transaction that first runs it: preparing on a pool takes a connection
// of it, and the writer's only connection is the one that transaction
// holds (so would a full reader pool's be). That first run, and any until
// the statement is ready, are parsed as before.
//
// The least recently used statement is closed when the cache is full; a
// transaction still using it keeps it until it ends (database/sql tracks
// that). Safe for concurrent use.
type stmtCache struct {
	pool    *sql.DB
	cache   *lru.Cache[string, *sql.Stmt]
	mu      sync.Mutex
	pending map[string]bool // queued for the preparer
	queue   chan string
	done    chan struct{}
	stop    context.CancelFunc
}

// stmtCacheSize bounds the statements kept per pool. Queries come from a
// fixed set of shapes, but filter trees and IN lists make their number
// open-ended; the bound keeps the memory of the rare ones in check.
const stmtCacheSize = 512

func newStmtCache(pool *sql.DB) *stmtCache {
	c := &stmtCache{pool: pool, pending: map[string]bool{}, queue: make(chan string, 256), done: make(chan struct{})}
	var err error
	if c.cache, err = lru.NewWithEvict(stmtCacheSize, func(_ string, st *sql.Stmt) { _ = st.Close() }); err != nil {
		panic(err) // only for a size below 1
	}
	ctx, stop := context.WithCancel(context.Background())
	c.stop = stop
	go c.prepare(ctx)
	return c
}

// get returns the prepared statement of q, or nil while it is not ready
// (then it is queued to be prepared).
func (c *stmtCache) get(q string) *sql.Stmt {
	if st, ok := c.cache.Get(q); ok {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending[q] || len(c.pending) >= cap(c.queue) {
		return nil
	}
	select {
	case c.queue <- q:
		c.pending[q] = true
	default:
	}
	return nil
}

// prepare prepares the queued statements until ctx is done.
func (c *stmtCache) prepare(ctx context.Context) {
	defer close(c.done)
	for {
		select {
		case <-ctx.Done():
			return
		case q := <-c.queue:
			// A statement that does not prepare (it is wrong, or the
			// store is closing) is not kept; its transaction reported
			// the error already.
			if st, err := c.pool.PrepareContext(ctx, q); err == nil {
				if _, ok, _ := c.cache.PeekOrAdd(q, st); ok {
					_ = st.Close()
				}
			}
			c.mu.Lock()
			delete(c.pending, q)
			c.mu.Unlock()
		}
	}
}

// close stops the preparer and closes every statement kept.
func (c *stmtCache) close() {
	c.stop()
	<-c.done
	c.cache.Purge()
}
