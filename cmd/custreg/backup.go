package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/schollz/progressbar/v3"

	"github.com/custreg/custreg/internal/store/sqlite"
)

// backupFlags reads the flags of backup and restore, before or after the
// one file argument ("custreg restore FILE --db DSN" reads as well as
// "custreg restore --db DSN FILE").
type backupFlags struct {
	db    string
	force bool
	quiet bool
	file  string
}

func parseBackupFlags(cmd string, args []string, getenv func(string) string, stderr io.Writer, withForce bool) (backupFlags, error) {
	var f backupFlags
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := getenv("CUSTREG_DB")
	if def == "" {
		def = "custreg.db"
	}
	fs.StringVar(&f.db, "db", def, "`DSN` of the store: an SQLite file path (env CUSTREG_DB)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar")
	if withForce {
		fs.BoolVar(&f.force, "force", false, "replace a store that holds users or customers")
	}
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return f, err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		return f, fmt.Errorf("%s takes one FILE, got %d", cmd, len(files))
	}
	f.file = files[0]
	if isPostgres(f.db) {
		return f, fmt.Errorf("%s works on SQLite stores; for PostgreSQL use pg_dump and pg_restore (see docs/operations.md)", cmd)
	}
	return f, nil
}

// bar returns a progress bar on stderr, or nil when quiet.
func bar(quiet bool, stderr io.Writer, what string) (sqlite.Progress, func()) {
	if quiet {
		return nil, func() {}
	}
	var b *progressbar.ProgressBar
	return func(done, total int64) {
			if b == nil {
				b = progressbar.NewOptions64(total, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription(what),
					progressbar.OptionShowBytes(true), progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish())
			}
			_ = b.Set64(done)
		}, func() {
			if b != nil {
				_ = b.Finish()
			}
		}
}

func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f, err := parseBackupFlags("backup", args, getenv, stderr, false)
	if err != nil {
		return err
	}
	progress, done := bar(f.quiet, stderr, "backup")
	n, err := sqlite.Backup(ctx, f.db, f.file, progress)
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes)\n", f.db, f.file, n)
	return nil
}

func restoreCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f, err := parseBackupFlags("restore", args, getenv, stderr, true)
	if err != nil {
		return err
	}
	progress, done := bar(f.quiet, stderr, "restore")
	err = sqlite.Restore(ctx, f.file, f.db, f.force, progress)
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", f.file, f.db)
	return nil
}
