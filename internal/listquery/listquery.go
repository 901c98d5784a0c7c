// Package listquery reads and writes the customer list's query parameters,
// shared by the JSON API and the web UI so that a filtered view's URL means
// the same in both:
//
//	q=air                      name or code contains "air"
//	name.contains=tel          one condition; fields name, code; conditions
//	code.in=AIR001&code.in=X   eq, neq, in, not_in, contains, not_contains
//	filter={"op":"or",...}     a filter tree (domain.Filter's JSON form)
//	sort=-name                 name, code, created_at, with - for descending
//	limit=50&cursor=...        keyset paging
//
// Everything given is combined with AND.
package listquery

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/custreg/custreg/internal/domain"
)

// Query is a parsed customer-list query.
type Query struct {
	Q          string
	Conditions []domain.Filter // from field.op parameters, in URL order
	Tree       *domain.Filter  // from the filter parameter
	Sort       domain.CustomerSort
	Limit      int
	Cursor     *domain.Cursor
}

// Filter is the store filter the query describes.
func (q Query) Filter() domain.CustomerFilter {
	var conds []*domain.Filter
	conds = append(conds, domain.SearchFilter(q.Q))
	for i := range q.Conditions {
		conds = append(conds, &q.Conditions[i])
	}
	conds = append(conds, q.Tree)
	return domain.CustomerFilter{Where: domain.And(conds...), Sort: q.Sort, Limit: q.Limit, Cursor: q.Cursor}
}

func bad(typ, format string, args ...any) error {
	e := domain.Errorf(domain.EBadRequest, format, args...)
	e.Type = typ
	return e
}

// Parse reads v. Unknown parameters, fields, conditions and sorts, bad
// limits and cursors are EBadRequest errors that name them.
func Parse(v url.Values) (Query, error) {
	q := Query{Sort: domain.SortNameAsc}
	// Conditions keep the order of the query string so that chips show in
	// the order they were added.
	keys := orderedKeys(v)
	conditions := 0
	for _, k := range keys {
		vals := v[k]
		if len(vals) > 1 && !strings.Contains(k, ".") {
			return q, bad("bad-request", "%s is given %d times; give it once.", k, len(vals))
		}
		switch k {
		case "q":
			if msg := SearchProblem(vals[0]); msg != "" {
				return q, bad("bad-request", "q %s", msg)
			}
			q.Q = domain.CleanText(vals[0])
			if domain.Len(q.Q) > domain.MaxSearchLen {
				return q, bad("bad-request", "q is longer than %d characters.", domain.MaxSearchLen)
			}
		case "sort":
			q.Sort = domain.CustomerSort(vals[0])
			if !q.Sort.Valid() {
				return q, bad("bad-request", "Unknown sort %q: use name, -name, code, -code, created_at or -created_at.", vals[0])
			}
		case "limit":
			n, err := ParseLimit(v)
			if err != nil {
				return q, err
			}
			q.Limit = n
		case "cursor":
		case "filter":
			f, err := domain.ParseFilter(vals[0])
			if err != nil {
				return q, err
			}
			conditions += countConditions(f)
			q.Tree = &f
		default:
			field, op, ok := strings.Cut(k, ".")
			if !ok {
				return q, bad("unknown-parameter", "Unknown query parameter %q.", k)
			}
			c := domain.Filter{Field: field, Op: op}
			if c.Multi() {
				c.Values = vals
			} else {
				if len(vals) > 1 {
					return q, bad("bad-filter", "%s takes one value; use %s.in for several.", k, field)
				}
				c.Value = vals[0]
			}
			valid, err := c.Validate(k)
			if err != nil {
				return q, err
			}
			q.Conditions = append(q.Conditions, valid)
			conditions++
		}
	}
	if conditions > domain.MaxFilterConditions {
		return q, bad("bad-filter", "A query has at most %d conditions, in its parameters and filter together.", domain.MaxFilterConditions)
	}
	if c := v.Get("cursor"); c != "" {
		cur, err := DecodeCursor(c, string(q.Sort))
		if err != nil {
			return q, err
		}
		q.Cursor = cur
	}
	return q, nil
}

// SearchProblem says why s cannot be a search (the q parameter), or "": it
// must be one line of text (domain.TextProblem), and if it has characters,
// one of them must show, since a search for nothing visible would match
// everything. The message completes "q ...".
func SearchProblem(s string) string {
	s = strings.TrimSpace(s)
	if msg := domain.TextProblem(s); msg != "" {
		return "is not plain text. " + msg
	}
	if s != "" && domain.Fold(s) == "" {
		return "has no visible character."
	}
	return ""
}

// orderedKeys returns v's keys in a stable order: sorted, which for the
// standard library's parsed url.Values is the best available.
func orderedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	// Sorting keeps results deterministic; field.op parameters group by
	// field, which is also how the UI lists them.
	slices.Sort(keys)
	return keys
}

// Values writes q back as query parameters (without limit and cursor), the
// inverse of Parse: the UI builds its links and bookmarkable URLs with it.
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	for _, c := range q.Conditions {
		k := c.Field + "." + c.Op
		if c.Multi() {
			v[k] = append(v[k], c.Values...)
		} else {
			v.Add(k, c.Value)
		}
	}
	if q.Tree != nil {
		b, _ := json.Marshal(q.Tree)
		v.Set("filter", string(b))
	}
	if q.Sort != "" && q.Sort != domain.SortNameAsc {
		v.Set("sort", string(q.Sort))
	}
	return v
}

// cursorJSON is the opaque cursor: the keyset position and the sort it
// belongs to, so that a cursor cannot be replayed against another order.
type cursorJSON struct {
	Sort string `json:"s"`
	Key  string `json:"k"`
	ID   string `json:"i"`
}

// The orders of the lists other than customers', which cursors are bound
// to (the customer list's is its sort, domain.CustomerSort).
const (
	EntitiesByName = "entity:name"
	UsersByEmail   = "user:email"
	AssetsByName   = "asset:name"
)

// EncodeCursor returns the opaque form of c for a list in order (a
// customer sort, or one of the orders above), or nil.
func EncodeCursor(order string, c *domain.Cursor) *string {
	if c == nil {
		return nil
	}
	b, _ := json.Marshal(cursorJSON{Sort: order, Key: c.Key, ID: c.ID})
	s := base64.RawURLEncoding.EncodeToString(b)
	return &s
}

// DecodeCursor reads a cursor made by EncodeCursor for the same order.
func DecodeCursor(s string, order string) (*domain.Cursor, error) {
	badCursor := bad("bad-cursor", "The cursor is not valid: pass next_cursor from the previous page unchanged, with the same sort.")
	b, err := base64.RawURLEncoding.DecodeString(s)
	// EncodeCursor writes valid UTF-8; json.Unmarshal would turn invalid
	// bytes into U+FFFD and let a hand-made cursor through.
	if err != nil || !utf8.Valid(b) {
		return nil, badCursor
	}
	var c cursorJSON
	if err := json.Unmarshal(b, &c); err != nil || c.ID == "" || c.Sort != order {
		return nil, badCursor
	}
	// A cursor is made by EncodeCursor from a stored key and id; one that
	// holds what no key or id can (NUL, control characters) was made by hand
	// and must not reach the store.
	if domain.TextProblem(c.Key) != "" || domain.TextProblem(c.ID) != "" {
		return nil, badCursor
	}
	return &domain.Cursor{Key: c.Key, ID: c.ID}, nil
}

// countConditions counts the conditions (leaves) of a filter tree.
func countConditions(f domain.Filter) int {
	if !f.IsGroup() {
		return 1
	}
	n := 0
	for _, c := range f.Conditions {
		n += countConditions(c)
	}
	return n
}

// ParseLimit reads a limit parameter: a whole number from 1 to
// domain.MaxPageSize; "" means the default.
func ParseLimit(v url.Values) (int, error) {
	vals, ok := v["limit"]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(vals[0])
	if len(vals) > 1 || err != nil || n < 1 || n > domain.MaxPageSize {
		return 0, bad("bad-request", "limit must be given once, as a whole number from 1 to %d.", domain.MaxPageSize)
	}
	return n, nil
}
