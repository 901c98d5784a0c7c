package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// JSON writes a report as one JSON document:
//
//	{"report": key, "title": ..., "scope": {...}, "generated_at": ...,
//	 "columns": [...], "summary_title": ..., "summary_columns": [...],
//	 "summary": [...], "rows": [...], "row_count": n}
//
// Each row is an object of the columns' keys, in column order, encoded on
// its own with encoding/json and written as it comes; "row_count" closes
// the document, so a reader can tell a complete one.
type JSON struct {
	w        *bufio.Writer
	dst      io.Writer
	h        Header
	started  bool
	summary  int64
	rows     int64
	inRows   bool
	sumOpen  bool
	finished bool
}

// NewJSON returns a JSON writer to w.
func NewJSON(w io.Writer) *JSON { return &JSON{w: bufio.NewWriterSize(w, 32<<10), dst: w} }

// JSONScope is the document's "scope".
type JSONScope struct {
	All          bool    `json:"all"`
	CustomerID   *string `json:"customer_id"`
	CustomerCode *string `json:"customer_code"`
	CustomerName *string `json:"customer_name"`
}

// JSONHead is what the document holds before its rows.
type JSONHead struct {
	Report         string    `json:"report"`
	Title          string    `json:"title"`
	Scope          JSONScope `json:"scope"`
	GeneratedAt    time.Time `json:"generated_at"`
	Columns        []Column  `json:"columns"`
	SummaryTitle   string    `json:"summary_title,omitempty"`
	SummaryColumns []Column  `json:"summary_columns,omitempty"`
}

// JSONDocument is the whole document as JSON writes it, member by member
// (it is never built whole; the OpenAPI tests hold its schema to it).
type JSONDocument struct {
	JSONHead
	Summary  []map[string]any `json:"summary,omitempty"`
	Rows     []map[string]any `json:"rows"`
	RowCount int64            `json:"row_count"`
}

// Start writes the document's head.
func (j *JSON) Start(h Header) error {
	j.h, j.started = h, true
	head := JSONHead{Report: h.Key, Title: h.Title, GeneratedAt: h.GeneratedAt.UTC(), Columns: h.Columns,
		SummaryTitle: h.SummaryTitle, SummaryColumns: h.SummaryColumns, Scope: JSONScope{All: h.All()}}
	if !h.All() {
		head.Scope.CustomerID, head.Scope.CustomerCode, head.Scope.CustomerName = &h.CustomerID, &h.CustomerCode, &h.CustomerName
	}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	// The head is an object: drop its closing brace to go on.
	_, err = j.w.Write(b[:len(b)-1])
	return err
}

// Summary writes one summary row.
func (j *JSON) Summary(values []any) error {
	sep := ","
	if !j.sumOpen {
		sep, j.sumOpen = `,"summary":[`, true
	}
	j.summary++
	return j.object(sep, j.h.SummaryColumns, values, j.summary)
}

// Row writes one row.
func (j *JSON) Row(values []any) error {
	sep := ","
	if !j.inRows {
		sep = j.closeSummary() + `,"rows":[`
		j.inRows = true
	}
	j.rows++
	return j.object(sep, j.h.Columns, values, j.rows)
}

func (j *JSON) closeSummary() string {
	if j.h.SummaryColumns == nil {
		return ""
	}
	if !j.sumOpen {
		j.sumOpen = true
		return `,"summary":[]`
	}
	return "]"
}

func (j *JSON) object(sep string, cols []Column, values []any, n int64) error {
	if len(values) != len(cols) {
		return fmt.Errorf("report: %d values for %d columns", len(values), len(cols))
	}
	if _, err := j.w.WriteString(sep + "{"); err != nil {
		return err
	}
	for i, c := range cols {
		if i > 0 {
			j.w.WriteByte(',')
		}
		k, _ := json.Marshal(c.Key)
		j.w.Write(k)
		j.w.WriteByte(':')
		v, err := json.Marshal(values[i])
		if err != nil {
			return err
		}
		if _, err := j.w.Write(v); err != nil {
			return err
		}
	}
	if err := j.w.WriteByte('}'); err != nil {
		return err
	}
	if n%FlushEvery == 0 {
		return j.flush()
	}
	return nil
}

func (j *JSON) flush() error {
	if err := j.w.Flush(); err != nil {
		return err
	}
	return flush(j.dst)
}

// Finish closes the document and flushes it.
func (j *JSON) Finish() error {
	if j.finished {
		return nil
	}
	j.finished = true
	tail := ""
	if !j.inRows {
		tail = j.closeSummary() + `,"rows":[`
	}
	tail += fmt.Sprintf(`],"row_count":%d}`+"\n", j.rows)
	if _, err := j.w.WriteString(tail); err != nil {
		return err
	}
	return j.flush()
}
