package domain

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Filter fields of the customer list (SPEC §5).
const (
	FieldName = "name"
	FieldCode = "code"
)

// Filter conditions (SPEC §5): in, not in, equal to, not equal to,
// contains, not contains. All compare case-insensitively.
const (
	OpEq          = "eq"
	OpNeq         = "neq"
	OpIn          = "in"
	OpNotIn       = "not_in"
	OpContains    = "contains"
	OpNotContains = "not_contains"
	// OpAnd and OpOr group conditions in a filter tree.
	OpAnd = "and"
	OpOr  = "or"
)

// FilterFields and FilterOps list what a condition may name, in the order
// the UI offers them.
var (
	FilterFields = []string{FieldName, FieldCode}
	FilterOps    = []string{OpIn, OpNotIn, OpEq, OpNeq, OpContains, OpNotContains}
)

// Bounds of a filter, so that no request can build an arbitrarily expensive
// query.
const (
	MaxFilterDepth      = 4
	MaxFilterConditions = 32
	MaxFilterValues     = 100
	MaxFilterValueLen   = 100
	MaxSearchLen        = 100
)

// Filter is a node of a filter tree: either a group (Op "and" or "or" over
// Conditions) or a condition on Field. Its JSON form is the `filter` query
// parameter of the customer list and what the UI's filter builder produces:
//
//	{"op":"and","conditions":[
//	  {"field":"name","op":"contains","value":"air"},
//	  {"op":"or","conditions":[
//	    {"field":"code","op":"in","values":["AIR001","AIR002"]},
//	    {"field":"code","op":"eq","value":"JIO"}]}]}
type Filter struct {
	Op         string   `json:"op"`
	Field      string   `json:"field,omitempty"`
	Value      string   `json:"value,omitempty"`
	Values     []string `json:"values,omitempty"`
	Conditions []Filter `json:"conditions,omitempty"`
}

// IsGroup reports whether f groups other conditions.
func (f Filter) IsGroup() bool { return f.Op == OpAnd || f.Op == OpOr }

// Multi reports whether the condition takes a list of values.
func (f Filter) Multi() bool { return f.Op == OpIn || f.Op == OpNotIn }

// And combines filters with AND, dropping nils; it returns nil for none.
func And(fs ...*Filter) *Filter {
	var conds []Filter
	for _, f := range fs {
		if f != nil {
			conds = append(conds, *f)
		}
	}
	switch len(conds) {
	case 0:
		return nil
	case 1:
		return &conds[0]
	}
	return &Filter{Op: OpAnd, Conditions: conds}
}

// Validate checks the tree and returns it cleaned (values trimmed, empty
// values dropped from lists). path names the parameter in errors.
func (f Filter) Validate(path string) (Filter, error) {
	count := 0
	out, err := f.validate(path, 1, &count)
	if err != nil {
		return Filter{}, &Error{Code: EBadRequest, Type: "bad-filter", Message: err.Error()}
	}
	return out, nil
}

type filterError string

func (e filterError) Error() string { return string(e) }

func (f Filter) validate(path string, depth int, count *int) (Filter, error) {
	if depth > MaxFilterDepth {
		return f, filterError(path + ": filters nest at most " + strconv.Itoa(MaxFilterDepth) + " levels deep.")
	}
	if f.IsGroup() {
		if f.Field != "" || f.Value != "" || len(f.Values) > 0 {
			return f, filterError(path + `: a group ("and"/"or") has only "conditions".`)
		}
		if len(f.Conditions) == 0 {
			return f, filterError(path + ": a group needs at least one condition.")
		}
		out := Filter{Op: f.Op, Conditions: make([]Filter, len(f.Conditions))}
		for i, c := range f.Conditions {
			v, err := c.validate(path+".conditions["+strconv.Itoa(i)+"]", depth+1, count)
			if err != nil {
				return f, err
			}
			out.Conditions[i] = v
		}
		return out, nil
	}
	*count++
	if *count > MaxFilterConditions {
		return f, filterError("A filter has at most " + strconv.Itoa(MaxFilterConditions) + " conditions.")
	}
	if f.Field != FieldName && f.Field != FieldCode {
		return f, filterError(path + ": unknown field " + strconv.Quote(f.Field) + "; use name or code.")
	}
	if !validOp(f.Op) {
		return f, filterError(path + ": unknown condition " + strconv.Quote(f.Op) + "; use eq, neq, in, not_in, contains or not_contains.")
	}
	if len(f.Conditions) > 0 {
		return f, filterError(path + ": only groups have conditions.")
	}
	out := Filter{Op: f.Op, Field: f.Field}
	if f.Multi() {
		if f.Value != "" {
			return f, filterError(path + `: "` + f.Op + `" takes "values", a list.`)
		}
		for _, v := range f.Values {
			if err := valueText(path, v); err != nil {
				return f, err
			}
			if v = CleanText(v); v != "" {
				out.Values = append(out.Values, v)
			}
		}
		if len(out.Values) == 0 {
			return f, filterError(path + `: "` + f.Op + `" needs at least one value.`)
		}
		if len(out.Values) > MaxFilterValues {
			return f, filterError(path + ": at most " + strconv.Itoa(MaxFilterValues) + " values.")
		}
		for _, v := range out.Values {
			if Len(v) > MaxFilterValueLen {
				return f, filterError(path + ": a value is longer than " + strconv.Itoa(MaxFilterValueLen) + " characters.")
			}
		}
		return out, nil
	}
	if len(f.Values) > 0 {
		return f, filterError(path + `: "` + f.Op + `" takes one "value".`)
	}
	if err := valueText(path, f.Value); err != nil {
		return f, err
	}
	out.Value = CleanText(f.Value)
	if out.Value == "" {
		return f, filterError(path + `: "` + f.Op + `" needs a value.`)
	}
	if Len(out.Value) > MaxFilterValueLen {
		return f, filterError(path + ": the value is longer than " + strconv.Itoa(MaxFilterValueLen) + " characters.")
	}
	return out, nil
}

// valueText refuses a filter value that is not one line of text (see
// TextProblem) or that has characters but none that shows: its key would be
// empty and match everything.
func valueText(path, v string) error {
	v = strings.TrimSpace(v)
	if msg := TextProblem(v); msg != "" {
		return filterError(path + ": a value is not plain text. " + msg)
	}
	if v != "" && Fold(v) == "" {
		return filterError(path + ": a value has no visible character.")
	}
	return nil
}

func validOp(op string) bool {
	for _, o := range FilterOps {
		if o == op {
			return true
		}
	}
	return false
}

// ParseFilter reads the JSON form of a filter tree.
func ParseFilter(s string) (Filter, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var f Filter
	if err := dec.Decode(&f); err != nil || dec.More() {
		return Filter{}, &Error{Code: EBadRequest, Type: "bad-filter",
			Message: `filter must be a JSON filter tree such as {"op":"and","conditions":[{"field":"name","op":"contains","value":"air"}]}.`}
	}
	return f.Validate("filter")
}

// Match reports whether a customer with the given name and code satisfies
// f. It is the definition the stores' SQL must agree with, and the tests'
// oracle.
func (f Filter) Match(name, code string) bool {
	switch f.Op {
	case OpAnd:
		for _, c := range f.Conditions {
			if !c.Match(name, code) {
				return false
			}
		}
		return true
	case OpOr:
		for _, c := range f.Conditions {
			if c.Match(name, code) {
				return true
			}
		}
		return false
	}
	key := Fold(name)
	if f.Field == FieldCode {
		key = Fold(code)
	}
	switch f.Op {
	case OpEq:
		return key == Fold(f.Value)
	case OpNeq:
		return key != Fold(f.Value)
	case OpContains:
		return strings.Contains(key, Fold(f.Value))
	case OpNotContains:
		return !strings.Contains(key, Fold(f.Value))
	case OpIn, OpNotIn:
		in := false
		for _, v := range f.Values {
			if key == Fold(v) {
				in = true
				break
			}
		}
		return in == (f.Op == OpIn)
	}
	return false
}

// SearchFilter is the search box as a filter: name or code contains q.
func SearchFilter(q string) *Filter {
	q = CleanText(q)
	if q == "" {
		return nil
	}
	return &Filter{Op: OpOr, Conditions: []Filter{
		{Op: OpContains, Field: FieldName, Value: q},
		{Op: OpContains, Field: FieldCode, Value: q},
	}}
}
