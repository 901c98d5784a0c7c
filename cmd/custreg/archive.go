package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/archive"
	"github.com/custreg/custreg/internal/domain"
)

// archiveCmd writes one customer's archive — the zip GET
// /api/v1/customers/{id}/archive streams — to a new file, reading the
// store directly as one of its users (service.Act): that user's role and
// scope decide, as over HTTP. The zip is written to FILE.part and renamed
// to FILE only once complete, so FILE is never half an archive.
func archiveCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	who := actorFlags(fs, getenv, "the archive is made")
	customer := fs.String("customer", "", "the customer's `code` (or id)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: custreg archive --customer CODE_OR_ID [--db DSN] [--as EMAIL] FILE\n\n"+
			"Writes everything custreg holds about the customer as one zip FILE (docs/operations.md, \"A customer's data\").\n\n")
		fs.PrintDefaults()
	}
	// The flags may come before or after FILE.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fs.Usage()
		return fmt.Errorf("archive takes one FILE, got %d", len(files))
	}
	file := files[0]
	if *customer == "" {
		return errors.New("archive: say which customer: --customer CODE_OR_ID")
	}
	if err := who.check(); err != nil {
		return err
	}
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("archive: %s exists; choose a new file", file)
	}
	svc, actx, closeStore, err := who.act(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	id, err := who.customerByCode(actx, svc, *customer)
	if err != nil {
		return err
	}

	err = writeNew("archive", file, func(w io.Writer) error {
		return svc.ArchiveCustomer(actx, id, func(domain.Customer, time.Time) (io.Writer, error) { return w, nil })
	})
	if err != nil {
		return err
	}
	m, err := readManifest(file)
	if err != nil {
		return fmt.Errorf("archive: %s was written but does not read back: %w", file, err)
	}
	var parts []string
	for _, fi := range m.Files {
		if fi.Records != nil && strings.HasSuffix(fi.Name, ".json") {
			parts = append(parts, fmt.Sprintf("%s %d", strings.TrimSuffix(fi.Name, ".json"), *fi.Records))
		}
	}
	abs, _ := filepath.Abs(file)
	fmt.Fprintf(stdout, "archived customer %s (%s) to %s: %s\n", m.Customer.Code, m.Customer.ID, abs, strings.Join(parts, ", "))
	return nil
}

// readManifest reads the manifest of a finished archive: it checks that the
// file is a whole zip.
func readManifest(file string) (archive.Manifest, error) {
	var m archive.Manifest
	zr, err := zip.OpenReader(file)
	if err != nil {
		return m, err
	}
	defer zr.Close()
	rc, err := zr.Open("manifest.json")
	if err != nil {
		return m, err
	}
	defer rc.Close()
	return m, json.NewDecoder(rc).Decode(&m)
}
