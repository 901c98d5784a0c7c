package sqlstore

import (
	"strings"

	"github.com/custreg/custreg/internal/domain"
)

// filterColumns maps filter fields to the folded key columns of customers
// (aliased c).
var filterColumns = map[string]string{
	domain.FieldName: "name_key",
	domain.FieldCode: "code_key",
}

// EscapeLike escapes LIKE's wildcards so that %, _ and \ in a search are
// literal characters; patterns use ESCAPE '\'.
func EscapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// LikeContains is the portable substring condition on a key column.
func LikeContains(column, folded string) (string, []any) {
	return `c.` + column + ` LIKE ? ESCAPE '\'`, []any{"%" + EscapeLike(folded) + "%"}
}

// compileFilter turns a validated filter tree into a SQL condition over
// customers (aliased c). Values are folded like the keys they compare with,
// so every comparison is case-insensitive.
func (t *tx) compileFilter(f domain.Filter) (string, []any) {
	if v, ok := searchValue(f); ok && t.db.d.ContainsAny != nil {
		return t.db.d.ContainsAny([]string{"name_key", "code_key"}, domain.Fold(v))
	}
	if f.IsGroup() {
		sep := " AND "
		if f.Op == domain.OpOr {
			sep = " OR "
		}
		parts := make([]string, len(f.Conditions))
		var args []any
		for i, c := range f.Conditions {
			q, a := t.compileFilter(c)
			parts[i] = q
			args = append(args, a...)
		}
		return "(" + strings.Join(parts, sep) + ")", args
	}
	col := filterColumns[f.Field]
	switch f.Op {
	case domain.OpEq:
		return `c.` + col + ` = ?`, []any{domain.Fold(f.Value)}
	case domain.OpNeq:
		return `c.` + col + ` <> ?`, []any{domain.Fold(f.Value)}
	case domain.OpIn, domain.OpNotIn:
		args := make([]any, len(f.Values))
		for i, v := range f.Values {
			args[i] = domain.Fold(v)
		}
		not := ""
		if f.Op == domain.OpNotIn {
			not = "NOT "
		}
		return `c.` + col + ` ` + not + `IN (` + placeholders(len(args)) + `)`, args
	case domain.OpContains:
		return t.db.d.Contains(col, domain.Fold(f.Value))
	case domain.OpNotContains:
		// Most rows match a negation: tested row by row where the dialect
		// has a form for that.
		notContains := t.db.d.Contains
		if t.db.d.ContainsScan != nil {
			notContains = t.db.d.ContainsScan
		}
		q, args := notContains(col, domain.Fold(f.Value))
		return `NOT (` + q + `)`, args
	}
	// Filters are validated before they reach the store.
	panic("sqlstore: unvalidated filter op " + f.Op)
}

// searchValue recognises the search box's filter, "name contains v OR code
// contains v", which a dialect may answer with one index lookup.
func searchValue(f domain.Filter) (string, bool) {
	if f.Op != domain.OpOr || len(f.Conditions) != 2 {
		return "", false
	}
	a, b := f.Conditions[0], f.Conditions[1]
	if a.Op != domain.OpContains || b.Op != domain.OpContains || a.Value != b.Value {
		return "", false
	}
	if (a.Field == domain.FieldName && b.Field == domain.FieldCode) || (a.Field == domain.FieldCode && b.Field == domain.FieldName) {
		return a.Value, true
	}
	return "", false
}
