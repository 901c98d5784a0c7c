// Command custreg-load is custreg's load generator. It seeds customers
// (each with its entities) through the real HTTP API of a running server,
// reports create throughput at two concurrencies, then measures the latency
// of the customer list's queries: the first page, a page deep in the list,
// the search box, and each filter condition. BENCHMARKS.md records its
// figures and the commands that produced them.
//
//	custreg-load -url http://127.0.0.1:8080 -email admin@example.com -password ... -customers 10000
//
// Every loop is bounded by a count; the generator stops by itself. It only
// talks to the URL it is given, which must be on this machine.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "custreg-load:", err)
		os.Exit(1)
	}
}

type config struct {
	url         string
	email, pass string
	customers   int
	entities    int
	assets      int // assets spread over the customers
	users       int // customer users spread over the customers
	serial      int // customers created at concurrency 1
	concurrency int
	samples     int // requests per measured query
	serverPID   int
	seed        uint64
	afterSeed   string // a shell command run between seeding and measuring
	noLicenses  bool   // customers without allocations
	floor       string // base URL of the floor server (../shared/floor), "" for none
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("custreg-load", flag.ContinueOnError)
	var c config
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "base URL of a custreg server on this machine; several, comma-separated, for nodes sharing one PostgreSQL (requests go to them in turn)")
	fs.StringVar(&c.email, "email", os.Getenv("CUSTREG_ADMIN_EMAIL"), "organization admin email (env CUSTREG_ADMIN_EMAIL)")
	fs.StringVar(&c.pass, "password", os.Getenv("CUSTREG_ADMIN_PASSWORD"), "organization admin password (env CUSTREG_ADMIN_PASSWORD)")
	fs.IntVar(&c.customers, "customers", 10000, "customers to create")
	fs.IntVar(&c.entities, "entities", 3, "entities created with each customer")
	fs.IntVar(&c.assets, "assets", 0, "assets to create, spread over the customers (every fourth mapped to one of its entities)")
	fs.IntVar(&c.users, "users", 0, "customer users to create, spread over the customers")
	fs.IntVar(&c.serial, "serial", 1000, "of those, how many are created one at a time (concurrency 1)")
	fs.IntVar(&c.concurrency, "concurrency", 8, "concurrency of the rest of the creates")
	fs.IntVar(&c.samples, "samples", 400, "requests per measured query")
	fs.IntVar(&c.serverPID, "server-pid", 0, "server process id, to report its peak memory (VmHWM) at the end")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed of the generated data")
	fs.BoolVar(&c.noLicenses, "no-licenses", false, "create the customers without allocations (by default each has 50 of every type)")
	fs.StringVar(&c.floor, "floor", "", "base URL of the floor server (../shared/floor) on this machine: the same creates and queries are sent to it in the same run, and the report gives custreg's figures as ratios to it")
	fs.StringVar(&c.afterSeed, "after-seed", "", "shell command to run after seeding, before the queries are measured (e.g. ANALYZE on a PostgreSQL without autovacuum)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, u := range strings.Split(c.url, ",") {
		if err := checkLocal(u); err != nil {
			return err
		}
	}
	if c.email == "" || c.pass == "" {
		return errors.New("give -email and -password (or CUSTREG_ADMIN_EMAIL / CUSTREG_ADMIN_PASSWORD)")
	}
	cl, err := newClient(ctx, c)
	if err != nil {
		return err
	}
	gen := newGenerator(c.seed)
	gen.noLicenses = c.noLicenses
	allocs := "7 allocations"
	if c.noLicenses {
		allocs = "no allocations"
	}
	var fl *client
	var cmpRows []ratioRow
	if c.floor != "" {
		if err := checkLocal(c.floor); err != nil {
			return fmt.Errorf("-floor: %w", err)
		}
		fl = &client{nodes: []string{strings.TrimRight(c.floor, "/")}, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}, Timeout: 30 * time.Second}}
	}

	fmt.Fprintf(out, "custreg-load: %s, %d customers with %d entities each, %d assets, %d users\n\n",
		c.url, c.customers, c.entities, c.assets, c.users)
	serial := min(c.serial, c.customers)
	for _, phase := range []struct{ n, workers int }{{serial, 1}, {c.customers - serial, c.concurrency}} {
		if phase.n <= 0 {
			continue
		}
		bodies := gen.customers(phase.n, c.entities)
		what := "create, concurrency " + strconv.Itoa(phase.workers)
		var fr *result
		if fl != nil {
			// The floor first, with the same bodies (it ignores what it
			// does not store: entities, licenses, the location object).
			if fr, err = fl.seed(ctx, bodies, phase.workers); err != nil {
				return fmt.Errorf("floor: %w", err)
			}
			fr.print(out, "floor "+what, "customers")
		}
		r, err := cl.seed(ctx, bodies, phase.workers)
		if err != nil {
			return err
		}
		r.print(out, what, "customers")
		if fr != nil {
			cmpRows = append(cmpRows, ratioRow{what: what + fmt.Sprintf(" (%d entities, %s)", c.entities, allocs), custreg: r, floor: fr})
		}
	}
	if c.assets > 0 {
		r, err := cl.run(ctx, c.assets, c.concurrency, func(i int) (string, any, error) { return cl.assetBody(ctx, gen, i) }, nil)
		if err != nil {
			return err
		}
		r.print(out, "assets, concurrency "+strconv.Itoa(c.concurrency), "assets")
	}
	if c.users > 0 {
		r, err := cl.run(ctx, c.users, c.concurrency, func(i int) (string, any, error) { return "/api/v1/users", cl.userBody(i), nil }, nil)
		if err != nil {
			return err
		}
		r.print(out, "users, concurrency "+strconv.Itoa(c.concurrency), "users")
	}
	fmt.Fprintln(out)
	if c.assets > 0 || c.users > 0 {
		if err := cl.checkCounts(ctx, out, c.assets, c.users); err != nil {
			return err
		}
	}

	if c.afterSeed != "" {
		start := time.Now()
		cmd := exec.CommandContext(ctx, "sh", "-c", c.afterSeed)
		cmd.Stdout, cmd.Stderr = out, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("-after-seed: %w", err)
		}
		fmt.Fprintf(out, "after seeding: %q (%.1fs)\n\n", c.afterSeed, time.Since(start).Seconds())
	}
	if fl != nil {
		rows, err := compareReads(ctx, cl, fl, gen, c.samples, c.concurrency)
		if err != nil {
			return err
		}
		cmpRows = append(cmpRows, rows...)
		printRatios(out, cmpRows)
	}
	queries, err := cl.queries(ctx, gen)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-44s %8s %8s %8s %9s\n", "query (GET /api/v1/...)", "p50 ms", "p99 ms", "max ms", "avg total")
	for _, q := range queries {
		r, err := cl.measure(ctx, q, c.samples)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%-44s %8.2f %8.2f %8.2f %9.0f\n", q.name, ms(r.p(50)), ms(r.p(99)), ms(r.p(100)), r.avgTotal)
	}
	if c.serverPID > 0 {
		if hwm, err := peakMemory(c.serverPID); err == nil {
			fmt.Fprintf(out, "\nserver peak memory (VmHWM): %s\n", hwm)
		} else {
			fmt.Fprintf(out, "\nserver peak memory: %v\n", err)
		}
	}
	return nil
}

// checkLocal refuses any target that is not on this machine.
func checkLocal(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-url %q is not a URL", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-url must point at this machine (localhost or a loopback address), not %q", host)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func peakMemory(pid int) (string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", errors.New("no VmHWM in /proc status")
}

// client talks to the server with an API token.
type client struct {
	nodes []string // the servers' base URLs: requests go to each in turn, sign-in to the first
	next  atomic.Uint64
	token string
	http  *http.Client

	mu        sync.Mutex
	customers []string            // ids of the customers created
	entities  map[string][]string // customer id → its entity ids, as fetched
}

func newClient(ctx context.Context, c config) (*client, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	// The session cookie of the sign-in is needed once, to create the API
	// token that every measured request then uses, as an API client would.
	var nodes []string
	for _, u := range strings.Split(c.url, ",") {
		nodes = append(nodes, strings.TrimRight(u, "/"))
	}
	cl := &client{nodes: nodes, http: &http.Client{Transport: tr, Timeout: 30 * time.Second, Jar: &cookieJar{}}}
	res, body, err := cl.do(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": c.email, "password": c.pass})
	if err != nil || res != http.StatusOK {
		return nil, fmt.Errorf("sign-in: %d %s %v", res, body, err)
	}
	res, body, err = cl.do(ctx, "POST", "/api/v1/tokens", map[string]string{"name": "custreg-load " + time.Now().UTC().Format(time.RFC3339)})
	if err != nil || res != http.StatusCreated {
		return nil, fmt.Errorf("create token: %d %s %v", res, body, err)
	}
	var tok struct{ Token string }
	if err := json.Unmarshal(body, &tok); err != nil {
		return nil, err
	}
	cl.http.Jar = nil
	cl.token = tok.Token
	return cl, nil
}

// cookieJar keeps the one session cookie needed to create a token.
type cookieJar struct {
	mu      sync.Mutex
	cookies []*http.Cookie
}

func (j *cookieJar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.cookies = append(j.cookies, cs...)
}

func (j *cookieJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.cookies
}

func (cl *client) do(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	base := cl.nodes[0]
	if cl.token != "" {
		base = cl.nodes[cl.next.Add(1)%uint64(len(cl.nodes))]
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.token != "" {
		req.Header.Set("Authorization", "Bearer "+cl.token)
	}
	res, err := cl.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// result is a set of request latencies.
type result struct {
	n        int
	elapsed  time.Duration
	lat      []time.Duration
	avgTotal float64
}

func (r *result) p(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	slices.Sort(r.lat)
	i := int(float64(len(r.lat)-1) * q / 100)
	return r.lat[i]
}

func (r *result) print(out io.Writer, what, unit string) {
	fmt.Fprintf(out, "%-28s %8d in %7.1fs = %7.0f %s/s   p50 %.2f ms  p99 %.2f ms\n",
		what, r.n, r.elapsed.Seconds(), float64(r.n)/r.elapsed.Seconds(), unit, ms(r.p(50)), ms(r.p(99)))
}

// customers makes n customer bodies with `entities` entities each.
func (g *generator) customers(n, entities int) []map[string]any {
	bodies := make([]map[string]any, n)
	for i := range bodies {
		bodies[i] = g.customer(entities)
	}
	return bodies
}

// seed creates the customers of bodies from `workers` goroutines, and
// keeps their ids.
func (cl *client) seed(ctx context.Context, bodies []map[string]any, workers int) (*result, error) {
	return cl.run(ctx, len(bodies), workers, func(i int) (string, any, error) { return "/api/v1/customers", bodies[i], nil },
		func(body []byte) error {
			var c struct{ ID string }
			if err := json.Unmarshal(body, &c); err != nil {
				return err
			}
			cl.mu.Lock()
			cl.customers = append(cl.customers, c.ID)
			cl.mu.Unlock()
			return nil
		})
}

// query is one measured list query; pick returns its query string for one
// request (some vary their value per request).
type query struct {
	name string
	pick func(i int) string
	path string // "" for /api/v1/customers?
}

// queries builds the measured queries from the data on the server.
func (cl *client) queries(ctx context.Context, gen *generator) ([]query, error) {
	// A page deep in the list: walk the name order with the largest pages
	// to its middle once, and keep that cursor.
	var total int
	cursor := ""
	for steps := 0; ; steps++ {
		q := "/api/v1/customers?limit=200"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		st, body, err := cl.do(ctx, "GET", q, nil)
		if err != nil || st != http.StatusOK {
			return nil, fmt.Errorf("walk: %d %s %v", st, body, err)
		}
		var page struct {
			NextCursor *string `json:"next_cursor"`
			Total      int
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, err
		}
		total = page.Total
		if page.NextCursor == nil || (steps+1)*200 >= total/2 {
			if page.NextCursor != nil {
				cursor = *page.NextCursor
			}
			break
		}
		cursor = *page.NextCursor
	}
	if total == 0 {
		return nil, errors.New("the server has no customers to query")
	}
	r := rand.New(rand.NewPCG(gen.seed, 99))
	names := gen.names
	pickName := func() string { return names[r.IntN(len(names))] }
	pickCode := func() string { return gen.codes[r.IntN(len(gen.codes))] }
	piece := func(s string, n int) string {
		rs := []rune(s)
		if len(rs) <= n {
			return s
		}
		i := r.IntN(len(rs) - n + 1)
		return string(rs[i : i+n])
	}
	esc := url.QueryEscape
	qs := []query{
		{name: "first page (limit 50)", pick: func(int) string { return "" }},
		{name: "deep page (middle, limit 50)", pick: func(int) string { return "cursor=" + esc(cursor) }},
		{name: "q=<4 letters of a name>", pick: func(int) string { return "q=" + esc(piece(pickName(), 4)) }},
		{name: "q=<2 letters>", pick: func(int) string { return "q=" + esc(piece(pickName(), 2)) }},
		{name: "q=<whole code>", pick: func(int) string { return "q=" + esc(pickCode()) }},
	}
	for _, field := range []string{"name", "code"} {
		pick := pickName
		if field == "code" {
			pick = pickCode
		}
		qs = append(qs,
			query{name: field + ".eq", pick: func(int) string { return field + ".eq=" + esc(pick()) }},
			query{name: field + ".neq", pick: func(int) string { return field + ".neq=" + esc(pick()) }},
			query{name: field + ".in (3 values)", pick: func(int) string {
				return field + ".in=" + esc(pick()) + "&" + field + ".in=" + esc(pick()) + "&" + field + ".in=" + esc(pick())
			}},
			query{name: field + ".not_in (3 values)", pick: func(int) string {
				return field + ".not_in=" + esc(pick()) + "&" + field + ".not_in=" + esc(pick()) + "&" + field + ".not_in=" + esc(pick())
			}},
			query{name: field + ".contains (4 chars)", pick: func(int) string { return field + ".contains=" + esc(piece(pick(), 4)) }},
			query{name: field + ".not_contains (4 chars)", pick: func(int) string { return field + ".not_contains=" + esc(piece(pick(), 4)) }},
		)
	}
	if len(cl.customers) > 0 {
		pickCustomer := func() string { return cl.customers[r.IntN(len(cl.customers))] }
		qs = append(qs,
			query{name: "one customer (customers/{id})", path: "/api/v1/customers/", pick: func(int) string { return pickCustomer() }},
			query{name: "assets: first page", path: "/api/v1/assets?", pick: func(int) string { return "" }},
			query{name: "assets of one customer", path: "/api/v1/assets?", pick: func(int) string { return "customer_id=" + pickCustomer() }},
			query{name: "users: first page", path: "/api/v1/users?", pick: func(int) string { return "" }},
			query{name: "users of one customer", path: "/api/v1/users?", pick: func(int) string { return "customer_id=" + pickCustomer() }},
		)
	}
	return qs, nil
}

func (cl *client) measure(ctx context.Context, q query, samples int) (*result, error) {
	// A short warm-up, not measured.
	path := cmp.Or(q.path, "/api/v1/customers?")
	for i := range min(20, samples) {
		if _, _, err := cl.do(ctx, "GET", path+q.pick(i), nil); err != nil {
			return nil, err
		}
	}
	r := &result{lat: make([]time.Duration, 0, samples)}
	var totals float64
	start := time.Now()
	for i := range samples {
		t := time.Now()
		st, body, err := cl.do(ctx, "GET", path+q.pick(i), nil)
		r.lat = append(r.lat, time.Since(t))
		if err != nil {
			return nil, err
		}
		if st != http.StatusOK {
			return nil, fmt.Errorf("%s: %d %s", q.name, st, body)
		}
		var page struct{ Total float64 }
		_ = json.Unmarshal(body, &page)
		totals += page.Total
	}
	r.n, r.elapsed, r.avgTotal = samples, time.Since(start), totals/float64(max(samples, 1))
	return r, nil
}

// generator makes plausible, unique customers: two or three syllable words
// and a numbered code.
type generator struct {
	seed uint64
	// noLicenses leaves the allocations out of the customers it makes.
	noLicenses bool
	r          *rand.Rand
	n          int
	names      []string
	codes      []string
	mu         sync.Mutex
}

func newGenerator(seed uint64) *generator {
	return &generator{seed: seed, r: rand.New(rand.NewPCG(seed, 7))}
}

var (
	syllables = strings.Fields("al an ar bel bra cor dan del fen gal har ion jun kar lin mar nor or pal quin ra sel tor ul vin wes xan yor zen")
	suffixes  = strings.Fields("Systems Telecom Retail Health Logistics Energy Foods Media Finance Labs Works Group Partners Networks Motors")
	types     = strings.Fields("branch department region business_unit")
)

func (g *generator) word() string {
	var b strings.Builder
	for range 2 + g.r.IntN(2) {
		b.WriteString(syllables[g.r.IntN(len(syllables))])
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

func (g *generator) customer(entities int) map[string]any {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n++
	name := g.word() + " " + suffixes[g.r.IntN(len(suffixes))] + " " + strconv.Itoa(g.n)
	code := fmt.Sprintf("%s%06d", strings.ToUpper(g.word()[:3]), g.n)
	g.names = append(g.names, name)
	g.codes = append(g.codes, code)
	es := make([]map[string]any, entities)
	for i := range es {
		es[i] = map[string]any{"name": g.word() + " " + cmp.Or(types[i%len(types)], "branch") + " " + strconv.Itoa(i+1),
			"type": types[i%len(types)]}
	}
	body := map[string]any{
		"name": name, "code": code, "domain": strings.ToLower(strings.ReplaceAll(g.word(), " ", "")) + ".example.com",
		"business_email": "ops@" + strings.ToLower(g.word()) + ".example.com",
		"location":       map[string]any{"country": "US", "city": g.word(), "pin_code": fmt.Sprintf("%05d", 10000+g.n%89999)},
		"entities":       es,
	}
	if !g.noLicenses {
		// Room for the assets and users the generator spreads over the
		// customers (the pools are unlimited on a fresh server).
		body["licenses"] = map[string]int{"users": 50, "technicians": 50, "it_assets": 50, "non_it_assets": 50,
			"mobile_devices": 50, "availability_monitoring": 50, "performance_monitoring": 50}
	}
	return body
}

// run sends n creates from workers goroutines; body returns the path and
// body of the i-th, and created, if not nil, receives each answer.
func (cl *client) run(ctx context.Context, n, workers int, body func(i int) (string, any, error), created func([]byte) error) (*result, error) {
	var next atomic.Int64
	lat := make([]time.Duration, n)
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				path, b, err := body(i)
				if err == nil {
					t := time.Now()
					var st int
					var res []byte
					st, res, err = cl.do(ctx, "POST", path, b)
					lat[i] = time.Since(t)
					if err == nil && st != http.StatusCreated {
						err = fmt.Errorf("POST %s: %d %s", path, st, res)
					}
					if err == nil && created != nil {
						err = created(res)
					}
				}
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return &result{n: n, elapsed: time.Since(start), lat: lat}, ctx.Err()
}

// entitiesOf returns a customer's entity ids, fetched once.
func (cl *client) entitiesOf(ctx context.Context, customerID string) ([]string, error) {
	cl.mu.Lock()
	ids, ok := cl.entities[customerID]
	cl.mu.Unlock()
	if ok {
		return ids, nil
	}
	st, body, err := cl.do(ctx, "GET", "/api/v1/customers/"+customerID+"/entities", nil)
	if err != nil || st != http.StatusOK {
		return nil, fmt.Errorf("entities of %s: %d %s %v", customerID, st, body, err)
	}
	var page struct{ Items []struct{ ID string } }
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, err
	}
	for _, e := range page.Items {
		ids = append(ids, e.ID)
	}
	cl.mu.Lock()
	if cl.entities == nil {
		cl.entities = map[string][]string{}
	}
	cl.entities[customerID] = ids
	cl.mu.Unlock()
	return ids, nil
}

var assetClasses = []string{"it", "it", "it", "non_it", "mobile"}

// assetBody is the i-th asset: customers take turns; every fourth asset is
// mapped to one of its customer's entities; some are monitored.
func (cl *client) assetBody(ctx context.Context, gen *generator, i int) (string, any, error) {
	if len(cl.customers) == 0 {
		return "", nil, errors.New("no customers to map assets to")
	}
	customer := cl.customers[i%len(cl.customers)]
	b := map[string]any{
		"name":  fmt.Sprintf("%s %s %d", gen.assetWord(i), []string{"Laptop", "Desktop", "Printer", "Router", "Phone"}[i%5], i+1),
		"class": assetClasses[i%len(assetClasses)], "customer_id": customer, "serial": fmt.Sprintf("SN%09d", i+1),
		"availability_monitoring": i%3 == 0, "performance_monitoring": i%5 == 0,
	}
	if i%4 == 0 {
		ents, err := cl.entitiesOf(ctx, customer)
		if err != nil {
			return "", nil, err
		}
		if len(ents) > 0 {
			b["entity_id"] = ents[(i/4)%len(ents)]
		}
	}
	return "/api/v1/assets", b, nil
}

// userBody is the i-th customer user.
func (cl *client) userBody(i int) any {
	kind := "user"
	if i%5 == 0 {
		kind = "technician"
	}
	return map[string]any{
		"email": fmt.Sprintf("user%07d@load.example.com", i+1), "name": fmt.Sprintf("Load User %d", i+1), "kind": kind,
		"role": "customer_user", "customer_id": cl.customers[i%len(cl.customers)], "password": "load-test-password",
	}
}

// checkCounts walks the whole customer list and checks that its
// assets_count and users_count add up to what was created.
func (cl *client) checkCounts(ctx context.Context, out io.Writer, assets, users int) error {
	start := time.Now()
	var sumAssets, sumUsers int64
	cursor := ""
	pages := 0
	for {
		q := "/api/v1/customers?limit=200"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		st, body, err := cl.do(ctx, "GET", q, nil)
		if err != nil || st != http.StatusOK {
			return fmt.Errorf("count walk: %d %s %v", st, body, err)
		}
		var page struct {
			Items []struct {
				AssetsCount int64 `json:"assets_count"`
				UsersCount  int64 `json:"users_count"`
			}
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return err
		}
		pages++
		for _, c := range page.Items {
			sumAssets += c.AssetsCount
			sumUsers += c.UsersCount
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	fmt.Fprintf(out, "counts: the customer list (%d pages of 200, %.1fs) adds up to %d assets and %d users; created %d and %d\n\n",
		pages, time.Since(start).Seconds(), sumAssets, sumUsers, assets, users)
	if sumAssets != int64(assets) || sumUsers != int64(users) {
		return errors.New("the customers' counts do not add up to what was created")
	}
	return nil
}

func (g *generator) assetWord(i int) string {
	return strings.ToUpper(syllables[i%len(syllables)][:1]) + syllables[i%len(syllables)][1:] + syllables[(i/len(syllables))%len(syllables)]
}
