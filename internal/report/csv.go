package report

import (
	"encoding/csv"
	"fmt"
	"io"
)

// CSV writes a report's rows as RFC 4180 CSV in UTF-8: a header row of the
// columns' keys, then one record per row, flushed every FlushEvery rows.
// Summary rows are left out (JSON and PDF carry them).
//
// Formula injection: a spreadsheet runs a cell that starts with =, +, -,
// @, a tab or a carriage return as a formula. As OWASP advises ("CSV
// Injection"), such a text cell is written with a leading single quote,
// which spreadsheets show as text; numbers and booleans are never quoted
// this way, so a negative count stays a number.
type CSV struct {
	w    *csv.Writer
	dst  io.Writer
	rec  []string
	rows int64
}

// NewCSV returns a CSV writer to w.
func NewCSV(w io.Writer) *CSV { return &CSV{w: csv.NewWriter(w), dst: w} }

// Start writes the header row.
func (c *CSV) Start(h Header) error {
	c.rec = make([]string, len(h.Columns))
	for i, col := range h.Columns {
		c.rec[i] = col.Key
	}
	return c.w.Write(c.rec)
}

// Summary ignores summary rows.
func (c *CSV) Summary([]any) error { return nil }

// Row writes one record.
func (c *CSV) Row(values []any) error {
	if len(values) != len(c.rec) {
		return fmt.Errorf("report: %d values for %d columns", len(values), len(c.rec))
	}
	for i, v := range values {
		if s, ok := v.(string); ok {
			c.rec[i] = CSVCell(s)
		} else {
			c.rec[i] = text(v)
		}
	}
	if err := c.w.Write(c.rec); err != nil {
		return err
	}
	c.rows++
	if c.rows%FlushEvery == 0 {
		return c.flush()
	}
	return nil
}

func (c *CSV) flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return flush(c.dst)
}

// Finish flushes what is left.
func (c *CSV) Finish() error { return c.flush() }

// CSVCell guards a text cell against formula injection: one that starts
// with =, +, -, @, tab or carriage return gets a leading single quote.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
