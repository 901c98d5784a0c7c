package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/listquery"
	"github.com/custreg/custreg/internal/service"
)

// listFixture creates customers whose names and codes the list tests
// search and filter.
func listFixture(t *testing.T) (*stack, *http.Client) {
	s := MustStack(t, service.FirstStart{}, false)
	for _, c := range [][2]string{
		{"Airtel", "AIR001"},
		{"Airtel Business", "AIR002"},
		{"Bharti Telecom", "BHA-01"},
		{"Jio Platforms", "JIO"},
		{"Vodafone Idea", "VOD_9"},
		{"Tata Teleservices", "TATA"},
	} {
		s.MustCreateCustomer(domain.CustomerInput{Name: c[0], Code: c[1]})
	}
	return s, s.signedIn()
}

// cardNames returns the names on the cards, in order.
func cardNames(doc *html.Node) []string {
	var out []string
	for _, n := range findAll(doc, func(n *html.Node) bool { return hasAttr(n, "data-customer") }) {
		out = append(out, text(find(n, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "card-title") })))
	}
	return out
}

func TestListQuery(t *testing.T) {
	s, c := listFixture(t)
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"All", "", []string{"Airtel", "Airtel Business", "Bharti Telecom", "Jio Platforms", "Tata Teleservices", "Vodafone Idea"}},
		{"Search", "q=air", []string{"Airtel", "Airtel Business"}},
		{"SearchCode", "q=vod_", []string{"Vodafone Idea"}},
		{"SearchLiteralPercent", "q=" + url.QueryEscape("%"), nil},
		{"Contains", "name.contains=tel", []string{"Airtel", "Airtel Business", "Bharti Telecom", "Tata Teleservices"}},
		{"TwoConditions", "name.contains=tel&code.not_in=AIR002&code.not_in=TATA", []string{"Airtel", "Bharti Telecom"}},
		{"SearchAndCondition", "q=air&name.neq=airtel", []string{"Airtel Business"}},
		{"In", "code.in=jio&code.in=tata", []string{"Jio Platforms", "Tata Teleservices"}},
		{"SortDesc", "q=air&sort=-name", []string{"Airtel Business", "Airtel"}},
		{"Tree", "filter=" + url.QueryEscape(`{"op":"or","conditions":[{"field":"code","op":"eq","value":"JIO"},{"field":"name","op":"contains","value":"idea"}]}`),
			[]string{"Jio Platforms", "Vodafone Idea"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := s.get(c, "/customers?"+tc.query)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, text(byID(res.doc, "query-error")))
			}
			if got := cardNames(res.doc); !slices.Equal(got, tc.want) {
				t.Errorf("cards %q, want %q", got, tc.want)
			}
			if got, want := text(byID(res.doc, "customer-count")), pluralText(len(tc.want)); got != want {
				t.Errorf("count %q, want %q", got, want)
			}
			// The page's own URL is the canonical form of the query.
			v, _ := url.ParseQuery(tc.query)
			q, _ := listquery.Parse(v)
			want := "/customers"
			if enc := q.Values().Encode(); enc != "" {
				want += "?" + enc
			}
			if got := attr(byID(res.doc, "results"), "data-url"); got != want && tc.name != "Tree" {
				t.Errorf("data-url %q, want %q", got, want)
			}
		})
	}

	t.Run("Controls", func(t *testing.T) {
		res := s.get(c, "/customers?q=air&code.in=AIR001&code.in=AIR002&sort=-code")
		if got := attr(byID(res.doc, "list-q"), "value"); got != "air" {
			t.Errorf("search box %q", got)
		}
		if got := selected(res.doc, "list-sort"); got != "-code" {
			t.Errorf("sort %q", got)
		}
		// The panel shows the condition as a row, then a blank one.
		if got := selected(res.doc, "fr-0-field"); got != "code" {
			t.Errorf("row field %q", got)
		}
		if got := selected(res.doc, "fr-0-op"); got != "in" {
			t.Errorf("row op %q", got)
		}
		in := byID(res.doc, "fr-0-value")
		if attr(in, "value") != "AIR001, AIR002" || attr(in, "data-values") != `["AIR001","AIR002"]` {
			t.Errorf("row value %q %q", attr(in, "value"), attr(in, "data-values"))
		}
		if attr(byID(res.doc, "fr-1-value"), "value") != "" {
			t.Errorf("no blank row to add to")
		}
		for _, label := range []string{"Customer Name", "Customer Code"} {
			if find(byID(res.doc, "fr-0-field"), func(n *html.Node) bool { return n.Data == "option" && text(n) == label }) == nil {
				t.Errorf("no field %q", label)
			}
		}
		var ops []string
		for _, o := range findAll(byID(res.doc, "fr-0-op"), func(n *html.Node) bool { return n.Data == "option" }) {
			ops = append(ops, text(o))
		}
		if !slices.Equal(ops, []string{"in", "not in", "equal to", "not equal to", "contains", "not contains"}) {
			t.Errorf("conditions %q", ops)
		}
		var sorts []string
		for _, o := range findAll(byID(res.doc, "list-sort"), func(n *html.Node) bool { return n.Data == "option" }) {
			sorts = append(sorts, text(o))
		}
		if !slices.Equal(sorts, []string{"Name A–Z", "Name Z–A", "Code A–Z", "Code Z–A", "Newest", "Oldest"}) {
			t.Errorf("sorts %q", sorts)
		}
		if got := text(byID(res.doc, "filter-count")); !strings.HasPrefix(got, "1") {
			t.Errorf("filter count %q", got)
		}
	})

	t.Run("Fragment", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/customers?q=jio", nil)
		req.Header.Set("X-Custreg-Fragment", "results")
		res := s.do(c, req)
		if res.status != http.StatusOK || strings.Contains(res.body, "<html") || byID(res.doc, "list-query") != nil {
			t.Fatalf("fragment: %d, whole page %v", res.status, strings.Contains(res.body, "<html"))
		}
		r := byID(res.doc, "results")
		if got := cardNames(r); !slices.Equal(got, []string{"Jio Platforms"}) || attr(r, "data-count") != "1 customer" ||
			attr(r, "data-url") != "/customers?q=jio" {
			t.Errorf("fragment: %q %q %q", got, attr(r, "data-count"), attr(r, "data-url"))
		}
		if byID(res.doc, "filter-rows-next") == nil {
			t.Errorf("no rows for the panel")
		}
	})

	t.Run("Empty", func(t *testing.T) {
		res := s.get(c, "/customers?q=zzz&name.contains=x")
		empty := byID(res.doc, "empty-state")
		if !strings.Contains(text(empty), "No customers match") || strings.Contains(text(empty), "No customers yet") {
			t.Errorf("empty state %q", text(empty))
		}
		if l := byID(empty, "clear-filters"); attr(l, "href") != "/customers" {
			t.Errorf("clear link %q", attr(l, "href"))
		}
		// Clearing keeps the sort.
		res = s.get(c, "/customers?q=zzz&sort=-created_at")
		if l := byID(res.doc, "clear-filters"); attr(l, "href") != "/customers?sort=-created_at" {
			t.Errorf("clear link %q", attr(l, "href"))
		}
	})
}

func pluralText(n int) string {
	if n == 1 {
		return "1 customer"
	}
	return strconv.Itoa(n) + " customers"
}

func TestListChips(t *testing.T) {
	s, c := listFixture(t)
	res := s.get(c, "/customers?q=a&name.contains=tel&code.not_in=AIR002&code.not_in=TATA&sort=-name")
	chips := findAll(byID(res.doc, "filter-chips"), func(n *html.Node) bool { return attr(n, "class") == "chip" })
	if len(chips) != 2 {
		t.Fatalf("%d chips", len(chips))
	}
	var words []string
	for _, ch := range chips {
		words = append(words, text(find(ch, func(n *html.Node) bool { return attr(n, "class") == "chip-text" })))
	}
	if !slices.Equal(words, []string{"Customer Code not in AIR002, TATA", "Customer Name contains tel"}) {
		t.Errorf("chips %q", words)
	}
	// Each chip's link removes exactly its condition and keeps the rest.
	for i, ch := range chips {
		link := find(ch, func(n *html.Node) bool { return n.Data == "a" })
		if !strings.HasPrefix(text(link), "Remove filter: ") {
			t.Errorf("chip %d link named %q", i, text(link))
		}
		u, err := url.Parse(attr(link, "href"))
		if err != nil || u.Path != "/customers" {
			t.Fatalf("chip %d href %q", i, attr(link, "href"))
		}
		q, err := listquery.Parse(u.Query())
		if err != nil {
			t.Fatalf("chip %d href does not parse: %v", i, err)
		}
		if q.Q != "a" || q.Sort != domain.SortNameDesc || len(q.Conditions) != 1 || q.Tree != nil {
			t.Errorf("chip %d removes more than its condition: %+v", i, q)
			continue
		}
		kept := q.Conditions[0].Field
		if (i == 0 && kept != "name") || (i == 1 && kept != "code") {
			t.Errorf("chip %d kept %q", i, kept)
		}
		res := s.get(c, attr(link, "href"))
		if n := len(cardNames(res.doc)); n == 0 {
			t.Errorf("chip %d: no cards", i)
		}
	}
	if got := attr(find(byID(res.doc, "filter-chips"), func(n *html.Node) bool { return attr(n, "class") == "chips-clear" }), "href"); got != "/customers?sort=-name" {
		t.Errorf("clear all %q", got)
	}
	// No chips without conditions.
	if res := s.get(c, "/customers?q=air"); byID(res.doc, "filter-chips") != nil {
		t.Errorf("chips for a plain search")
	}
}

// TestListBuilderForm is the filter panel without the script: a GET form
// whose rows the page turns into the canonical URL.
func TestListBuilderForm(t *testing.T) {
	s, c := listFixture(t)
	for _, tc := range []struct {
		name  string
		form  url.Values
		want  string
		cards []string
	}{
		{"Rows", url.Values{"q": {""}, "sort": {"name"},
			"f[0].field": {"name"}, "f[0].op": {"contains"}, "f[0].value": {"tel"},
			"f[1].field": {"code"}, "f[1].op": {"not_in"}, "f[1].value": {"AIR002, tata"},
			"f[2].field": {"name"}, "f[2].op": {"contains"}, "f[2].value": {""}},
			"/customers?code.not_in=AIR002&code.not_in=tata&name.contains=tel", []string{"Airtel", "Bharti Telecom"}},
		{"RemoveRow", url.Values{"q": {"air"}, "sort": {"-name"}, "remove_row": {"0"},
			"f[0].field": {"name"}, "f[0].op": {"eq"}, "f[0].value": {"Airtel"},
			"f[1].field": {"code"}, "f[1].op": {"neq"}, "f[1].value": {"AIR001"}},
			"/customers?code.neq=AIR001&q=air&sort=-name", []string{"Airtel Business"}},
		{"Clear", url.Values{"q": {"air"}, "clear": {"1"}, "f[0].field": {"name"}, "f[0].op": {"eq"}, "f[0].value": {"Airtel"}},
			"/customers?q=air", []string{"Airtel", "Airtel Business"}},
		{"SameConditionTwice", url.Values{
			"f[0].field": {"name"}, "f[0].op": {"contains"}, "f[0].value": {"a"},
			"f[1].field": {"name"}, "f[1].op": {"contains"}, "f[1].value": {"tel"}},
			"/customers?filter=" + url.QueryEscape(`{"op":"and","conditions":[{"op":"contains","field":"name","value":"a"},{"op":"contains","field":"name","value":"tel"}]}`),
			[]string{"Airtel", "Airtel Business", "Bharti Telecom", "Tata Teleservices"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := s.get(c, "/customers?"+tc.form.Encode())
			if res.status != http.StatusSeeOther || res.location != tc.want {
				t.Fatalf("got %d %q, want %q", res.status, res.location, tc.want)
			}
			res = s.get(c, res.location)
			if got := cardNames(res.doc); !slices.Equal(got, tc.cards) {
				t.Errorf("cards %q, want %q", got, tc.cards)
			}
		})
	}
	// Two equal conditions come back as two chips and two rows.
	res := s.get(c, "/customers?filter="+url.QueryEscape(`{"op":"and","conditions":[{"op":"contains","field":"name","value":"a"},{"op":"contains","field":"name","value":"tel"}]}`))
	if n := len(findAll(res.doc, func(n *html.Node) bool { return attr(n, "class") == "chip" })); n != 2 {
		t.Errorf("%d chips for a flat tree", n)
	}
}

func TestListBadQuery(t *testing.T) {
	s, c := listFixture(t)
	for _, tc := range []struct{ query, want string }{
		{"colour=red", `Unknown query parameter "colour"`},
		{"name.like=x", `unknown condition "like"`},
		{"sort=size", `Unknown sort "size"`},
		{"cursor=abc", "cursor is not valid"},
		{"f[0].field=colour&f[0].op=eq&f[0].value=x", `unknown field "colour"`},
	} {
		t.Run(tc.query, func(t *testing.T) {
			res := s.get(c, "/customers?"+tc.query)
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d", res.status)
			}
			msg := text(byID(res.doc, "query-error"))
			if !strings.Contains(msg, "This list could not be shown") || !strings.Contains(msg, tc.want) {
				t.Errorf("message %q, want %q", msg, tc.want)
			}
			// The page is still the page: search box, a way back, no cards.
			if byID(res.doc, "list-q") == nil || linkTo(byID(res.doc, "query-error"), "/customers") == nil || len(cardNames(res.doc)) != 0 {
				t.Errorf("not a usable page")
			}
		})
	}
}
