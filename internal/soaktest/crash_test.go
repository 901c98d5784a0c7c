package soaktest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/custreg/custreg/internal/store/storetest"
)

// The crash test: a stream of writes from a few workers, the server killed
// with SIGKILL after a random number of acknowledged writes, restarted on
// the same store; every acknowledged write must be there, every
// acknowledged delete must have stayed done, and every kept figure must
// equal a recount. Several rounds, one store file or database throughout.
//
//	CUSTREG_CRASH_ROUNDS=20    rounds (default 3)

func TestCrashSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	runCrash(t, "sqlite", filepath.Join(t.TempDir(), "crash.db"))
}

func TestCrashPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	runCrash(t, "pg", storetest.NewPostgresDatabase(t, storetest.PostgresURL(t)))
}

// ackedCustomer is what the server acknowledged of a customer.
type ackedCustomer struct {
	name, code, country string
	entities            int64
}

// ackedAsset is what the server acknowledged of an asset. An unanswered
// write leaves the asset uncertain in that respect.
type ackedAsset struct {
	name, class, customer string
	availability          bool
	deleted               bool // a DELETE answered 204
	maybeDeleted          bool // a DELETE got no answer
	maybeRenamed          bool // a PATCH got no answer
	maybeMoved            bool // a move got no answer
}

type crashState struct {
	mu        sync.Mutex
	customers map[string]ackedCustomer
	assets    map[string]*ackedAsset
	acks      atomic.Int64
}

const crashWorkers = 4

func runCrash(t *testing.T, name, db string) {
	rounds, sd := envInt(t, "CUSTREG_CRASH_ROUNDS", 3), seed(t)
	probs := &problems{}
	st := &crashState{customers: map[string]ackedCustomer{}, assets: map[string]*ackedAsset{}}
	srv := startServer(t, name+"-start1", db)
	c := newClient([]*server{srv}, probs)
	c.login(t)
	r := rand.New(rand.NewPCG(sd, 0))
	for round := 1; round <= rounds; round++ {
		if round > 1 {
			srv = startServer(t, fmt.Sprintf("%s-start%d", name, round), db)
			c.nodes = []*server{srv}
			verifyAcked(c, st)
			recount(c)
		}
		before := st.acks.Load()
		target := before + 5 + int64(r.IntN(60))
		c.lenient = true
		var stop atomic.Bool
		var wg sync.WaitGroup
		reached := make(chan struct{})
		var once sync.Once
		for i := range crashWorkers {
			w := &worker{id: round*100 + i, r: rand.New(rand.NewPCG(sd, uint64(round*100+i))), c: c}
			wg.Go(func() {
				for n := 0; n < 2000 && !stop.Load(); n++ {
					if !crashStep(w, st) {
						return // no answer: the server is gone
					}
					if st.acks.Load() >= target {
						once.Do(func() { close(reached) })
					}
				}
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-reached:
		case <-done:
		}
		srv.kill() // SIGKILL: no drain, no deferred close
		stop.Store(true)
		<-done
		c.lenient = false
		t.Logf("round %d: killed after %d acknowledged writes (%d in all)", round, st.acks.Load()-before, st.acks.Load())
		if st.acks.Load() == before {
			probs.add("no writes", "round %d: no write was acknowledged before the kill", round)
		}
		bad, _ := logProblems(srv.logPath)
		for _, l := range bad {
			probs.add("panic or race in the server log", "%s: %s", srv.name, l)
		}
	}
	srv = startServer(t, fmt.Sprintf("%s-start%d", name, rounds+1), db)
	c.nodes = []*server{srv}
	verifyAcked(c, st)
	recount(c)
	c.explain5xx([]*server{srv})
	srv.stop()
	if srv.waitErr != nil {
		probs.add("unclean exit", "%s exited with %v after SIGTERM", srv.name, srv.waitErr)
	}
	if bad, _ := logProblems(srv.logPath); len(bad) > 0 {
		for _, l := range bad {
			probs.add("panic or race in the server log", "%s: %s", srv.name, l)
		}
	}
	t.Logf("crash %s: %d customers and %d assets acknowledged over %d rounds\n%s", name, len(st.customers), len(st.assets), rounds, c.statsSummary())
	probs.report(t, "crash "+name)
}

// crashStep registers a customer with one entity and puts 1–3 assets in
// it, then may delete or rename one of them. It returns false once a
// request went unanswered.
func crashStep(w *worker, st *crashState) bool {
	tag := fmt.Sprintf("C%d-%d", w.id, w.r.IntN(1e9))
	body, ctry := customerBody(w.r, tag, 1, everything(1000))
	res := w.c.call(0, "POST", "/api/v1/customers", body, "", 201)
	if res.err != nil {
		return false
	}
	if res.status != 201 {
		return true
	}
	cid := idOf(res)
	st.mu.Lock()
	st.customers[cid] = ackedCustomer{name: body["name"].(string), code: body["code"].(string), country: ctry.alpha2, entities: 1}
	st.mu.Unlock()
	st.acks.Add(1)
	var ids []string
	for range 1 + w.r.IntN(3) {
		a := map[string]any{"name": "box-" + tag + fmt.Sprint(len(ids)), "class": []string{"it", "non_it", "mobile"}[w.r.IntN(3)],
			"customer_id": cid, "availability_monitoring": w.r.IntN(2) == 0}
		res := w.c.call(0, "POST", "/api/v1/assets", a, "", 201)
		if res.err != nil {
			return false
		}
		if res.status != 201 {
			continue
		}
		id := idOf(res)
		ids = append(ids, id)
		st.mu.Lock()
		st.assets[id] = &ackedAsset{name: a["name"].(string), class: a["class"].(string), customer: cid, availability: a["availability_monitoring"].(bool)}
		st.mu.Unlock()
		st.acks.Add(1)
	}
	if len(ids) == 0 {
		return true
	}
	id := ids[w.r.IntN(len(ids))]
	switch w.r.IntN(4) {
	case 0:
		res := w.c.call(0, "DELETE", "/api/v1/assets/"+id, nil, "", 204)
		st.mu.Lock()
		defer st.mu.Unlock()
		if res.err != nil {
			st.assets[id].maybeDeleted = true
			return false
		}
		if res.status == 204 {
			st.assets[id].deleted = true
			st.acks.Add(1)
		}
	case 1:
		newName := "renamed-" + tag
		res := w.c.call(0, "PATCH", "/api/v1/assets/"+id, map[string]any{"name": newName}, "", 200)
		st.mu.Lock()
		defer st.mu.Unlock()
		if res.err != nil {
			st.assets[id].maybeRenamed = true
			return false
		}
		if res.status == 200 {
			st.assets[id].name = newName
			st.acks.Add(1)
		}
	case 2:
		// Back to the customer of another acknowledged asset (or the
		// organization): the move must stay done.
		st.mu.Lock()
		to := ""
		for _, a := range st.assets {
			if a.customer != cid {
				to = a.customer
				break
			}
		}
		st.mu.Unlock()
		res := w.c.call(0, "POST", "/api/v1/assets/move", map[string]any{"ids": []string{id}, "customer_id": to}, "", 204)
		st.mu.Lock()
		defer st.mu.Unlock()
		if res.err != nil {
			st.assets[id].maybeMoved = true
			return false
		}
		if res.status == 204 {
			st.assets[id].customer = to
			st.acks.Add(1)
		}
	}
	return true
}

// verifyAcked reads back every acknowledged write after a restart.
func verifyAcked(c *client, st *crashState) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for id, want := range st.customers {
		r := c.call(0, "GET", "/api/v1/customers/"+id, nil, "", 200)
		var got customerOut
		if r.status != 200 || json.Unmarshal(r.body, &got) != nil {
			c.probs.add("acknowledged customer lost", "customer %s %q: GET answered %d", id, want.name, r.status)
			continue
		}
		if got.Name != want.name || got.Code != want.code || got.Location.Country != want.country || got.EntitiesCount != want.entities {
			c.probs.add("acknowledged customer changed", "customer %s: got name %q code %q country %s entities %d; acknowledged %q %q %s %d",
				id, got.Name, got.Code, got.Location.Country, got.EntitiesCount, want.name, want.code, want.country, want.entities)
		}
	}
	for id, want := range st.assets {
		switch {
		case want.maybeDeleted:
			continue
		case want.deleted:
			if r := c.call(0, "GET", "/api/v1/assets/"+id, nil, "", 404); r.status == 200 {
				c.probs.add("acknowledged delete undone", "asset %s: its DELETE answered 204, yet it is back", id)
			}
			continue
		}
		r := c.call(0, "GET", "/api/v1/assets/"+id, nil, "", 200)
		var got assetOut
		if r.status != 200 || json.Unmarshal(r.body, &got) != nil {
			c.probs.add("acknowledged asset lost", "asset %s %q: GET answered %d", id, want.name, r.status)
			continue
		}
		if (got.Name != want.name && !want.maybeRenamed) || got.Class != want.class || (str(got.CustomerID) != want.customer && !want.maybeMoved) ||
			got.AvailabilityMonitoring != want.availability {
			c.probs.add("acknowledged asset changed", "asset %s: got %q %s customer %s availability %v; acknowledged %q %s %s %v",
				id, got.Name, got.Class, str(got.CustomerID), got.AvailabilityMonitoring, want.name, want.class, want.customer, want.availability)
		}
	}
}
