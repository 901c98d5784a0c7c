package web

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
)

// The customer list's URL is the API's list query (package listquery), so
// /customers?q=air&name.contains=tel&sort=-name means what
// /api/v1/customers?… means, and a view can be bookmarked and shared.
//
// The page shows the query as a person edits it: the search box, the sort,
// and the conditions as chips and as rows of the filter panel. Conditions
// come from the field.op parameters and from a `filter` tree that is a plain
// AND of conditions; a tree with OR groups (from the API or a saved link)
// cannot be edited in the panel and shows as one chip.
//
// Without JavaScript the panel is part of a GET form whose rows are named
// f[i].field, f[i].op, f[i].value; the page reads them, and answers with a
// redirect to the canonical URL. The script builds the canonical parameters
// itself and fetches only the results.

// fieldLabels and opLabels are the words of the seed (UI.md) for the
// filter's fields and conditions.
var (
	fieldLabels = map[string]string{domain.FieldName: "Customer Name", domain.FieldCode: "Customer Code"}
	opLabels    = map[string]string{
		domain.OpIn: "in", domain.OpNotIn: "not in", domain.OpEq: "equal to",
		domain.OpNeq: "not equal to", domain.OpContains: "contains", domain.OpNotContains: "not contains",
	}
)

// sortOptions are the orders the sort select offers.
var sortOptions = []struct {
	Sort  domain.CustomerSort
	Label string
}{
	{domain.SortNameAsc, "Name A–Z"},
	{domain.SortNameDesc, "Name Z–A"},
	{domain.SortCodeAsc, "Code A–Z"},
	{domain.SortCodeDesc, "Code Z–A"},
	{domain.SortCreatedAtDesc, "Newest"},
	{domain.SortCreatedAtAsc, "Oldest"},
}

// listState is the list's query as the page shows it.
type listState struct {
	Q     string
	Conds []domain.Filter // editable conditions, in order
	// Advanced is a filter tree the panel cannot show as rows.
	Advanced *domain.Filter
	Sort     domain.CustomerSort
	Limit    int
	Cursor   *domain.Cursor
}

// stateOf reads a parsed query.
func stateOf(q listquery.Query) listState {
	s := listState{Q: q.Q, Conds: slices.Clone(q.Conditions), Sort: q.Sort, Limit: q.Limit, Cursor: q.Cursor}
	if s.Sort == "" {
		s.Sort = domain.SortNameAsc
	}
	if t := q.Tree; t != nil {
		switch {
		case !t.IsGroup():
			s.Conds = append(s.Conds, *t)
		case t.Op == domain.OpAnd && !slices.ContainsFunc(t.Conditions, domain.Filter.IsGroup):
			s.Conds = append(s.Conds, t.Conditions...)
		default:
			s.Advanced = t
		}
	}
	return s
}

// query encodes s as the API's query: each condition as a field.op
// parameter while no two share one (a repeated in/not_in parameter would
// merge their values, a repeated eq would be refused), else all of them as
// a filter tree.
func (s listState) query() listquery.Query {
	q := listquery.Query{Q: s.Q, Sort: s.Sort, Limit: s.Limit, Cursor: s.Cursor}
	seen := map[string]bool{}
	dup := false
	for _, c := range s.Conds {
		k := c.Field + "." + c.Op
		dup = dup || seen[k]
		seen[k] = true
	}
	if !dup {
		q.Conditions = s.Conds
		q.Tree = s.Advanced
		return q
	}
	all := make([]*domain.Filter, 0, len(s.Conds)+1)
	all = append(all, s.Advanced)
	for i := range s.Conds {
		all = append(all, &s.Conds[i])
	}
	q.Tree = domain.And(all...)
	return q
}

// url returns the page's URL for s, without limit and cursor.
func (s listState) url() string {
	enc := s.query().Values().Encode()
	if enc == "" {
		return "/customers"
	}
	return "/customers?" + enc
}

// filtered reports whether s narrows the list.
func (s listState) filtered() bool { return s.Q != "" || len(s.Conds) > 0 || s.Advanced != nil }

// isBuilderForm reports whether v comes from the filter panel's GET form,
// which the script never sends.
func isBuilderForm(v url.Values) bool {
	for k := range v {
		if strings.HasPrefix(k, "f[") || k == "clear" || k == "remove_row" {
			return true
		}
	}
	return false
}

// builderState reads the filter panel's GET form. The rows replace the
// conditions (the panel shows all of them); an in / not in row takes its
// values separated by commas; a row without a value is left out.
func builderState(v url.Values) (listState, error) {
	s := listState{Q: domain.CleanText(v.Get("q")), Sort: domain.CustomerSort(v.Get("sort"))}
	if s.Sort == "" {
		s.Sort = domain.SortNameAsc
	}
	if !s.Sort.Valid() {
		return s, domain.Errorf(domain.EBadRequest, "Unknown sort %q: use name, -name, code, -code, created_at or -created_at.", v.Get("sort"))
	}
	if t := v.Get("filter"); t != "" {
		f, err := domain.ParseFilter(t)
		if err != nil {
			return s, err
		}
		s.Advanced = &f
	}
	rows := map[int]bool{}
	for k := range v {
		rest, ok := strings.CutPrefix(k, "f[")
		if !ok {
			continue
		}
		num, _, ok := strings.Cut(rest, "]")
		i, err := strconv.Atoi(num)
		if !ok || err != nil || i < 0 || i >= domain.MaxFilterConditions*2 {
			return s, domain.Errorf(domain.EBadRequest, "The filter form could not be read; open the customer list again.")
		}
		rows[i] = true
	}
	idx := make([]int, 0, len(rows))
	for i := range rows {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	removed := -1
	if r := v.Get("remove_row"); r != "" {
		removed, _ = strconv.Atoi(r)
	}
	for _, i := range idx {
		if i == removed {
			continue
		}
		p := "f[" + strconv.Itoa(i) + "]."
		c := domain.Filter{Field: v.Get(p + "field"), Op: v.Get(p + "op")}
		var vals []string
		for _, x := range v[p+"value"] {
			if c.Multi() {
				vals = append(vals, strings.Split(x, ",")...)
			} else {
				vals = append(vals, x)
			}
		}
		vals = slices.DeleteFunc(vals, func(x string) bool { return domain.CleanText(x) == "" })
		if len(vals) == 0 {
			continue
		}
		if c.Multi() {
			c.Values = vals
		} else {
			c.Value = vals[0]
		}
		valid, err := c.Validate("Condition " + strconv.Itoa(len(s.Conds)+1))
		if err != nil {
			return s, err
		}
		s.Conds = append(s.Conds, valid)
	}
	if v.Get("clear") != "" {
		s.Conds, s.Advanced = nil, nil
	}
	// The combined query must be one the list accepts.
	if _, err := listquery.Parse(s.query().Values()); err != nil {
		return s, err
	}
	return s, nil
}

// chipView is one applied condition above the cards.
type chipView struct {
	Field, Op, Value string
	Label            string // the whole condition in words
	RemoveURL        string
}

// filterRow is one row of the filter panel.
type filterRow struct {
	Index        int
	FieldOptions []option
	OpOptions    []option
	Value        string // what the text input shows
	ValuesJSON   string // the values of in / not in, for the script's chips
	Multi        bool
}

// Num is the row's 1-based number.
func (r filterRow) Num() int { return r.Index + 1 }

func newFilterRow(i int, c domain.Filter) filterRow {
	if c.Field == "" {
		c.Field = domain.FieldName
	}
	if c.Op == "" {
		c.Op = domain.OpContains
	}
	r := filterRow{Index: i, Multi: c.Multi()}
	for _, f := range domain.FilterFields {
		r.FieldOptions = append(r.FieldOptions, option{Value: f, Label: fieldLabels[f], Selected: f == c.Field})
	}
	for _, o := range domain.FilterOps {
		r.OpOptions = append(r.OpOptions, option{Value: o, Label: opLabels[o], Selected: o == c.Op})
	}
	if c.Multi() {
		r.Value = strings.Join(c.Values, ", ")
		b, _ := json.Marshal(c.Values)
		r.ValuesJSON = string(b)
	} else {
		r.Value = c.Value
	}
	return r
}

// conditionWords returns a condition in words: "Customer Name contains tel".
func conditionWords(c domain.Filter) (field, op, value string) {
	value = c.Value
	if c.Multi() {
		value = strings.Join(c.Values, ", ")
	}
	return fieldLabels[c.Field], opLabels[c.Op], value
}

// listControls fills the toolbar, the panel and the chips of v from s.
func (v *customersView) listControls(s listState) {
	if s.Sort == "" {
		s.Sort = domain.SortNameAsc
	}
	v.Search = s.Q
	v.URL = s.url()
	v.Filtered = s.filtered()
	v.CondCount = len(s.Conds)
	for _, o := range sortOptions {
		v.SortOptions = append(v.SortOptions, option{Value: string(o.Sort), Label: o.Label, Selected: o.Sort == s.Sort})
	}
	for i, c := range s.Conds {
		field, op, value := conditionWords(c)
		rest := s
		rest.Cursor, rest.Limit = nil, 0
		rest.Conds = slices.Delete(slices.Clone(s.Conds), i, i+1)
		v.Chips = append(v.Chips, chipView{Field: field, Op: op, Value: value,
			Label: field + " " + op + " " + value, RemoveURL: rest.url()})
		v.Rows = append(v.Rows, newFilterRow(i, c))
	}
	if s.Advanced != nil {
		v.CondCount++
		b, _ := json.Marshal(s.Advanced)
		v.Advanced = string(b)
		rest := s
		rest.Cursor, rest.Limit, rest.Advanced = nil, 0, nil
		v.Chips = append(v.Chips, chipView{Field: "Advanced filter", Label: "Advanced filter (AND / OR groups from a link)",
			Value: "AND / OR groups", RemoveURL: rest.url()})
	}
	// One empty row to add a condition to (the script adds more).
	v.Rows = append(v.Rows, newFilterRow(len(v.Rows), domain.Filter{}))
	v.BlankRow = newFilterRow(0, domain.Filter{})
	clear := listState{Sort: s.Sort}
	v.ClearURL = clear.url()
}
