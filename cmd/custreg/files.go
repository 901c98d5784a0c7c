package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// writeNew writes a new file as write produces it: to FILE.part first,
// synced, and renamed to FILE only once whole, so FILE is never half
// written. It refuses a FILE that exists, before and after writing (one
// that appears meanwhile is left as it is), and removes FILE.part when
// anything fails. cmd names the command in its errors.
func writeNew(cmd, file string, write func(io.Writer) error) error {
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("%s: %s exists; choose a new file", cmd, file)
	}
	part := file + ".part"
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if _, serr := os.Lstat(file); serr == nil {
			err = fmt.Errorf("%s: %s appeared while it was written; it is left as it was", cmd, file)
		}
	}
	if err == nil {
		err = os.Rename(part, file)
	}
	if err != nil {
		_ = os.Remove(part)
	}
	return err
}
