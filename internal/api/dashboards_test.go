package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/service"
)

// svgElement is an element of a dashboard's SVG, with its attributes and
// the text it holds.
type svgElement struct {
	Name  string
	Attrs map[string]string
	Text  string
}

// parseSVG decodes the whole document as XML (failing the test if it is
// not well-formed) and returns its elements in document order.
func parseSVG(t *testing.T, body []byte) []svgElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	var out []svgElement
	var stack []int
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, body)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = x.Name.Local
				if x.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root element in namespace %q", x.Name.Space)
				}
			}
			e := svgElement{Name: x.Name.Local, Attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.Attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.CharData:
			for _, i := range stack {
				out[i].Text += string(x)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return out
}

// find returns the elements named name whose attribute attr is value.
func find(es []svgElement, name, attr, value string) []svgElement {
	var out []svgElement
	for _, e := range es {
		if e.Name == name && e.Attrs[attr] == value {
			out = append(out, e)
		}
	}
	return out
}

func one(t *testing.T, es []svgElement, name, attr, value string) svgElement {
	t.Helper()
	got := find(es, name, attr, value)
	if len(got) != 1 {
		t.Fatalf("%d <%s %s=%q>, want 1", len(got), name, attr, value)
	}
	return got[0]
}

type dashWorld struct {
	app    *apptest.App
	admin  *apptest.Client
	clock  *apptest.Clock
	a, b   domain.Customer
	aUser  *apptest.Client
	counts map[string]int64 // what the test created for A, recounted
}

// newDashWorld creates A (whose name needs escaping) with entities,
// assets of every class, users of both kinds and states, and B with a
// little, and signs in one of A's users.
func newDashWorld(t *testing.T, app *apptest.App, clock *apptest.Clock) *dashWorld {
	t.Helper()
	svc, org := app.Service, app.AdminContext()
	w := &dashWorld{app: app, admin: app.AdminClient(t), clock: clock, counts: map[string]int64{}}
	var err error
	entities := []domain.EntityInput{}
	for i := range 12 {
		entities = append(entities, domain.EntityInput{Name: fmt.Sprintf("Site %02d", i)})
	}
	if w.a, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: `<script>alert(1)</script> & "Sons"`, Code: "ESC1"},
		Entities: entities, Licenses: apptest.Roomy()}); err != nil {
		t.Fatal(err)
	}
	if w.b, err = svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Bravo Dash", Code: "BRAVOD"},
		Entities: []domain.EntityInput{{Name: "Bravo Only"}}, Licenses: apptest.Roomy()}); err != nil {
		t.Fatal(err)
	}
	ents, err := svc.ListEntities(org, w.a.ID, domain.EntityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	w.counts["entities"] = int64(len(ents.Items))
	// Entity i gets 12-i assets, cycling through the classes; two assets
	// are placed at no entity.
	classes := domain.AssetClasses
	k := 0
	for i, e := range ents.Items {
		for range 12 - i {
			class := classes[k%3]
			k++
			if _, err := svc.CreateAsset(org, domain.AssetInput{Name: fmt.Sprintf("Asset %d", k), Class: class, CustomerID: w.a.ID, EntityID: e.ID}); err != nil {
				t.Fatal(err)
			}
			w.counts["class."+class]++
			w.counts["entity."+e.Name]++
			w.counts["assets"]++
		}
	}
	for i := range 2 {
		if _, err := svc.CreateAsset(org, domain.AssetInput{Name: fmt.Sprintf("Loose %d", i), Class: domain.AssetMobile, CustomerID: w.a.ID}); err != nil {
			t.Fatal(err)
		}
		w.counts["class."+domain.AssetMobile]++
		w.counts["assets"]++
	}
	// Assets of B and of the organization are not A's.
	if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "Bravo box", Class: domain.AssetIT, CustomerID: w.b.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "Org box", Class: domain.AssetIT}); err != nil {
		t.Fatal(err)
	}
	no := false
	for i, u := range []struct {
		kind   string
		active bool
	}{{domain.KindUser, true}, {domain.KindUser, true}, {domain.KindUser, false}, {domain.KindTechnician, true}} {
		in := domain.UserInput{Email: fmt.Sprintf("u%d@esc.example", i), Name: "Person", Kind: u.kind, Role: domain.RoleCustomerUser,
			CustomerID: w.a.ID, Password: leakPassword}
		if !u.active {
			in.IsActive = &no
		}
		if i == 3 {
			in.Role = domain.RoleCustomerTechnician
		}
		if _, err := svc.CreateUser(org, in); err != nil {
			t.Fatal(err)
		}
		w.counts["kind."+u.kind]++
		w.counts["users"]++
		if u.active {
			w.counts["active"]++
		} else {
			w.counts["inactive"]++
		}
	}
	w.aUser = app.Client(t)
	wantStatus(t, w.aUser.Do("POST", "/api/v1/auth/login", map[string]string{"email": "u0@esc.example", "password": leakPassword}, nil), 200)
	return w
}

func (w *dashWorld) json(t *testing.T, c *apptest.Client, path string) map[string]any {
	t.Helper()
	res := c.Do("GET", path, nil, nil)
	wantStatus(t, res, 200)
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	return res.JSON(t)
}

func (w *dashWorld) svg(t *testing.T, c *apptest.Client, path string) ([]byte, []svgElement) {
	t.Helper()
	res := c.Do("GET", path, nil, nil)
	wantStatus(t, res, 200)
	for k, want := range map[string]string{"Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "no-store",
		"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", path, k, got, want)
		}
	}
	return res.Body, parseSVG(t, res.Body)
}

func countsOf(v any) map[string]int64 {
	out := map[string]int64{}
	for _, x := range v.([]any) {
		m := x.(map[string]any)
		out[m["key"].(string)] = int64(m["count"].(float64))
	}
	return out
}

// TestDashboardCustomerOverview: every figure is a recount of what the
// test created; the SVG draws the same and escapes the customer's name.
func TestDashboardCustomerOverview(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newDashWorld(t, app, nil)
		path := "/api/v1/dashboards/customer_overview?customer_id=" + w.a.ID
		for _, c := range []*apptest.Client{w.admin, w.aUser} {
			d := w.json(t, c, path+"&format=json")
			if d["customer"].(map[string]any)["name"] != w.a.Name {
				t.Errorf("customer = %v", d["customer"])
			}
			o := d["overview"].(map[string]any)
			for k, want := range map[string]int64{"customers": 1, "entities": w.counts["entities"], "assets": w.counts["assets"],
				"users": w.counts["users"], "active_users": w.counts["active"], "inactive_users": w.counts["inactive"]} {
				if got := int64(o[k].(float64)); got != want {
					t.Errorf("%s = %d, want %d", k, got, want)
				}
			}
			byClass := countsOf(o["assets_by_class"])
			for _, class := range domain.AssetClasses {
				if byClass[class] != w.counts["class."+class] {
					t.Errorf("assets of class %s = %d, want %d", class, byClass[class], w.counts["class."+class])
				}
			}
			byKind := countsOf(o["users_by_kind"])
			for _, kind := range []string{domain.KindUser, domain.KindTechnician} {
				if byKind[kind] != w.counts["kind."+kind] {
					t.Errorf("users of kind %s = %d, want %d", kind, byKind[kind], w.counts["kind."+kind])
				}
			}
			// The top 10 entities by assets, then "other": the rest of
			// the entities' and the two placed at none.
			bars := o["assets_by_entity"].([]any)
			if len(bars) != 11 {
				t.Fatalf("assets_by_entity has %d bars, want 10 and other", len(bars))
			}
			var sum int64
			for i, b := range bars[:10] {
				m := b.(map[string]any)
				name := fmt.Sprintf("Site %02d", i)
				if m["label"] != name || int64(m["count"].(float64)) != w.counts["entity."+name] {
					t.Errorf("bar %d = %v, want %s with %d", i, m, name, w.counts["entity."+name])
				}
				sum += int64(m["count"].(float64))
			}
			other := bars[10].(map[string]any)
			if other["key"] != "other" || int64(other["count"].(float64)) != w.counts["assets"]-sum || w.counts["assets"]-sum != 2+1+2 {
				t.Errorf("other = %v, want %d", other, w.counts["assets"]-sum)
			}
			top := o["top_entities"].([]any)
			if len(top) != 10 || top[0].(map[string]any)["name"] != "Site 00" || top[0].(map[string]any)["assets"] != 12.0 {
				t.Errorf("top entities = %v", top)
			}
		}

		// The organization view counts every customer's records, not the
		// organization's own.
		o := w.json(t, w.admin, "/api/v1/dashboards/customer_overview?format=json")["overview"].(map[string]any)
		if o["customers"] != 2.0 || int64(o["assets"].(float64)) != w.counts["assets"]+1 || int64(o["entities"].(float64)) != w.counts["entities"]+1 {
			t.Errorf("organization overview = %v", o)
		}

		body, es := w.svg(t, w.admin, path)
		if bytes.Contains(body, []byte("<script")) || !bytes.Contains(body, []byte("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Sons&#34;")) {
			t.Errorf("the customer's name is not escaped:\n%s", body)
		}
		if title := one(t, es, "title", "id", "dash-title"); !strings.Contains(title.Text, w.a.Name) {
			t.Errorf("title = %q", title.Text)
		}
		if desc := one(t, es, "desc", "id", "dash-desc"); !strings.Contains(desc.Text, fmt.Sprintf("%d assets", w.counts["assets"])) {
			t.Errorf("desc = %q", desc.Text)
		}
		for key, want := range map[string]int64{"entities": w.counts["entities"], "assets": w.counts["assets"], "users": w.counts["users"],
			"active_users": w.counts["active"], "inactive_users": w.counts["inactive"]} {
			if got := one(t, es, "g", "data-key", key); got.Attrs["data-value"] != fmt.Sprint(want) || !strings.Contains(got.Text, fmt.Sprint(want)) {
				t.Errorf("figure %s = %v, want %d", key, got, want)
			}
		}
		chart := func(key string) []svgElement {
			var rows []svgElement
			in := false
			depth := 0
			for _, e := range es {
				if e.Name == "g" && e.Attrs["data-chart"] == key {
					in, depth = true, 0
					continue
				}
				if in && e.Name == "g" && e.Attrs["class"] == "dash-row" {
					rows = append(rows, e)
					depth++
				}
				if in && e.Name == "g" && e.Attrs["data-chart"] != "" && e.Attrs["data-chart"] != key {
					in = false
				}
			}
			return rows
		}
		if rows := chart("assets_by_entity"); len(rows) != 11 || rows[0].Attrs["data-value"] != "12" || !strings.Contains(rows[10].Text, "Other") {
			t.Errorf("assets by entity rows = %v", rows)
		}
		if rows := chart("assets_by_class"); len(rows) != 3 || rows[0].Attrs["data-value"] != fmt.Sprint(w.counts["class.it"]) {
			t.Errorf("assets by class rows = %v", rows)
		}
	})
}

// TestDashboardLicenseUtilization: the threshold colours at 79, 80 and
// 100 %, the history drawn from snapshots taken day by day, and the
// organization's customers closest to their limit.
func TestDashboardLicenseUtilization(t *testing.T) {
	clock := apptest.NewClock(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	forEachStore(t, apptest.Options{Now: clock.Now}, func(t *testing.T, app *apptest.App) {
		clock.Add(24 * time.Hour) // each store starts its own history on a new day
		svc, org := app.Service, app.AdminContext()
		n := func(v int64) *int64 { return &v }
		c, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Growing & Co", Code: "GROW"},
			Licenses: domain.LicenseCounts{domain.LicenseITAssets: n(24), domain.LicenseNonITAssets: n(5), domain.LicenseMobileDevices: n(1)}})
		if err != nil {
			t.Fatal(err)
		}
		other, err := svc.RegisterCustomer(org, service.NewCustomer{Customer: domain.CustomerInput{Name: "Calm Ltd", Code: "CALM"},
			Licenses: domain.LicenseCounts{domain.LicenseITAssets: n(10)}})
		if err != nil {
			t.Fatal(err)
		}
		add := func(customerID, class string, k int) {
			for range k {
				if _, err := svc.CreateAsset(org, domain.AssetInput{Name: "Box " + time.Now().Format("150405.000000000"), Class: class, CustomerID: customerID}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Five days of history: IT assets grow 15, 16, 17, 18, 19 of 24.
		days := 5
		add(c.ID, domain.AssetIT, 14)
		add(other.ID, domain.AssetIT, 1)
		for range days {
			add(c.ID, domain.AssetIT, 1)
			if _, err := svc.SnapshotUsage(context.Background()); err != nil {
				t.Fatal(err)
			}
			clock.Add(24 * time.Hour)
		}
		clock.Add(-24 * time.Hour) // today is the last snapshot's day
		add(c.ID, domain.AssetNonIT, 4)
		add(c.ID, domain.AssetMobile, 1)
		admin := app.AdminClient(t) // signed in today, days after the stack started

		d := (&dashWorld{}).json(t, admin, "/api/v1/dashboards/license_utilization?format=json&customer_id="+c.ID)
		u := d["utilization"].(map[string]any)
		want := map[string][3]any{ // allocated, used, level
			domain.LicenseITAssets:      {24.0, 19.0, "normal"},
			domain.LicenseNonITAssets:   {5.0, 4.0, "warn"},
			domain.LicenseMobileDevices: {1.0, 1.0, "full"},
			domain.LicenseUsers:         {0.0, 0.0, "none"},
		}
		for _, l := range u["licenses"].([]any) {
			m := l.(map[string]any)
			if w, ok := want[m["type"].(string)]; ok && (m["allocated"] != w[0] || m["used"] != w[1] || m["level"] != w[2]) {
				t.Errorf("%s = %v, want %v", m["type"], m, w)
			}
		}
		h := u["history"].(map[string]any)
		today := domain.Day(clock.Now())
		if h["to"] != today || h["from"] != domain.Day(clock.Now().AddDate(0, 0, -89)) {
			t.Errorf("history from %v to %v, today %s", h["from"], h["to"], today)
		}
		var itUsed []float64
		for _, p := range h["points"].([]any) {
			m := p.(map[string]any)
			if m["type"] == domain.LicenseITAssets {
				itUsed = append(itUsed, m["used"].(float64))
			}
		}
		if !slices.Equal(itUsed, []float64{15, 16, 17, 18, 19}) {
			t.Errorf("IT assets history = %v", itUsed)
		}
		if _, ok := u["near_limit"]; ok {
			t.Error("one customer's utilization lists near_limit")
		}

		_, es := (&dashWorld{}).svg(t, admin, "/api/v1/dashboards/license_utilization?customer_id="+c.ID)
		for typ, w := range map[string]struct{ level, fill, text string }{
			domain.LicenseITAssets:      {"normal", "#2f6fdf", "19 / 24 · 79 %"},
			domain.LicenseNonITAssets:   {"warn", "#c27c00", "4 / 5 · 80 % · near limit"},
			domain.LicenseMobileDevices: {"full", "#c8102e", "1 / 1 · 100 % · at limit"},
			domain.LicenseUsers:         {"none", "#9aa5b1", "none allocated"},
		} {
			var rows []svgElement
			for _, e := range find(es, "g", "data-type", typ) {
				if strings.HasPrefix(e.Attrs["class"], "dash-row") {
					rows = append(rows, e)
				}
			}
			if len(rows) != 1 {
				t.Fatalf("%d usage rows of %s", len(rows), typ)
			}
			row := rows[0]
			if row.Attrs["data-level"] != w.level || row.Attrs["class"] != "dash-row dash-level-"+w.level || !strings.Contains(row.Text, w.text) {
				t.Errorf("%s row = %v, want level %s and %q", typ, row, w.level, w.text)
			}
			if typ == domain.LicenseUsers {
				continue // one of four types with nothing allocated
			}
			if bar := one(t, es, "rect", "class", "dash-bar dash-level-"+w.level); bar.Attrs["fill"] != w.fill {
				t.Errorf("%s bar fill = %s, want %s", typ, bar.Attrs["fill"], w.fill)
			}
		}
		var trend svgElement
		for _, e := range es {
			if e.Attrs["class"] == "dash-chart dash-trend" && e.Attrs["data-type"] == domain.LicenseITAssets {
				trend = e
			}
		}
		if trend.Attrs["data-points"] != fmt.Sprint(days) {
			t.Errorf("IT assets trend = %v, want %d points", trend.Attrs, days)
		}
		used := find(es, "polyline", "class", "dash-used")
		allocated := find(es, "polyline", "class", "dash-allocated")
		if len(used) == 0 || len(allocated) == 0 || allocated[0].Attrs["stroke-dasharray"] == "" {
			t.Fatalf("trend lines: used %v, allocated %v", used, allocated)
		}
		// The IT assets line rises day by day: each point is higher (a
		// smaller y) than the one before, at an x one day further on.
		var line svgElement
		inIT := false
		for _, e := range es {
			if e.Attrs["class"] == "dash-chart dash-trend" {
				inIT = e.Attrs["data-type"] == domain.LicenseITAssets
			}
			if inIT && e.Name == "polyline" && e.Attrs["class"] == "dash-used" {
				line = e
			}
		}
		var xs, ys []float64
		for _, pt := range strings.Fields(line.Attrs["points"]) {
			var x, y float64
			if _, err := fmt.Sscanf(pt, "%g,%g", &x, &y); err != nil {
				t.Fatalf("point %q: %v", pt, err)
			}
			xs, ys = append(xs, x), append(ys, y)
		}
		if len(xs) != days {
			t.Fatalf("used line points = %q", line.Attrs["points"])
		}
		for i := 1; i < len(xs); i++ {
			if xs[i] <= xs[i-1] || ys[i] >= ys[i-1] {
				t.Errorf("point %d (%g,%g) does not rise from (%g,%g)", i, xs[i], ys[i], xs[i-1], ys[i-1])
			}
		}

		// Every customer: the sum, and the customers closest to their limit.
		all := (&dashWorld{}).json(t, admin, "/api/v1/dashboards/license_utilization?format=json")["utilization"].(map[string]any)
		for _, l := range all["licenses"].([]any) {
			m := l.(map[string]any)
			if m["type"] == domain.LicenseITAssets && (m["allocated"] != 34.0 || m["used"] != 20.0) {
				t.Errorf("every customer's it_assets = %v, want 20 of 34", m)
			}
		}
		near := all["near_limit"].([]any)
		if len(near) != 2 || near[0].(map[string]any)["customer_id"] != c.ID || near[0].(map[string]any)["type"] != domain.LicenseMobileDevices ||
			near[0].(map[string]any)["level"] != "full" || near[1].(map[string]any)["customer_id"] != other.ID || near[1].(map[string]any)["percent"] != 10.0 {
			t.Errorf("near limit = %v", near)
		}
		var sums []float64
		for _, p := range all["history"].(map[string]any)["points"].([]any) {
			if m := p.(map[string]any); m["type"] == domain.LicenseITAssets {
				sums = append(sums, m["used"].(float64))
			}
		}
		if !slices.Equal(sums, []float64{16, 17, 18, 19, 20}) {
			t.Errorf("every customer's IT assets history = %v", sums)
		}
		body, es := (&dashWorld{}).svg(t, admin, "/api/v1/dashboards/license_utilization")
		rows := find(es, "g", "data-customer", c.ID)
		if len(rows) != 1 || rows[0].Attrs["data-level"] != "full" || !strings.Contains(rows[0].Text, "Growing & Co") || !strings.Contains(rows[0].Text, "at limit") {
			t.Errorf("near-limit row = %v", rows)
		}
		if !bytes.Contains(body, []byte("Growing &amp; Co")) {
			t.Error("the customer's name is not escaped in the near-limit table")
		}
	})
}

// TestDashboardScope: a customer's user gets its own customer's
// dashboards only; another customer's id, a dashboard its customer does
// not support and an unknown key are the same 404; bad formats are 400.
func TestDashboardScope(t *testing.T) {
	forEachStore(t, apptest.Options{}, func(t *testing.T, app *apptest.App) {
		w := newDashWorld(t, app, nil)
		own := w.json(t, w.aUser, "/api/v1/dashboards/customer_overview?format=json")
		if own["customer"].(map[string]any)["id"] != w.a.ID {
			t.Errorf("a customer user's overview is of %v", own["customer"])
		}
		notFound := func(c *apptest.Client, path string) string {
			t.Helper()
			res := c.Do("GET", path, nil, nil)
			wantProblem(t, res, 404, "not-found")
			var p struct{ Detail string }
			_ = json.Unmarshal(res.Body, &p)
			return p.Detail
		}
		other := notFound(w.aUser, "/api/v1/dashboards/customer_overview?customer_id="+w.b.ID)
		if other != notFound(w.aUser, "/api/v1/dashboards/customer_overview?customer_id=0190b2a4-0000-7000-8000-000000000000") {
			t.Error("another customer's id and an unknown one answer differently")
		}
		notFound(w.aUser, "/api/v1/dashboards/policy_audit")
		notFound(w.admin, "/api/v1/dashboards/policy_audit")
		notFound(w.admin, "/api/v1/dashboards/customer_overview?customer_id=0190b2a4-0000-7000-8000-000000000000")
		wantProblem(t, w.admin.Do("GET", "/api/v1/dashboards/customer_overview?format=pdf", nil, nil), 400, "bad-request")

		// A customer that supports only the overview: its user cannot open
		// the utilization, and the catalog it lists says so; the
		// organization still can.
		c, err := app.Service.Customer(app.AdminContext(), w.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		res := w.admin.Do("PATCH", "/api/v1/customers/"+w.a.ID, map[string]any{"dashboards": []string{"customer_overview"}},
			map[string]string{"Content-Type": "application/merge-patch+json", "If-Match": fmt.Sprintf(`"%d"`, c.Version)})
		wantStatus(t, res, 200)
		unsupported := notFound(w.aUser, "/api/v1/dashboards/license_utilization")
		if strings.Contains(unsupported, "support") {
			t.Errorf("the 404 tells that the dashboard is unsupported: %q", unsupported)
		}
		if keys := keysOf(t, w.aUser.Do("GET", "/api/v1/dashboards", nil, nil)); !slices.Equal(keys, []string{"customer_overview"}) {
			t.Errorf("catalog = %v", keys)
		}
		w.json(t, w.aUser, "/api/v1/dashboards/customer_overview?format=json")
		w.json(t, w.admin, "/api/v1/dashboards/license_utilization?format=json&customer_id="+w.a.ID)
		if res := w.aUser.Do("GET", "/api/v1/dashboards/customer_overview?customer_id="+w.a.ID, nil, nil); res.Status != http.StatusOK {
			t.Errorf("own customer named: %d", res.Status)
		}
	})
}
