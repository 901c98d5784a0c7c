package listquery_test

// Fuzz targets for the list's query string and cursors; see docs/fuzzing.md.

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`q=air&name.contains=tel&code.in=AIR001&code.in=JIO&sort=-code&limit=10`,
		`filter=` + url.QueryEscape(`{"op":"or","conditions":[{"field":"name","op":"eq","value":"Airtel"},{"field":"code","op":"not_contains","value":"x"}]}`),
		`q=%00`, `q=%FF`, `q=%E2%80%8B`, `name.eq=+a+&name.eq=b`, `code.in=&code.in=x`, `sort=created_at&limit=200`, `limit=0`,
		`cursor=eyJzIjoibmFtZSIsImsiOiJhIiwiaSI6IngifQ`, `name.bogus=1`, `x=1`, `q=a&q=b`, `name.in=` + url.QueryEscape("Ａ"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := listquery.Parse(v)
		if err != nil {
			if domain.ErrorCode(err) != domain.EBadRequest {
				t.Fatalf("Parse(%q): %v, want a bad request", raw, err)
			}
			return
		}
		// Values writes the query back; parsing that gives the same query
		// (without limit and cursor, which Values leaves out).
		again, err := listquery.Parse(q.Values())
		if err != nil {
			t.Fatalf("Parse(%q) = %+v, but its Values %q do not parse: %v", raw, q, q.Values().Encode(), err)
		}
		q.Limit, q.Cursor = 0, nil
		if !reflect.DeepEqual(again, q) {
			t.Fatalf("round trip of %q changed the query:\n%#v\n%#v", raw, q, again)
		}
		if sp := listquery.SearchProblem(q.Q); sp != "" {
			t.Fatalf("accepted q %q: %s", q.Q, sp)
		}
		_ = q.Filter()
	})
}

func FuzzDecodeCursor(f *testing.F) {
	for _, c := range []domain.Cursor{{Key: "acme", ID: "01a2"}, {Key: "", ID: "x"}, {Key: "straße ａ", ID: "id"}} {
		f.Add(*listquery.EncodeCursor(string(domain.SortNameAsc), &c), string(domain.SortNameAsc))
	}
	f.Add("eyJzIjoibmFtZSIsImsiOiJcdTAwMDAiLCJpIjoieCJ9", "name") // a NUL key
	f.Add("not base64!", "name")
	f.Add("", "-code")
	f.Fuzz(func(t *testing.T, s, sort string) {
		c, err := listquery.DecodeCursor(s, sort)
		if err != nil {
			if c != nil || domain.ErrorCode(err) != domain.EBadRequest {
				t.Fatalf("DecodeCursor(%q): %v, %v", s, c, err)
			}
			return
		}
		if c.ID == "" || domain.TextProblem(c.Key) != "" || domain.TextProblem(c.ID) != "" {
			t.Fatalf("DecodeCursor(%q) = %+v", s, c)
		}
		// Encoding the cursor again decodes to the same position.
		enc := listquery.EncodeCursor(sort, c)
		again, err := listquery.DecodeCursor(*enc, sort)
		if err != nil || *again != *c {
			t.Fatalf("re-encoded cursor %q: %+v, %v; want %+v", *enc, again, err, c)
		}
		if _, err := listquery.DecodeCursor(*enc, sort+"x"); err == nil {
			t.Fatalf("cursor %q decoded for another sort", *enc)
		}
	})
}
