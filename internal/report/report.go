// Package report writes the reports the service runs (API.md "Reports") as
// JSON, CSV or PDF. A Writer is handed the report's header, then its rows
// one at a time as the store's cursor yields them: JSON and CSV write each
// row on as it comes, so a report of any size streams through a small
// buffer; PDF, which go-pdf/fpdf builds in memory, holds at most
// PDFMaxRows rows and says how many it left out.
package report

import (
	"io"
	"strconv"
	"time"
)

// Column is one column of a report.
type Column struct {
	// Key names the column in JSON rows and the CSV header.
	Key string `json:"key"`
	// Title heads the column in the PDF and the web preview.
	Title string `json:"title"`
	// Type is the JSON type of the column's values: "string", "integer"
	// or "boolean"; any value may also be null.
	Type string `json:"type"`
	// Width is the column's share of the PDF table's width; 0 leaves it
	// out of the PDF (JSON and CSV carry every column).
	Width float64 `json:"-"`
	// Labels are the words people read for the column's keys ("it" → "IT
	// asset") in the PDF and the web preview; JSON and CSV keep the keys.
	Labels map[string]string `json:"-"`
}

// Show renders a value of the column as people read it: its label, if it
// has one, else as Text does.
func (c Column) Show(v any) string {
	if s, ok := v.(string); ok {
		if l, ok := c.Labels[s]; ok {
			return l
		}
	}
	return Text(v)
}

// Column types.
const (
	String  = "string"
	Integer = "integer"
	Boolean = "boolean"
)

// Image is a picture a PDF report carries: the customer's full logo.
type Image struct {
	Format string // "png" or "jpeg"
	Data   []byte
}

// Header says what a report is, before its first row.
type Header struct {
	Key   string // catalog key
	Title string // catalog name
	// Customer* name the one customer the report covers; all "" when it
	// covers every customer in the caller's scope.
	CustomerID, CustomerName, CustomerCode string
	GeneratedAt                            time.Time
	Columns                                []Column
	// SummaryTitle and SummaryColumns describe the summary rows that come
	// before the detail rows; nil SummaryColumns for none.
	SummaryTitle   string
	SummaryColumns []Column
	// Logo is the customer's full logo for the PDF, nil for none.
	Logo *Image
}

// All reports whether the report covers every customer in scope.
func (h Header) All() bool { return h.CustomerID == "" }

// ScopeText describes the scope in words.
func (h Header) ScopeText() string {
	if h.All() {
		return "All customers"
	}
	if h.CustomerCode == "" {
		return "Customer: " + h.CustomerName
	}
	return "Customer: " + h.CustomerName + " (" + h.CustomerCode + ")"
}

// Writer receives a report: Start once, then Summary rows, then Row rows,
// each a value per column (string, int64, bool or nil), then Finish. An
// error from any of them ends the run.
type Writer interface {
	Start(Header) error
	Summary(values []any) error
	Row(values []any) error
	Finish() error
}

// Flusher is implemented by destinations that can pass on what was
// written so far (an HTTP response): writers call it every FlushEvery rows.
type Flusher interface{ Flush() error }

// FlushEvery is how many rows JSON and CSV write between flushes.
const FlushEvery = 1000

func flush(w io.Writer) error {
	if f, ok := w.(Flusher); ok {
		return f.Flush()
	}
	return nil
}

// text renders a value as text for CSV, PDF and HTML: integers in decimal,
// booleans as true/false, null as "".
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	panic("report: unsupported value type")
}

// Text renders a value as people read it (the PDF, the web preview):
// booleans as Yes/No, null as a dash.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return "Yes"
		}
		return "No"
	}
	return text(v)
}

// Filename is the attachment name of a report: key, customer code (or
// "all") and the UTC date, with anything but letters, digits, '.', '_' and
// '-' replaced by '_' so that it is safe in a Content-Disposition header.
func Filename(h Header, ext string) string {
	who := "all"
	if !h.All() {
		who = h.CustomerCode
		if who == "" {
			who = h.CustomerID
		}
	}
	name := h.Key + "-" + who + "-" + h.GeneratedAt.UTC().Format("2006-01-02") + "." + ext
	b := []byte(name)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			b[i] = '_'
		}
	}
	return string(b)
}
