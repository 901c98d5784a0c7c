package service_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/report"
	"github.com/custreg/custreg/internal/service"
)

// hookWriter is a report.Writer that runs onSummary once, at the first
// summary row, and keeps what it is given.
type hookWriter struct {
	onSummary     func() error
	summary, rows [][]any
}

func (w *hookWriter) Start(report.Header) error { return nil }
func (w *hookWriter) Summary(v []any) error {
	w.summary = append(w.summary, v)
	if f := w.onSummary; f != nil {
		w.onSummary = nil
		return f()
	}
	return nil
}
func (w *hookWriter) Row(v []any) error { w.rows = append(w.rows, v); return nil }
func (w *hookWriter) Finish() error     { return nil }

// TestReportSnapshot: a report reads one snapshot. An asset committed
// while the Asset Inventory is being written (after its summary was read,
// before its rows) is in neither, so the summary's count and the rows
// agree; the next run has it.
func TestReportSnapshot(t *testing.T) {
	forEachStore(t, func(t *testing.T, kind string) {
		svc, _ := newService(t, kind)
		org, _ := orgAdmin(t, svc, service.FirstStart{})
		c, err := createCustomer(svc, org, domain.CustomerInput{Name: "Snapco", Code: "SNAP"})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := svc.CreateAsset(org, domain.AssetInput{Name: fmt.Sprintf("Before %d", i), Class: domain.AssetIT, CustomerID: c.ID}); err != nil {
				t.Fatal(err)
			}
		}
		run := func(onSummary func() error) *hookWriter {
			t.Helper()
			w := &hookWriter{onSummary: onSummary}
			if err := svc.RunReport(org, domain.ReportAssetInventory, "", service.ReportOptions{}, w); err != nil {
				t.Fatal(err)
			}
			return w
		}
		counted := func(w *hookWriter) int64 {
			var n int64
			for _, s := range w.summary {
				n += s[len(s)-1].(int64)
			}
			return n
		}
		w := run(func() error {
			_, err := svc.CreateAsset(org, domain.AssetInput{Name: "Written meanwhile", Class: domain.AssetIT, CustomerID: c.ID})
			return err
		})
		if counted(w) != 3 || len(w.rows) != 3 {
			t.Errorf("the report counts %d assets in its summary and lists %d, want the 3 of its moment in both", counted(w), len(w.rows))
		}
		for _, r := range w.rows {
			if strings.Contains(fmt.Sprint(r...), "Written meanwhile") {
				t.Errorf("the report lists the asset written while it was read: %v", r)
			}
		}
		if w = run(nil); counted(w) != 4 || len(w.rows) != 4 {
			t.Errorf("the next report counts %d and lists %d, want 4", counted(w), len(w.rows))
		}
	})
}
