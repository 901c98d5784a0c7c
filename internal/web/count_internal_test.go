package web

import "testing"

func TestCountLabel(t *testing.T) {
	for _, tc := range []struct {
		total int64
		exact bool
		want  string
	}{
		{0, true, "0 customers"},
		{1, true, "1 customer"},
		{128, true, "128 customers"},
		{1000, false, "1,000+ customers"},
		{12500, true, "12,500 customers"},
		{999, true, "999 customers"},
	} {
		if got := countLabel(tc.total, tc.exact, "customer", "customers"); got != tc.want {
			t.Errorf("countLabel(%d, %v) = %q, want %q", tc.total, tc.exact, got, tc.want)
		}
	}
}
