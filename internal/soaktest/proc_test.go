package soaktest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The admin every server of these tests is bootstrapped with.
const (
	adminEmail    = "soak-admin@example.com"
	adminPassword = "soak-test-password-1234"
)

var (
	binDir   string // made by TestMain, removed after the tests
	buildBin struct {
		once sync.Once
		path string
		out  []byte
		err  error
	}
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "custreg-soak-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binary builds cmd/custreg once per test binary, with the race detector
// when the tests run with it, and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildBin.once.Do(func() {
		buildBin.path = filepath.Join(binDir, "custreg")
		args := []string{"build", "-o", buildBin.path}
		if raceEnabled {
			args = append(args, "-race")
		}
		args = append(args, "github.com/custreg/custreg/cmd/custreg")
		cmd := exec.Command("go", args...)
		buildBin.out, buildBin.err = cmd.CombinedOutput()
	})
	if buildBin.err != nil {
		t.Fatalf("go build ./cmd/custreg: %v\n%s", buildBin.err, buildBin.out)
	}
	return buildBin.path
}

// server is one custreg process. Its stdout and stderr (the JSON log, and
// anything the runtime prints, such as an unrecovered panic or a data race
// report) go to one log file.
type server struct {
	t       *testing.T
	name    string
	db      string
	logPath string
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT
	exited  chan struct{}
	waitErr error
}

// startServer starts the binary on port 0 with store db and waits for its
// "custreg listening" log line, which carries the address it bound.
func startServer(t *testing.T, name, db string) *server {
	t.Helper()
	s := &server{t: t, name: name, db: db, exited: make(chan struct{})}
	s.logPath = filepath.Join(t.TempDir(), name+".log")
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	s.cmd = exec.Command(binary(t), "serve", "-addr", "127.0.0.1:0", "-db", db, "-log-format", "json")
	s.cmd.Env = append(os.Environ(),
		"CUSTREG_ADMIN_EMAIL="+adminEmail, "CUSTREG_ADMIN_PASSWORD="+adminPassword,
		"CUSTREG_LOG_LEVEL=info", "CUSTREG_DEBUG_ADDR=", "CUSTREG_ADDR=", "CUSTREG_DB=")
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.waitErr = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() { s.stop() })
	// Bounded wait for the listening line: 600 polls of 100 ms.
	for range 600 {
		if addr := listenAddr(s.logPath); addr != "" {
			s.base = "http://" + addr
			return s
		}
		select {
		case <-s.exited:
			t.Fatalf("%s exited before listening (%v):\n%s", name, s.waitErr, tail(s.logPath, 40))
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("%s did not log its address within a minute:\n%s", name, tail(s.logPath, 40))
	return nil
}

// listenAddr finds the address of the last "custreg listening" line.
func listenAddr(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	addr := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var l struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "custreg listening" {
			addr = l.Addr
		}
	}
	return addr
}

// kill ends the process with SIGKILL, as a crash would, and waits for it.
func (s *server) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// stop ends the process with SIGTERM (a clean drain), SIGKILL if it has
// not exited after 30 s.
func (s *server) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.kill()
	}
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// logProblems reads a server's log for what must never be there: a
// panic (recovered by the server or not), a data race report, and a fatal
// runtime error. It also returns the internal error logged for each request
// id, so a 5xx can be shown with its cause.
func logProblems(path string) (bad []string, errs map[string]string) {
	errs = map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		return []string{"cannot read the log: " + err.Error()}, errs
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var race []string // sections of the data race report being read
	inRace, collecting := false, false
	var frames []string
	flush := func() {
		if len(frames) > 0 {
			race[len(race)-1] += " " + culpritOf(frames)
			frames = nil
		}
	}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "WARNING: DATA RACE") {
			inRace, race, frames = true, nil, nil
			continue
		}
		if inRace {
			t := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "=================="):
				flush()
				bad = append(bad, "DATA RACE: "+strings.Join(race, "; "))
				inRace = false
			case strings.HasSuffix(t, ":") && strings.Contains(t, " at 0x"):
				flush()
				what, _, _ := strings.Cut(t, " at 0x")
				race = append(race, strings.ToLower(what)+" at")
				collecting = true
			case collecting && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "      ") && t != "":
				frames = append(frames, t)
			case t == "" || strings.HasPrefix(t, "Goroutine "):
				flush()
				collecting = false
			}
			continue
		}
		var l struct {
			Level     string `json:"level"`
			RequestID string `json:"request_id"`
			Err       string `json:"err"`
			Msg       string `json:"msg"`
			Panic     string `json:"panic"`
			Stack     string `json:"stack"`
		}
		isJSON := json.Unmarshal([]byte(line), &l) == nil
		switch {
		case isJSON && l.Panic != "":
			bad = append(bad, fmt.Sprintf("%s: %s at %s", l.Msg, l.Panic, culprit(l.Stack)))
			errs[l.RequestID] = "panic: " + l.Panic + " at " + culprit(l.Stack)
			continue
		case isJSON && l.Level == "ERROR" && l.RequestID != "":
			errs[l.RequestID] = l.Msg + ": " + l.Err
		}
		if strings.Contains(strings.ToLower(line), "panic") || strings.Contains(line, "DATA RACE") || strings.HasPrefix(line, "fatal error:") {
			bad = append(bad, clip(line, 300))
		}
	}
	return bad, errs
}

// frameName is a stack line's function without its package path and
// arguments: "domain.nameKey".
func frameName(l string) string {
	l = l[strings.LastIndex(l, "/")+1:]
	if i := strings.LastIndex(l, "("); i > 0 {
		l = l[:i]
	}
	return l
}

// culprit is the innermost custreg function of a stack outside the
// server's recovery, and the frame just inside it (the library it called).
func culprit(stack string) string {
	var fns []string
	for _, l := range strings.Split(stack, "\n") {
		if !strings.HasPrefix(l, "\t") && !strings.HasPrefix(l, "goroutine ") && !strings.HasPrefix(l, "panic(") {
			fns = append(fns, strings.TrimSpace(l))
		}
	}
	return culpritOf(fns)
}

// culpritOf picks, from a stack's function lines (innermost first), the
// innermost custreg function and the one it called.
func culpritOf(fns []string) string {
	prev := ""
	for _, l := range fns {
		if strings.HasPrefix(l, "runtime") || strings.Contains(l, "internal/server.") {
			continue
		}
		if strings.Contains(l, "github.com/custreg/custreg/") {
			if prev != "" {
				return frameName(l) + " → " + prev
			}
			return frameName(l)
		}
		prev = frameName(l)
	}
	return "(no custreg frame)"
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// problems collects what a test found wrong, from many goroutines, and
// reports it compactly: a count per kind, each with its first examples.
type problems struct {
	mu       sync.Mutex
	kinds    map[string]int
	examples map[string][]string
	n        int
}

// Examples kept per kind of problem, and in all.
const (
	examplesPerKind = 3
	examplesInAll   = 40
)

func (p *problems) add(kind, format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.kinds == nil {
		p.kinds, p.examples = map[string]int{}, map[string][]string{}
	}
	p.kinds[kind]++
	p.n++
	shown := 0
	for _, e := range p.examples {
		shown += len(e)
	}
	limit := examplesPerKind
	if kind == causeKind {
		limit = 10
	}
	if len(p.examples[kind]) < limit && shown < examplesInAll {
		p.examples[kind] = append(p.examples[kind], fmt.Sprintf(format, args...))
	}
}

// report fails t with the problems, if any.
func (p *problems) report(t *testing.T, what string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problems\n", what, p.n)
	kinds := make([]string, 0, len(p.kinds))
	for k := range p.kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %6d × %s\n", p.kinds[k], k)
	}
	b.WriteString("examples:\n")
	for _, k := range kinds {
		for _, e := range p.examples[k] {
			fmt.Fprintf(&b, "  - %s: %s\n", k, e)
		}
		if n := p.kinds[k] - len(p.examples[k]); n > 0 {
			fmt.Fprintf(&b, "    (%d more %s)\n", n, k)
		}
	}
	t.Error(b.String())
}

// problemDetail is the detail of a problem+json body, or the body itself.
func problemDetail(b []byte) string {
	var pr struct {
		Detail string `json:"detail"`
		Errors []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(b, &pr) == nil && pr.Detail != "" {
		d := pr.Detail
		for _, e := range pr.Errors {
			d += " [" + e.Field + ": " + e.Message + "]"
		}
		return d
	}
	return clip(strings.TrimSpace(string(b)), 300)
}

// client speaks to one or more nodes with one API token. Every answer is
// checked: a 5xx, a status the operation does not allow, and a 412 to a
// request that sent no If-Match are problems.
type client struct {
	nodes []*server
	token string
	hc    *http.Client
	probs *problems
	// lenient: transport errors are expected (the crash test kills the
	// server under its clients) and not problems.
	lenient bool

	statsMu sync.Mutex
	stats   map[string]int // "POST /api/v1/assets/move 409" → count
	fives   []string       // each 5xx, with the request id, for the log lookup
}

func newClient(nodes []*server, probs *problems) *client {
	return &client{nodes: nodes, probs: probs, stats: map[string]int{},
		hc: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// resp is one answer.
type resp struct {
	status int
	body   []byte
	header http.Header
	err    error // transport error: no answer
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// route is a path with its ids replaced, for the statistics.
func route(method, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return method + " " + uuidRE.ReplaceAllString(path, "{id}")
}

// call sends one request to node (an index into nodes) and checks the
// answer against allowed. ifMatch "" sends no If-Match.
func (c *client) call(node int, method, path string, body any, ifMatch string, allowed ...int) resp {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			panic(err)
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.nodes[node].base+path, rd)
	if err != nil {
		panic(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		if !c.lenient {
			c.probs.add("no answer", "%s %s on %s: %v", method, path, c.nodes[node].name, err)
		}
		return resp{err: err}
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		if !c.lenient {
			c.probs.add("no answer", "%s %s on %s: reading the body: %v", method, path, c.nodes[node].name, err)
		}
		return resp{err: err}
	}
	r := resp{status: res.StatusCode, body: b, header: res.Header}
	rt := route(method, path)
	c.statsMu.Lock()
	c.stats[fmt.Sprintf("%s %d", rt, r.status)]++
	c.statsMu.Unlock()
	switch {
	case r.status >= 500:
		rid := res.Header.Get("X-Request-Id")
		c.probs.add(fmt.Sprintf("%d on %s", r.status, rt), "%s %s on %s: %s",
			method, path, c.nodes[node].name, problemDetail(b))
		c.statsMu.Lock()
		c.fives = append(c.fives, c.nodes[node].name+" "+rid)
		c.statsMu.Unlock()
	case r.status == http.StatusPreconditionFailed && ifMatch == "":
		c.probs.add("412 without If-Match on "+rt, "%s %s on %s: %s", method, path, c.nodes[node].name, problemDetail(b))
	case !slices.Contains(allowed, r.status):
		c.probs.add(fmt.Sprintf("unexpected %d on %s", r.status, rt), "%s %s on %s: %s (allowed %v)",
			method, path, c.nodes[node].name, problemDetail(b), allowed)
	}
	return r
}

// login signs in as the admin on node 0 and makes an API token, which works
// on every node (they share the store).
func (c *client) login(t *testing.T) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"email": adminEmail, "password": adminPassword})
	res, err := c.hc.Post(c.nodes[0].base+"/api/v1/auth/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login: %d", res.StatusCode)
	}
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "custreg_session" {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatal("login set no custreg_session cookie")
	}
	req, _ := http.NewRequest("POST", c.nodes[0].base+"/api/v1/tokens", strings.NewReader(`{"name":"soak"}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(cookie)
	res, err = c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		Token string `json:"token"`
	}
	if res.StatusCode != http.StatusCreated || json.NewDecoder(res.Body).Decode(&tok) != nil || tok.Token == "" {
		t.Fatalf("POST /tokens: %d", res.StatusCode)
	}
	c.token = tok.Token
}

const causeKind = "5xx cause in the server log"

// explain5xx adds the internal error each 5xx was logged with, read from
// the servers' logs, to the problems.
func (c *client) explain5xx(servers []*server) {
	c.statsMu.Lock()
	fives := slices.Clone(c.fives)
	c.statsMu.Unlock()
	if len(fives) == 0 {
		return
	}
	causes := map[string]int{}
	for _, s := range servers {
		_, errs := logProblems(s.logPath)
		for _, f := range fives {
			name, rid, _ := strings.Cut(f, " ")
			if name == s.name {
				if e, ok := errs[rid]; ok {
					causes[clip(uuidRE.ReplaceAllString(e, "{id}"), 300)]++
				}
			}
		}
	}
	for cause, n := range causes {
		c.probs.add(causeKind, "%d × %s", n, cause)
	}
}

// statsSummary lists the answers by route and status, for the test log.
func (c *client) statsSummary() string {
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	keys := make([]string, 0, len(c.stats))
	total := 0
	for k, n := range c.stats {
		keys = append(keys, k)
		total += n
	}
	slices.Sort(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests:\n", total)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %6d  %s\n", c.stats[k], k)
	}
	return b.String()
}

func TestCulprit(t *testing.T) {
	stack := "goroutine 953 [running]:\nruntime/debug.Stack()\n\t/usr/local/go/src/runtime/debug/stack.go:26 +0x5e\n" +
		"github.com/custreg/custreg/internal/server.Handler.logRequests.func5.1()\n\t/x/server.go:144 +0x10c\n" +
		"panic({0xf90820?, 0x1daffb985d10?})\n\t/usr/local/go/src/runtime/panic.go:860 +0x13a\n" +
		"golang.org/x/text/transform.String({0x1228bd0, 0x1daffa32c3f0}, {0x1daffbcc83a8, 0x7})\n\t/x/transform.go:1 +0x1\n" +
		"github.com/custreg/custreg/internal/domain.nameKey({0xf171c6792c7, 0x9})\n\t/x/contact.go:160 +0x1\n"
	if got, want := culprit(stack), "domain.nameKey → transform.String"; got != want {
		t.Errorf("culprit = %q, want %q", got, want)
	}
	if got := route("DELETE", "/api/v1/customers/01a233c5-d892-711f-a135-1455a39c6bdc/entities/01a233c5-d892-711f-a135-1455a39c6bdd?x=1"); got != "DELETE /api/v1/customers/{id}/entities/{id}" {
		t.Errorf("route = %q", got)
	}
}

func TestLogProblemsSummarizesARace(t *testing.T) {
	log := filepath.Join(t.TempDir(), "log")
	report := "{\"level\":\"INFO\",\"msg\":\"request\",\"request_id\":\"a\"}\n" +
		"==================\nWARNING: DATA RACE\nRead at 0x00c00063f480 by goroutine 756:\n" +
		"  golang.org/x/text/transform.String()\n      /x/transform.go:1 +0x1\n" +
		"  github.com/custreg/custreg/internal/domain.nameKey()\n      /x/contact.go:160 +0x1\n\n" +
		"Previous write at 0x00c00063f480 by goroutine 755:\n" +
		"  golang.org/x/text/cases.(*caser).Reset()\n      /x/cases.go:1 +0x1\n" +
		"  github.com/custreg/custreg/internal/domain.nameKey()\n      /x/contact.go:160 +0x1\n\n" +
		"Goroutine 756 (running) created at:\n  net/http.(*Server).Serve()\n      /x/server.go:1 +0x1\n" +
		"==================\n" +
		"{\"level\":\"ERROR\",\"msg\":\"internal error\",\"request_id\":\"b\",\"err\":\"boom\"}\n"
	if err := os.WriteFile(log, []byte(report), 0o600); err != nil {
		t.Fatal(err)
	}
	bad, errs := logProblems(log)
	want := "DATA RACE: read at domain.nameKey → transform.String; previous write at domain.nameKey → cases.(*caser).Reset"
	if len(bad) != 1 || bad[0] != want {
		t.Errorf("logProblems = %q, want [%q]", bad, want)
	}
	if errs["b"] != "internal error: boom" || len(errs) != 1 {
		t.Errorf("errors by request id = %v", errs)
	}
	got := problemDetail([]byte(`{"detail":"The request has invalid fields.","errors":[{"field":"location.country","message":"Not a country name."}]}`))
	if want := "The request has invalid fields. [location.country: Not a country name.]"; got != want {
		t.Errorf("problemDetail = %q, want %q", got, want)
	}
}
