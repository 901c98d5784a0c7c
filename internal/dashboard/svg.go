// Package dashboard draws custreg's dashboards (docs/api.md, "Dashboards")
// as standalone SVG documents, server-side: bars, polylines and text, with
// a <title> and <desc> for the whole and for each chart, every figure
// written out as text and every threshold named in words, so that neither
// colour nor a script is needed to read it. Styling is by presentation
// attributes only (no <style>, no style=""), so the same document inlined
// in a page obeys the page's Content-Security-Policy; classes
// ("dash-level-warn") and data- attributes name what each mark shows.
// Every text that comes from a user (customer and entity names) is
// escaped as XML.
package dashboard

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/custreg/custreg/internal/domain"
)

// Geometry and palette.
const (
	// Wide and Narrow are the widths SVG draws at: the page shows the
	// narrow drawing on small screens.
	Wide      = 960
	Narrow    = 360
	margin    = 24
	labelW    = 236 // the label column of a wide bar chart
	rowH      = 26
	maxLabel  = 34 // runes of a label before it is cut (the whole is in its <title>)
	colText   = "#1f2933"
	colMuted  = "#52606d"
	colGrid   = "#d9e2ec"
	colTrack  = "#e4e7eb"
	colBar    = "#2f6fdf"
	colNormal = "#2f6fdf"
	colWarn   = "#c27c00"
	colFull   = "#c8102e"
	colNone   = "#9aa5b1"
	font      = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
)

// LevelColour is the fill of a use at level (domain.UsageLevel).
func LevelColour(level string) string {
	switch level {
	case domain.LevelWarn:
		return colWarn
	case domain.LevelFull:
		return colFull
	case domain.LevelNone:
		return colNone
	}
	return colNormal
}

// levelWords says a level in words, so colour is not the only signal.
func levelWords(level string) string {
	switch level {
	case domain.LevelWarn:
		return "near limit"
	case domain.LevelFull:
		return "at limit"
	}
	return ""
}

type canvas struct {
	b      bytes.Buffer
	p      *message.Printer
	y      int
	width  int
	narrow bool
	id     string // prefix of the document's ids
}

// barX and barMaxW place a bar chart's bars: right of the labels when
// wide, under them when narrow.
func (c *canvas) barX() int {
	if c.narrow {
		return margin
	}
	return margin + labelW
}

func (c *canvas) barMaxW() int {
	if c.narrow {
		return c.width - 2*margin - 56
	}
	return 520
}

// row starts a bar's row: in a narrow drawing the label has a line of
// its own above the bar. It returns the y of the bar's top.
func (c *canvas) row(label string) int {
	if c.narrow {
		c.label(margin, c.y+14, label, 40)
		c.y += 18
	} else {
		c.label(margin, c.y+16, label, maxLabel)
	}
	return c.y + 3
}

func (c *canvas) f(format string, args ...any) { fmt.Fprintf(&c.b, format, args...) }

// num writes n with thousands separators.
func (c *canvas) num(n int64) string { return c.p.Sprintf("%d", n) }

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// cut shortens s to maxLabel runes with an ellipsis.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func (c *canvas) text(x, y int, size int, fill, weight, anchor, s string) {
	c.f(`<text x="%d" y="%d" font-size="%d" fill="%s"`, x, y, size, fill)
	if weight != "" {
		c.f(` font-weight="%s"`, weight)
	}
	if anchor != "" {
		c.f(` text-anchor="%s"`, anchor)
	}
	c.f(`>%s</text>`+"\n", esc(s))
}

// label writes a label cut to n runes, with the whole in a <title>.
func (c *canvas) label(x, y int, s string, n int) {
	short := cut(s, n)
	if short == s {
		c.text(x, y, 13, colText, "", "", s)
		return
	}
	c.f(`<text x="%d" y="%d" font-size="13" fill="%s"><title>%s</title>%s</text>`+"\n", x, y, colText, esc(s), esc(short))
}

func (c *canvas) section(title string) {
	c.y += 14
	c.text(margin, c.y+18, 16, colText, "600", "", title)
	c.y += 30
}

// SVG draws d as one standalone SVG document, Wide.
func SVG(d domain.Dashboard) []byte { return Draw(d, Wide, "dash") }

// Draw draws d as one standalone SVG document width wide (Narrow stacks
// labels over bars and charts in one column), its ids starting with id.
func Draw(d domain.Dashboard, width int, id string) []byte {
	c := &canvas{p: message.NewPrinter(language.English), width: width, narrow: width < 600, id: id}
	over := "All customers"
	if d.Customer != nil {
		over = d.Customer.Name
	}
	c.y = 0
	c.text(margin, 38, 22, colText, "600", "", d.Entry.Name)
	sub := cut(over, 80) + " · as of " + d.At.UTC().Format("2 Jan 2006 15:04") + " UTC"
	if c.narrow {
		c.text(margin, 62, 13, colMuted, "", "", cut(over, 40))
		c.text(margin, 80, 13, colMuted, "", "", "as of "+d.At.UTC().Format("2 Jan 2006 15:04")+" UTC")
		c.y = 92
	} else {
		c.text(margin, 62, 14, colMuted, "", "", sub)
		c.y = 76
	}
	var desc string
	switch {
	case d.Overview != nil:
		desc = overview(c, d, *d.Overview)
	case d.Utilization != nil:
		desc = utilization(c, d, *d.Utilization)
	}
	c.y += margin
	var out bytes.Buffer
	fmt.Fprintf(&out, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" class="dash dash-%s" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-title %s-desc" font-family="%s" data-dashboard="%s" data-width="%d">`+"\n",
		esc(d.Entry.Key), width, c.y, width, c.y, esc(id), esc(id), font, esc(d.Entry.Key), width)
	fmt.Fprintf(&out, `<title id="%s-title">%s: %s</title>`+"\n", esc(id), esc(d.Entry.Name), esc(over))
	fmt.Fprintf(&out, `<desc id="%s-desc">%s</desc>`+"\n", esc(id), esc(desc))
	fmt.Fprintf(&out, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", width, c.y)
	out.Write(c.b.Bytes())
	out.WriteString("</svg>\n")
	return out.Bytes()
}

// figures draws a row of figure cards.
func (c *canvas) figures(items []domain.Count) {
	gap := 12
	perRow := len(items)
	if c.narrow {
		perRow = 2
	}
	w := (c.width - 2*margin - gap*(perRow-1)) / perRow
	c.f(`<g class="dash-figures" role="list">` + "\n")
	for i, it := range items {
		x := margin + (i%perRow)*(w+gap)
		y := c.y + (i/perRow)*(72+gap)
		c.f(`<g class="dash-figure" role="listitem" data-key="%s" data-value="%d">`, esc(it.Key), it.N)
		c.f(`<rect x="%d" y="%d" width="%d" height="72" rx="8" fill="#f5f7fa" stroke="%s"/>`+"\n", x, y, w, colGrid)
		c.text(x+14, y+34, 24, colText, "600", "", c.num(it.N))
		c.text(x+14, y+58, 13, colMuted, "", "", it.Label)
		c.f("</g>\n")
	}
	c.f("</g>\n")
	rows := (len(items) + perRow - 1) / perRow
	c.y += rows*(72+gap) - gap
}

// bars draws a horizontal bar chart of items.
func (c *canvas) bars(key, title string, items []domain.Count, empty string) {
	c.section(title)
	c.f(`<g class="dash-chart dash-bars" data-chart="%s" role="group" aria-label="%s">`+"\n", esc(key), esc(title))
	c.f(`<title>%s</title>`+"\n", esc(title))
	if len(items) == 0 {
		c.text(margin, c.y+16, 13, colMuted, "", "", empty)
		c.y += rowH
		c.f("</g>\n")
		return
	}
	var top int64 = 1
	for _, it := range items {
		top = max(top, it.N)
	}
	for _, it := range items {
		w := int(float64(c.barMaxW()) * float64(it.N) / float64(top))
		if it.N > 0 {
			w = max(w, 2)
		}
		c.f(`<g class="dash-row" data-key="%s" data-value="%d">`, esc(it.Key), it.N)
		y := c.row(it.Label)
		c.f(`<rect class="dash-bar" x="%d" y="%d" width="%d" height="16" rx="3" fill="%s"/>`, c.barX(), y, w, colBar)
		c.text(c.barX()+w+8, y+13, 13, colText, "", "", c.num(it.N))
		c.f("</g>\n")
		c.y += rowH
	}
	c.f("</g>\n")
}

// table draws rows of cells at the given column positions; a column
// whose position is negative is right-aligned at its absolute value.
func (c *canvas) table(key string, head []string, cols []int, rows [][]string, rowAttrs []string) {
	c.f(`<g class="dash-table" data-table="%s" role="table">`+"\n", esc(key))
	cell := func(i int, s string, weight, fill string) {
		x, anchor := cols[i], ""
		if x < 0 {
			x, anchor = -x, "end"
		}
		if i == 0 || (i == 1 && anchor == "") {
			lim := maxLabel
			if c.narrow {
				lim = 28
			}
			short := cut(s, lim)
			if short != s {
				c.f(`<text role="cell" x="%d" y="%d" font-size="13" fill="%s"><title>%s</title>%s</text>`, x, c.y+16, fill, esc(s), esc(short))
				return
			}
		}
		c.f(`<text role="cell" x="%d" y="%d" font-size="13" fill="%s"`, x, c.y+16, fill)
		if weight != "" {
			c.f(` font-weight="%s"`, weight)
		}
		if anchor != "" {
			c.f(` text-anchor="%s"`, anchor)
		}
		c.f(`>%s</text>`, esc(s))
	}
	c.f(`<g role="row">`)
	for i, h := range head {
		cell(i, h, "600", colMuted)
	}
	c.f("</g>\n")
	c.y += rowH
	c.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`+"\n", margin, c.y-6, c.width-margin, c.y-6, colGrid)
	for r, row := range rows {
		attrs := ""
		if r < len(rowAttrs) {
			attrs = rowAttrs[r]
		}
		c.f(`<g role="row"%s>`, attrs)
		for i, s := range row {
			cell(i, s, "", colText)
		}
		c.f("</g>\n")
		c.y += rowH
	}
	c.f("</g>\n")
}

func overview(c *canvas, d domain.Dashboard, o domain.Overview) string {
	figs := []domain.Count{}
	if d.Customer == nil {
		figs = append(figs, domain.Count{Key: "customers", Label: "Customers", N: o.Customers})
	}
	figs = append(figs,
		domain.Count{Key: "entities", Label: "Entities", N: o.Entities},
		domain.Count{Key: "assets", Label: "Assets", N: o.Assets},
		domain.Count{Key: "users", Label: "Users", N: o.Users},
		domain.Count{Key: "active_users", Label: "Active users", N: o.ActiveUsers},
		domain.Count{Key: "inactive_users", Label: "Inactive users", N: o.InactiveUsers})
	c.figures(figs)
	c.bars("assets_by_class", "Assets by class", o.AssetsByClass, "")
	c.bars("assets_by_entity", "Assets by entity", o.AssetsByEntity, "No asset is placed at an entity.")
	c.bars("users_by_kind", "Users by kind", o.UsersByKind, "")

	if c.narrow {
		c.section(fmt.Sprintf("Top entities by assets (%d of %s)", len(o.TopEntities), c.num(o.Entities)))
	} else {
		c.section(fmt.Sprintf("Entities with the most assets (top %d of %s)", len(o.TopEntities), c.num(o.Entities)))
	}
	if len(o.TopEntities) == 0 {
		c.text(margin, c.y+16, 13, colMuted, "", "", "No entities.")
		c.y += rowH
	} else {
		head := []string{"Entity", "Assets", "Users"}
		cols := []int{margin, -(c.width - margin - 120), -(c.width - margin)}
		org := d.Customer == nil && !c.narrow
		if c.narrow {
			cols = []int{margin, -(c.width - margin - 64), -(c.width - margin)}
		}
		if org {
			head = []string{"Entity", "Customer", "Assets", "Users"}
			cols = []int{margin, margin + 340, -(c.width - margin - 120), -(c.width - margin)}
		}
		var rows [][]string
		for _, e := range o.TopEntities {
			row := []string{e.Name}
			switch {
			case org:
				row = append(row, e.CustomerName)
			case d.Customer == nil:
				row[0] = e.Name + " · " + e.CustomerName
			}
			rows = append(rows, append(row, c.num(e.Assets), c.num(e.Users)))
		}
		c.table("top_entities", head, cols, rows, nil)
	}
	return fmt.Sprintf("%s entities, %s assets (%s IT, %s non-IT, %s mobile), %s users (%s active, %s inactive).",
		c.num(o.Entities), c.num(o.Assets), c.num(countOf(o.AssetsByClass, domain.AssetIT)), c.num(countOf(o.AssetsByClass, domain.AssetNonIT)),
		c.num(countOf(o.AssetsByClass, domain.AssetMobile)), c.num(o.Users), c.num(o.ActiveUsers), c.num(o.InactiveUsers))
}

func countOf(cs []domain.Count, key string) int64 {
	for _, x := range cs {
		if x.Key == key {
			return x.N
		}
	}
	return 0
}

// useText is "used / allocated · pct %" with the level in words.
func (c *canvas) useText(allocated, used int64) string {
	level := domain.UsageLevel(allocated, used)
	if level == domain.LevelNone {
		return "none allocated"
	}
	s := fmt.Sprintf("%s / %s · %d %%", c.num(used), c.num(allocated), domain.UsagePercent(allocated, used))
	if w := levelWords(level); w != "" {
		s += " · " + w
	}
	return s
}

func utilization(c *canvas, d domain.Dashboard, u domain.Utilization) string {
	if c.narrow {
		c.section("Allocated and used")
	} else {
		c.section("Allocated and used, per license type")
	}
	c.f(`<g class="dash-chart dash-utilization" data-chart="licenses" role="group" aria-label="Allocated and used, per license type">` + "\n")
	c.f("<title>Allocated and used, per license type (amber from 80 %%, red at 100 %%)</title>\n")
	trackW := 440
	if c.narrow {
		trackW = c.width - 2*margin
	}
	var near []string
	for _, l := range u.Licenses {
		level := domain.UsageLevel(l.Allocated, l.Used)
		frac := 0.0
		if l.Allocated > 0 {
			frac = min(float64(l.Used)/float64(l.Allocated), 1)
		}
		w := int(float64(trackW) * frac)
		if l.Used > 0 {
			w = max(w, 2)
		}
		c.f(`<g class="dash-row dash-level-%s" data-type="%s" data-level="%s" data-allocated="%d" data-used="%d" data-percent="%d">`,
			level, l.Type, level, l.Allocated, l.Used, domain.UsagePercent(l.Allocated, l.Used))
		weight := ""
		if level == domain.LevelWarn || level == domain.LevelFull {
			weight = "600"
			near = append(near, domain.LicenseName(l.Type)+" "+c.useText(l.Allocated, l.Used))
		}
		x, y := c.barX(), c.y+4
		if c.narrow {
			// The name and the figures on a line, the bar under them.
			c.label(margin, c.y+14, domain.LicenseName(l.Type), 24)
			c.text(c.width-margin, c.y+14, 12, colText, weight, "end", c.useText(l.Allocated, l.Used))
			y = c.y + 20
		} else {
			c.label(margin, c.y+17, domain.LicenseName(l.Type), maxLabel)
			c.text(x+trackW+12, c.y+17, 13, colText, weight, "", c.useText(l.Allocated, l.Used))
		}
		c.f(`<rect class="dash-track" x="%d" y="%d" width="%d" height="18" rx="3" fill="%s"/>`, x, y, trackW, colTrack)
		c.f(`<rect class="dash-bar dash-level-%s" x="%d" y="%d" width="%d" height="18" rx="3" fill="%s"/>`, level, x, y, w, LevelColour(level))
		c.f("</g>\n")
		c.y += rowH + 4
		if c.narrow {
			c.y += 20
		}
	}
	c.f("</g>\n")

	trend(c, u)

	if d.Customer == nil {
		c.section("Customers closest to their limit")
		if len(u.NearLimit) == 0 {
			c.text(margin, c.y+16, 13, colMuted, "", "", "No customer has licenses allocated.")
			c.y += rowH
		} else {
			var rows [][]string
			var attrs []string
			for _, n := range u.NearLimit {
				level := domain.UsageLevel(n.Allocated, n.Used)
				rows = append(rows, []string{n.CustomerName, domain.LicenseName(n.Type), c.num(n.Used) + " / " + c.num(n.Allocated),
					fmt.Sprintf("%d %%", domain.UsagePercent(n.Allocated, n.Used)), levelWords(level)})
				attrs = append(attrs, fmt.Sprintf(` class="dash-level-%s" data-level="%s" data-customer="%s"`, level, level, esc(n.CustomerID)))
			}
			if c.narrow {
				// Two lines a customer: its name and percentage, then
				// the license type and figures.
				c.f(`<g class="dash-table" data-table="near_limit" role="list">` + "\n")
				for i, n := range u.NearLimit {
					c.f(`<g role="listitem"%s>`, attrs[i])
					c.label(margin, c.y+14, n.CustomerName, 30)
					c.text(c.width-margin, c.y+14, 13, colText, "600", "end", rows[i][3])
					line := rows[i][1] + " · " + rows[i][2]
					if rows[i][4] != "" {
						line += " · " + rows[i][4]
					}
					c.text(margin, c.y+31, 12, colMuted, "", "", line)
					c.f("</g>\n")
					c.y += 42
				}
				c.f("</g>\n")
			} else {
				c.table("near_limit", []string{"Customer", "License type", "Used / allocated", "Used", ""},
					[]int{margin, margin + 320, -(margin + 660), -(margin + 740), margin + 760}, rows, attrs)
			}
		}
	}
	desc := "Per license type, used against allocated, with the daily history of the last " + fmt.Sprint(domain.UsageHistoryDays) + " days."
	if len(near) > 0 {
		desc += " Near or at the limit: " + strings.Join(near, "; ") + "."
	} else {
		desc += " No license type is near its limit."
	}
	return desc
}

// trend draws one small chart per license type: used as a solid line,
// the allocation as a dashed one, over the days from u.From to u.To.
func trend(c *canvas, u domain.Utilization) {
	from, _ := time.Parse(domain.DayLayout, u.From)
	to, _ := time.Parse(domain.DayLayout, u.To)
	days := int(to.Sub(from).Hours()/24) + 1
	c.section(fmt.Sprintf("Daily use, the last %d days", days))
	c.f(`<g class="dash-legend">`)
	c.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>`, margin, c.y+6, margin+28, c.y+6, colBar)
	c.text(margin+36, c.y+11, 13, colText, "", "", "used")
	c.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1.5" stroke-dasharray="6 4"/>`, margin+100, c.y+6, margin+128, c.y+6, colMuted)
	c.text(margin+136, c.y+11, 13, colText, "", "", "allocated (dashed)")
	c.f("</g>\n")
	c.y += 22
	byType := map[string][]domain.UsagePoint{}
	for _, p := range u.History {
		byType[p.Type] = append(byType[p.Type], p)
	}
	const cellH, gap = 150, 24
	cols := 2
	if c.narrow {
		cols = 1
	}
	cellW := (c.width - 2*margin - gap*(cols-1)) / cols
	for i, typ := range domain.LicenseTypes {
		x0 := margin + (i%cols)*(cellW+gap)
		y0 := c.y + (i/cols)*(cellH+12)
		pts := byType[typ]
		name := domain.LicenseName(typ)
		c.f(`<g class="dash-chart dash-trend" data-type="%s" data-points="%d" role="group" aria-label="%s">`+"\n", typ, len(pts), esc(name+", daily use"))
		summary := name + ": no history yet"
		if len(pts) > 0 {
			last := pts[len(pts)-1]
			summary = fmt.Sprintf("%s: %s used of %s allocated on %s, %d days recorded", name, c.num(last.Used), c.num(last.Allocated), last.Day, len(pts))
		}
		c.f("<title>%s</title>\n", esc(summary))
		c.f(`<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="none" stroke="%s"/>`+"\n", x0, y0, cellW, cellH, colGrid)
		c.text(x0+12, y0+20, 13, colText, "600", "", name)
		px, pw := x0+56, cellW-72
		py, ph := y0+32, cellH-64
		var top int64 = 1
		for _, p := range pts {
			top = max(top, p.Used, p.Allocated)
		}
		c.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, px, py+ph, px+pw, py+ph, colGrid)
		c.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s"/>`+"\n", px, py, px+pw, py, colGrid)
		c.text(px-6, py+4, 11, colMuted, "", "end", c.num(top))
		c.text(px-6, py+ph+4, 11, colMuted, "", "end", "0")
		c.text(px, py+ph+18, 11, colMuted, "", "", from.Format("2 Jan"))
		c.text(px+pw/2, py+ph+18, 11, colMuted, "", "middle", from.AddDate(0, 0, (days-1)/2).Format("2 Jan"))
		c.text(px+pw, py+ph+18, 11, colMuted, "", "end", to.Format("2 Jan"))
		if len(pts) == 0 {
			c.text(px+pw/2, py+ph/2+4, 12, colMuted, "", "middle", "No snapshots yet")
			c.f("</g>\n")
			continue
		}
		xy := func(p domain.UsagePoint, v int64) (float64, float64) {
			day, _ := time.Parse(domain.DayLayout, p.Day)
			i := day.Sub(from).Hours() / 24
			x := float64(px)
			if days > 1 {
				x += float64(pw) * i / float64(days-1)
			}
			return x, float64(py+ph) - float64(ph)*float64(v)/float64(top)
		}
		line := func(class string, v func(domain.UsagePoint) int64, attrs string) {
			var b strings.Builder
			for j, p := range pts {
				x, y := xy(p, v(p))
				if j > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%.1f,%.1f", x, y)
			}
			c.f(`<polyline class="%s" points="%s" fill="none" %s/>`+"\n", class, b.String(), attrs)
		}
		line("dash-allocated", func(p domain.UsagePoint) int64 { return p.Allocated }, `stroke="`+colMuted+`" stroke-width="1.5" stroke-dasharray="6 4"`)
		line("dash-used", func(p domain.UsagePoint) int64 { return p.Used }, `stroke="`+colBar+`" stroke-width="2"`)
		last := pts[len(pts)-1]
		lx, ly := xy(last, last.Used)
		c.f(`<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", lx, ly, colBar)
		latest := c.num(last.Used) + " / " + c.num(last.Allocated)
		if last.Allocated == 0 && last.Used == 0 {
			latest = "none allocated"
		}
		c.text(x0+cellW-12, y0+20, 12, colMuted, "", "end", latest)
		c.f("</g>\n")
	}
	rows := (len(domain.LicenseTypes) + cols - 1) / cols
	c.y += rows*(cellH+12) - 12
}
