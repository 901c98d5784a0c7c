package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
)

// Progress is told how far a backup or restore has come: done of total
// bytes. It is called from one goroutine at a time.
type Progress func(done, total int64)

// Backup writes a consistent copy of the SQLite store at path to the new
// file dst while the store is in use: VACUUM INTO runs in one read
// transaction, so the copy is the store as of one moment, and writers go
// on meanwhile (WAL). The copy is written beside dst and renamed into
// place when complete, so dst is never half a backup. It returns the size
// of the copy. progress, if not nil, is told how much is written.
func Backup(ctx context.Context, path, dst string, progress Progress) (int64, error) {
	if _, err := os.Stat(dst); err == nil {
		return 0, fmt.Errorf("backup: %s exists; choose a new file", dst)
	}
	db, err := openExisting(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var pages, free, size int64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT page_count FROM pragma_page_count()), (SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())`).Scan(&pages, &free, &size); err != nil {
		return 0, fmt.Errorf("backup: reading %s: %w", path, err)
	}
	total := (pages - free) * size
	part := dst + ".part"
	_ = os.Remove(part)
	done := make(chan struct{})
	polled := make(chan struct{}) // closed when the poller has stopped
	if progress == nil {
		close(polled)
	} else {
		go func() {
			defer close(polled)
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					if fi, err := os.Stat(part); err == nil {
						progress(min(fi.Size(), total), total)
					}
				}
			}
		}()
	}
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, part)
	close(done)
	<-polled // progress is called from one goroutine at a time
	if err != nil {
		_ = os.Remove(part)
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(part); err != nil {
		_ = os.Remove(part)
		return 0, err
	}
	if err := os.Rename(part, dst); err != nil {
		_ = os.Remove(part)
		return 0, err
	}
	fi, err := os.Stat(dst)
	if err != nil {
		return 0, err
	}
	if progress != nil {
		progress(fi.Size(), fi.Size())
	}
	return fi.Size(), nil
}

// ErrNotEmpty is returned by Restore for a target store that holds data.
var ErrNotEmpty = errors.New("the target store is not empty")

// Restore brings the backup src back as the SQLite store at path, then
// applies any migrations the backup predates. The backup is checked first
// (SQLite's quick_check, and a custreg schema). A target that holds any
// user or customer is refused with ErrNotEmpty unless force is set. The
// store must not be in use: stop custreg first. progress, if not nil, is
// told how much is copied.
func Restore(ctx context.Context, src, path string, force bool, progress Progress) error {
	in, err := openExisting(src)
	if err != nil {
		return err
	}
	if err := checkBackup(ctx, in); err != nil {
		in.Close()
		return fmt.Errorf("restore: %s is not a custreg backup: %w", src, err)
	}
	in.Close()
	if _, err := os.Stat(path); err == nil && !force {
		out, err := openExisting(path)
		if err != nil {
			return err
		}
		n, err := rowsHeld(ctx, out)
		out.Close()
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("restore: %s holds %d users and customers: %w (use --force to replace it)", path, n, ErrNotEmpty)
		}
	}
	out, err := sql.Open("sqlite", dsn(path, connPlain))
	if err != nil {
		return err
	}
	defer out.Close()
	out.SetMaxOpenConns(1)
	conn, err := out.Conn(ctx)
	if err != nil {
		return err
	}
	srcSize := int64(0)
	if fi, err := os.Stat(src); err == nil {
		srcSize = fi.Size()
	}
	err = conn.Raw(func(dc any) error {
		r, ok := dc.(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return fmt.Errorf("the SQLite driver cannot restore (%T)", dc)
		}
		b, err := r.NewRestore("file:" + (&url.URL{Path: src}).EscapedPath() + "?mode=ro")
		if err != nil {
			return err
		}
		for {
			more, err := b.Step(256)
			if err != nil {
				_ = b.Finish()
				return err
			}
			if progress != nil && b.PageCount() > 0 {
				progress(srcSize*int64(b.PageCount()-b.Remaining())/int64(b.PageCount()), srcSize)
			}
			if !more {
				break
			}
			if err := ctx.Err(); err != nil {
				_ = b.Finish()
				return err
			}
		}
		return b.Finish()
	})
	conn.Close()
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return Migrate(ctx, out)
}

// openExisting opens an SQLite file that must exist: sql.Open would
// create a new, empty one for a mistyped name.
func openExisting(path string) (*sql.DB, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist", path)
	}
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// checkBackup checks that db is an intact custreg store.
func checkBackup(ctx context.Context, db *sql.DB) error {
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("damaged: %s", res)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('goose_db_version', 'customers', 'users', 'org')`).Scan(&n); err != nil {
		return err
	}
	if n != 4 {
		return errors.New("it has no custreg tables")
	}
	return nil
}

// rowsHeld counts the users and customers of a store; 0 for a file that
// has no custreg tables yet.
func rowsHeld(ctx context.Context, db *sql.DB) (int64, error) {
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'customers')`).Scan(&tables); err != nil {
		if strings.Contains(err.Error(), "not a database") {
			return 1, nil // something else: never overwrite it silently
		}
		return 0, err
	}
	if tables < 2 {
		return 0, nil
	}
	var n int64
	err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM customers)`).Scan(&n)
	return n, err
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
