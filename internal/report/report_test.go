package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

var testCols = []Column{
	{Key: "name", Title: "Name", Type: String, Width: 40},
	{Key: "count", Title: "Count", Type: Integer, Width: 10},
	{Key: "on", Title: "On", Type: Boolean, Width: 10},
	{Key: "note", Title: "Note", Type: String},
}

func testHeader(summary bool) Header {
	h := Header{Key: "things", Title: "Things", CustomerID: "c1", CustomerName: "Ünïcode Straße", CustomerCode: "UNI",
		GeneratedAt: time.Date(2026, 12, 2, 6, 30, 0, 0, time.UTC), Columns: testCols}
	if summary {
		h.SummaryTitle, h.SummaryColumns = "By kind", []Column{{Key: "kind", Title: "Kind", Type: String, Width: 1}, {Key: "n", Title: "N", Type: Integer, Width: 1}}
	}
	return h
}

func run(t *testing.T, w Writer, h Header, summary, rows int) {
	t.Helper()
	if err := w.Start(h); err != nil {
		t.Fatal(err)
	}
	for i := range summary {
		if err := w.Summary([]any{fmt.Sprint("kind ", i), int64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range rows {
		if err := w.Row([]any{fmt.Sprintf("row %05d — ünï", i), int64(i - 1), i%2 == 0, nil}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
}

func TestJSON(t *testing.T) {
	for _, tc := range []struct {
		summary      bool
		nSum, nRows  int
		wantSumField bool
	}{{false, 0, 0, false}, {false, 0, 2500, false}, {true, 0, 0, true}, {true, 3, 0, true}, {true, 3, 7, true}} {
		var b bytes.Buffer
		run(t, NewJSON(&b), testHeader(tc.summary), tc.nSum, tc.nRows)
		var doc map[string]any
		dec := json.NewDecoder(&b)
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil || dec.More() {
			t.Fatalf("%+v: not one document: %v: %s", tc, err, b.String())
		}
		rows := doc["rows"].([]any)
		if len(rows) != tc.nRows || doc["row_count"] != json.Number(fmt.Sprint(tc.nRows)) {
			t.Errorf("%+v: %d rows, row_count %v", tc, len(rows), doc["row_count"])
		}
		if _, ok := doc["summary"]; ok != tc.wantSumField {
			t.Errorf("%+v: summary present = %v", tc, ok)
		} else if ok && len(doc["summary"].([]any)) != tc.nSum {
			t.Errorf("%+v: summary %v", tc, doc["summary"])
		}
		if tc.nRows > 0 {
			r := rows[1].(map[string]any)
			if r["name"] != "row 00001 — ünï" || r["count"] != json.Number("0") || r["on"] != false || r["note"] != nil || len(r) != 4 {
				t.Errorf("%+v: row %v", tc, r)
			}
		}
		s := doc["scope"].(map[string]any)
		if s["all"] != false || s["customer_name"] != "Ünïcode Straße" || doc["generated_at"] != "2026-12-02T06:30:00Z" {
			t.Errorf("head %v", doc)
		}
	}
	// Members keep column order, row by row.
	var b bytes.Buffer
	run(t, NewJSON(&b), testHeader(false), 0, 1)
	if !strings.Contains(b.String(), `{"name":"row 00000 — ünï","count":-1,"on":true,"note":null}`) {
		t.Errorf("row not in column order: %s", b.String())
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "a=b": "a=b", " =x": " =x", "'quoted": "'quoted",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	w := NewCSV(&b)
	if err := w.Start(testHeader(true)); err != nil {
		t.Fatal(err)
	}
	_ = w.Summary([]any{"k", int64(1)})
	rows := [][]any{{"=cmd|' /C calc'!A0", int64(-5), true, "-@x"}, {"ok, \"quoted\"\nline", int64(0), false, nil}}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"name", "count", "on", "note"}, {"'=cmd|' /C calc'!A0", "-5", "true", "'-@x"}, {"ok, \"quoted\"\nline", "0", "false", ""}}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Errorf("CSV = %q, want %q", recs, want)
	}
	if err := w.Row([]any{"short"}); err == nil {
		t.Error("a row of the wrong width was written")
	}
}

func pages(b []byte) int { return len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(b, -1)) }

func pdfOf(t *testing.T, h Header, summary, rows int) []byte {
	t.Helper()
	var b bytes.Buffer
	run(t, NewPDF(&b), h, summary, rows)
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-1.")) {
		t.Fatalf("not a PDF: %.20q", b.Bytes())
	}
	if dir := os.Getenv("CUSTREG_REPORT_PDF_DIR"); dir != "" {
		// For looking at: pdftoppm -png -r 60 file.pdf out
		_ = os.WriteFile(fmt.Sprintf("%s/report-%d-%d.pdf", dir, summary, rows), b.Bytes(), 0o644)
	}
	return b.Bytes()
}

// TestPDFBound: a PDF holds at most PDFMaxRows rows, so past it the page
// count stops growing, while below it pages follow the rows.
func TestPDFBound(t *testing.T) {
	h := testHeader(true)
	small := pages(pdfOf(t, h, 2, 10))
	mid := pages(pdfOf(t, h, 2, 400))
	full := pages(pdfOf(t, h, 2, PDFMaxRows))
	over := pages(pdfOf(t, h, 2, PDFMaxRows+3000))
	if small != 1 || mid <= small || full <= mid {
		t.Errorf("pages: 10 rows %d, 400 rows %d, %d rows %d", small, mid, PDFMaxRows, full)
	}
	if over < full || over > full+1 {
		t.Errorf("%d rows on %d pages, %d rows on %d: the bound does not hold", PDFMaxRows, full, PDFMaxRows+3000, over)
	}
	// Summary rows are bounded apart.
	sum := pages(pdfOf(t, h, PDFMaxRows+3000, 0))
	if sum < full || sum > full+1 {
		t.Errorf("%d summary rows on %d pages, want about %d", PDFMaxRows+3000, sum, full)
	}
	b := pdfOf(t, h, 0, 3)
	if !bytes.Contains(b, []byte("/FontFile2")) {
		t.Error("no embedded TrueType font")
	}
	// A title outside ASCII is stored as UTF-16 with its byte-order mark.
	if !bytes.Contains(b, []byte("/Title (\xfe\xff")) {
		t.Errorf("the title is not UTF-16: %q", b[bytes.Index(b, []byte("/Title")):][:40])
	}
	h.CustomerName = "Plain"
	if b := pdfOf(t, h, 0, 3); !bytes.Contains(b, []byte("/Title (Things - Customer: Plain \\(UNI\\))")) {
		t.Error("an ASCII title is not plain text")
	}
}

func TestFilename(t *testing.T) {
	h := testHeader(false)
	if got := Filename(h, "csv"); got != "things-UNI-2026-12-02.csv" {
		t.Errorf("Filename = %q", got)
	}
	h.CustomerCode = `A"B/C é`
	if got := Filename(h, "pdf"); got != "things-A_B_C___-2026-12-02.pdf" {
		t.Errorf("Filename = %q", got)
	}
	h.CustomerID = ""
	if got := Filename(h, "pdf"); got != "things-all-2026-12-02.pdf" {
		t.Errorf("Filename = %q", got)
	}
}

// TestColumnShow: the PDF and the preview show a column's label for a key,
// and anything else as Text does; JSON and CSV are not touched by labels.
func TestColumnShow(t *testing.T) {
	c := Column{Key: "class", Labels: map[string]string{"it": "IT asset"}}
	for v, want := range map[any]string{"it": "IT asset", "mobile": "mobile", nil: "—", true: "Yes", int64(3): "3"} {
		if got := c.Show(v); got != want {
			t.Errorf("Show(%v) = %q, want %q", v, got, want)
		}
	}
	if got := (Column{}).Show("it"); got != "it" {
		t.Errorf("a column without labels shows %q", got)
	}
}
