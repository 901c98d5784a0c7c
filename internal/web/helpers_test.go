package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/custreg/custreg/internal/apptest"
	"github.com/custreg/custreg/internal/domain"
	"github.com/custreg/custreg/internal/server"
	"github.com/custreg/custreg/internal/service"
)

const (
	adminEmail    = "admin@example.com"
	adminName     = "Ada Admin"
	adminPassword = "correct horse battery staple"
)

// stack is the whole program on an httptest server: the real SQLite store,
// service and HTTP handler, as cmd/custreg wires them.
type stack struct {
	t   testing.TB
	svc *service.Service
	srv *httptest.Server
	// admin is a context carrying the admin's principal, for checking what
	// the UI did through the service.
	admin context.Context
	// setupToken is set when the stack started without an admin.
	setupToken string
}

// MustStack starts the stack. fs.Admin defaults to the test admin unless
// noAdmin is set.
func MustStack(tb testing.TB, fs service.FirstStart, noAdmin bool) *stack {
	tb.Helper()
	return mustStackOn(tb, "sqlite", fs, noAdmin)
}

// mustStackOn is MustStack on a store of kind (apptest.Stores): "postgres"
// skips, or in CI fails, without CUSTREG_TEST_POSTGRES_URL.
func mustStackOn(tb testing.TB, kind string, fs service.FirstStart, noAdmin bool) *stack {
	tb.Helper()
	ctx := context.Background()
	st := apptest.OpenStore(tb, kind)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, service.Options{Logger: quiet})
	if !noAdmin {
		fs.Admin = domain.AdminInput{Email: adminEmail, Name: adminName, Password: adminPassword}
	}
	token, err := svc.Bootstrap(ctx, fs)
	if err != nil {
		tb.Fatalf("bootstrap: %v", err)
	}
	srv := httptest.NewServer(server.Handler(svc, server.Options{Logger: quiet}))
	tb.Cleanup(srv.Close)
	s := &stack{t: tb, svc: svc, srv: srv, setupToken: token}
	if !noAdmin {
		_, p, err := svc.Login(ctx, adminEmail, adminPassword)
		if err != nil {
			tb.Fatalf("login: %v", err)
		}
		s.admin = domain.WithPrincipal(ctx, p)
	}
	return s
}

// client returns an HTTP client with its own cookie jar that does not
// follow redirects, so tests see each 303.
func (s *stack) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signedIn returns a client signed in as the admin through the login form.
func (s *stack) signedIn() *http.Client {
	s.t.Helper()
	c := s.client()
	res := s.post(c, "/login", url.Values{"email": {adminEmail}, "password": {adminPassword}})
	if res.status != http.StatusSeeOther {
		s.t.Fatalf("login: status %d, body:\n%s", res.status, res.body)
	}
	return c
}

// response is what a test looks at.
type response struct {
	status   int
	location string
	header   http.Header
	body     string
	doc      *html.Node
}

func (s *stack) do(c *http.Client, req *http.Request) response {
	s.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	r := response{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if r.doc, err = html.Parse(strings.NewReader(r.body)); err != nil {
			s.t.Fatalf("parse HTML: %v", err)
		}
	}
	return r
}

func (s *stack) get(c *http.Client, path string) response {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.do(c, req)
}

func (s *stack) post(c *http.Client, path string, form url.Values) response {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(c, req)
}

// customers lists the live customers through the service.
func (s *stack) customers() []domain.Customer {
	s.t.Helper()
	page, err := s.svc.ListCustomers(s.admin, domain.CustomerFilter{Limit: domain.MaxPageSize})
	if err != nil {
		s.t.Fatalf("list customers: %v", err)
	}
	return page.Items
}

// MustCreateCustomer creates a customer through the service.
func (s *stack) MustCreateCustomer(in domain.CustomerInput) domain.Customer {
	s.t.Helper()
	c, err := s.svc.RegisterCustomer(s.admin, service.NewCustomer{Customer: in, Licenses: apptest.Roomy()})
	if err != nil {
		s.t.Fatalf("create customer: %v", err)
	}
	return c
}

// ---- HTML helpers ----

// byID returns the element with the id, or nil.
func byID(n *html.Node, id string) *html.Node {
	return find(n, func(n *html.Node) bool { return attr(n, "id") == id })
}

// find returns the first element (depth first) for which match is true.
func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, match); f != nil {
			return f
		}
	}
	return nil
}

// findAll returns every element for which match is true.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if n != nil {
		walk(n)
	}
	return out
}

func attr(n *html.Node, name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, name string) bool {
	if n == nil {
		return false
	}
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}

// text returns the text content of n with white space collapsed.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// title returns the page's <title>.
func title(doc *html.Node) string {
	return text(find(doc, func(n *html.Node) bool { return n.Data == "title" }))
}

// selected returns the value of the selected option of the <select> with id.
// A customer box's choice is its hidden input's value.
func selected(doc *html.Node, id string) string {
	sel := byID(doc, id)
	if sel != nil && sel.Data == "input" {
		return attr(sel, "value")
	}
	opt := find(sel, func(n *html.Node) bool { return n.Data == "option" && hasAttr(n, "selected") })
	return attr(opt, "value")
}

// linkTo returns the first <a> whose href is href.
func linkTo(doc *html.Node, href string) *html.Node {
	return find(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == href })
}
