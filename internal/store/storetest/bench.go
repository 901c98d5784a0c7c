package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/store"
)

// BenchSize is the number of customers the list benchmarks seed:
// $CUSTREG_BENCH_CUSTOMERS, default 10,000.
func BenchSize() int {
	if n, err := strconv.Atoi(os.Getenv("CUSTREG_BENCH_CUSTOMERS")); err == nil && n > 0 {
		return n
	}
	return 10000
}

var benchSyllables = strings.Fields("al an ar bel bra cor dan del fen gal har ion jun kar lin mar nor or pal quin ra sel tor ul vin wes xan yor zen")

// Seed creates n customers with three entities each, in batches, and
// returns their names and codes.
func Seed(tb testing.TB, st store.Store, n int) (names, codes []string) {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		var b strings.Builder
		for range 2 + r.IntN(2) {
			b.WriteString(benchSyllables[r.IntN(len(benchSyllables))])
		}
		return b.String()
	}
	const batch = 500
	for start := 0; start < n; start += batch {
		mustWrite(tb, st, func(tx store.Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				c := customer(fmt.Sprintf("%s %s %d", word(), word(), i), fmt.Sprintf("C%07d", i), t0.Add(time.Duration(i)*time.Millisecond))
				if err := tx.CreateCustomer(ctx(tb), store.NewCustomer{Customer: c}); err != nil {
					return err
				}
				names, codes = append(names, c.Name), append(codes, c.Code)
				es := make([]domain.Entity, 3)
				for j := range es {
					es[j] = entity(c.ID, fmt.Sprintf("Entity %d", j), "")
				}
				if err := tx.CreateEntities(ctx(tb), c.ID, es); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return names, codes
}

// Bench runs the customer-list benchmarks against a store seeded with
// BenchSize customers: the queries behind the list page, the search box and
// each filter condition.
func Bench(b *testing.B, open Opener) {
	st := open(b)
	defer st.Close()
	n := BenchSize()
	names, codes := Seed(b, st, n)
	c := context.Background() // no deadline: a long benchmark is not a hang
	r := rand.New(rand.NewPCG(3, 4))
	piece := func(s string, k int) string {
		if len(s) <= k {
			return s
		}
		i := r.IntN(len(s) - k + 1)
		return s[i : i+k]
	}
	name := func() string { return names[r.IntN(len(names))] }
	code := func() string { return codes[r.IntN(len(codes))] }

	// The cursor of the page in the middle of the name order.
	var deep *domain.Cursor
	mustRead(b, st, func(tx store.Tx) error {
		var cur *domain.Cursor
		for seen := 0; seen < n/2; seen += domain.MaxPageSize {
			page, err := tx.Customers(c, domain.OrgScope, domain.CustomerFilter{Sort: domain.SortNameAsc, Limit: domain.MaxPageSize, Cursor: cur})
			if err != nil {
				return err
			}
			cur = page.Next
		}
		deep = cur
		return nil
	})

	cases := []struct {
		name   string
		filter func() domain.CustomerFilter
	}{
		{"FirstPage", func() domain.CustomerFilter { return domain.CustomerFilter{} }},
		{"DeepPage", func() domain.CustomerFilter { return domain.CustomerFilter{Cursor: deep} }},
		{"Search4", func() domain.CustomerFilter {
			return domain.CustomerFilter{Where: domain.SearchFilter(piece(name(), 4))}
		}},
		{"Search2", func() domain.CustomerFilter {
			return domain.CustomerFilter{Where: domain.SearchFilter(piece(name(), 2))}
		}},
	}
	for _, field := range domain.FilterFields {
		pick := name
		if field == domain.FieldCode {
			pick = code
		}
		for _, op := range domain.FilterOps {
			cases = append(cases, struct {
				name   string
				filter func() domain.CustomerFilter
			}{field + "." + op, func() domain.CustomerFilter {
				f := domain.Filter{Field: field, Op: op}
				switch {
				case f.Multi():
					f.Values = []string{pick(), pick(), pick()}
				case op == domain.OpContains || op == domain.OpNotContains:
					f.Value = piece(pick(), 4)
				default:
					f.Value = pick()
				}
				return domain.CustomerFilter{Where: &f}
			}})
		}
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				f := tc.filter()
				f.Sort, f.Limit = domain.SortNameAsc, domain.DefaultPageSize
				if err := st.Read(c, func(tx store.Tx) error {
					_, err := tx.Customers(c, domain.OrgScope, f)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
