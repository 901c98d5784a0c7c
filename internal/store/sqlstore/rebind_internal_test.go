package sqlstore

import (
	"fmt"
	"testing"
)

// TestRebindCacheIsBounded rewrites more distinct statements than the
// cache keeps (filter trees make their number open-ended): every rewrite is
// right, and the cache stops growing at its bound.
func TestRebindCacheIsBounded(t *testing.T) {
	db := &DB{d: Dialect{Numbered: true}}
	for i := range maxRebound * 2 {
		q := fmt.Sprintf("SELECT %d WHERE a = ? AND b IN (?, ?)", i)
		want := fmt.Sprintf("SELECT %d WHERE a = $1 AND b IN ($2, $3)", i)
		for range 2 {
			if got := db.rebind(q); got != want {
				t.Fatalf("rebind(%q) = %q, want %q", q, got, want)
			}
		}
	}
	n := 0
	db.rebound.Range(func(any, any) bool { n++; return true })
	if n != maxRebound || db.reboundN.Load() != maxRebound {
		t.Errorf("cache holds %d statements (counted %d), want the bound %d", n, db.reboundN.Load(), maxRebound)
	}
}
