package listquery_test

import (
	"net/url"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
)

func TestParseAndValuesRoundTrip(t *testing.T) {
	raw := `q=air&name.contains=tel&code.in=AIR001&code.in=JIO&sort=-code&limit=10&` +
		`filter=` + url.QueryEscape(`{"op":"or","conditions":[{"field":"name","op":"eq","value":"Airtel"},{"field":"code","op":"not_contains","value":"x"}]}`)
	v, _ := url.ParseQuery(raw)
	q, err := listquery.Parse(v)
	if err != nil {
		t.Fatal(err)
	}
	if q.Q != "air" || q.Sort != domain.SortCodeDesc || q.Limit != 10 || len(q.Conditions) != 2 || q.Tree == nil || q.Tree.Op != domain.OpOr {
		t.Fatalf("parsed = %+v", q)
	}
	again, err := listquery.Parse(q.Values())
	if err != nil {
		t.Fatal(err)
	}
	if again.Values().Encode() != q.Values().Encode() {
		t.Errorf("round trip:\n%s\n%s", again.Values().Encode(), q.Values().Encode())
	}
	f := q.Filter()
	if f.Where == nil || f.Where.Op != domain.OpAnd || len(f.Where.Conditions) != 4 {
		t.Fatalf("filter = %+v", f.Where)
	}
	// The combined filter means: search AND both conditions AND the tree.
	for _, tc := range []struct {
		name, code string
		want       bool
	}{
		{"Airtel", "AIR001", true},
		{"Airtel", "JIOX", false},     // code not in the list
		{"Jio Telecom", "JIO", false}, // no "air"
	} {
		if got := f.Where.Match(tc.name, tc.code); got != tc.want {
			t.Errorf("Match(%q, %q) = %v", tc.name, tc.code, got)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ query, typ string }{
		{"colour=red", "unknown-parameter"},
		{"colour.eq=red", "bad-filter"},
		{"name.like=x", "bad-filter"},
		{"name.eq=a&name.eq=b", "bad-filter"},
		{"name.eq=", "bad-filter"},
		{"name.in=", "bad-filter"},
		{"sort=size", "bad-request"},
		{"limit=0", "bad-request"},
		{"limit=1000", "bad-request"},
		{"cursor=@@", "bad-cursor"},
		{"filter=[]", "bad-filter"},
		{"filter=" + url.QueryEscape(`{"op":"xor","conditions":[]}`), "bad-filter"},
		{"filter=" + url.QueryEscape(`{"op":"and","conditions":[{"field":"name","op":"eq","value":"a","extra":1}]}`), "bad-filter"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			v, _ := url.ParseQuery(tc.query)
			_, err := listquery.Parse(v)
			e, ok := err.(*domain.Error)
			if !ok || e.Code != domain.EBadRequest || e.Type != tc.typ {
				t.Fatalf("Parse(%s) = %v, want %s", tc.query, err, tc.typ)
			}
		})
	}
}

func TestCursorBoundToSort(t *testing.T) {
	c := listquery.EncodeCursor(string(domain.SortNameAsc), &domain.Cursor{Key: "k", ID: "i"})
	if _, err := listquery.DecodeCursor(*c, string(domain.SortNameAsc)); err != nil {
		t.Fatal(err)
	}
	if _, err := listquery.DecodeCursor(*c, string(domain.SortCodeAsc)); err == nil {
		t.Error("a name cursor was accepted for the code sort")
	}
	// Nor is a customer-list cursor taken by another list.
	for _, order := range []string{listquery.EntitiesByName, listquery.UsersByEmail, listquery.AssetsByName} {
		if _, err := listquery.DecodeCursor(*c, order); err == nil {
			t.Errorf("a customer cursor was accepted for %s", order)
		}
	}
}
