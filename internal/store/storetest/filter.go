package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// alphabet for generated names: letters that fold, LIKE's wildcards and its
// escape character, so the property test catches both case and escaping
// mistakes.
var alphabet = []rune("abcABCéÉßs %_\\-x\"'")

func randText(r *rand.Rand, min, max int) string {
	n := min + r.IntN(max-min+1)
	out := make([]rune, n)
	for i := range out {
		out[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(out)
}

var codeAlphabet = []rune("abAB_-x1")

func randCode(r *rand.Rand) string {
	n := 2 + r.IntN(4)
	out := make([]rune, n)
	for i := range out {
		out[i] = codeAlphabet[r.IntN(len(codeAlphabet))]
	}
	return string(out)
}

// randValue picks a value likely to match something: a piece of an existing
// name or code, re-cased, or random text.
func randValue(r *rand.Rand, pool []domain.Customer, field string) string {
	for {
		if v := randValue1(r, pool, field); domain.CleanText(v) != "" {
			return v
		}
	}
}

func randValue1(r *rand.Rand, pool []domain.Customer, field string) string {
	if r.IntN(4) == 0 || len(pool) == 0 {
		return randText(r, 1, 4)
	}
	c := pool[r.IntN(len(pool))]
	s := []rune(c.Name)
	if field == domain.FieldCode {
		s = []rune(c.Code)
	}
	i := r.IntN(len(s))
	j := i + 1 + r.IntN(len(s)-i)
	v := string(s[i:j])
	if r.IntN(2) == 0 {
		return upper(v)
	}
	return v
}

func upper(s string) string {
	out := []rune(s)
	for i, c := range out {
		if c >= 'a' && c <= 'z' {
			out[i] = c - 32
		}
	}
	return string(out)
}

func randCondition(r *rand.Rand, pool []domain.Customer) domain.Filter {
	field := domain.FilterFields[r.IntN(2)]
	op := domain.FilterOps[r.IntN(len(domain.FilterOps))]
	f := domain.Filter{Op: op, Field: field}
	if f.Multi() {
		for range 1 + r.IntN(3) {
			f.Values = append(f.Values, randValue(r, pool, field))
		}
	} else {
		f.Value = randValue(r, pool, field)
	}
	return f
}

func randFilter(r *rand.Rand, pool []domain.Customer, depth int) domain.Filter {
	if depth >= 3 || r.IntN(3) > 0 {
		return randCondition(r, pool)
	}
	g := domain.Filter{Op: []string{domain.OpAnd, domain.OpOr}[r.IntN(2)]}
	for range 1 + r.IntN(3) {
		g.Conditions = append(g.Conditions, randFilter(r, pool, depth+1))
	}
	return g
}

// testFilterProperty compares the store's filtered lists with the domain's
// definition of a match (domain.Filter.Match) over random data and random
// filter trees, and checks that paging returns every match exactly once.
func testFilterProperty(t *testing.T, st store.Store) {
	c := ctx(t)
	r := rand.New(rand.NewPCG(20261130, 2))
	var pool []domain.Customer
	names, codes := map[string]bool{}, map[string]bool{}
	for len(pool) < 60 {
		cu := customer(randText(r, 1, 8), randCode(r), t0)
		if d := domain.CleanText(cu.Name); d != cu.Name || d == "" {
			continue
		}
		if names[cu.NameKey()] || codes[cu.CodeKey()] {
			continue
		}
		names[cu.NameKey()], codes[cu.CodeKey()] = true, true
		pool = append(pool, mustCreateCustomer(t, st, cu))
	}
	trashed := pool[0]
	mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, trashed.ID, t0) })
	live := pool[1:]

	check := func(t *testing.T, f domain.Filter) {
		t.Helper()
		f, err := f.Validate("filter")
		if err != nil {
			t.Fatalf("generated an invalid filter: %v", err)
		}
		var want []string
		for _, cu := range live {
			if f.Match(cu.Name, cu.Code) {
				want = append(want, cu.ID)
			}
		}
		slices.Sort(want)
		var got []string
		var cursor *domain.Cursor
		limit := 1 + r.IntN(7)
		for pages := 0; ; pages++ {
			if pages > len(pool) {
				t.Fatal("paging does not end")
			}
			var page domain.CustomerPage
			mustRead(t, st, func(tx store.Tx) (err error) {
				page, err = tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Where: &f, Sort: domain.SortCodeAsc, Limit: limit, Cursor: cursor})
				return err
			})
			if page.Total != int64(len(want)) {
				t.Fatalf("filter %s: total = %d, want %d", describe(f), page.Total, len(want))
			}
			for _, it := range page.Items {
				got = append(got, it.ID)
			}
			if page.Next == nil {
				break
			}
			cursor = page.Next
		}
		sorted := slices.Clone(got)
		slices.Sort(sorted)
		if !slices.Equal(sorted, want) {
			t.Fatalf("filter %s:\n got %d ids %v\nwant %d ids %v", describe(f), len(got), got, len(want), want)
		}
	}

	// Every field and condition alone, with a value taken from the data.
	for _, field := range domain.FilterFields {
		for _, op := range domain.FilterOps {
			t.Run(field+"."+op, func(t *testing.T) {
				for range 8 {
					f := domain.Filter{Op: op, Field: field}
					if f.Multi() {
						f.Values = []string{randValue(r, live, field), randValue(r, live, field)}
					} else {
						f.Value = randValue(r, live, field)
					}
					check(t, f)
				}
			})
		}
	}
	// The wildcard characters are literal.
	t.Run("LiteralWildcards", func(t *testing.T) {
		for _, v := range []string{"%", "_", `\`, "%_", `\%`, "a%", "%%%", "_-_"} {
			check(t, domain.Filter{Op: domain.OpContains, Field: domain.FieldName, Value: v})
		}
	})
	t.Run("RandomTrees", func(t *testing.T) {
		for i := range 150 {
			f := randFilter(r, live, 0)
			t.Run(fmt.Sprint(i), func(t *testing.T) { check(t, f) })
		}
	})
	t.Run("Search", func(t *testing.T) {
		for range 20 {
			check(t, *domain.SearchFilter(randValue(r, live, domain.FieldName)))
		}
	})
}

// testTotals checks how the list counts: exactly up to
// domain.TotalCountLimit, as a lower bound beyond it, and always exactly
// for the unfiltered list and single negated equalities.
func testTotals(t *testing.T, st store.Store) {
	c := ctx(t)
	n := domain.TotalCountLimit + 100
	mustWrite(t, st, func(tx store.Tx) error {
		for i := range n {
			if err := tx.CreateCustomer(c, store.NewCustomer{Customer: customer(fmt.Sprintf("Acme %04d", i), fmt.Sprintf("A%04d", i), t0)}); err != nil {
				return err
			}
		}
		return nil
	})
	var first domain.Customer
	total := func(f *domain.Filter) (int64, bool) {
		t.Helper()
		var page domain.CustomerPage
		mustRead(t, st, func(tx store.Tx) (err error) {
			page, err = tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Where: f, Sort: domain.SortNameAsc, Limit: 5})
			return err
		})
		if len(page.Items) > 0 && first.ID == "" {
			first = page.Items[0]
		}
		return page.Total, page.TotalExact
	}
	for _, tc := range []struct {
		name  string
		f     *domain.Filter
		total int64
		exact bool
	}{
		{"Unfiltered", nil, int64(n), true},
		{"Neq", &domain.Filter{Op: domain.OpNeq, Field: domain.FieldCode, Value: "a0001"}, int64(n - 1), true},
		{"NotIn", &domain.Filter{Op: domain.OpNotIn, Field: domain.FieldName, Values: []string{"ACME 0001", "acme 0002", "nobody"}}, int64(n - 2), true},
		{"BroadContains", &domain.Filter{Op: domain.OpContains, Field: domain.FieldName, Value: "acme"}, domain.TotalCountLimit, false},
		{"BroadNotContains", &domain.Filter{Op: domain.OpNotContains, Field: domain.FieldName, Value: "zzz"}, domain.TotalCountLimit, false},
		{"NarrowContains", &domain.Filter{Op: domain.OpContains, Field: domain.FieldName, Value: "acme 00"}, 100, true},
		{"Eq", &domain.Filter{Op: domain.OpEq, Field: domain.FieldName, Value: "acme 0005"}, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, exact := total(tc.f)
			if got != tc.total || exact != tc.exact {
				t.Errorf("total = %d (exact %v), want %d (exact %v)", got, exact, tc.total, tc.exact)
			}
		})
	}
	// A broad substring filter pages in sort order, every sort.
	for _, sort := range []domain.CustomerSort{domain.SortNameAsc, domain.SortNameDesc, domain.SortCodeDesc, domain.SortCreatedAtAsc} {
		var got []string
		var cursor *domain.Cursor
		for range 3 {
			mustRead(t, st, func(tx store.Tx) error {
				page, err := tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Sort: sort, Limit: 2, Cursor: cursor,
					Where: &domain.Filter{Op: domain.OpContains, Field: domain.FieldName, Value: "cme 0"}})
				for _, it := range page.Items {
					got = append(got, it.Code)
				}
				cursor = page.Next
				return err
			})
		}
		want := map[domain.CustomerSort]string{
			domain.SortNameAsc: "[A0000 A0001 A0002 A0003 A0004 A0005]", domain.SortNameDesc: "[A0999 A0998 A0997 A0996 A0995 A0994]",
			domain.SortCodeDesc: "[A0999 A0998 A0997 A0996 A0995 A0994]",
		}[sort]
		if want == "" {
			// Same creation time: ties break on the id, in creation order.
			want = "[A0000 A0001 A0002 A0003 A0004 A0005]"
		}
		if fmt.Sprint(got) != want {
			t.Errorf("broad contains, sort %s: %v, want %s", sort, got, want)
		}
	}
	// The maintained live count follows trash.
	mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, first.ID, t0) })
	if got, exact := total(nil); got != int64(n-1) || !exact {
		t.Errorf("after trash: total = %d (exact %v), want %d", got, exact, n-1)
	}
}

// testSearchFollowsChanges checks that the substring search sees renames
// and trash at once.
func testSearchFollowsChanges(t *testing.T, st store.Store) {
	c := ctx(t)
	a := mustCreateCustomer(t, st, customer("Quartzite Holdings", "QTZ-1", t0))
	mustCreateCustomer(t, st, customer("Quartzite Mining", "QTZ-2", t0))
	find := func(v string) []string {
		t.Helper()
		var names []string
		mustRead(t, st, func(tx store.Tx) error {
			page, err := tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Where: domain.SearchFilter(v), Sort: domain.SortNameAsc, Limit: 10})
			for _, it := range page.Items {
				names = append(names, it.Name)
			}
			if page.Total != int64(len(page.Items)) || !page.TotalExact {
				t.Errorf("search %q: total %d (exact %v) for %d items", v, page.Total, page.TotalExact, len(page.Items))
			}
			return err
		})
		return names
	}
	if got := find("quartz"); len(got) != 2 {
		t.Fatalf("search before changes = %v", got)
	}
	renamed := a
	renamed.Name, renamed.Version = "Basalt Holdings", 2
	mustWrite(t, st, func(tx store.Tx) error { return tx.UpdateCustomer(c, domain.OrgScope, renamed) })
	if got := find("quartz"); len(got) != 1 || got[0] != "Quartzite Mining" {
		t.Errorf("after rename, quartz = %v", got)
	}
	if got := find("basalt"); len(got) != 1 {
		t.Errorf("after rename, basalt = %v", got)
	}
	if got := find("qtz-1"); len(got) != 1 {
		t.Errorf("code search after rename = %v", got)
	}
	mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, a.ID, t0) })
	if got := find("basalt"); len(got) != 0 {
		t.Errorf("a customer in trash is still found: %v", got)
	}
	// Restored under a new name, it is found by that name; purged, by none.
	mustWrite(t, st, func(tx store.Tx) error {
		c2, err := tx.TrashedCustomer(c, a.ID)
		if err != nil {
			return err
		}
		c2.Name, c2.Version = "Gneiss Holdings", c2.Version+1
		return tx.RestoreCustomer(c, c2, t0)
	})
	if got := find("gneiss"); len(got) != 1 {
		t.Errorf("after restore as Gneiss, gneiss = %v", got)
	}
	if got := find("basalt"); len(got) != 0 {
		t.Errorf("after restore as Gneiss, basalt = %v", got)
	}
	mustWrite(t, st, func(tx store.Tx) error { return tx.TrashCustomer(c, domain.OrgScope, a.ID, t0) })
	mustWrite(t, st, func(tx store.Tx) error { return tx.PurgeCustomer(c, a.ID) })
	if got := find("gneiss"); len(got) != 0 {
		t.Errorf("a purged customer is still found: %v", got)
	}
	if got := find("quartz"); len(got) != 1 {
		t.Errorf("after the purge, quartz = %v", got)
	}
}

// testSearchInOneCommit: changes made inside one transaction, and inside
// concurrent writes that may share one commit, are all searchable as they
// ended — a customer created then renamed by its new name only, one created
// then trashed or purged not at all, one trashed and restored again.
func testSearchInOneCommit(t *testing.T, st store.Store) {
	c := ctx(t)
	find := func(v string) int {
		t.Helper()
		var n int
		mustRead(t, st, func(tx store.Tx) error {
			page, err := tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Where: domain.SearchFilter(v), Sort: domain.SortNameAsc, Limit: 50})
			n = len(page.Items)
			if page.Total != int64(n) {
				t.Errorf("search %q: total %d for %d items", v, page.Total, n)
			}
			return err
		})
		return n
	}
	restored := customer("Olivine Restored", "OLV-3", t0)
	mustCreateCustomer(t, st, restored)
	mustWrite(t, st, func(tx store.Tx) error {
		a := customer("Olivine Holdings", "OLV-1", t0)
		if err := tx.CreateCustomer(c, store.NewCustomer{Customer: a}); err != nil {
			return err
		}
		a.Name, a.Version = "Feldspar Holdings", 2
		if err := tx.UpdateCustomer(c, domain.OrgScope, a); err != nil {
			return err
		}
		b := customer("Olivine Trading", "OLV-2", t0)
		if err := tx.CreateCustomer(c, store.NewCustomer{Customer: b}); err != nil {
			return err
		}
		if err := tx.TrashCustomer(c, domain.OrgScope, b.ID, t0); err != nil {
			return err
		}
		p := customer("Olivine Purged", "OLV-4", t0)
		if err := tx.CreateCustomer(c, store.NewCustomer{Customer: p}); err != nil {
			return err
		}
		if err := tx.TrashCustomer(c, domain.OrgScope, p.ID, t0); err != nil {
			return err
		}
		if err := tx.PurgeCustomer(c, p.ID); err != nil {
			return err
		}
		if err := tx.TrashCustomer(c, domain.OrgScope, restored.ID, t0); err != nil {
			return err
		}
		r, err := tx.TrashedCustomer(c, restored.ID)
		if err != nil {
			return err
		}
		r.Version++
		return tx.RestoreCustomer(c, r, t0)
	})
	if n := find("olivine"); n != 1 {
		t.Errorf("olivine finds %d, want 1 (the restored customer)", n)
	}
	if n := find("feldspar"); n != 1 {
		t.Errorf("feldspar finds %d, want the renamed customer", n)
	}
	if n := find("olv-"); n != 2 {
		t.Errorf("olv- finds %d, want 2 codes (renamed and restored)", n)
	}

	// Concurrent writes, which group commit may run in one transaction:
	// each creates a customer and renames the one before it.
	const writers = 16
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- st.Write(c, func(tx store.Tx) error {
				x := customer(fmt.Sprintf("Zircon %02d", i), fmt.Sprintf("ZRC-%02d", i), t0)
				if err := tx.CreateCustomer(c, store.NewCustomer{Customer: x}); err != nil {
					return err
				}
				if i%2 == 1 {
					x.Name, x.Version = fmt.Sprintf("Garnet %02d", i), 2
					return tx.UpdateCustomer(c, domain.OrgScope, x)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := find("zircon"); n != writers/2 {
		t.Errorf("zircon finds %d, want %d", n, writers/2)
	}
	if n := find("garnet"); n != writers/2 {
		t.Errorf("garnet finds %d, want %d", n, writers/2)
	}
	if n := find("zrc-"); n != writers {
		t.Errorf("zrc- finds %d, want %d", n, writers)
	}
}
