package dashboard_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/dashboard"
	"github.com/custreg/custreg/internal/domain"
)

// wellFormed decodes the whole document, failing on any XML error, and
// returns the attributes of every element with its text.
func wellFormed(t *testing.T, svg []byte) []map[string]string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var out []map[string]string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			m := map[string]string{"": se.Name.Local}
			for _, a := range se.Attr {
				m[a.Name.Local] = a.Value
			}
			out = append(out, m)
		}
	}
}

func TestUsageLevels(t *testing.T) {
	for _, c := range []struct {
		allocated, used, percent int64
		level                    string
	}{
		{100, 79, 79, domain.LevelNormal}, {1000, 799, 79, domain.LevelNormal}, {100, 80, 80, domain.LevelWarn},
		{5, 4, 80, domain.LevelWarn}, {100, 99, 99, domain.LevelWarn}, {100, 100, 100, domain.LevelFull}, {1, 1, 100, domain.LevelFull},
		{0, 0, 0, domain.LevelNone}, {24, 19, 79, domain.LevelNormal},
	} {
		if got := domain.UsageLevel(c.allocated, c.used); got != c.level {
			t.Errorf("UsageLevel(%d, %d) = %s, want %s", c.allocated, c.used, got, c.level)
		}
		if got := domain.UsagePercent(c.allocated, c.used); got != c.percent {
			t.Errorf("UsagePercent(%d, %d) = %d, want %d", c.allocated, c.used, got, c.percent)
		}
	}
}

func TestDrawEscapesAndSeparates(t *testing.T) {
	name := `<script>alert("x")</script> & Co`
	c := domain.Customer{ID: "c1", Name: name}
	d := domain.Dashboard{Entry: domain.Dashboards[1], At: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC), Utilization: &domain.Utilization{
		From: "2025-10-05", To: "2026-01-02",
		Licenses: []domain.LicenseUse{{Type: domain.LicenseITAssets, Allocated: 2_000_000, Used: 1_234_567}},
		History: []domain.UsagePoint{{Day: "2026-01-01", Type: domain.LicenseITAssets, Allocated: 2_000_000, Used: 1_200_000},
			{Day: "2026-01-02", Type: domain.LicenseITAssets, Allocated: 2_000_000, Used: 1_234_567}},
		NearLimit: []domain.NearLimit{{CustomerID: "c1", CustomerName: name, Type: domain.LicenseITAssets, Allocated: 2_000_000, Used: 1_234_567}},
	}}
	for _, width := range []int{dashboard.Wide, dashboard.Narrow} {
		for _, over := range []*domain.Customer{&c, nil} {
			d.Customer = over
			svg := dashboard.Draw(d, width, "t")
			es := wellFormed(t, svg)
			if bytes.Contains(svg, []byte("<script")) || !bytes.Contains(svg, []byte("&lt;script&gt;")) {
				t.Errorf("width %d: the name is not escaped", width)
			}
			if !bytes.Contains(svg, []byte("1,234,567 / 2,000,000 · 61 %")) {
				t.Errorf("width %d: no figures with thousands separators", width)
			}
			if es[0][""] != "svg" || es[0]["data-width"] == "" || es[0]["aria-labelledby"] != "t-title t-desc" {
				t.Errorf("root = %v", es[0])
			}
			if !strings.Contains(string(svg), `<title id="t-title">`) || !strings.Contains(string(svg), `<desc id="t-desc">`) {
				t.Error("no title or desc")
			}
			if strings.Contains(string(svg), "style=") || strings.Contains(string(svg), "<style") || strings.Contains(string(svg), "<script") {
				t.Error("the drawing uses inline style or script, which the page's policy refuses")
			}
		}
	}
}
