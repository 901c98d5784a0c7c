package soaktest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"

	"github.com/custreg/custreg/internal/domain"
)

func remarshal(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

type customerOut struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Code          string `json:"code"`
	Phone         string `json:"phone"`
	Version       int64  `json:"version"`
	AssetsCount   int64  `json:"assets_count"`
	UsersCount    int64  `json:"users_count"`
	EntitiesCount int64  `json:"entities_count"`
	Location      struct {
		Country string `json:"country"`
		PinCode string `json:"pin_code"`
	} `json:"location"`
}

type assetOut struct {
	ID                     string  `json:"id"`
	Name                   string  `json:"name"`
	Class                  string  `json:"class"`
	CustomerID             *string `json:"customer_id"`
	EntityID               *string `json:"entity_id"`
	AvailabilityMonitoring bool    `json:"availability_monitoring"`
	PerformanceMonitoring  bool    `json:"performance_monitoring"`
	Version                int64   `json:"version"`
}

type userOut struct {
	ID         string   `json:"id"`
	Email      string   `json:"email"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	CustomerID *string  `json:"customer_id"`
	EntityIDs  []string `json:"entity_ids"`
	IsActive   bool     `json:"is_active"`
	Version    int64    `json:"version"`
}

type entityOut struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id"`
	Name       string `json:"name"`
	Version    int64  `json:"version"`
}

type licenseOut struct {
	Type      string `json:"type"`
	Allocated int64  `json:"allocated"`
	Used      int64  `json:"used"`
	Pool      *int64 `json:"pool"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// listAll reads every page of a list (path may carry a query) into items.
// It returns false, having noted a problem, if a page fails.
func listAll[T any](c *client, path string, items *[]T) bool {
	sep := "?"
	if u, _ := url.Parse(path); u != nil && u.RawQuery != "" {
		sep = "&"
	}
	cursor := ""
	for range 100_000 {
		p := path + sep + "limit=200"
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		r := c.call(0, "GET", p, nil, "", 200)
		if r.status != 200 {
			return false
		}
		var page struct {
			Items      []T     `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil {
			c.probs.add("bad list page", "%s: %v", p, err)
			return false
		}
		*items = append(*items, page.Items...)
		if page.NextCursor == nil || *page.NextCursor == "" {
			return true
		}
		cursor = *page.NextCursor
	}
	c.probs.add("endless list", "%s has more than 100,000 pages", path)
	return false
}

// usage is what records use, counted as SPEC §3 says (domain.User.Usage,
// domain.Asset.Usage).
func usage(users []userOut, assets []assetOut) domain.Licenses {
	l := domain.Licenses{}
	for _, u := range users {
		l.Add(domain.User{Kind: u.Kind, IsActive: u.IsActive}.Usage(), 1)
	}
	for _, a := range assets {
		l.Add(domain.Asset{Class: a.Class, AvailabilityMonitoring: a.AvailabilityMonitoring,
			PerformanceMonitoring: a.PerformanceMonitoring}.Usage(), 1)
	}
	return l
}

// world is what the recount read: every live customer with its records.
type world struct {
	customers map[string]customerOut
	assets    map[string]assetOut
	users     map[string]userOut
	entities  map[string]entityOut
}

// recount reads everything through the API (node 0) and checks every kept
// figure against the records: each customer's assets_count, users_count and
// entities_count against its lists, its license use against a recount by
// class, kind, activity and monitoring, used ≤ allocated, and the
// organization's used and allocated against the sums. Records must sit
// where they say (an asset's entity is its customer's).
func recount(c *client) world {
	w := world{customers: map[string]customerOut{}, assets: map[string]assetOut{}, users: map[string]userOut{}, entities: map[string]entityOut{}}
	var customers []customerOut
	if !listAll(c, "/api/v1/customers", &customers) {
		return w
	}
	var allocated domain.Licenses = domain.Licenses{}
	for _, cu := range customers {
		w.customers[cu.ID] = cu
		var assets []assetOut
		var users []userOut
		var entities []entityOut
		q := "customer_id=" + cu.ID
		if !listAll(c, "/api/v1/assets?"+q, &assets) || !listAll(c, "/api/v1/users?"+q, &users) ||
			!listAll(c, "/api/v1/customers/"+cu.ID+"/entities", &entities) {
			continue
		}
		who := fmt.Sprintf("customer %q (%s)", cu.Name, cu.ID)
		if int64(len(assets)) != cu.AssetsCount {
			c.probs.add("assets_count ≠ recount", "%s: assets_count %d, live assets listed %d", who, cu.AssetsCount, len(assets))
		}
		if int64(len(users)) != cu.UsersCount {
			c.probs.add("users_count ≠ recount", "%s: users_count %d, live users listed %d", who, cu.UsersCount, len(users))
		}
		if int64(len(entities)) != cu.EntitiesCount {
			c.probs.add("entities_count ≠ recount", "%s: entities_count %d, live entities listed %d", who, cu.EntitiesCount, len(entities))
		}
		ents := map[string]bool{}
		for _, e := range entities {
			ents[e.ID] = true
			w.entities[e.ID] = e
		}
		for _, a := range assets {
			if str(a.CustomerID) != cu.ID || (a.EntityID != nil && !ents[*a.EntityID]) {
				c.probs.add("misplaced asset", "%s lists asset %s with customer %s, entity %s", who, a.ID, str(a.CustomerID), str(a.EntityID))
			}
		}
		for _, u := range users {
			if str(u.CustomerID) != cu.ID || slices.ContainsFunc(u.EntityIDs, func(e string) bool { return !ents[e] }) {
				c.probs.add("misplaced user", "%s lists user %s with customer %s, entities %v", who, u.ID, str(u.CustomerID), u.EntityIDs)
			}
		}
		want := usage(users, assets)
		r := c.call(0, "GET", "/api/v1/customers/"+cu.ID+"/licenses", nil, "", 200)
		var ls struct {
			Items []licenseOut `json:"items"`
		}
		if r.status != 200 || json.Unmarshal(r.body, &ls) != nil {
			continue
		}
		for _, l := range ls.Items {
			allocated[l.Type] += l.Allocated
			if l.Used != want[l.Type] {
				c.probs.add("license used ≠ recount", "%s: %s used %d, recount %d", who, l.Type, l.Used, want[l.Type])
			}
			if l.Used > l.Allocated {
				c.probs.add("license used > allocated", "%s: %s used %d, allocated %d", who, l.Type, l.Used, l.Allocated)
			}
		}
	}
	// The organization: everything in its scope, the customers' records and
	// its own.
	var assets []assetOut
	var users []userOut
	if !listAll(c, "/api/v1/assets", &assets) || !listAll(c, "/api/v1/users", &users) {
		return w
	}
	for _, a := range assets {
		w.assets[a.ID] = a
		if id := str(a.CustomerID); id != "" {
			if _, ok := w.customers[id]; !ok {
				c.probs.add("orphan asset", "asset %s is listed with customer %s, which is not a live customer", a.ID, id)
			}
		}
	}
	for _, u := range users {
		w.users[u.ID] = u
		if id := str(u.CustomerID); id != "" {
			if _, ok := w.customers[id]; !ok {
				c.probs.add("orphan user", "user %s is listed with customer %s, which is not a live customer", u.ID, id)
			}
		}
	}
	want := usage(users, assets)
	r := c.call(0, "GET", "/api/v1/org/licenses", nil, "", 200)
	var ls struct {
		Items []licenseOut `json:"items"`
	}
	if r.status == 200 && json.Unmarshal(r.body, &ls) == nil {
		for _, l := range ls.Items {
			if l.Used != want[l.Type] {
				c.probs.add("organization used ≠ recount", "%s used %d, recount of every live record %d", l.Type, l.Used, want[l.Type])
			}
			if l.Allocated != allocated[l.Type] {
				c.probs.add("organization allocated ≠ sum", "%s allocated %d, sum of live customers' allocations %d", l.Type, l.Allocated, allocated[l.Type])
			}
		}
	}
	return w
}
