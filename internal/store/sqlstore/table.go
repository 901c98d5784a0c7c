package sqlstore

import (
	"fmt"
	"strings"
	"time"

	"github.com/custreg/custreg/internal/domain"
)

// A record's table is declared once, as the list of its columns: the
// SELECT list, the scan into the record, the INSERT's columns and values
// and the UPDATE's SET list all come from that one list, so that a new
// column is one entry (docs/architecture.md, "Adding a field").

// writes says which statements write a column.
type writes uint8

const (
	readOnly writes = 0
	onInsert writes = 1 << (iota - 1)
	onUpdate
	always = onInsert | onUpdate
)

// column is one column of a table holding records of type T.
type column[T any] struct {
	name string
	// dest is where a SELECT's value of the column goes in r; nil for a
	// column that is written only (a folded key).
	dest func(r *T) any
	// value is what INSERT and UPDATE write; nil for one never written.
	value  func(t *tx, r *T) any
	writes writes
}

// table is a record type's table and its columns, with the statements'
// column lists built once.
type table[T any] struct {
	name, alias string
	cols        []column[T]

	read    []column[T] // selected, in order
	insert  []column[T]
	update  []column[T]
	columns string // the SELECT list, qualified by alias
	insertQ string // INSERT INTO name (...) VALUES
	rowQ    string // (?, ?, …) for one row
	setQ    string // UPDATE name AS alias SET a = ?, …
}

func newTable[T any](name, alias string, groups ...[]column[T]) *table[T] {
	tb := &table[T]{name: name, alias: alias}
	for _, g := range groups {
		tb.cols = append(tb.cols, g...)
	}
	var sel, ins, set []string
	for _, c := range tb.cols {
		if c.dest != nil {
			tb.read = append(tb.read, c)
			sel = append(sel, alias+"."+c.name)
		}
		if c.writes&onInsert != 0 {
			tb.insert = append(tb.insert, c)
			ins = append(ins, c.name)
		}
		if c.writes&onUpdate != 0 {
			tb.update = append(tb.update, c)
			set = append(set, c.name+" = ?")
		}
	}
	tb.columns = strings.Join(sel, ", ")
	tb.insertQ = `INSERT INTO ` + name + ` (` + strings.Join(ins, ", ") + `) VALUES `
	tb.rowQ = `(` + placeholders(len(ins)) + `)`
	tb.setQ = `UPDATE ` + name + ` AS ` + alias + ` SET ` + strings.Join(set, ", ")
	return tb
}

// scan reads one row of the SELECT list, and after it the extra
// destinations, into a new record.
func (tb *table[T]) scan(s scanner, extra ...any) (T, error) {
	var r T
	dest := make([]any, len(tb.read), len(tb.read)+len(extra))
	for i, c := range tb.read {
		dest[i] = c.dest(&r)
	}
	err := s.Scan(append(dest, extra...)...)
	return r, err
}

// insertRows is one INSERT of every record of rs.
func (tb *table[T]) insertRows(t *tx, rs ...T) statement {
	var b strings.Builder
	b.WriteString(tb.insertQ)
	args := make([]any, 0, len(rs)*len(tb.insert))
	for i := range rs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tb.rowQ)
		for _, c := range tb.insert {
			args = append(args, c.value(t, &rs[i]))
		}
	}
	return statement{b.String(), args}
}

// set is the UPDATE of r's written columns, and their values; the caller
// appends the WHERE that guards it.
func (tb *table[T]) set(t *tx, r T) (string, []any) {
	args := make([]any, len(tb.update))
	for i, c := range tb.update {
		args[i] = c.value(t, &r)
	}
	return tb.setQ, args
}

// The kinds of column. Each takes the column's name, which statements
// write it, and where its value lives in the record.

// str is a NOT NULL text column.
func str[T any](name string, w writes, f func(*T) *string) column[T] {
	return column[T]{name: name, writes: w, dest: func(r *T) any { return f(r) }, value: func(_ *tx, r *T) any { return *f(r) }}
}

// text is optional text: "" is stored as NULL and NULL read as "".
func text[T any](name string, w writes, f func(*T) *string) column[T] {
	return column[T]{name: name, writes: w, dest: func(r *T) any { return nullText{f(r)} }, value: func(_ *tx, r *T) any { return nullString(*f(r)) }}
}

func boolean[T any](name string, w writes, f func(*T) *bool) column[T] {
	return column[T]{name: name, writes: w, dest: func(r *T) any { return f(r) }, value: func(_ *tx, r *T) any { return *f(r) }}
}

func integer[T any](name string, w writes, f func(*T) *int64) column[T] {
	return column[T]{name: name, writes: w, dest: func(r *T) any { return f(r) }, value: func(_ *tx, r *T) any { return *f(r) }}
}

// timestamp is a NOT NULL time in the dialect's form.
func timestamp[T any](name string, w writes, f func(*T) *time.Time) column[T] {
	return column[T]{name: name, writes: w, dest: func(r *T) any { return timeDest{f(r)} }, value: func(t *tx, r *T) any { return t.time(*f(r)) }}
}

// deletedAt is the time a record went to trash, NULL while it is live. No
// record write sets it: trashing and restoring are statements of their own.
func deletedAt[T any](f func(*T) **time.Time) column[T] {
	return column[T]{name: "deleted_at", dest: func(r *T) any { return nullTimeDest{f(r)} }}
}

// key is a column derived from the record and written only: the folded
// name or code that uniqueness and search use. Optional keys are NULL
// when empty.
func key[T any](name string, optional bool, f func(*T) string) column[T] {
	return column[T]{name: name, writes: always, value: func(_ *tx, r *T) any {
		if optional {
			return nullString(f(r))
		}
		return f(r)
	}}
}

// keyList is a list of catalog keys stored comma-separated (migration
// 00014).
func keyList[T any](name string, w writes, f func(*T) *[]string) column[T] {
	return column[T]{name: name, writes: w, dest: func(r *T) any { return keysDest{f(r)} }, value: func(_ *tx, r *T) any { return strings.Join(*f(r), ",") }}
}

// location is the location block's columns (SPEC §2), each optional text.
func location[T any](f func(*T) *domain.Location) []column[T] {
	field := func(name string, g func(*domain.Location) *string) column[T] {
		return text(name, always, func(r *T) *string { return g(f(r)) })
	}
	return []column[T]{
		field("location_name", func(l *domain.Location) *string { return &l.Name }),
		field("country", func(l *domain.Location) *string { return &l.Country }),
		field("region", func(l *domain.Location) *string { return &l.Region }),
		field("state", func(l *domain.Location) *string { return &l.State }),
		field("district", func(l *domain.Location) *string { return &l.District }),
		field("city", func(l *domain.Location) *string { return &l.City }),
		field("pin_code", func(l *domain.Location) *string { return &l.PinCode }),
		field("landmark", func(l *domain.Location) *string { return &l.Landmark }),
		field("address_line1", func(l *domain.Location) *string { return &l.AddressLine1 }),
		field("address_line2", func(l *domain.Location) *string { return &l.AddressLine2 }),
	}
}

// The scan destinations of the kinds above. Each holds one pointer into
// the record, so it goes into an interface value without an allocation.

// nullText scans optional text: NULL is "".
type nullText struct{ p *string }

func (d nullText) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.p = ""
	case string:
		*d.p = x
	case []byte:
		*d.p = string(x)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into text", v)
	}
	return nil
}

// timeDest scans a NOT NULL time (dbTime's forms).
type timeDest struct{ p *time.Time }

func (d timeDest) Scan(v any) error {
	var t dbTime
	if err := t.Scan(v); err != nil {
		return err
	}
	*d.p = t.T
	return nil
}

// nullTimeDest scans an optional time: NULL is nil.
type nullTimeDest struct{ p **time.Time }

func (d nullTimeDest) Scan(v any) error {
	var t dbTime
	if err := t.Scan(v); err != nil {
		return err
	}
	*d.p = t.ptr()
	return nil
}

// keysDest scans a comma-separated key list; "" is an empty list.
type keysDest struct{ p *[]string }

func (d keysDest) Scan(v any) error {
	var s string
	if err := (nullText{&s}).Scan(v); err != nil {
		return err
	}
	*d.p = splitKeys(s)
	return nil
}
