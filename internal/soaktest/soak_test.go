package soaktest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/custreg/custreg/internal/store/storetest"
)

// The soak test: the real binary, started as a child process on port 0,
// under realistic mixed traffic from several workers for a bounded time,
// then every answer, the server's log and every kept figure are checked.
//
//	CUSTREG_SOAK=5m            how long the traffic runs (default 20s)
//	CUSTREG_SOAK_WORKERS=8     concurrent workers (default 8)
//	CUSTREG_SOAK_SEED=42       random seed (default: from the clock, logged)

func soakDuration(t *testing.T) time.Duration {
	if v := os.Getenv("CUSTREG_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("CUSTREG_SOAK=%q is not a positive duration such as 5m", v)
		}
		return d
	}
	return 20 * time.Second
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q is not a positive integer", name, v)
	}
	return n
}

func seed(t *testing.T) uint64 {
	s := uint64(time.Now().UnixNano())
	if v := os.Getenv("CUSTREG_SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("CUSTREG_SOAK_SEED=%q is not a number", v)
		}
		s = n
	}
	t.Logf("seed %d (CUSTREG_SOAK_SEED=%d repeats the choices)", s, s)
	return s
}

func TestSoakSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: skipped with -short")
	}
	db := filepath.Join(t.TempDir(), "soak.db")
	runSoak(t, []*server{startServer(t, "sqlite", db)})
}

// TestSoakPostgresTwoNodes runs two custreg processes on one fresh
// PostgreSQL database; every worker spreads its requests over both.
func TestSoakPostgresTwoNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: skipped with -short")
	}
	db := storetest.NewPostgresDatabase(t, storetest.PostgresURL(t))
	a := startServer(t, "pg-node1", db)
	b := startServer(t, "pg-node2", db)
	runSoak(t, []*server{a, b})
}

// cust is a customer the traffic knows. Scratch customers are created to be
// deleted; the others are never deleted and take creates and moves.
type cust struct {
	id       string
	name     string
	entities []string // entities that are never deleted
	scratch  bool
}

// rec is an acknowledged record: what the test was told about it.
type rec struct {
	kind     string // asset, user, entity, customer
	id       string
	deletes  int // 204 answers to its DELETE
	gone     bool
	versions map[int64]int // version → acknowledged writes that answered it
}

type soakState struct {
	mu        sync.Mutex
	probs     *problems
	hubs      []*cust // X, Y, Z: the targets of the racing moves
	customers []*cust // every non-scratch customer, hubs included
	recs      map[string]*rec
	assets    []string // acknowledged asset ids, in creation order
	users     []string
	entities  []struct{ customer, id string }
	seq       atomic.Int64
}

func (s *soakState) tag(worker int) string {
	return fmt.Sprintf("W%d-%d", worker, s.seq.Add(1))
}

// created records an acknowledged create.
func (s *soakState) created(kind, id string, version int64) *rec {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &rec{kind: kind, id: id, versions: map[int64]int{version: 1}}
	s.recs[id] = r
	switch kind {
	case "asset":
		s.assets = append(s.assets, id)
	case "user":
		s.users = append(s.users, id)
	}
	return r
}

// wrote records the version an acknowledged write answered with.
func (s *soakState) wrote(id string, version int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.recs[id]; r != nil {
		r.versions[version]++
	}
}

func (s *soakState) deleted(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.recs[id]; r != nil {
		r.deletes++
		r.gone = true
	}
}

// hot picks up to n distinct ids among the latest 24 of ids that are not
// known to be deleted, so that workers meet on the same rows.
func (s *soakState) hot(r *rand.Rand, kind string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The list is read under the lock: creates append to it concurrently.
	ids := s.assets
	if kind == "users" {
		ids = s.users
	}
	var window []string
	for i := len(ids) - 1; i >= 0 && len(window) < 24; i-- {
		if !s.recs[ids[i]].gone {
			window = append(window, ids[i])
		}
	}
	r.Shuffle(len(window), func(i, j int) { window[i], window[j] = window[j], window[i] })
	return window[:min(n, len(window))]
}

func (s *soakState) customer(r *rand.Rand) *cust {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.IntN(10) < 7 {
		return s.hubs[r.IntN(len(s.hubs))]
	}
	return s.customers[r.IntN(len(s.customers))]
}

func (s *soakState) entityOf(r *rand.Rand, c *cust) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(c.entities) == 0 || r.IntN(2) == 0 {
		return ""
	}
	return c.entities[r.IntN(len(c.entities))]
}

// worker is one traffic source.
type worker struct {
	id int
	r  *rand.Rand
	c  *client
	s  *soakState
}

func (w *worker) node() int { return w.r.IntN(len(w.c.nodes)) }

// fork is a worker with its own random source, for one of the goroutines
// of a race (a rand.Rand is not safe for concurrent use).
func (w *worker) fork() *worker {
	return &worker{id: w.id, r: rand.New(rand.NewPCG(w.r.Uint64(), w.r.Uint64())), c: w.c, s: w.s}
}

// forks is n forks of w.
func (w *worker) forks(n int) []*worker {
	out := make([]*worker, n)
	for i := range out {
		out[i] = w.fork()
	}
	return out
}

// ifMatch reads the record at path and returns its ETag, or "" if the read
// did not answer 200.
func (w *worker) ifMatch(path string) string {
	r := w.c.call(w.node(), "GET", path, nil, "", 200, 404)
	if r.status != 200 {
		return ""
	}
	return r.header.Get("ETag")
}

func version(r resp) int64 {
	var v struct {
		ID      string `json:"id"`
		Version int64  `json:"version"`
	}
	_ = json.Unmarshal(r.body, &v)
	return v.Version
}

func idOf(r resp) string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(r.body, &v)
	return v.ID
}

// together runs fns at once, each in its own goroutine, released together.
func together(fns ...func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, fn := range fns {
		wg.Go(func() { <-start; fn() })
	}
	close(start)
	wg.Wait()
}

func (w *worker) createCustomer(scratch bool) *cust {
	return w.createCustomerWith(scratch, w.r.IntN(3))
}

func (w *worker) createCustomerWith(scratch bool, entities int) *cust {
	tag := w.s.tag(w.id)
	body, _ := customerBody(w.r, tag, entities, everything(100_000))
	r := w.c.call(w.node(), "POST", "/api/v1/customers", body, "", 201)
	if r.status != 201 {
		return nil
	}
	cu := &cust{id: idOf(r), name: body["name"].(string), scratch: scratch}
	w.s.created("customer", cu.id, version(r))
	var es []entityOut
	if !listAll(w.c, "/api/v1/customers/"+cu.id+"/entities", &es) {
		return nil
	}
	for _, e := range es {
		cu.entities = append(cu.entities, e.ID)
		w.s.created("entity", e.ID, e.Version)
	}
	if !scratch {
		w.s.mu.Lock()
		w.s.customers = append(w.s.customers, cu)
		for _, e := range cu.entities {
			w.s.entities = append(w.s.entities, struct{ customer, id string }{cu.id, e})
		}
		w.s.mu.Unlock()
	}
	return cu
}

func (w *worker) assetBody(cu *cust) map[string]any {
	b := map[string]any{
		"name": "host-" + w.s.tag(w.id), "class": []string{"it", "it", "non_it", "mobile"}[w.r.IntN(4)],
		"availability_monitoring": w.r.IntN(2) == 0, "performance_monitoring": w.r.IntN(3) == 0,
		"serial": fmt.Sprintf("SN%08d", w.r.IntN(1e8)), "ip_address": fmt.Sprintf("10.%d.%d.%d", w.r.IntN(256), w.r.IntN(256), 1+w.r.IntN(254)),
	}
	if cu != nil {
		b["customer_id"] = cu.id
		if e := w.s.entityOf(w.r, cu); e != "" {
			b["entity_id"] = e
		}
	}
	return b
}

func (w *worker) createAsset() {
	var cu *cust
	if w.r.IntN(10) > 0 {
		cu = w.s.customer(w.r)
	}
	r := w.c.call(w.node(), "POST", "/api/v1/assets", w.assetBody(cu), "", 201, 409)
	if r.status == 201 {
		w.s.created("asset", idOf(r), version(r))
	}
}

func (w *worker) createUser() {
	cu := w.s.customer(w.r)
	tag := w.s.tag(w.id)
	kind, role := "user", "customer_user"
	if w.r.IntN(3) == 0 {
		kind, role = "technician", "customer_technician"
	}
	b := map[string]any{"email": "person-" + tag + "@example.com", "name": "Person " + tag, "kind": kind, "role": role,
		"customer_id": cu.id, "password": "a-long-password-" + tag}
	if e := w.s.entityOf(w.r, cu); e != "" {
		b["entity_ids"] = []string{e}
	}
	r := w.c.call(w.node(), "POST", "/api/v1/users", b, "", 201, 409)
	if r.status == 201 {
		w.s.created("user", idOf(r), version(r))
	}
}

func (w *worker) createEntity() {
	cu := w.s.customer(w.r)
	r := w.c.call(w.node(), "POST", "/api/v1/customers/"+cu.id+"/entities", entityBody(w.r, w.s.tag(w.id)), "", 201)
	if r.status != 201 {
		return
	}
	id := idOf(r)
	w.s.created("entity", id, version(r))
	if w.r.IntN(2) == 0 {
		// A scratch entity: three deletes race for it, on any node.
		path := "/api/v1/customers/" + cu.id + "/entities/" + id
		var fns []func()
		for _, f := range w.forks(3) {
			fns = append(fns, func() {
				if f.c.call(f.node(), "DELETE", path, nil, "", 204, 404).status == 204 {
					f.s.deleted(id)
				}
			})
		}
		together(fns...)
		return
	}
	w.s.mu.Lock()
	cu.entities = append(cu.entities, id)
	w.s.entities = append(w.s.entities, struct{ customer, id string }{cu.id, id})
	w.s.mu.Unlock()
}

func (w *worker) patchEntity() {
	w.s.mu.Lock()
	if len(w.s.entities) == 0 {
		w.s.mu.Unlock()
		return
	}
	e := w.s.entities[w.r.IntN(len(w.s.entities))]
	w.s.mu.Unlock()
	path := "/api/v1/customers/" + e.customer + "/entities/" + e.id
	loc, c := location(w.r)
	patch := map[string]any{"name": "Office " + w.s.tag(w.id), "location": loc, "phone": phone(w.r, c.alpha2)}
	w.patch(path, e.id, patch, 200)
}

// patch sends a merge patch, half the time with the ETag read just before
// (a 412 is then allowed: another writer may have come between).
func (w *worker) patch(path, id string, body map[string]any, allowed ...int) {
	im := ""
	if w.r.IntN(2) == 0 {
		if im = w.ifMatch(path); im != "" {
			allowed = append(allowed, 412)
		}
	}
	r := w.c.call(w.node(), "PATCH", path, body, im, append(allowed, 404)...)
	if r.status == 200 {
		w.s.wrote(id, version(r))
	}
}

func (w *worker) patchAsset() {
	ids := w.s.hot(w.r, "assets", 1)
	if len(ids) == 0 {
		return
	}
	w.patch("/api/v1/assets/"+ids[0], ids[0], w.assetPatch(), 200, 409)
}

func (w *worker) assetPatch() map[string]any {
	p := map[string]any{"name": "host-" + w.s.tag(w.id), "availability_monitoring": w.r.IntN(2) == 0}
	if w.r.IntN(4) == 0 {
		p["class"] = []string{"it", "non_it", "mobile"}[w.r.IntN(3)]
	}
	return p
}

// racePatchAsset: four PATCHes of one asset at once, two with the same
// ETag (at most one of those may win), two without If-Match (neither may
// be refused for a version).
func (w *worker) racePatchAsset() {
	ids := w.s.hot(w.r, "assets", 1)
	if len(ids) == 0 {
		return
	}
	path := "/api/v1/assets/" + ids[0]
	im := w.ifMatch(path)
	var fns []func()
	for i := range 4 {
		body, node, h := w.assetPatch(), w.node(), ""
		allowed := []int{200, 404, 409}
		if i < 2 && im != "" {
			h = im
			allowed = append(allowed, 412)
		}
		fns = append(fns, func() {
			if r := w.c.call(node, "PATCH", path, body, h, allowed...); r.status == 200 {
				w.s.wrote(ids[0], version(r))
			}
		})
	}
	together(fns...)
}

func (w *worker) patchUser() {
	ids := w.s.hot(w.r, "users", 1)
	if len(ids) == 0 {
		return
	}
	w.patch("/api/v1/users/"+ids[0], ids[0], map[string]any{"name": "Person " + w.s.tag(w.id), "is_active": w.r.IntN(4) > 0}, 200, 409)
}

func (w *worker) patchCustomer() {
	cu := w.s.customer(w.r)
	loc, c := location(w.r)
	w.patch("/api/v1/customers/"+cu.id, cu.id, map[string]any{"location": loc, "phone": phone(w.r, c.alpha2),
		"subscription_id": "SUB-" + w.s.tag(w.id)}, 200)
}

// raceMove: the same ids moved to X and to Y at once, over both nodes, and
// now and then to the organization (no customer) as well.
func (w *worker) raceMove(kind string) {
	ids := w.s.hot(w.r, kind, 1+w.r.IntN(10))
	if len(ids) == 0 {
		return
	}
	x, y := w.s.hubs[0].id, w.s.hubs[1].id
	if w.r.IntN(2) == 0 {
		x, y = y, x
	}
	targets := []string{x, y, x, y}
	if kind == "assets" && w.r.IntN(4) == 0 {
		targets = append(targets, "")
	}
	var fns []func()
	for _, to := range targets {
		node := w.node()
		fns = append(fns, func() {
			w.c.call(node, "POST", "/api/v1/"+kind+"/move", map[string]any{"ids": ids, "customer_id": to}, "", 204, 404, 409)
		})
	}
	together(fns...)
}

// moveRacingAllocation: assets of the organization moved into a hub while
// that hub's allocation changes, and the hub's assets moved out.
func (w *worker) moveRacingAllocation() {
	ids := w.s.hot(w.r, "assets", 1+w.r.IntN(6))
	if len(ids) < 2 {
		return
	}
	hub := w.s.hubs[w.r.IntN(len(w.s.hubs))].id
	half := len(ids) / 2
	f := w.forks(3)
	together(
		func() {
			f[0].c.call(f[0].node(), "POST", "/api/v1/assets/move", map[string]any{"ids": ids[:half], "customer_id": hub}, "", 204, 404, 409)
		},
		func() {
			f[1].c.call(f[1].node(), "POST", "/api/v1/assets/move", map[string]any{"ids": ids[half:], "customer_id": ""}, "", 204, 404, 409)
		},
		func() { f[2].allocate(hub) },
	)
}

func (w *worker) raceDelete(kind string) {
	ids := w.s.hot(w.r, kind, 2+w.r.IntN(5))
	var fns []func()
	for _, f := range w.forks(4) {
		order := append([]string(nil), ids...)
		f.r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		node, useVersion := f.node(), f.r.IntN(3) == 0
		fns = append(fns, func() {
			for _, id := range order {
				path := "/api/v1/" + kind + "/" + id
				im, allowed := "", []int{204, 404}
				if useVersion {
					if im = f.ifMatch(path); im != "" {
						allowed = append(allowed, 412)
					}
				}
				if f.c.call(node, "DELETE", path, nil, im, allowed...).status == 204 {
					f.s.deleted(id)
				}
			}
		})
	}
	together(fns...)
}

// scratchCustomer: a customer with entities and assets, deleted by three
// requests at once.
func (w *worker) scratchCustomer() {
	cu := w.createCustomer(true)
	if cu == nil {
		return
	}
	var assets []string
	for range 1 + w.r.IntN(3) {
		if r := w.c.call(w.node(), "POST", "/api/v1/assets", w.assetBody(cu), "", 201); r.status == 201 {
			assets = append(assets, idOf(r))
			w.s.created("scratch-asset", assets[len(assets)-1], version(r))
		}
	}
	var fns []func()
	for _, node := range []int{w.node(), w.node(), w.node()} {
		fns = append(fns, func() {
			if w.c.call(node, "DELETE", "/api/v1/customers/"+cu.id, nil, "", 204, 404).status == 204 {
				w.s.deleted(cu.id)
			}
		})
	}
	together(fns...)
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.s.recs[cu.id].gone {
		for _, id := range append(assets, cu.entities...) {
			w.s.recs[id].gone = true // in trash with their customer
		}
	}
}

// allocate changes a customer's allocation: mostly generous, now and then
// down to exactly what it uses (so creates and moves meet a full
// allocation; a 409 if its use grew meanwhile).
func (w *worker) allocate(id string) {
	path := "/api/v1/customers/" + id + "/licenses"
	body := map[string]int{}
	if w.r.IntN(4) == 0 {
		r := w.c.call(w.node(), "GET", path, nil, "", 200)
		var ls struct {
			Items []licenseOut `json:"items"`
		}
		if r.status != 200 || json.Unmarshal(r.body, &ls) != nil {
			return
		}
		for _, l := range ls.Items {
			if w.r.IntN(2) == 0 {
				body[l.Type] = int(l.Used)
			}
		}
	} else {
		body = everything(100_000)
	}
	w.c.call(w.node(), "PUT", path, body, "", 200, 409)
}

func (w *worker) read() {
	cu := w.s.customer(w.r)
	word := words[w.r.IntN(len(words))]
	var path string
	switch w.r.IntN(10) {
	case 0:
		path = "/api/v1/customers?q=" + url.QueryEscape(word[:3])
	case 1:
		path = "/api/v1/customers?name.contains=" + url.QueryEscape(word) + "&sort=-created_at&limit=20"
	case 2:
		path = "/api/v1/customers?code.contains=W" + strconv.Itoa(w.r.IntN(8)) + "&name.not_contains=zzz&sort=code"
	case 3:
		r := w.c.call(w.node(), "GET", "/api/v1/customers?limit=5&sort=name", nil, "", 200)
		var page struct {
			NextCursor *string `json:"next_cursor"`
		}
		if json.Unmarshal(r.body, &page) != nil || page.NextCursor == nil {
			return
		}
		path = "/api/v1/customers?limit=5&sort=name&cursor=" + url.QueryEscape(*page.NextCursor)
	case 4:
		path = "/api/v1/assets?customer_id=" + cu.id + "&limit=50"
	case 5:
		path = "/api/v1/users?customer_id=" + cu.id
	case 6:
		path = "/api/v1/customers/" + cu.id
	case 7:
		path = "/api/v1/customers/" + cu.id + "/licenses"
	case 8:
		path = "/api/v1/org/licenses"
	default:
		path = "/api/v1/customers/" + cu.id + "/entities"
	}
	w.c.call(w.node(), "GET", path, nil, "", 200)
}

// ops, with their weights.
var ops = []struct {
	weight int
	run    func(*worker)
}{
	{6, func(w *worker) { w.createCustomer(false) }},
	{4, (*worker).createEntity},
	{4, (*worker).patchEntity},
	{14, (*worker).createAsset},
	{3, (*worker).createUser},
	{8, (*worker).patchAsset},
	{3, (*worker).racePatchAsset},
	{4, (*worker).patchUser},
	{3, (*worker).patchCustomer},
	{4, func(w *worker) { w.raceMove("assets") }},
	{3, func(w *worker) { w.raceMove("users") }},
	{2, (*worker).moveRacingAllocation},
	{3, func(w *worker) { w.raceDelete("assets") }},
	{2, func(w *worker) { w.raceDelete("users") }},
	{2, (*worker).scratchCustomer},
	{3, func(w *worker) { w.allocate(w.s.customer(w.r).id) }},
	{14, (*worker).read},
}

func (w *worker) step() {
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	n := w.r.IntN(total)
	for _, o := range ops {
		if n < o.weight {
			o.run(w)
			return
		}
		n -= o.weight
	}
}

func runSoak(t *testing.T, nodes []*server) {
	d, workers, sd := soakDuration(t), envInt(t, "CUSTREG_SOAK_WORKERS", 8), seed(t)
	probs := &problems{}
	c := newClient(nodes, probs)
	c.login(t)
	s := &soakState{probs: probs, recs: map[string]*rec{}}
	setup := &worker{id: 0, r: rand.New(rand.NewPCG(sd, 0)), c: c, s: s}
	for len(s.hubs) < 3 {
		cu := setup.createCustomerWith(false, 2)
		if cu == nil {
			probs.report(t, "setup")
			t.FailNow()
		}
		s.hubs = append(s.hubs, cu)
	}
	// A few records to start from, so that every operation has rows.
	for range 12 {
		setup.createAsset()
	}
	for range 3 {
		setup.createUser()
	}
	t.Logf("soak: %d workers for %v on %d node(s)", workers, d, len(nodes))
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	var steps atomic.Int64
	for i := range workers {
		w := &worker{id: i + 1, r: rand.New(rand.NewPCG(sd, uint64(i+1))), c: c, s: s}
		wg.Go(func() {
			for n := 0; n < 10_000_000 && time.Now().Before(deadline); n++ {
				w.step()
				steps.Add(1)
			}
		})
	}
	wg.Wait()
	t.Logf("soak: %d operations\n%s", steps.Load(), c.statsSummary())

	world := recount(c)
	checkAcknowledged(c, s, world)
	if len(nodes) > 1 {
		// The other node tells the same story.
		other := newClient([]*server{nodes[1]}, probs)
		other.token = c.token
		var cs []customerOut
		if listAll(other, "/api/v1/customers", &cs) {
			for _, cu := range cs {
				if w, ok := world.customers[cu.ID]; !ok || w.AssetsCount != cu.AssetsCount || w.UsersCount != cu.UsersCount {
					probs.add("nodes disagree", "customer %s on %s: %+v; on %s: %+v", cu.ID, nodes[1].name, cu, nodes[0].name, w)
				}
			}
		}
	}
	c.explain5xx(nodes)
	for _, n := range nodes {
		n.stop()
		if n.waitErr != nil {
			probs.add("unclean exit", "%s exited with %v after SIGTERM", n.name, n.waitErr)
		}
		bad, _ := logProblems(n.logPath)
		for _, l := range bad {
			probs.add("panic or race in the server log", "%s: %s", n.name, l)
		}
	}
	probs.report(t, "soak")
}

// checkAcknowledged holds the recount against what the server acknowledged:
// every record created and not deleted is there; every record whose delete
// answered 204 is gone, and only one delete answered 204; no two
// acknowledged writes of one record answered the same version (one of them
// was lost), and the record's version is at least the last acknowledged.
func checkAcknowledged(c *client, s *soakState, w world) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, r := range s.recs {
		var present bool
		var v int64
		switch r.kind {
		case "asset", "scratch-asset":
			a, ok := w.assets[id]
			present, v = ok, a.Version
		case "user":
			u, ok := w.users[id]
			present, v = ok, u.Version
		case "entity":
			e, ok := w.entities[id]
			present, v = ok, e.Version
		case "customer":
			cu, ok := w.customers[id]
			present, v = ok, cu.Version
		}
		switch {
		case r.gone && present:
			c.probs.add("deleted "+r.kind+" still live", "%s %s: its DELETE answered 204, yet it is listed", r.kind, id)
		case !r.gone && !present:
			c.probs.add("acknowledged "+r.kind+" missing", "%s %s: created (201), never deleted, not listed", r.kind, id)
		}
		if r.deletes > 1 {
			c.probs.add(r.kind+" deleted twice", "%s %s: %d DELETEs answered 204", r.kind, id, r.deletes)
		}
		maxV := int64(0)
		for ver, n := range r.versions {
			maxV = max(maxV, ver)
			if n > 1 {
				c.probs.add("lost update of "+r.kind, "%s %s: %d acknowledged writes answered version %d", r.kind, id, n, ver)
			}
		}
		if present && v < maxV {
			c.probs.add("lost update of "+r.kind, "%s %s: version %d, but a write was acknowledged at version %d", r.kind, id, v, maxV)
		}
	}
}
