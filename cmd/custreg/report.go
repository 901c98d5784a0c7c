package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/service"
)

// reportCmd runs a report on the store directly, as a user of it, and
// writes it to a file or stdout: the same report, scope and formats as GET
// /api/v1/reports/{key}.
func reportCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	who := actorFlags(fs, getenv, "the report runs")
	code := fs.String("customer", "", "the `code` of one customer; all customers when empty (organization users only)")
	format := fs.String("format", "csv", "csv, json or pdf")
	out := fs.String("o", "", "write to `FILE` instead of stdout")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: custreg report [flags] KEY\n\nKEY is one of %s.\n\n", strings.Join(domain.CatalogKeys(domain.Reports), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("report takes one KEY")
	}
	if err := who.check(); err != nil {
		return err
	}
	var rw func(io.Writer) report.Writer
	switch *format {
	case "csv":
		rw = func(w io.Writer) report.Writer { return report.NewCSV(w) }
	case "json":
		rw = func(w io.Writer) report.Writer { return report.NewJSON(w) }
	case "pdf":
		rw = func(w io.Writer) report.Writer { return report.NewPDF(w) }
	default:
		return fmt.Errorf("report: format %q is not csv, json or pdf", *format)
	}
	svc, actx, closeStore, err := who.act(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	customerID := ""
	if *code != "" {
		if customerID, err = who.customerByCode(actx, svc, *code); err != nil {
			return err
		}
	}
	run := func(dst io.Writer) error {
		w := rw(dst)
		if err := svc.RunReport(actx, fs.Arg(0), customerID, service.ReportOptions{Logo: *format == "pdf"}, w); err != nil {
			return err
		}
		return w.Finish()
	}
	if *out != "" {
		return writeNew("report", *out, run)
	}
	bw := bufio.NewWriter(stdout)
	if err := run(bw); err != nil {
		return err
	}
	return bw.Flush()
}
