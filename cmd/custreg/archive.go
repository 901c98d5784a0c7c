package main

import (
	"archive/zip"
	"bufio"
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
	"github.com/custreg/custreg/internal/service"
)

// archiveCmd writes one customer's archive — the zip GET
// /api/v1/customers/{id}/archive streams — to a new file, reading the
// store directly as one of its users (service.Act): that user's role and
// scope decide, as over HTTP. The zip is written to FILE.part and renamed
// to FILE only once complete, so FILE is never half an archive.
func archiveCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := getenv("CUSTREG_DB")
	if def == "" {
		def = "custreg.db"
	}
	db := fs.String("db", def, "`DSN` of the store: postgres:// URL or SQLite file path (env CUSTREG_DB)")
	as := fs.String("as", getenv("CUSTREG_ADMIN_EMAIL"), "the `email` of the active user the archive is made as: its role and scope apply (env CUSTREG_ADMIN_EMAIL)")
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
	if *as == "" {
		return errors.New("archive: say whom it is made as: --as EMAIL (or CUSTREG_ADMIN_EMAIL)")
	}
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("archive: %s exists; choose a new file", file)
	}
	st, err := openStore(ctx, *db, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := service.New(st, service.Options{})
	actx, err := svc.Act(ctx, *as)
	if err != nil {
		return err
	}
	id, err := customerByCode(actx, svc, *customer)
	if err != nil {
		return err
	}

	part := file + ".part"
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = svc.ArchiveCustomer(actx, id, func(domain.Customer, time.Time) (io.Writer, error) { return bw, nil })
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
			err = fmt.Errorf("archive: %s appeared while the archive was written; it is left as it was", file)
		}
	}
	if err == nil {
		err = os.Rename(part, file)
	}
	if err != nil {
		_ = os.Remove(part)
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

// customerByCode finds the live customer whose code (folded) is ref, or
// whose id it is, as the caller in ctx sees customers.
func customerByCode(ctx context.Context, svc *service.Service, ref string) (string, error) {
	page, err := svc.ListCustomers(ctx, domain.CustomerFilter{Limit: 2, Where: &domain.Filter{Field: domain.FieldCode, Op: domain.OpEq, Value: ref}})
	if err != nil {
		return "", err
	}
	if len(page.Items) == 1 {
		return page.Items[0].ID, nil
	}
	c, err := svc.Customer(ctx, ref)
	if domain.ErrorCode(err) == domain.ENotFound {
		return "", fmt.Errorf("archive: no customer with code or id %q for this user", ref)
	}
	if err != nil {
		return "", err
	}
	return c.ID, nil
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
